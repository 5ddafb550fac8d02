"""Reads across the apps for the pages leaders and staff look at: an enterprise's page."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, OuterRef, QuerySet, Subquery

from indicators.domain import growth_rate, own_values
from indicators.models import FigureChange, MonthlyValue
from parkportal.models import Enterprise
from projects.models import Project, ProjectProgress

from .year_end import active_indicators

YEARS_SHOWN = 3
CHANGES_SHOWN = 10


@dataclass(frozen=True)
class EnterpriseYear:
    """One indicator's twelve months of one year: as reported, and each month's own value."""

    year: int
    cumulative: list[Decimal | None]  # the figure as reported (1-N for a flow)
    own: list[Decimal | None]  # a flow's own value of the month; None where unknown
    own_labels: list[str]  # "3月", or "1-2月" when the months before have no figure


@dataclass(frozen=True)
class EnterpriseIndicator:
    code: str
    name: str
    unit: str
    is_flow: bool
    years: list[EnterpriseYear]  # oldest first
    latest_month: int | None  # the latest month of the last year with a figure
    latest: Decimal | None
    same_month_last_year: Decimal | None
    growth: Decimal | None


@dataclass(frozen=True)
class EnterpriseProject:
    code: str
    name: str
    stage: str
    key_level: str
    start_date: date | None
    completion_date: date | None
    total_investment: Decimal
    completed: Decimal | None  # this year's completed investment by its latest report
    completed_month: int | None


@dataclass(frozen=True)
class EnterprisePage:
    """An enterprise over three years: its figures, its projects, the latest changes."""

    enterprise: Enterprise
    year: int
    years: list[int]
    indicators: list[EnterpriseIndicator]
    projects: list[EnterpriseProject]
    changes: list[FigureChange]

    @property
    def has_figures(self) -> bool:
        return any(line.latest is not None for line in self.indicators)


def enterprise_latest_year(enterprise: Enterprise) -> int | None:
    """Return the latest year in which the enterprise reported a figure."""
    return MonthlyValue.objects.filter(enterprise=enterprise).aggregate(year=Max("year"))["year"]


def enterprise_page(enterprise: Enterprise, year: int) -> EnterprisePage:
    """Return the enterprise's page for the three years up to `year`, in four queries."""
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    indicators = active_indicators()
    figures: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    rows = MonthlyValue.objects.filter(enterprise=enterprise, year__in=years).values_list(
        "indicator_id", "year", "month", "value"
    )
    for indicator_id, figure_year, month, value in rows:
        figures[indicator_id, figure_year][month] = value
    lines = []
    for indicator in indicators:
        per_year = []
        for figure_year in years:
            reported = figures.get((indicator.pk, figure_year), {})
            own: list[Decimal | None] = [None] * 12
            labels = [f"{month}月" for month in range(1, 13)]
            if indicator.is_flow:
                for period in own_values(reported):
                    own[period.last - 1] = period.value
                    labels[period.last - 1] = period.label
            per_year.append(
                EnterpriseYear(
                    year=figure_year,
                    cumulative=[reported.get(month) for month in range(1, 13)],
                    own=own,
                    own_labels=labels,
                )
            )
        this_year = figures.get((indicator.pk, year), {})
        latest_month = max(this_year, default=None)
        latest = this_year.get(latest_month) if latest_month else None
        base = figures.get((indicator.pk, year - 1), {}).get(latest_month) if latest_month else None
        lines.append(
            EnterpriseIndicator(
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                is_flow=indicator.is_flow,
                years=per_year,
                latest_month=latest_month,
                latest=latest,
                same_month_last_year=base,
                growth=growth_rate(latest, base),
            )
        )
    return EnterprisePage(
        enterprise=enterprise,
        year=year,
        years=years,
        indicators=lines,
        projects=[_project(project) for project in enterprise_projects(enterprise, year)],
        changes=list(latest_changes(enterprise)),
    )


def enterprise_projects(enterprise: Enterprise, year: int) -> QuerySet[Project]:
    """Return the enterprise's projects, each with its latest completed investment of `year`."""
    latest = ProjectProgress.objects.filter(project=OuterRef("pk"), year=year).order_by("-month")
    return (
        Project.objects.filter(enterprise=enterprise)
        .annotate(
            completed=Subquery(latest.values("completed_investment")[:1]),
            completed_month=Subquery(latest.values("month")[:1]),
        )
        .order_by("-start_date", "code")
    )


def _project(project: Project) -> EnterpriseProject:
    return EnterpriseProject(
        code=project.code,
        name=project.name,
        stage=project.get_stage_display(),
        key_level=project.get_key_level_display(),
        start_date=project.start_date,
        completion_date=project.completion_date,
        total_investment=project.total_investment,
        completed=project.completed,
        completed_month=project.completed_month,
    )


def latest_changes(enterprise: Enterprise) -> QuerySet[FigureChange]:
    """Return the latest changes of the enterprise's figures, newest first."""
    return (
        FigureChange.objects.filter(enterprise=enterprise)
        .select_related("indicator", "changed_by")
        .order_by("-changed_at", "-pk")[:CHANGES_SHOWN]
    )
