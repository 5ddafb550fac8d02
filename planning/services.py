"""Writes of the year's work plan: the one door of a task, and its completion by hand."""

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache

from django.core.exceptions import ValidationError

from parkportal.data_version import data_version_bump
from parkportal.register_lock import register_door, registers_import
from parkportal.services import RegisterImported, register_import

from .choices import Measure
from .models import KnownSubjects, PlanTask, subjects_known


def _audit(task: PlanTask, user, reason: str) -> None:
    if user is not None and user.is_authenticated:
        task._history_user = user
    if reason:
        task._change_reason = reason


@register_door
def plan_task_save(*, task: PlanTask, user=None, reason: str = "") -> PlanTask:
    """Check and save a task of the plan, recorded in its change history with the user
    and `reason` (the import file, for imported rows).

    The admin, the workbook import and any command save tasks through here; the data
    version is bumped, so the dashboard's card and the year-end summary show the change.
    """
    task.full_clean()
    _audit(task, user, reason)
    task.save()
    data_version_bump()
    return task


@registers_import
def plan_tasks_import(
    *,
    tasks: Sequence[PlanTask],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many tasks of the plan at once (the workbook's 年度任务 sheet), by
    the rules of `plan_task_save`, in a few queries whatever their number: the
    indicators and the projects the tasks' 对象 name are looked up once for the sheet
    (`subjects_known`, one query each), not once per task.

    `tasks` are new instances, or stored ones with the new values set (a task's manual
    completion stays as it is: the sheet does not hold it); `errors` what the caller
    found already, per position and field (those rows are not checked further). Each
    new or changed task is checked as `full_clean` would: its fields, its check
    constraints and the task's own rules (`task_problems`: a target, an 对象 the portal
    knows, a deadline within the year); with any error nothing is written. Otherwise the
    new and changed ones are written with their change history (the user and `reason`)
    and the data version is bumped, so the dashboard's card and the year-end summary
    show the change; tasks equal to the stored ones write nothing.
    """
    given = errors or {}

    @cache
    def known() -> KnownSubjects:
        """Return what the portal knows of the sheet's 对象: looked up when a task is
        first checked (an unchanged sheet asks nothing)."""
        return subjects_known(task for i, task in enumerate(tasks) if i not in given)

    return register_import(
        PlanTask,
        tasks,
        errors,
        key=("code",),
        user=user,
        reason=reason,
        clean=lambda task: task.clean(known=known()),
    )


@register_door
def plan_task_mark_done(*, task: PlanTask, on: date, note: str, user=None) -> PlanTask:
    """Mark a task done by hand on the day `on`, with the `note` that says how; only a task
    measured by hand (手工) is marked so, the others are measured from the data."""
    task = PlanTask.objects.select_for_update().get(pk=task.pk)
    if task.measure != Measure.MANUAL:
        measured = f"按“{task.get_measure_display()}”从数据计算"
        raise ValidationError({"measure": f"任务“{task.title}”{measured}，不能手工确认完成。"})
    if not note.strip():
        raise ValidationError({"done_note": "请填写完成说明：如何完成、有何依据。"})
    task.done_on = on
    task.done_note = note.strip()
    task.full_clean()
    _audit(task, user, "手工确认完成")
    task.save()
    data_version_bump()
    return task
