"""The plan page: each task of a year measured as of a day, and the full-year forecasts."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from parkportal.choices import Role
from parkportal.roles import user_role

from .choices import Measure, TaskStatus
from .models import PlanTask
from .selectors import forecast_lines, forecast_month, task_lines
from .services import plan_task_mark_done

# The years a plan may have (the 年份 column's bounds).
MIN_YEAR, MAX_YEAR = 2000, 2100


def _require_reader(user) -> Role:
    role = user_role(user)
    if role not in (Role.ADMIN, Role.LEADER):
        raise PermissionDenied("年度任务仅供领导和管理员查看。")
    return role


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@login_required
def plan(request, year: int):
    role = _require_reader(request.user)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(f"没有{year}年的年度任务。")
    asked = request.GET.get("on", "")
    day = _day(asked) or timezone.localdate()
    if asked and _day(asked) is None:
        messages.warning(
            request, f"日期“{asked}”无法识别，请按2023-06-30的格式填写；已按今天计算。"
        )
    tasks = PlanTask.objects.filter(year=year).order_by("deadline", "code")
    lines = task_lines(tasks, day)
    counts = {status: sum(line.status == status for line in lines) for status in TaskStatus}
    status = request.GET.get("status", "")
    unit = request.GET.get("unit", "")
    shown = [
        line
        for line in lines
        if (not status or line.status == status) and (not unit or line.task.unit == unit)
    ]
    month = forecast_month(year, day)
    return render(
        request,
        "planning/plan.html",
        {
            "year": year,
            "day": day,
            "lines": shown,
            "total": len(lines),
            "done": counts[TaskStatus.DONE],
            "on_track": counts[TaskStatus.ON_TRACK],
            "late": counts[TaskStatus.LATE],
            "statuses": TaskStatus.choices,
            "status": status,
            "units": sorted({line.task.unit for line in lines if line.task.unit}),
            "unit": unit,
            "month": month,
            "forecasts": forecast_lines(year, month) if month else [],
            "may_mark": role == Role.ADMIN,
            "manual": Measure.MANUAL,
        },
    )


@login_required
@require_POST
def mark_done(request, year: int, code: str):
    if user_role(request.user) != Role.ADMIN:
        raise PermissionDenied("只有管理员可以手工确认任务完成。")
    task = get_object_or_404(PlanTask, year=year, code=code)
    on = _day(request.POST.get("on")) or timezone.localdate()
    try:
        plan_task_mark_done(task=task, on=on, note=request.POST.get("note", ""), user=request.user)
    except ValidationError as error:
        messages.error(request, f"任务{task.code}：" + "；".join(error.messages))
    else:
        messages.success(request, f"任务{task.code}已确认完成（{on.isoformat()}）。")
    return redirect("planning:plan", year=year)
