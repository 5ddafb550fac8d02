"""The completeness page with its deadlines, the review queue and reminders (催报)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from parkportal.choices import Role
from parkportal.models import Park
from parkportal.roles import can_approve, user_role

from .choices import PeriodAction, PeriodStatus
from .completeness import completeness, deadline_day, submissions_timeliness
from .deadlines import deadline
from .forms import TransitionForm
from .reminders import reminder_send
from .review import missing_months, next_in_queue, review_lines, review_queue, review_warnings
from .selectors import consistent_reads, entry_sheet
from .views import reporting_month
from .workflow import EntryRefused, period_transition

FIRST_YEAR, LAST_YEAR = 2000, 2100
QUEUE_PER_PAGE = 20
LINES_PER_PAGE = 100
REVIEW_STEPS = (PeriodAction.APPROVE, PeriodAction.RETURN)


def _period(year: int, month: int) -> tuple[int, int]:
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404("没有这个月份")
    return year, month


def _neighbours(year: int, month: int) -> tuple[tuple[int, int], tuple[int, int]]:
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return previous, following


def _refuse_unless_admin(request) -> None:
    if not can_approve(request.user):
        raise PermissionDenied


@login_required
def completeness_view(request, year=None, month=None):
    """Show, for a month, which parks have reported it, by its deadline or not, which
    enterprises lack figures, and each park's timeliness over the year."""
    if user_role(request.user) not in (Role.ADMIN, Role.LEADER):
        raise PermissionDenied
    if year is None:
        year, month = reporting_month()
    year, month = _period(year, month)
    previous, following = _neighbours(year, month)
    return render(
        request,
        "indicators/completeness.html",
        {
            "year": year,
            "month": month,
            "due": deadline(year, month, deadline_day(year)),
            "parks": completeness(year, month),
            "months": range(1, 13),
            "previous": previous,
            "following": following,
            "may_remind": can_approve(request.user),
        },
    )


@login_required
def review_queue_view(request):
    """List the months waiting for review, oldest first, and the months not reported."""
    _refuse_unless_admin(request)
    page = Paginator(review_queue(), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    timeliness = submissions_timeliness(page.object_list)
    year, _ = reporting_month()
    return render(
        request,
        "indicators/review_queue.html",
        {
            "page": page,
            "rows": [(s, timeliness[s.pk]) for s in page.object_list],
            "missing": missing_months(year),
            "missing_year": year,
        },
    )


@login_required
def review_month(request, park, year, month):
    """Show a submitted month against last month, with its warnings and their 说明, and
    the approve and return buttons at the top; take the step posted."""
    _refuse_unless_admin(request)
    park = get_object_or_404(Park.objects.parks(), code=park)
    year, month = _period(year, month)
    if request.method == "POST":
        return _review_step(request, park, year, month)
    with consistent_reads():
        sheet = entry_sheet(park, year, month)
    submission = sheet.submission
    lines = review_lines(sheet)
    return render(
        request,
        "indicators/review_month.html",
        {
            "sheet": sheet,
            "park": park,
            "year": year,
            "month": month,
            "waiting": submission.status == PeriodStatus.SUBMITTED,
            "timeliness": (
                submissions_timeliness([submission])[submission.pk]
                if submission.pk is not None
                else None
            ),
            "warnings": review_warnings(sheet),
            "page": Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page")),
            "line_count": len(lines),
        },
    )


def _review_step(request, park, year, month):
    form = TransitionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] not in REVIEW_STEPS:
        return HttpResponseBadRequest("未知的操作")
    step = PeriodAction(form.cleaned_data["action"])
    try:
        submission = period_transition(
            park=park,
            year=year,
            month=month,
            action=step,
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
    except EntryRefused as refused:
        messages.error(request, refused.message)
        return redirect("indicators:review_month", park=park.code, year=year, month=month)
    messages.success(request, f"{park.name}{year}年{month}月：已{step.label}。")
    following = next_in_queue(after=submission)
    if following is None:
        return redirect("indicators:review")
    return redirect(
        "indicators:review_month",
        park=following.park.code,
        year=following.year,
        month=following.month,
    )


@login_required
@require_POST
def remind(request, park, year, month):
    """Send a park a reminder (催报) to report the month; back to the page it came from."""
    _refuse_unless_admin(request)
    park = get_object_or_404(Park.objects.parks(), code=park)
    year, month = _period(year, month)
    try:
        reminder = reminder_send(
            park=park,
            year=year,
            month=month,
            user=request.user,
            message=request.POST.get("message", "")[:500],
            link=request.build_absolute_uri(
                reverse("indicators:entry", args=[park.code, year, month])
            ),
        )
    except EntryRefused as refused:
        messages.error(request, refused.message)
    else:
        mailed = (
            f"，邮件已发至{reminder.mailed_to}"
            if reminder.mailed_to
            else "；该园区填报员未登记邮箱，仅在其页面提示"
        )
        messages.success(request, f"已向{park.name}催报{year}年{month}月数据{mailed}。")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("indicators:completeness_month", year=year, month=month)
    return redirect(back)
