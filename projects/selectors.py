"""Reads of projects for the pages that compose them: the projects carried out in a year,
the bonds they received, the key projects under way, an enterprise's projects.

A period is the year up to `cut_off`, the last day of a month: from 1 January of
cut_off's year to cut_off. Each read returns a ready queryset with its own annotations.
"""

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
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
from django.db.models.lookups import LessThan
from django.utils import timezone

from indicators.domain import time_progress
from parkportal.models import Park

from .choices import KeyLevel, Light, ProjectCategory, ProjectStage, YearStatus
from .domain import (
    LightThresholds,
    LightVerdict,
    OverdueMilestone,
    funding_gap,
    project_light,
)
from .models import (
    LandPlot,
    Milestone,
    Project,
    ProjectIssue,
    ProjectPlan,
    ProjectProgress,
    SpecialBond,
)

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


def carried_out_q(cut_off: date) -> Q:
    """Return the projects carried out (实施) in cut_off's year: started by `cut_off` (新开工
    or 续建, projects.domain.year_status) and not completed before the year."""
    return Q(start_date__lte=cut_off) & (
        Q(completion_date__isnull=True) | Q(completion_date__gte=year_start(cut_off))
    )


def carried_out_projects(park_ids: Iterable[int], cut_off: date) -> QuerySet[Project]:
    """Return the parks' projects carried out (实施) in the year: started by `cut_off` and
    not completed before the year, each with its completed investment of the year.

    `completed` and `government` are the year-to-date figures of the latest progress
    report up to the cut-off (a project completed in June reports no more after it);
    `year_status` is 新开工 or 续建.
    """
    latest = (
        ProjectProgress.objects.official()
        .filter(project=OuterRef("pk"), year=cut_off.year, month__lte=cut_off.month)
        .order_by("-month")
    )
    return (
        Project.objects.filter(park_id__in=park_ids)
        .filter(carried_out_q(cut_off))
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
    reports = ProjectProgress.objects.official().filter(
        Q(year__lt=cut_off.year) | Q(month__lte=cut_off.month)
    )
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
    latest = (
        ProjectProgress.objects.official()
        .filter(project=OuterRef("pk"), year=year)
        .order_by("-month")
    )
    return (
        Project.objects.filter(enterprise=enterprise)
        .annotate(
            completed=Subquery(latest.values("completed_investment")[:1]),
            completed_month=Subquery(latest.values("month")[:1]),
        )
        .order_by("-start_date", "code")
    )


# ---------------------------------------------------------------- the project list and page


def light_thresholds() -> LightThresholds:
    """Return the lights' thresholds as settings.PROJECT_LIGHTS sets them."""
    given = getattr(settings, "PROJECT_LIGHTS", {})
    return LightThresholds(
        milestone_red_days=int(given.get("milestone_red_days", 90)),
        lag_yellow_points=Decimal(str(given.get("lag_yellow_points", 10))),
        lag_red_points=Decimal(str(given.get("lag_red_points", 30))),
        start_red_months=int(given.get("start_red_months", 3)),
    )


def light_month(today: date) -> tuple[int, int]:
    """Return the year and month whose progress the lights judge: the last month ended."""
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def with_light_facts(projects: QuerySet[Project], today: date) -> QuerySet[Project]:
    """Annotate each project with what its light needs, in the same query: the year's
    plan (`planned`), its latest year-to-date progress by the judged month (`completed`),
    its overdue open milestones (`overdue_count`, the earliest's `overdue_since` and
    `overdue_name`) and its open issues (`open_issues`)."""
    year, month = light_month(today)
    overdue = Milestone.objects.filter(
        project=OuterRef("pk"), actual_date__isnull=True, planned_date__lt=today
    )
    open_issues = ProjectIssue.objects.filter(project=OuterRef("pk"), solved_on__isnull=True)
    return projects.annotate(
        planned=Subquery(
            ProjectPlan.objects.filter(project=OuterRef("pk"), year=year).values(
                "planned_investment"
            )[:1]
        ),
        completed=Subquery(
            ProjectProgress.objects.official()
            .filter(project=OuterRef("pk"), year=year, month__lte=month)
            .order_by("-month")
            .values("completed_investment")[:1]
        ),
        overdue_count=_count(overdue),
        overdue_since=Subquery(overdue.order_by("planned_date", "name").values("planned_date")[:1]),
        overdue_name=Subquery(overdue.order_by("planned_date", "name").values("name")[:1]),
        open_issues=_count(open_issues),
    )


def _count(related: QuerySet) -> Coalesce:
    counted = related.order_by().values("project").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def may_be_lit(today: date, thresholds: LightThresholds) -> Q:
    """Return a condition on projects annotated by `with_light_facts` that holds for every
    project whose light (verdict_of) may be yellow or red on `today`: it only narrows the
    candidates, verdict_of still decides. A project lights up only by an overdue open
    milestone, by a plan it lags behind by at least `lag_yellow_points` (with a point to
    spare for the rounding of its progress), or by a planned start passed unstarted."""
    month = light_month(today)[1]
    bound = time_progress(month) - thresholds.lag_yellow_points + 1
    overdue = Milestone.objects.filter(
        project=OuterRef("pk"), actual_date__isnull=True, planned_date__lt=today
    )
    # A plan of the year first, so that the progress is read only for the projects with one;
    # no report counts as nothing done.
    planned = ProjectPlan.objects.filter(
        project=OuterRef("pk"), year=light_month(today)[0], planned_investment__gt=0
    )
    lagging = Exists(planned) & LessThan(
        Coalesce(F("completed"), Value(ZERO)),
        ExpressionWrapper(F("planned") * bound / 100, DecimalField()),
    )
    return Exists(overdue) | lagging | Q(start_date__isnull=True, planned_start_date__lt=today)


def verdict_of(project, today: date, thresholds: LightThresholds) -> LightVerdict | None:
    """Return the light of a project annotated by `with_light_facts`; None when it is not
    under way (completed or in production)."""
    if project.stage not in UNDER_WAY_STAGES:
        return None
    overdue = None
    if project.overdue_count:
        overdue = OverdueMilestone(
            project.overdue_name, project.overdue_since, project.overdue_count
        )
    return project_light(
        today=today,
        overdue=overdue,
        planned_start=project.planned_start_date,
        started_on=project.start_date,
        planned=project.planned,
        completed=project.completed,
        month=light_month(today)[1],
        thresholds=thresholds,
    )


@dataclass(frozen=True)
class ProjectFilters:
    """What a reader asks the project list for (projects.forms.ProjectListForm)."""

    text: str = ""
    park: Park | None = None  # a park, or a zone: its parks' projects
    category: str = ""
    stage: str = ""
    key_level: str = ""  # a KeyLevel, ANY_KEY (any key level) or ""
    year: int | None = None  # with year_status: 新开工 / 续建 in that year
    year_status: str = ""
    light: str = ""
    sort: str = "park"


ANY_KEY = "any"
SORTS = {
    "park": lambda row: (row.project.park_sort_order, row.project.park_code, row.project.code),
    "code": lambda row: row.project.code,
    "name": lambda row: row.project.name,
    "investment": lambda row: row.project.total_investment,
    "light": lambda row: (LIGHT_RANK.get(row.light, -1), row.project.code),
    "start": lambda row: (row.project.start_date or date.max, row.project.code),
}
LIGHT_RANK = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


LIST_FIELDS = (
    "pk",
    "code",
    "name",
    "park__name",
    "park__code",
    "park__sort_order",
    "category",
    "stage",
    "key_level",
    "total_investment",
    "start_date",
    "planned_start_date",
)
LIGHT_FACTS = (
    "planned",
    "completed",
    "overdue_count",
    "overdue_since",
    "overdue_name",
    "open_issues",
)


class ListedProject:
    """A project as the list reads it: plain values, no model instance (2,000 of them are
    read at once to compute and filter the lights)."""

    __slots__ = (*(name.replace("__", "_") for name in LIST_FIELDS), *LIGHT_FACTS)

    CATEGORY = dict(ProjectCategory.choices)
    STAGE = dict(ProjectStage.choices)
    KEY_LEVEL = dict(KeyLevel.choices)

    def __init__(self, values: dict):
        for name, value in values.items():
            setattr(self, name.replace("__", "_"), value)

    @property
    def category_label(self) -> str:
        return self.CATEGORY.get(self.category, "")

    @property
    def stage_label(self) -> str:
        return self.STAGE.get(self.stage, "")

    @property
    def key_level_label(self) -> str:
        return self.KEY_LEVEL.get(self.key_level, "")


@dataclass(frozen=True)
class ProjectRow:
    """A project of the list with its light and the reasons for it."""

    project: ListedProject
    verdict: LightVerdict | None

    @property
    def light(self) -> Light | None:
        return None if self.verdict is None else self.verdict.light


def project_list(user, filters: ProjectFilters, today: date) -> list[ProjectRow]:
    """Return the projects `user` may read that match `filters`, each with its light,
    sorted. One query, however many projects: the lights' facts are subqueries."""
    projects = Project.objects.visible_to(user)
    if filters.park is not None:
        projects = projects.filter(Q(park=filters.park) | Q(park__parent=filters.park))
    if filters.text:
        projects = projects.filter(
            Q(name__icontains=filters.text)
            | Q(code__icontains=filters.text)
            | Q(enterprise__name__icontains=filters.text)
            | Q(official_in_charge__icontains=filters.text)
        )
    for field in ("category", "stage"):
        if getattr(filters, field):
            projects = projects.filter(**{field: getattr(filters, field)})
    if filters.key_level == ANY_KEY:
        projects = projects.exclude(key_level="")
    elif filters.key_level:
        projects = projects.filter(key_level=filters.key_level)
    if filters.year_status and filters.year:
        begins = date(filters.year, 1, 1)
        if filters.year_status == YearStatus.NEW:
            projects = projects.filter(start_date__year=filters.year)
        else:
            projects = projects.filter(start_date__lt=begins).filter(
                Q(completion_date__isnull=True) | Q(completion_date__gte=begins)
            )
    thresholds = light_thresholds()
    listed = with_light_facts(projects, today).values(*LIST_FIELDS, *LIGHT_FACTS)
    rows = []
    for values in listed:
        project = ListedProject(values)
        rows.append(ProjectRow(project, verdict_of(project, today, thresholds)))
    if filters.light:
        rows = [row for row in rows if row.light == filters.light]
    key = filters.sort.lstrip("-")
    rows.sort(key=SORTS.get(key, SORTS["park"]), reverse=filters.sort.startswith("-"))
    return rows


@dataclass(frozen=True)
class Funding:
    """A project's money: budget, what is secured, the gap (资金缺口)."""

    budget: Decimal | None
    bonds_received: Decimal
    other_secured: Decimal
    social_investment: Decimal
    gap: Decimal | None


def completed_to_date(project: Project, year: int | None = None) -> tuple[Decimal, Decimal]:
    """Return a project's completed and social-capital investment to date: every year's
    latest year-to-date report added up (up to `year`, when given)."""
    reports = ProjectProgress.objects.official().filter(project=project)
    if year is not None:
        reports = reports.filter(year__lte=year)
    latest = {}
    for report in reports.order_by("year", "month"):
        latest[report.year] = report
    completed = sum((r.completed_investment for r in latest.values()), ZERO)
    social = sum((r.social_investment for r in latest.values()), ZERO)
    return completed, social


def project_funding(project: Project) -> Funding:
    """Return a project's budget, bonds received to date, other secured funding, social
    capital invested to date and the funding gap (projects.domain.funding_gap)."""
    bonds = project.bonds.aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]
    other = project.financings.aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]
    _, social = completed_to_date(project)
    return Funding(
        project.budget, bonds, other, social, funding_gap(project.budget, bonds, other, social)
    )


