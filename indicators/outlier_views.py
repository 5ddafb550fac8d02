"""The admins' outlier page: figures odd against the enterprise's own history, and marks."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parkportal.access import get_visible_or_403
from parkportal.models import Enterprise, Park
from parkportal.roles import can_approve

from .choices import OutlierVerdict
from .models import Indicator
from .outliers import outlier_mark_save, outlier_scan
from .views import FIRST_YEAR, LAST_YEAR, reporting_month


class ScanForm(forms.Form):
    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    month = forms.IntegerField(min_value=1, max_value=12, required=False)
    park = forms.CharField(max_length=32, required=False)


class MarkForm(ScanForm):
    enterprise = forms.IntegerField()
    indicator = forms.IntegerField()
    verdict = forms.ChoiceField(choices=OutlierVerdict.choices)
    note = forms.CharField(max_length=500, required=False)


def _refuse_unless_admin(request) -> None:
    if not can_approve(request.user):
        raise PermissionDenied


def _scope(request, data):
    """Return the year, month and park (None: every park the user sees) asked for."""
    form = ScanForm(data)
    if not form.is_valid():
        return None
    year, month = reporting_month()
    year = form.cleaned_data["year"] or year
    month = form.cleaned_data["month"] or month
    code = form.cleaned_data["park"]
    park = get_visible_or_403(Park.objects.parks(), request.user, code=code) if code else None
    return year, month, park


@login_required
def outliers_view(request):
    """List the month's suspicious figures with their history and marks."""
    _refuse_unless_admin(request)
    scope = _scope(request, request.GET)
    if scope is None:
        return HttpResponseBadRequest("年份或月份不正确")
    year, month, park = scope
    return render(
        request,
        "indicators/outliers.html",
        {
            "scan": outlier_scan(user=request.user, year=year, month=month, park=park),
            "park": park,
            "parks": Park.objects.visible_to(request.user).parks().order_by("code"),
            "verdicts": OutlierVerdict.choices,
        },
    )


@login_required
@require_POST
def outlier_mark(request):
    """Mark one figure 已核实 or 需更正, then show the list again."""
    _refuse_unless_admin(request)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("标记的内容不完整")
    data = form.cleaned_data
    enterprise = get_visible_or_403(Enterprise, request.user, pk=data["enterprise"])
    indicator = Indicator.objects.filter(pk=data["indicator"]).first()
    if indicator is None:
        return HttpResponseBadRequest("没有这个指标")
    try:
        mark = outlier_mark_save(
            user=request.user,
            enterprise=enterprise,
            indicator=indicator,
            year=data["year"],
            month=data["month"],
            verdict=data["verdict"],
            note=data["note"],
        )
    except ValidationError as refused:
        messages.error(request, "；".join(refused.messages))
    else:
        messages.success(
            request,
            f"{enterprise.name}{indicator.name}：已标记为{mark.get_verdict_display()}。",
        )
    query = {"year": data["year"], "month": data["month"]}
    if data["park"]:
        query["park"] = data["park"]
    return redirect(f"{reverse('indicators:outliers')}?{urlencode(query)}")
