"""The monthly entry: park staff enter and submit a month, admins approve and unlock it."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from parkportal import display
from parkportal.access import get_visible_or_403
from parkportal.choices import Role
from parkportal.middleware import handles_control_characters
from parkportal.models import Enterprise, Park
from parkportal.roles import can_approve, user_role
from projects.selectors import progress_summary

from .choices import PeriodAction, PeriodStatus
from .forms import TransitionForm, grid_from_post
from .selectors import (
    consistent_reads,
    enterprise_figure_history,
    entry_sheet,
    reopened_months,
)
from .services import EntryConflict, EntryInvalid, EntryMalformed, period_figures_save
from .workflow import (
    EntryRefused,
    allowed_actions,
    is_editable,
    may_enter,
    may_take,
    period_transition,
)

FIRST_YEAR, LAST_YEAR = 2000, 2100
STALE_FORM = "页面已过期或不完整，本次未保存任何数据；请刷新后重新填写。"


def reporting_month(today: datetime.date | None = None) -> tuple[int, int]:
    """Return the month being reported now: the one before the current month."""
    today = today or timezone.localdate()
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return first.year, first.month


def _period(year: int, month: int) -> tuple[int, int]:
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404("没有这个月份")
    return year, month


def _neighbours(year: int, month: int) -> tuple[tuple[int, int], tuple[int, int]]:
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return previous, following


@login_required
def entry_start(request):
    """Open the reporting month of the user's park; with several parks, list them."""
    year, month = reporting_month()
    parks = list(Park.objects.editable_by(request.user).order_by("code"))
    if user_role(request.user) == Role.STAFF and len(parks) == 1:
        return redirect("indicators:entry", park=parks[0].code, year=year, month=month)
    visible = Park.objects.visible_to(request.user).parks().order_by("code")
    return render(
        request,
        "indicators/entry_start.html",
        {
            "parks": visible,
            "year": year,
            "month": month,
            "may_see_completeness": user_role(request.user) in (Role.ADMIN, Role.LEADER),
        },
    )


@login_required
@handles_control_characters  # a NUL pasted into a cell is shown at its cell, typing kept
def entry(request, park, year, month):
    """Show a park's month as a grid to fill in; save it, submit it, or move it on."""
    park = get_visible_or_403(Park.objects.parks(), request.user, code=park)
    year, month = _period(year, month)
    entering = may_enter(request.user, park)
    here = ("indicators:entry", park.code, year, month)

    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("save", "submit"):
            if not entering:
                raise PermissionDenied
            try:
                sheet = _save(request, park, year, month, submit=action == "submit")
            except EntryMalformed:  # not sent by the page's form
                return HttpResponseBadRequest(STALE_FORM)
            if sheet is None:
                return redirect(*here)
            if isinstance(sheet, str):
                return redirect(sheet)
            return _render_entry(request, sheet, entering)
        form = TransitionForm(request.POST)
        if not form.is_valid() or form.cleaned_data["action"] == PeriodAction.SUBMIT:
            return HttpResponseBadRequest("未知的操作")
        step = PeriodAction(form.cleaned_data["action"])
        if not may_take(step, user=request.user, entering=entering):
            raise PermissionDenied
        try:
            period_transition(
                park=park,
                year=year,
                month=month,
                action=step,
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except EntryRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, f"{park.name}{year}年{month}月：已{step.label}。")
        return redirect(*here)

    # A draft is checked as it is being filled in, unless the user asks to see what
    # submitting it checks (where a submission was refused, for one).
    checking = request.GET.get("check") == "submit"
    with consistent_reads():
        sheet = entry_sheet(park, year, month, entering=not checking)
    return _render_entry(request, sheet, entering)


def _save(request, park, year, month, *, submit: bool):
    """Store the posted grid (and submit it); return the sheet to show again, the
    address to go on to, or None (the month again)."""
    grid = grid_from_post(request.POST)
    try:
        changed = period_figures_save(
            park=park,
            year=year,
            month=month,
            user=request.user,
            typed=grid.typed,
            shown=grid.shown,
            notes=grid.notes,
            notes_shown=grid.notes_shown,
            unreadable=grid.unreadable,
            unreadable_notes=grid.unreadable_notes,
            submitting=submit,
        )
    except EntryInvalid as invalid:
        messages.error(
            request,
            f"有{invalid.sheet.error_count}处数据错误（标红处），本次未保存任何数据，请更正后再保存。",
        )
        return invalid.sheet
    except EntryConflict as conflict:
        messages.warning(request, _conflict_message(conflict.sheet))
        return conflict.sheet
    except EntryRefused as refused:
        messages.error(request, refused.message)
        return None
    messages.success(
        request, f"已保存，修改了{changed}个数据。" if changed else "已保存，数据没有变化。"
    )
    if submit:
        try:
            period_transition(
                park=park, year=year, month=month, action=PeriodAction.SUBMIT, user=request.user
            )
        except EntryRefused as refused:
            messages.error(request, f"未能上报：{refused.message}")
            # what the submission checks, the cells to fix or explain listed at the top
            return reverse("indicators:entry", args=[park.code, year, month]) + CHECK_SUBMIT
        else:
            messages.success(request, f"{park.name}{year}年{month}月的数据已上报，等待审核。")
            _, unreported = progress_summary(park, year, month)
            if unreported:
                messages.warning(
                    request,
                    f"以下{len(unreported)}个在建项目本月未填报项目进度，已随本月一并上报："
                    + "、".join(unreported)
                    + "；如需补报，请撤回上报后在“项目进度”中填写。",
                )
    return None