# ---------------------------------------------------------------- money and land of a year


@dataclass(frozen=True)
class BudgetLine:
    """A project with an approved budget: what is secured and what is missing."""

    code: str
    name: str
    budget: Decimal
    bonds: Decimal  # received to date
    financing: Decimal  # other secured funding to date
    social: Decimal  # completed social-capital investment to date
    gap: Decimal


@dataclass(frozen=True)
class Tally:
    """A count and an amount of one kind (a way of supplying land, of financing …)."""

    label: str
    count: int
    amount: Decimal
    area: Decimal = ZERO

    @property
    def price_per_mu(self) -> Decimal | None:
        """Return the average price per mu (amount / area), 4 decimals; None without area."""
        if not self.area:
            return None
        return (self.amount / self.area).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class MoneyAndLand:
    """A year's budgets, bonds applied for, funding gap, land supplied, financing arranged,
    scheduling meetings held and projects by light, up to a cut-off day."""

    budgets: list[BudgetLine]
    gap: Decimal  # of the projects with a budget
    bonds_applied: Decimal  # in the year's quota
    bonds_applied_next_year: Decimal
    land: list[Tally]  # by way of supply, dealt in the year
    financing: list[Tally]  # by way, arrived in the year
    meetings: int  # scheduling meetings held in the year (旬调度, 专题调度)
    lights: dict[str, int]  # light label → projects under way

    @property
    def is_empty(self) -> bool:
        """Return whether the year holds none of these records (lights aside)."""
        return not (
            self.budgets
            or self.bonds_applied
            or self.bonds_applied_next_year
            or self.land
            or self.financing
            or self.meetings
        )

    @property
    def land_total(self) -> Tally:
        return Tally(
            "合计",
            sum(t.count for t in self.land),
            sum((t.amount for t in self.land), ZERO),
            sum((t.area for t in self.land), ZERO),
        )

    @property
    def financing_total(self) -> Decimal:
        return sum((t.amount for t in self.financing), ZERO)


