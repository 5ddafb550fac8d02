"""What a project's page, the issues' lists and the list's download show: plain data
built from the selectors, for the templates to display."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.urls import reverse

from .domain import LightThresholds, schedule_target
from .models import Milestone, Project, ProjectIssue
from .resources import ProjectResource
from .selectors import (
    Funding,
    light_month,
    light_thresholds,
    project_funding,
    verdict_of,
    with_light_facts,
)

HISTORY_SHOWN = 20


@dataclass(frozen=True)
class MilestoneLine:
    milestone: Milestone
    state: str  # done, late (done after its date), overdue, due
    note: str


@dataclass(frozen=True)
class BondLine:
    year: int
    applied: Decimal | None
    approved: Decimal | None
    received: Decimal
    spent: Decimal | None
    received_to_date: Decimal


@dataclass(frozen=True)
class Change:
    when: object
    who: str
    kind: str
    reason: str
    fields: list[str]


@dataclass
class ProjectPage:
    project: Project
    verdict: object
    year: int
    month: int
    plan: object
    chart: dict
    milestones: list[MilestoneLine]
    bonds: list[BondLine]
    funding: Funding
    plots: list
    open_issues: list
    solved_issues: list
    leads: list
    thresholds: LightThresholds
    history: list[Change] = field(default_factory=list)
    progress: list = field(default_factory=list)  # the year's official reports, by month

    @property
    def enterprise_url(self) -> str:
        if self.project.enterprise_id is None:
            return ""
        return reverse("reports:enterprise", args=[self.project.enterprise_id])


def milestone_lines(milestones, today: date) -> list[MilestoneLine]:
    """Return each milestone with where it stands today."""
    lines = []
    for milestone in milestones:
        if milestone.actual_date is not None:
            late = (milestone.actual_date - milestone.planned_date).days
            state, note = ("late", f"晚于计划{late}天完成") if late > 0 else ("done", "按期完成")
        elif milestone.planned_date < today:
            days = (today - milestone.planned_date).days
            state, note = "overdue", f"逾期{days}天"
        else:
            days = (milestone.planned_date - today).days
            state, note = "due", f"还有{days}天" if days else "今天到期"
        lines.append(MilestoneLine(milestone, state, note))
    return lines


def bond_lines(bonds) -> list[BondLine]:
    """Return a project's bonds year by year, with the money received to date."""
    lines, to_date = [], Decimal(0)
    for bond in sorted(bonds, key=lambda b: b.year):
        to_date += bond.amount
        lines.append(
            BondLine(bond.year, bond.applied, bond.approved, bond.amount, bond.spent, to_date)
        )
    return lines


def year_progress(project: Project, year: int) -> list:
    """Return the project's progress reports of `year` that count (official), by month."""
    return list(project.progress.official().filter(year=year).order_by("month"))


def progress_chart(project: Project, year: int, planned, reports=None) -> dict:
    """Return the chart of the year's completed investment (year-to-date, by month)
    against its 序时进度 (the plan × time progress), as strings for json_script."""
    if reports is None:
        reports = year_progress(project, year)
    reported = {p.month: p.completed_investment for p in reports}
    months = list(range(1, 13))
    return {
        "title": f"{year}年完成投资与序时进度",
        "unit": "万元",
        "months": [f"{m}月" for m in months],
        "completed": [None if m not in reported else str(reported[m]) for m in months],
        "schedule": [None if planned is None else str(schedule_target(planned, m)) for m in months],
        "plan": None if planned is None else str(planned),
    }


def history(project: Project) -> list[Change]:
    """Return the project's latest changes: who, when, why and which fields."""
    records = list(
        project.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_SHOWN + 1
        ]
    )
    labels = {f.name: str(f.verbose_name) for f in Project._meta.fields}
    kinds = {"+": "新建", "~": "修改", "-": "删除"}
    changes = []
    for record, previous in zip(records, [*records[1:], None], strict=False):
        if len(changes) == HISTORY_SHOWN:
            break
        fields = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            fields = [labels.get(c.field, c.field) for c in delta.changes]
        user = record.history_user
        who = (user.get_full_name() or user.get_username()) if user else "系统"
        changes.append(
            Change(
                record.history_date,
                who,
                kinds[record.history_type],
                record.history_change_reason or "",
                fields,
            )
        )
    return changes


def project_page(project: Project, today: date) -> ProjectPage:
    """Return everything a project's page shows."""
    year, month = light_month(today)
    thresholds = light_thresholds()
    facts = with_light_facts(Project.objects.filter(pk=project.pk), today).get()
    verdict = verdict_of(facts, today, thresholds)
    plan = project.plans.filter(year=year).first()
    reports = year_progress(project, year)
    issues = list(
        project.issues.select_related("meeting").order_by("solved_on", "deadline", "code")
    )
    return ProjectPage(
        project=project,
        verdict=verdict,
        year=year,
        month=month,
        plan=plan,
        chart=progress_chart(project, year, plan.planned_investment if plan else None, reports),
        milestones=milestone_lines(project.milestones.order_by("planned_date", "name"), today),
        bonds=bond_lines(project.bonds.all()),
        funding=project_funding(project),
        plots=list(project.plots.select_related("enterprise", "lead")),
        open_issues=[i for i in issues if i.solved_on is None],
        solved_issues=[i for i in issues if i.solved_on is not None],
        leads=list(project.leads.all()),
        thresholds=thresholds,
        history=history(project),
        progress=reports,
    )


@dataclass
class UnitIssues:
    unit: str
    issues: list


STATES = {"open": "未办结", "overdue": "逾期未办结", "solved": "已办结"}


def issue_lists(user, today: date, state: str) -> dict:
    """Return the issues of the projects `user` may read in `state` (open, overdue or
    solved), grouped by the unit that must solve them, with each state's count."""
    issues = ProjectIssue.objects.filter(project__in=Project.objects.visible_to(user))
    states = {
        "open": issues.filter(solved_on__isnull=True),
        "overdue": issues.overdue_on(today),
        "solved": issues.filter(solved_on__isnull=False),
    }
    state = state if state in states else "open"
    counts = {key: chosen.count() for key, chosen in states.items()}
    by_unit = defaultdict(list)
    for issue in (
        states[state]
        .select_related("project", "meeting")
        .order_by("responsible_unit", "deadline", "code")
    ):
        issue.overdue_days = (
            (today - issue.deadline).days
            if issue.solved_on is None and issue.deadline and issue.deadline < today
            else 0
        )
        by_unit[issue.responsible_unit].append(issue)
    return {
        "state": state,
        "states": [(key, label, counts[key]) for key, label in STATES.items()],
        "units": [UnitIssues(unit, rows) for unit, rows in by_unit.items()],
    }


def project_export(pks: list[int]) -> bytes:
    """Return the listed projects as the workbook's 项目 sheet (.xlsx), importable back."""
    from workbook.writer import workbook_bytes  # the workbook composes the apps' sheets

    class Listed(ProjectResource):
        class Meta(ProjectResource.Meta):
            pass

        def get_queryset(self):
            return super().get_queryset().filter(pk__in=pks)

    Listed.sheet = ProjectResource.sheet
    Listed.required = ProjectResource.required
    return workbook_bytes([Listed], with_data=True)
