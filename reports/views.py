"""The pages leaders and staff read: the home page for now."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import park_overview


@login_required
def home(request):
    """Show the parks the user may see, each with its register at a glance."""
    return render(request, "reports/home.html", {"overview": park_overview(request.user)})