def _conflict_message(sheet) -> str:
    """Say who changed which cells meanwhile, and what saving again does."""
    who = {cell.last_change.changed_by for cell in sheet.conflicts if cell.last_change}
    names = "、".join(sorted(str(user) for user in who if user)) or "其他用户"
    return (
        f"在您填写期间，{names}修改了{len(sheet.conflicts)}个格子，本次未保存。"
        "标黄的格子显示现在的数值，您的输入仍保留在框中；核对后再次保存即以您的输入为准。"
    )


ROWS_PER_PAGE = 50
CHECK_SUBMIT = "?check=submit&only=flagged"
FLAGGED_LISTED = 30  # cells listed above the grid; the filter shows the rest


def _page_steps(status: str, *, user, entering: bool):
    """Return the workflow buttons of the page's action bar: an admin sends a submitted
    month back with 退回修改 (and a reason) rather than withdrawing it for the park."""
    steps = allowed_actions(status, user=user, entering=entering)
    if can_approve(user):
        steps = [step for step in steps if step.action != PeriodAction.WITHDRAW]
    return steps


def _status_notice(status: str, *, user, entering: bool) -> str:
    """Return what the month's state means for the one reading it."""
    approver = can_approve(user)
    if status == PeriodStatus.APPROVED:
        if approver:
            return "本月数据已审核通过并锁定，不能修改；如需更正，请在上方填写原因后解锁。"
        return "本月数据已审核通过并锁定，不能修改。"
    if status == PeriodStatus.SUBMITTED:
        if approver:
            return "园区已上报本月数据，请核对后审核通过（锁定），或填写原因退回修改。"
        if entering:
            return "本月数据已上报，等待管理员审核；上报后不能修改，如需修改请先撤回上报。"
        return "本月数据已上报，等待管理员审核。"
    if not entering:
        return "您可以查看本月数据，但不能修改。"
    return ""


def _cell_context(page) -> dict[str, list[str]]:
    """Return what the bar shows of each cell of the page when it is focused, as text:
    last month's figure, the month's own value, last year's, the growth and the latest
    change (the enterprise and the indicator are the cell's row and column)."""
    context = {}
    for row in page:
        for cell in row.cells:
            change = cell.last_change
            context[cell.name] = [
                display.figure(cell.previous),
                display.figure(cell.own),
                display.figure(cell.last_year),
                display.percent(cell.growth),
                f"{change.changed_by or '系统'} {timezone.localtime(change.changed_at):%m-%d %H:%M}"
                f"（{change.get_source_display()}）"
                if change
                else "—",
            ]
    return context


def _render_entry(request, sheet, entering: bool):
    """Render the sheet, a page of enterprises at a time (searched, or only those to look at)."""
    previous, following = _neighbours(sheet.year, sheet.month)
    status = sheet.submission.status
    query = request.GET.get("q", "").strip()
    only_flagged = request.GET.get("only") == "flagged"
    rows = [
        row
        for row in sheet.rows
        if (not query or query in row.enterprise.name or query in row.enterprise.credit_code)
        and (not only_flagged or any(cell.checks for cell in row.cells))
    ]
    flagged = sheet.flagged
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    projects, unreported = progress_summary(sheet.park, sheet.year, sheet.month)
    return render(
        request,
        "indicators/entry.html",
        {
            "projects": projects,
            "projects_unreported": unreported,
            "sheet": sheet,
            "page": page,
            "context_data": _cell_context(page),
            "query": query,
            "only_flagged": only_flagged,
            "editable": entering and is_editable(status),
            "may_enter": entering,
            "steps": _page_steps(status, user=request.user, entering=entering),
            "notice": _status_notice(status, user=request.user, entering=entering),
            "flagged": flagged[:FLAGGED_LISTED],
            "flagged_more": max(len(flagged) - FLAGGED_LISTED, 0),
            "checking": not sheet.entering and status == PeriodStatus.DRAFT,
            "parks": Park.objects.visible_to(request.user).parks().order_by("code"),
            "previous": previous,
            "following": following,
            "may_see_completeness": user_role(request.user) in (Role.ADMIN, Role.LEADER),
            "reopened": [
                period
                for period in reopened_months(sheet.park)
                if period != (sheet.year, sheet.month)
            ],
        },
    )


@login_required
def enterprise_history(request, pk):
    """Show every change of an enterprise's figures: who, when, old, new, from where."""
    enterprise = get_visible_or_403(Enterprise.objects.select_related("park"), request.user, pk=pk)
    history = enterprise_figure_history(enterprise, drafts=may_enter(request.user, enterprise.park))
    page = Paginator(history, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "indicators/enterprise_history.html",
        {"enterprise": enterprise, "page": page},
    )
