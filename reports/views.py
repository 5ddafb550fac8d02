"""The pages leaders and staff read: the home page for now."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "reports/home.html")