def money_and_land(park_ids: Iterable[int], cut_off: date) -> MoneyAndLand:
    """Return the money and land of the parks' projects in cut_off's year up to cut_off."""
    from .choices import FinancingWay, MeetingKind, SupplyWay
    from .models import Financing, LandPlot, Meeting

    park_ids = list(park_ids)
    year = cut_off.year
    start = year_start(cut_off)
    financed = (
        Financing.objects.filter(project=OuterRef("pk"), received_on__lte=cut_off)
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    budgeted = list(
        Project.objects.filter(park_id__in=park_ids, budget__isnull=False)
        .annotate(
            bonds_to_date=Coalesce(Sum("bonds__amount", filter=Q(bonds__year__lte=year)), ZERO),
            financed=Coalesce(Subquery(financed), ZERO),
        )
        .order_by("code")
    )
    latest: dict[tuple[int, int], ProjectProgress] = {}
    for report in (
        ProjectProgress.objects.official()
        .filter(project__in=budgeted)
        .filter(Q(year__lt=year) | Q(year=year, month__lte=cut_off.month))
        .order_by("project_id", "year", "month")
    ):
        latest[report.project_id, report.year] = report
    social: dict[int, Decimal] = {}
    for (project_id, _), report in latest.items():
        social[project_id] = social.get(project_id, ZERO) + report.social_investment
    budgets = []
    for project in budgeted:
        parts = (
            project.bonds_to_date,
            project.financed,
            social.get(project.pk, ZERO),
        )
        budgets.append(
            BudgetLine(
                project.code,
                project.name,
                project.budget,
                *parts,
                funding_gap(project.budget, *parts),
            )
        )
    bonds = SpecialBond.objects.filter(project__park_id__in=park_ids).aggregate(
        this_year=Coalesce(Sum("applied", filter=Q(year=year)), ZERO),
        next_year=Coalesce(Sum("applied", filter=Q(year=year + 1)), ZERO),
    )
    ways = dict(SupplyWay.choices)
    land = [
        Tally(ways[row["way"]], row["n"], row["amount"], row["area"])
        for row in LandPlot.objects.filter(
            park_id__in=park_ids, dealt_on__gte=start, dealt_on__lte=cut_off
        )
        .values("way")
        .annotate(
            n=Count("pk"),
            area=Sum("area_mu"),
            amount=Coalesce(
                Sum(F("area_mu") * F("price_per_mu")), ZERO, output_field=DecimalField()
            ),
        )
        .order_by("way")
    ]
    financing_ways = dict(FinancingWay.choices)
    financing = [
        Tally(financing_ways[row["way"]], row["n"], row["amount"])
        for row in Financing.objects.filter(received_on__gte=start, received_on__lte=cut_off)
        .filter(
            Q(project__park_id__in=park_ids)
            | Q(project__isnull=True, enterprise__park_id__in=park_ids)
        )
        .values("way")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by("way")
    ]
    meetings = Meeting.objects.filter(
        kind__in=[MeetingKind.TEN_DAY, MeetingKind.SPECIAL],
        held_on__gte=start,
        held_on__lte=cut_off,
    ).count()
    # Lights as they stood when the cut-off month ended: judged on the next day.
    thresholds, day_after = light_thresholds(), cut_off + timedelta(days=1)
    lights: dict[str, int] = {}
    for project in with_light_facts(
        Project.objects.filter(park_id__in=park_ids, stage__in=UNDER_WAY_STAGES), day_after
    ):
        verdict = verdict_of(project, day_after, thresholds)
        lights[verdict.light.label] = lights.get(verdict.light.label, 0) + 1
    return MoneyAndLand(
        budgets=budgets,
        gap=sum((line.gap for line in budgets), ZERO),
        bonds_applied=bonds["this_year"],
        bonds_applied_next_year=bonds["next_year"],
        land=land,
        financing=financing,
        meetings=meetings,
        lights={label: lights[label] for _, label in Light.choices if label in lights},
    )


def enterprise_land(enterprise) -> QuerySet[LandPlot]:
    """Return the plots supplied to an enterprise, in the order they were dealt."""
    return LandPlot.objects.filter(enterprise=enterprise).order_by("dealt_on", "code")


# ---------------------------------------------------------------- a park-month's progress grid


def month_end(year: int, month: int) -> date:
    """Return the last day of a month."""
    return date(year, month, monthrange(year, month)[1])


def progress_projects_q(year: int, month: int) -> Q:
    """Return the projects whose progress a park enters for `year`-`month`: those carried
    out in the year by the month's end (新开工 or 续建, carried_out_q), and any project with
    a plan or a progress report for the year."""
    planned = Exists(ProjectPlan.objects.filter(project=OuterRef("pk"), year=year))
    reported = Exists(ProjectProgress.objects.filter(project=OuterRef("pk"), year=year))
    return carried_out_q(month_end(year, month)) | Q(planned) | Q(reported)


@dataclass
class ProgressLine:
    """A project's row of a park-month's progress grid: the year's plan, last month's and
    this month's 本年累计 (None: not reported), and the next month reported after it."""

    project: Project
    planned: Decimal | None
    previous: Decimal | None  # the latest earlier month's 本年累计 of the year
    previous_month: int | None
    completed: Decimal | None
    government: Decimal | None
    following: Decimal | None  # the earliest later month's 本年累计 of the year
    following_month: int | None
    first_month: bool = False  # January: the year starts anew
    # what the page shows again after a refused save
    typed: dict[str, str] | None = None
    errors: dict[str, str] | None = None
    conflict: bool = False

    @property
    def reported(self) -> bool:
        return self.completed is not None

    @property
    def own(self) -> Decimal | None:
        """Return the month's own completed investment (本月完成): this month's 本年累计
        less the previous month's; January's is its 本年累计; None when not known."""
        if self.completed is None:
            return None
        if self.first_month:
            return self.completed
        if self.previous is None:
            return None
        return self.completed - self.previous

    def shown(self, column: str) -> str:
        """Return the stored figure of `column` ("completed", "government") as the input
        shows it: plain digits, no separators; "" when none."""
        return plain(getattr(self, column))

    def value(self, column: str) -> str:
        """Return what the input holds: what was typed, after a refused save; else stored."""
        if self.typed is not None:
            return self.typed.get(column, "")
        return self.shown(column)

    @property
    def completed_shown(self) -> str:
        return self.shown("completed")

    @property
    def government_shown(self) -> str:
        return self.shown("government")

    @property
    def completed_value(self) -> str:
        return self.value("completed")

    @property
    def government_value(self) -> str:
        return self.value("government")

    @property
    def completed_error(self) -> str:
        return (self.errors or {}).get("completed", "")

    @property
    def government_error(self) -> str:
        return (self.errors or {}).get("government", "")


def plain(value: Decimal | None) -> str:
    """Return a stored figure as an input holds it: "12000", "2000.5"; "" for none."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def progress_lines(park: Park, year: int, month: int, *, drafts: bool) -> list[ProgressLine]:
    """Return the park's projects under way in `year`-`month` (progress_projects_q), each
    with its year's plan and its progress of the month and around it, in one query.

    With `drafts` every stored report is read (those who enter the park's progress);
    without, only official ones (ProjectProgress.objects.official)."""
    reports = ProjectProgress.objects.all() if drafts else ProjectProgress.objects.official()
    of_project = reports.filter(project=OuterRef("pk"), year=year)
    this = of_project.filter(month=month)
    before = of_project.filter(month__lt=month).order_by("-month")
    after = of_project.filter(month__gt=month).order_by("month")
    projects = (
        Project.objects.filter(park=park)
        .filter(progress_projects_q(year, month))
        .annotate(
            planned=Subquery(
                ProjectPlan.objects.filter(project=OuterRef("pk"), year=year).values(
                    "planned_investment"
                )[:1]
            ),
            completed=Subquery(this.values("completed_investment")[:1]),
            government=Subquery(this.values("government_investment")[:1]),
            previous=Subquery(before.values("completed_investment")[:1]),
            previous_month=Subquery(before.values("month")[:1]),
            following=Subquery(after.values("completed_investment")[:1]),
            following_month=Subquery(after.values("month")[:1]),
        )
        .order_by("code")
    )
    return [
        ProgressLine(
            project=project,
            planned=project.planned,
            previous=project.previous,
            previous_month=project.previous_month,
            completed=project.completed,
            government=project.government,
            following=project.following,
            following_month=project.following_month,
            first_month=month == 1,
        )
        for project in projects
    ]


def progress_summary(park: Park, year: int, month: int) -> tuple[int, list[str]]:
    """Return how many of the park's projects are under way in the month (the progress
    grid's rows) and the names of those with no progress entered for it. One query."""
    entered = ProjectProgress.objects.filter(project=OuterRef("pk"), year=year, month=month)
    rows = list(
        Project.objects.filter(park=park)
        .filter(progress_projects_q(year, month))
        .annotate(entered=Exists(entered))
        .order_by("code")
        .values_list("name", "entered")
    )
    return len(rows), [name for name, entered in rows if not entered]
