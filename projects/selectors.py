"""Reads of projects for the pages that compose them: the projects carried out in a year,
the bonds they received, the key projects under way, an enterprise's projects.

A period is the year up to `cut_off`, the last day of a month: from 1 January of
cut_off's year to cut_off. Each read returns a ready queryset with its own annotations.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import ProjectStage, YearStatus
from .models import Project, ProjectProgress, SpecialBond

ZERO = Decimal(0)
UNDER_WAY_STAGES = [
    stage
    for stage in ProjectStage
    if stage not in (ProjectStage.COMPLETED, ProjectStage.IN_PRODUCTION)
]


def year_start(cut_off: date) -> date:
    """Return 1 January of the cut-off's year."""
    return cut_off.replace(month=1, day=1)


def year_status_case(cut_off: date) -> Case:
    """Return projects.domain.year_status as SQL, for projects started by `cut_off`."""
    return Case(
        When(start_date__gte=year_start(cut_off), then=Value(YearStatus.NEW.value)),
        default=Value(YearStatus.CONTINUING.value),
        output_field=CharField(),
    )


def completed_q(cut_off: date) -> Q:
    """Return the projects completed (竣工) in the year by `cut_off`."""
    return Q(
        stage__in=[ProjectStage.COMPLETED, ProjectStage.IN_PRODUCTION],
        completion_date__gte=year_start(cut_off),
        completion_date__lte=cut_off,
    )


def production_q(cut_off: date) -> Q:
    """Return the projects completed in the year and now in production (投产)."""
    return completed_q(cut_off) & Q(stage=ProjectStage.IN_PRODUCTION)


def carried_out_projects(park_ids: Iterable[int], cut_off: date) -> QuerySet[Project]:
    """Return the parks' projects carried out (实施) in the year: started by `cut_off` and
    not completed before the year, each with its completed investment of the year.

    `completed` and `government` are the year-to-date figures of the latest progress
    report up to the cut-off (a project completed in June reports no more after it);
    `year_status` is 新开工 or 续建.
    """
    latest = ProjectProgress.objects.filter(
        project=OuterRef("pk"), year=cut_off.year, month__lte=cut_off.month
    ).order_by("-month")
    return (
        Project.objects.filter(park_id__in=park_ids, start_date__lte=cut_off)
        .filter(Q(completion_date__isnull=True) | Q(completion_date__gte=year_start(cut_off)))
        .annotate(
            completed=Subquery(latest.values("completed_investment")[:1]),
            government=Subquery(latest.values("government_investment")[:1]),
            year_status=year_status_case(cut_off),
        )
    )


def stage_then(cut_off: date) -> Coalesce:
    """Return the expression of a project's stage as it stood at the end of `cut_off`.

    The stage its change history records by then; before its first record (a project
    imported later), the stage its dates tell: completed (竣工, or 投产 if it is in
    production now) once its completion date has passed, under construction (在建) once
    it has started, at most 前期手续 before its start date; without dates, its stage now.
    """
    end = timezone.make_aware(datetime.combine(cut_off + timedelta(days=1), time.min))
    recorded = (
        Project.history.filter(id=OuterRef("pk"), history_date__lt=end)
        .order_by("-history_date", "-history_id")
        .values("stage")[:1]
    )
    before_start = [ProjectStage.PLANNING, ProjectStage.SIGNED, ProjectStage.PREPARATION]
    derived = Case(
        When(
            completion_date__lte=cut_off,
            then=Case(
                When(stage=ProjectStage.IN_PRODUCTION, then=Value(ProjectStage.IN_PRODUCTION)),
                default=Value(ProjectStage.COMPLETED),
            ),
        ),
        When(start_date__lte=cut_off, then=Value(ProjectStage.UNDER_CONSTRUCTION)),
        When(
            Q(start_date__gt=cut_off) & ~Q(stage__in=before_start),
            then=Value(ProjectStage.PREPARATION),
        ),
        default=F("stage"),
        output_field=CharField(),
    )
    return Coalesce(Subquery(recorded), derived, output_field=CharField())


def projects_by_stage(park_ids: Iterable[int], cut_off: date) -> dict[str, dict]:
    """Return each stage, as projects stood at `cut_off` (stage_then), → {"n": how many
    projects, "total": their total investment}."""
    return {
        row["stage_then"]: row
        for row in Project.objects.filter(park_id__in=park_ids)
        .annotate(stage_then=stage_then(cut_off))
        .values("stage_then")
        .annotate(n=Count("id"), total=Coalesce(Sum("total_investment"), ZERO))
        .order_by()
    }


def key_projects_under_way(park_ids: Iterable[int], cut_off: date) -> QuerySet[Project]:
    """Return the key projects started by `cut_off` and not yet completed, each with its
    completed investment to date (`to_date`): every year's latest progress report added up.

    A progress report is year-to-date, so a year counts with its last report (this year's
    last by the cut-off). Key projects are a few dozen lines, read in one query.
    """
    reports = ProjectProgress.objects.filter(Q(year__lt=cut_off.year) | Q(month__lte=cut_off.month))
    later = reports.filter(
        project=OuterRef("project"), year=OuterRef("year"), month__gt=OuterRef("month")
    )
    to_date = (
        reports.filter(project=OuterRef("pk"), year__lte=cut_off.year)
        .filter(~Exists(later))
        .order_by()
        .values("project")
        .annotate(total=Sum("completed_investment"))
        .values("total")
    )
    return (
        Project.objects.filter(
            park_id__in=park_ids, start_date__lte=cut_off, stage__in=UNDER_WAY_STAGES
        )
        .exclude(key_level="")
        .annotate(
            to_date=Coalesce(
                Subquery(to_date, output_field=DecimalField(max_digits=20, decimal_places=4)),
                ZERO,
            )
        )
        .select_related("park")
        .order_by("park__sort_order", "park__code", "code")
    )


def bond_receipts(park_ids: Iterable[int], year: int) -> QuerySet[SpecialBond]:
    """Return the special-purpose bond money the parks' projects received up to `year`."""
    return SpecialBond.objects.filter(project__park_id__in=park_ids, year__lte=year)


def bond_lines(park_ids: Iterable[int], year: int) -> QuerySet:
    """Return one line per project with bonds: received in `year` and up to it."""
    return (
        bond_receipts(park_ids, year)
        .values("project_id", "project__code", "project__name", "project__park__name")
        .annotate(
            this_year=Coalesce(Sum("amount", filter=Q(year=year)), ZERO),
            total=Sum("amount"),
        )
        .order_by("project__park__sort_order", "project__park__code", "project__code")
    )


def enterprise_projects(enterprise, year: int) -> QuerySet[Project]:
    """Return the enterprise's projects, each with its latest completed investment of `year`
    (`completed`) and the month of that report (`completed_month`)."""
    latest = ProjectProgress.objects.filter(project=OuterRef("pk"), year=year).order_by("-month")
    return (
        Project.objects.filter(enterprise=enterprise)
        .annotate(
            completed=Subquery(latest.values("completed_investment")[:1]),
            completed_month=Subquery(latest.values("month")[:1]),
        )
        .order_by("-start_date", "code")
    )
