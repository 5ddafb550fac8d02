"""The year's work plan (年度任务): commitments each measured from the portal's data."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from indicators.models import Indicator
from investment.choices import EventKind
from parkportal.fields import MoneyField, YearField
from parkportal.history import change_history
from projects.models import Project

from .choices import Measure

# The measures counted against projects, whose blank 目标值 means all of 对象.
PROJECT_COUNTS = {Measure.PROJECTS_STARTED, Measure.PROJECTS_PRODUCING}


@dataclass(frozen=True)
class KnownSubjects:
    """The indicator names and project codes the portal knows, of those some tasks' 对象
    name (`subjects_known`)."""

    indicators: frozenset[str]
    projects: frozenset[str]


class PlanTask(models.Model):
    """One commitment of a year's plan, with how it is measured and its deadline."""

    code = models.CharField("任务编号", max_length=32)
    year = YearField("年份")
    title = models.CharField("任务", max_length=300)
    unit = models.CharField("责任单位", max_length=100, blank=True)
    deadline = models.DateField("完成时限")
    measure = models.CharField("衡量方式", max_length=24, choices=Measure.choices)
    subject = models.CharField(
        "对象",
        max_length=300,
        blank=True,
        help_text="活动类型、以“、”分隔的项目编号或指标名称；空白表示全部。",
    )
    target = MoneyField(
        "目标值", null=True, blank=True, help_text="项目开工、投产留空表示对象中的全部项目。"
    )
    done_on = models.DateField("手工确认完成日期", null=True, blank=True)
    done_note = models.CharField("完成说明", max_length=300, blank=True)

    history = change_history()

    class Meta:
        verbose_name = "年度任务"
        verbose_name_plural = "年度任务"
        ordering = ["year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="plan_task_code_unique"),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0),
                name="plan_task_target_not_negative",
                violation_error_message="目标值不能为负数。",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def clean(self, known: KnownSubjects | None = None):
        """Refuse a task that cannot be measured: each error names its field, so the
        import reports it at its column. `known` is what a sheet's import looked up once
        of its tasks' 对象 (`subjects_known`); without it the task's own are looked up."""
        errors = task_problems(self, known=known)
        if errors:
            raise ValidationError(errors)

    @property
    def subject_codes(self) -> list[str]:
        """Return the project codes 对象 lists (separated by 、 or ,)."""
        text = self.subject.replace("，", "、").replace(",", "、")
        return [code.strip() for code in text.split("、") if code.strip()]


def subjects_known(tasks: Iterable[PlanTask]) -> KnownSubjects:
    """Return which of the indicators and projects the 对象 of `tasks` name the portal
    knows, in one query for the indicators and one for the projects whatever the number
    of tasks (none for a kind no task names)."""
    names, codes = set(), set()
    for task in tasks:
        if task.measure == Measure.INDICATOR:
            names.add(task.subject.strip())
        elif task.measure in PROJECT_COUNTS or task.measure == Measure.PROJECT_INVESTMENT:
            codes.update(task.subject_codes)
    names.discard("")
    # An empty `__in` asks nothing of the database: Django knows its answer.
    indicators = Indicator.objects.filter(name__in=names).values_list("name", flat=True)
    projects = Project.objects.filter(code__in=codes).values_list("code", flat=True)
    return KnownSubjects(indicators=frozenset(indicators), projects=frozenset(projects))


def task_problems(task: PlanTask, known: KnownSubjects | None = None) -> dict[str, str]:
    """Return field → what makes `task` unmeasurable: a target missing, an 对象 that names
    nothing the portal knows, a deadline outside the task's year.

    `known` is what `subjects_known` found of tasks including this one (a sheet's, looked
    up once); without it the indicator or the projects of the task's 对象 are looked up."""
    errors = {}
    if task.deadline and task.year and task.deadline.year != task.year:
        errors["deadline"] = f"完成时限{task.deadline.isoformat()}不在{task.year}年内。"
    measure = task.measure
    if measure == Measure.MANUAL:
        return errors
    if task.target is None and not (measure in PROJECT_COUNTS and task.subject):
        errors["target"] = f"衡量方式为“{task.get_measure_display()}”时必须填写目标值" + (
            "（或在对象中列出项目编号）。" if measure in PROJECT_COUNTS else "。"
        )
    subject = task.subject.strip()
    if measure == Measure.EVENTS and subject and subject not in EventKind.labels:
        errors["subject"] = f"活动类型“{subject}”不存在，可填：{'、'.join(EventKind.labels)}。"
    elif measure == Measure.INDICATOR:
        if not subject:
            errors["subject"] = "衡量方式为“指标累计”时对象须填写指标名称，如“工业总产值”。"
        elif subject not in (known or subjects_known([task])).indicators:
            errors["subject"] = f"指标“{subject}”不存在。"
    elif measure in PROJECT_COUNTS or measure == Measure.PROJECT_INVESTMENT:
        projects = (known or subjects_known([task])).projects
        missing = [code for code in task.subject_codes if code not in projects]
        if missing:
            errors["subject"] = f"项目编号“{'、'.join(missing)}”不存在。"
    return errors
