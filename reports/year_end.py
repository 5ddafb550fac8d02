"""The year-end summary (年度建设发展情况总结, section 一), built from the data.

`year_end_report()` runs a fixed number of queries whatever the size of the zone:
every total is a GROUP BY in the database, and the result is plain frozen
dataclasses of Decimals that the HTML, xlsx and docx writers render alike. The
querysets behind each figure are defined here once; the drill-down of a figure
(`reports.year_end_rows`) lists the rows of the same querysets.

Rules (see docs/domain.md):
- Indicators add up the statistical (入统) enterprises' official figures of the cut-off
  month (their park's month is submitted or approved, indicators.official): the
  year-to-date cumulative of a flow, the month's headcount of a stock. Growth is on the
  comparable scope (enterprises with an official figure in both years).
- A report opens on the latest month that every park has counted; a month that not
  every park has counted says which parks have not reported.
- A project is carried out (实施) in the year when it started by the cut-off and was
  not completed before the year; 新开工 or 续建 follows from its start date.
- Lead stages are read as they stood at the cut-off, from the stage history.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from indicators.choices import TargetKind
from indicators.domain import (
    ComparableGrowth,
    completion_rate,
    growth_rate,
    percentage_point_change,
    time_progress,
)
from indicators.models import Indicator, MonthlyValue, Target
from indicators.official import (
    Period,
    ReportingProgress,
    official_periods,
    reporting_progress,
)
from indicators.official import default_period as official_default_period
from investment.choices import AssetType, Channel, EventKind, LeadStage
from investment.models import Lead, LeadStageChange, OutreachEvent
from parkportal.choices import EnterpriseStatus, ParkKind, ScaleCategory
from parkportal.domain import shares
from parkportal.models import Enterprise, Park
from projects.choices import KeyLevel, ProjectCategory, ProjectStage, YearStatus
from projects.models import Project, ProjectProgress, SpecialBond

ZERO = Decimal(0)
# Money is stored with 4 decimals; SQLite adds it up in floating point, so every sum is
# brought back to the stored precision (exact on PostgreSQL, where it changes nothing).
STORED_PLACES = Decimal("0.0001")
# Up to this many projects or leads of a group are named in the narrative; more are
# left to the tables.
NAMES_IN_TEXT = 5


# --- What the report covers ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPeriod:
    """A report year and its cut-off month: the figures of months 1..month."""

    year: int
    month: int

    @property
    def label(self) -> str:
        """Return the months as the documents write them: "1-10月", or "1月"."""
        return months_label(self.month)

    @property
    def previous_label(self) -> str | None:
        """Return the previous cut-off's months ("1-9月"), or None in January."""
        return months_label(self.month - 1) if self.month > 1 else None

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def cut_off(self) -> date:
        """Return the last day of the cut-off month."""
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def months(self) -> list[int]:
        """Return the cut-off month and, when there is one, the month before it."""
        return [self.month, self.month - 1] if self.month > 1 else [self.month]


def months_label(month: int) -> str:
    return "1月" if month == 1 else f"1-{month}月"


@dataclass(frozen=True)
class ReportScope:
    """A zone (with its parks) or one park: whose enterprises, projects and leads count."""

    park: Park
    parks: tuple[Park, ...]  # a zone's parks, then the zone itself (its own 本级 register)
    unassigned_leads: bool  # leads without an intended park belong to this (the only) zone

    @property
    def is_zone(self) -> bool:
        return self.park.kind == ParkKind.ZONE

    @property
    def park_ids(self) -> list[int]:
        return [park.pk for park in self.parks]


def report_scope(park: Park) -> ReportScope:
    """Return the scope of a report on `park`: a zone covers its parks and itself."""
    if park.kind != ParkKind.ZONE:
        return ReportScope(park=park, parks=(park,), unassigned_leads=False)
    children = tuple(Park.objects.filter(parent=park).order_by("sort_order", "code"))
    # A lead without an intended park can only be told to belong to a zone when the
    # portal holds a single zone; with several it belongs to none of them.
    alone = not Park.objects.filter(kind=ParkKind.ZONE).exclude(pk=park.pk).exists()
    return ReportScope(park=park, parks=(*children, park), unassigned_leads=alone)


def default_period(scope: ReportScope, year: int | None = None) -> ReportPeriod | None:
    """Return the period a report of the scope opens on (in `year` if given): the latest
    month that every park has counted, else the latest that any has; None when none has."""
    latest = official_default_period(scope.parks, year)
    return ReportPeriod(*latest) if latest else None


def stored(value: Decimal | None) -> Decimal | None:
    """Return a sum read from the database at the precision its figures are stored with."""
    return None if value is None else value.quantize(STORED_PLACES)


# --- The querysets behind the figures -----------------------------------------------------------


def register(scope: ReportScope) -> QuerySet[Enterprise]:
    """Return the scope's registered enterprises, deregistered (注销) ones left out."""
    return Enterprise.objects.filter(park_id__in=scope.park_ids).exclude(
        status=EnterpriseStatus.DEREGISTERED
    )


def statistical_figures(scope: ReportScope) -> QuerySet[MonthlyValue]:
    """Return the monthly figures that totals add up: the statistical enterprises' own."""
    return MonthlyValue.objects.filter(
        enterprise__park_id__in=scope.park_ids, enterprise__in_statistics=True
    )


def figure_of(year: int, month: int, indicator=None, enterprise=None) -> QuerySet:
    """Return the value of one official figure of the outer row's enterprise (and indicator)."""
    return (
        MonthlyValue.objects.official()
        .filter(
            enterprise=enterprise if enterprise is not None else OuterRef("pk"),
            indicator=indicator if indicator is not None else OuterRef("indicator"),
            year=year,
            month=month,
        )
        .values("value")[:1]
    )


def year_status_case(period: ReportPeriod) -> Case:
    """Return projects.domain.year_status as SQL, for carried-out projects (started by then)."""
    return Case(
        When(start_date__gte=period.start, then=Value(YearStatus.NEW.value)),
        default=Value(YearStatus.CONTINUING.value),
        output_field=CharField(),
    )


def completed_q(period: ReportPeriod) -> Q:
    """Return the projects completed (竣工) in the year by the cut-off."""
    return Q(
        stage__in=[ProjectStage.COMPLETED, ProjectStage.IN_PRODUCTION],
        completion_date__gte=period.start,
        completion_date__lte=period.cut_off,
    )


def production_q(period: ReportPeriod) -> Q:
    """Return the projects completed in the year and now in production (投产)."""
    return completed_q(period) & Q(stage=ProjectStage.IN_PRODUCTION)


def carried_out_projects(scope: ReportScope, period: ReportPeriod) -> QuerySet[Project]:
    """Return the projects carried out in the year, with their completed investment of it.

    `completed` and `government` are the year-to-date figures of the latest progress
    report up to the cut-off (a project completed in June reports no more after it);
    `year_status` is 新开工 or 续建.
    """
    latest = ProjectProgress.objects.filter(
        project=OuterRef("pk"), year=period.year, month__lte=period.month
    ).order_by("-month")
    return (
        Project.objects.filter(park_id__in=scope.park_ids, start_date__lte=period.cut_off)
        .filter(Q(completion_date__isnull=True) | Q(completion_date__gte=period.start))
        .annotate(
            completed=Subquery(latest.values("completed_investment")[:1]),
            government=Subquery(latest.values("government_investment")[:1]),
            year_status=year_status_case(period),
        )
    )


def bond_receipts(scope: ReportScope, period: ReportPeriod) -> QuerySet[SpecialBond]:
    """Return the special-purpose bond money the scope's projects received up to the year."""
    return SpecialBond.objects.filter(project__park_id__in=scope.park_ids, year__lte=period.year)


def outreach_events(scope: ReportScope, period: ReportPeriod) -> QuerySet[OutreachEvent]:
    """Return the year's outreach events up to the cut-off; they belong to the zone only."""
    if not scope.is_zone:
        return OutreachEvent.objects.none()
    return OutreachEvent.objects.filter(date__gte=period.start, date__lte=period.cut_off)


def scope_leads(scope: ReportScope, period: ReportPeriod) -> QuerySet[Lead]:
    """Return the scope's leads, each with its stage as it stood at the cut-off."""
    in_scope = Q(park_id__in=scope.park_ids)
    if scope.unassigned_leads:
        in_scope |= Q(park__isnull=True)
    stage_then = (
        LeadStageChange.objects.filter(lead=OuterRef("pk"), changed_on__lte=period.cut_off)
        .order_by("-changed_on", "-id")
        .values("to_stage")[:1]
    )
    # A lead recorded without a history keeps its current stage.
    return Lead.objects.filter(in_scope, docked_on__lte=period.cut_off).annotate(
        stage_then=Coalesce(Subquery(stage_then), F("stage"))
    )


def docked_leads(scope: ReportScope, period: ReportPeriod) -> QuerySet[Lead]:
    """Return the leads docked (对接) in the year by the cut-off, whatever became of them."""
    return scope_leads(scope, period).filter(docked_on__gte=period.start)


def signed_leads(scope: ReportScope, period: ReportPeriod) -> QuerySet[Lead]:
    """Return the leads signed in the year by the cut-off and not dropped since."""
    return (
        scope_leads(scope, period)
        .filter(signed_on__gte=period.start, signed_on__lte=period.cut_off)
        .exclude(stage_then=LeadStage.DROPPED)
    )


def intended_leads(scope: ReportScope, period: ReportPeriod) -> QuerySet[Lead]:
    """Return the leads at the intention (意向) stage at the cut-off, docked in any year."""
    return scope_leads(scope, period).filter(stage_then=LeadStage.INTENTION)


# --- The report's data --------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFigures:
    """One indicator over months 1..N for the scope or a park, against last year and targets."""

    code: str
    name: str
    unit: str
    is_flow: bool
    current: Decimal | None  # this year's 1-N, all statistical enterprises; None: none reported
    last_year: Decimal | None  # last year's 1-N, all statistical enterprises
    reporters: int  # statistical enterprises with a figure this year
    growth: ComparableGrowth  # on the comparable scope
    previous_growth: ComparableGrowth | None  # at the previous cut-off (1-(N-1)月)
    point_change: Decimal | None  # growth's change against the previous cut-off, in points
    last_year_full: Decimal | None  # last year's 1-12, for the forecast's growth
    target: Decimal | None
    forecast: Decimal | None
    completion: Decimal | None  # current / target, in %
    forecast_growth: Decimal | None  # forecast / last year's 1-12, in %


@dataclass(frozen=True)
class ParkIndicators:
    """A park's indicators, for the by-park table of a zone's report."""

    code: str
    name: str
    indicators: list[IndicatorFigures]


@dataclass(frozen=True)
class CategoryCount:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class EnterpriseFigures:
    """The register: statistical enterprises, above-scale by category, new this year."""

    registered: int
    statistical: int
    outside_statistics: int
    above_scale: int
    by_category: list[CategoryCount]
    new: int  # established this year by the cut-off
    new_statistical: int


@dataclass(frozen=True)
class ProjectGroup:
    """Projects of one status (and category): how many, their total and this year's investment."""

    key: str  # carried_out, new, continuing, completed, production
    label: str
    count: int
    total_investment: Decimal
    completed: Decimal  # completed investment this year (本年完成投资)
    government: Decimal


@dataclass(frozen=True)
class CategoryProjects:
    """The status groups of one project category, or of all (category "")."""

    category: str
    label: str
    groups: list[ProjectGroup]

    def group(self, key: str) -> ProjectGroup:
        return next(group for group in self.groups if group.key == key)


@dataclass(frozen=True)
class ProjectLine:
    """One project carried out in the year."""

    code: str
    name: str
    park: str
    category: str
    key_level: str
    year_status: str
    stage: str
    start_date: date | None
    completion_date: date | None
    total_investment: Decimal
    completed: Decimal | None  # None: no progress reported this year
    is_key: bool
    category_value: str
    status_value: str


@dataclass(frozen=True)
class ProjectFigures:
    total: CategoryProjects
    by_category: list[CategoryProjects]
    key_projects: list[ProjectLine]
    named: dict[tuple[str, str], list[ProjectLine]]  # (category, status) → the few named


@dataclass(frozen=True)
class FaiStructure:
    """Completed investment of the year split into government-financed and social capital."""

    total: Decimal
    government: Decimal
    social: Decimal
    government_share: Decimal | None
    social_share: Decimal | None


@dataclass(frozen=True)
class BondLine:
    code: str
    project: str
    park: str
    this_year: Decimal
    total: Decimal


@dataclass(frozen=True)
class BondFigures:
    lines: list[BondLine]
    this_year: Decimal
    total: Decimal


@dataclass(frozen=True)
class KindCount:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class EventLine:
    date: date
    name: str
    kind: str
    place: str
    leader: str
    leads_docked: int | None
    contracts_signed: int | None
    signed_amount: Decimal | None


@dataclass(frozen=True)
class EventFigures:
    count: int
    by_kind: list[KindCount]
    leads_docked: int
    contracts_signed: int
    signed_amount: Decimal
    lines: list[EventLine]


@dataclass(frozen=True)
class ChannelCount:
    value: str
    label: str
    count: int
    share: Decimal | None


@dataclass(frozen=True)
class LeadLine:
    code: str
    name: str
    investor: str
    channel: str
    park: str
    asset_type: str
    asset_value: str
    planned_investment: Decimal | None
    land_area_mu: Decimal | None
    docked_on: date
    signed_on: date | None
    stage: str  # as it stood at the cut-off


@dataclass(frozen=True)
class AssetGroup:
    value: str
    label: str
    count: int
    planned_investment: Decimal
    land_area_mu: Decimal


@dataclass(frozen=True)
class LeadFigures:
    docked: int
    by_channel: list[ChannelCount]
    signed: int
    signed_investment: Decimal
    signed_lines: list[LeadLine]
    intended: list[AssetGroup]
    intended_lines: list[LeadLine]


@dataclass(frozen=True)
class YearEndReport:
    """Everything the year-end summary shows, for one zone or park, year and cut-off month."""

    park_code: str
    park_name: str
    is_zone: bool
    period: ReportPeriod
    progress: ReportingProgress  # which parks have their cut-off month counted
    time_progress: Decimal
    has_figures: bool
    indicators: list[IndicatorFigures]
    by_park: list[ParkIndicators]
    enterprises: EnterpriseFigures
    projects: ProjectFigures
    fai: FaiStructure
    bonds: BondFigures
    events: EventFigures | None  # None in a park's report: events are the zone's
    leads: LeadFigures

    @property
    def title(self) -> str:
        return f"{self.park_name}{self.period.year}年{self.period.label}经济运行情况"

    @property
    def incomplete(self) -> str:
        """Return the line that says which parks have not reported the month, or ""."""
        return self.progress.notice


# --- Building -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSection:
    """The indicators of a scope: its totals and, for a zone, each park's line."""

    indicators: list[Indicator]
    totals: list[IndicatorFigures]
    by_park: list[ParkIndicators]
    has_figures: bool  # some statistical enterprise reported the cut-off month


def active_indicators() -> list[Indicator]:
    """Return the indicators in use, in the catalog's order."""
    return list(Indicator.objects.filter(is_active=True).order_by("sort_order", "code"))


def indicator_section(
    scope: ReportScope,
    period: ReportPeriod,
    indicators: list[Indicator] | None = None,
    sums: dict | None = None,
    counted: set[Period] | None = None,
) -> IndicatorSection:
    """Return the indicators of `scope` for `period` (with growth, targets and completion),
    in four queries: the catalog, the counted park-months, one GROUP BY of the figures
    and the targets.

    The year-end summary and the leaders' dashboard both show these figures; they pass
    the catalog, the counted park-months and the parks' sums they have read already.
    """
    if indicators is None:
        indicators = active_indicators()
    if sums is None:
        sums = indicator_sums(scope, period, indicators, counted=counted)
    targets = _targets(scope, period)
    by_park = [
        ParkIndicators(
            code=park.code,
            name=f"{park.name}（本级）" if park.kind == ParkKind.ZONE else park.name,
            indicators=[
                indicator_figures(indicator, period, sums[park.pk], targets.get(park.pk, {}))
                for indicator in indicators
            ],
        )
        for park in scope.parks
        # A zone's own line only when enterprises registered on the zone itself report.
        if park.kind == ParkKind.PARK or park.pk in sums
    ]
    totals = add_up(sums.values())
    scope_targets = targets.get(scope.park.pk) or _add_up_targets(targets.values())
    return IndicatorSection(
        indicators=indicators,
        totals=[
            indicator_figures(indicator, period, totals, scope_targets) for indicator in indicators
        ],
        by_park=by_park if scope.is_zone else [],
        has_figures=any(key[1:] == (period.year, period.month) for key in totals),
    )


def year_end_report(scope: ReportScope, period: ReportPeriod) -> YearEndReport:
    """Return the year-end summary of `scope` for `period`, in a fixed number of queries."""
    counted = official_periods(scope.park_ids, [period.year - 1, period.year])
    section = indicator_section(scope, period, counted=counted)
    projects = project_figures(scope, period)
    return YearEndReport(
        park_code=scope.park.code,
        park_name=scope.park.name,
        is_zone=scope.is_zone,
        period=period,
        progress=reporting_progress(scope.parks, period.year, period.month, counted=counted),
        time_progress=time_progress(period.month),
        has_figures=section.has_figures,
        indicators=section.totals,
        by_park=section.by_park,
        enterprises=enterprise_figures(scope, period),
        projects=projects,
        fai=_fai_structure(projects),
        bonds=_bond_figures(scope, period),
        events=_event_figures(scope, period) if scope.is_zone else None,
        leads=_lead_figures(scope, period),
    )


@dataclass(frozen=True)
class _Sums:
    """Figures of one indicator, park, year and month added up over statistical enterprises."""

    total: Decimal | None
    reporters: int
    comparable: Decimal | None  # over the enterprises with a figure in the other year too
    comparable_members: int

    def __add__(self, other: "_Sums") -> "_Sums":
        return _Sums(
            _plus(self.total, other.total),
            self.reporters + other.reporters,
            _plus(self.comparable, other.comparable),
            self.comparable_members + other.comparable_members,
        )


PARK = "enterprise__park_id"


def indicator_sums(
    scope: ReportScope,
    period: ReportPeriod,
    indicators: list[Indicator],
    *,
    by: str | tuple[str, ...] = PARK,
    months: list[int] | None = None,
    counted: set[Period] | None = None,
) -> dict:
    """Return park → (indicator, year, month) → sums of the official figures, in one
    GROUP BY query (and one more for the counted park-months, unless `counted` gives them).

    `by` groups by another field, or by several (the keys are then tuples of their
    values). The months read are the cut-off and the one before it, and last
    December too (for the forecast's growth); `months` narrows them to the given ones.

    Each figure is joined to the same enterprise's figure of the same month in the
    other year (a LEFT JOIN on the natural key), so the comparable scope's sums come
    out of the same pass as the totals. A join lets the database hash the few
    months it needs once, where a correlated EXISTS would probe the index per row.

    Only official figures count (docs/domain.md, "Official figures"): the query groups
    by park too, and a (park, year, month) group that does not count is dropped here;
    a comparable pair counts only when the other year's park-month counts as well.
    The few groups are dropped in Python rather than tested row by row in SQL.
    """
    fields = (by,) if isinstance(by, str) else by
    grouped = fields if PARK in fields else (PARK, *fields)
    year, last = period.year, period.year - 1
    if counted is None:
        counted = official_periods(scope.park_ids, [last, year])
    this_months = months or period.months
    months = months or [*period.months, 12]
    other = "enterprise__monthly_values"
    paired_with = FilteredRelation(
        other,
        condition=Q(
            **{
                f"{other}__indicator": F("indicator"),
                f"{other}__month": F("month"),
                f"{other}__year": Value(year + last) - F("year"),
                # Redundant with the lines above, but it tells the database which
                # few rows of the other side it needs (through the period index).
                f"{other}__indicator__in": indicators,
                f"{other}__year__in": [year, last],
                f"{other}__month__in": months,
            }
        ),
    )
    paired = Q(paired_with__id__isnull=False)
    rows = (
        statistical_figures(scope)
        .filter(indicator__in=indicators)
        # The plain IN lists are redundant with the OR below, but they let the
        # database read the period index by range instead of scanning each indicator.
        .filter(year__in=[last, year], month__in=sorted({*this_months, *months}))
        .filter(Q(year=year, month__in=this_months) | Q(year=last, month__in=months))
        .annotate(paired_with=paired_with)
        .values(*grouped, "indicator_id", "year", "month")
        .annotate(
            total=Sum("value"),
            reporters=Count("id"),
            comparable=Sum("value", filter=paired),
            comparable_members=Count("id", filter=paired),
        )
        .order_by()
    )
    sums: dict = defaultdict(dict)
    for row in rows:
        park, row_year, month = row[PARK], row["year"], row["month"]
        if (park, row_year, month) not in counted:
            continue
        pair_counts = (park, year + last - row_year, month) in counted
        line = _Sums(
            stored(row["total"]),
            row["reporters"],
            stored(row["comparable"]) if pair_counts else None,
            row["comparable_members"] if pair_counts else 0,
        )
        key = (row["indicator_id"], row_year, month)
        group = row[by] if isinstance(by, str) else tuple(row[field] for field in by)
        seen = sums[group].get(key)
        sums[group][key] = line if seen is None else seen + line
    return sums


def add_up(per_park) -> dict[tuple[int, int, int], _Sums]:
    """Return the scope's sums: the parks' (a handful of lines) added up."""
    totals: dict[tuple[int, int, int], _Sums] = {}
    for sums in per_park:
        for key, line in sums.items():
            totals[key] = line if key not in totals else totals[key] + line
    return totals


def _plus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None or b is None:
        return b if a is None else a
    return a + b


def _growth(sums, indicator_id: int, year: int, month: int) -> ComparableGrowth:
    """Return the comparable growth of months 1..month of `year` against the year before."""
    now = sums.get((indicator_id, year, month))
    then = sums.get((indicator_id, year - 1, month))
    members = now.comparable_members if now else 0
    current = (now.comparable if now else None) or ZERO
    base = (then.comparable if then else None) or ZERO
    return ComparableGrowth(
        current=current,
        base=base,
        members=members,
        rate=growth_rate(current, base) if members else None,
    )


def indicator_figures(
    indicator: Indicator, period: ReportPeriod, sums, targets: dict
) -> IndicatorFigures:
    year, month = period.year, period.month
    now = sums.get((indicator.pk, year, month))
    then = sums.get((indicator.pk, year - 1, month))
    full = sums.get((indicator.pk, year - 1, 12))
    growth = _growth(sums, indicator.pk, year, month)
    previous = _growth(sums, indicator.pk, year, month - 1) if month > 1 else None
    current = now.total if now else None
    target = targets.get((indicator.pk, TargetKind.TARGET))
    forecast = targets.get((indicator.pk, TargetKind.FORECAST))
    last_year_full = full.total if full else None
    return IndicatorFigures(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        is_flow=indicator.is_flow,
        current=current,
        last_year=then.total if then else None,
        reporters=now.reporters if now else 0,
        growth=growth,
        previous_growth=previous,
        point_change=percentage_point_change(growth.rate, previous.rate if previous else None),
        last_year_full=last_year_full,
        target=target,
        forecast=forecast,
        completion=completion_rate(current, target),
        forecast_growth=growth_rate(forecast, last_year_full),
    )


def _targets(scope: ReportScope, period: ReportPeriod) -> dict[int, dict]:
    """Return park → (indicator, kind) → the year's target or forecast."""
    targets: dict[int, dict] = defaultdict(dict)
    rows = Target.objects.filter(park_id__in=scope.park_ids, year=period.year).values_list(
        "park_id", "indicator_id", "kind", "value"
    )
    for park_id, indicator_id, kind, value in rows:
        targets[park_id][indicator_id, kind] = value
    return targets


def _add_up_targets(per_park) -> dict:
    """Return a zone's targets as its parks' sums, for a zone without targets of its own."""
    totals: dict = {}
    for targets in per_park:
        for key, value in targets.items():
            totals[key] = totals.get(key, ZERO) + value
    return totals


def enterprise_figures(scope: ReportScope, period: ReportPeriod) -> EnterpriseFigures:
    new = Q(established_on__gte=period.start, established_on__lte=period.cut_off)
    counts = register(scope).aggregate(
        registered=Count("id"),
        statistical=Count("id", filter=Q(in_statistics=True)),
        above_scale=Count("id", filter=~Q(scale_category="")),
        new=Count("id", filter=new),
        new_statistical=Count("id", filter=new & Q(in_statistics=True)),
        **{
            f"category_{category.value}": Count("id", filter=Q(scale_category=category.value))
            for category in ScaleCategory
        },
    )
    return EnterpriseFigures(
        registered=counts["registered"],
        statistical=counts["statistical"],
        outside_statistics=counts["registered"] - counts["statistical"],
        above_scale=counts["above_scale"],
        by_category=[
            CategoryCount(category.value, category.label, counts[f"category_{category.value}"])
            for category in ScaleCategory
        ],
        new=counts["new"],
        new_statistical=counts["new_statistical"],
    )


PROJECT_GROUPS = [
    # key, label
    ("carried_out", "本年实施项目"),
    (YearStatus.NEW.value, "其中：新开工"),
    (YearStatus.CONTINUING.value, "续建"),
    ("completed", "本年竣工"),
    ("production", "其中：投产"),
]


def project_group_q(key: str, period: ReportPeriod) -> Q:
    """Return the carried-out projects of a status group (for a `carried_out_projects` set)."""
    if key == "completed":
        return completed_q(period)
    if key == "production":
        return production_q(period)
    if key in (YearStatus.NEW, YearStatus.CONTINUING):
        return Q(year_status=key)
    return Q()


def project_figures(scope: ReportScope, period: ReportPeriod) -> ProjectFigures:
    projects = carried_out_projects(scope, period)
    measures = {}
    for key, _ in PROJECT_GROUPS:
        q = project_group_q(key, period)
        measures[f"{key}_count"] = Count("id", filter=q)
        measures[f"{key}_total"] = Coalesce(Sum("total_investment", filter=q), ZERO)
        measures[f"{key}_completed"] = Coalesce(Sum("completed", filter=q), ZERO)
        measures[f"{key}_government"] = Coalesce(Sum("government", filter=q), ZERO)
    rows = {
        row["category"]: {
            name: stored(value) if isinstance(value, Decimal) else value
            for name, value in row.items()
        }
        for row in projects.values("category").annotate(**measures).order_by()
    }

    def category(value: str, label: str, row_of) -> CategoryProjects:
        return CategoryProjects(
            category=value,
            label=label,
            groups=[
                ProjectGroup(
                    key=key,
                    label=group_label,
                    count=row_of(f"{key}_count", 0),
                    total_investment=row_of(f"{key}_total", ZERO),
                    completed=row_of(f"{key}_completed", ZERO),
                    government=row_of(f"{key}_government", ZERO),
                )
                for key, group_label in PROJECT_GROUPS
            ],
        )

    by_category = [
        category(
            choice.value,
            choice.label,
            lambda name, empty, v=choice.value: rows.get(v, {}).get(name, empty),
        )
        for choice in ProjectCategory
    ]
    # The categories are three lines: adding them up here keeps the total equal to them.
    total = category(
        "", "全部项目", lambda name, empty: sum((row[name] for row in rows.values()), empty)
    )
    # The narrative names the projects of a small group; the tables list the key ones.
    small_groups = [
        (group.category, key)
        for group in by_category
        for key in (YearStatus.NEW.value, YearStatus.CONTINUING.value)
        if 0 < group.group(key).count <= NAMES_IN_TEXT
    ]
    listed = ~Q(key_level="")
    for category_value, key in small_groups:
        listed |= project_group_q(key, period) & Q(category=category_value)
    lines = [
        project_line(project)
        for project in projects.filter(listed)
        .select_related("park")
        .order_by(_key_order(), "park__sort_order", "park__code", "code")
    ]
    named = {
        (category_value, key): [
            line
            for line in lines
            if (line.category_value, line.status_value) == (category_value, key)
        ]
        for category_value, key in small_groups
    }
    return ProjectFigures(
        total=total,
        by_category=by_category,
        key_projects=[line for line in lines if line.is_key],
        named=named,
    )


def _key_order() -> Case:
    return Case(
        *(When(key_level=level.value, then=Value(n)) for n, level in enumerate(KeyLevel)),
        default=Value(len(KeyLevel)),
        output_field=IntegerField(),
    )


def project_line(project: Project) -> ProjectLine:
    return ProjectLine(
        code=project.code,
        name=project.name,
        park=project.park.name,
        category=project.get_category_display(),
        key_level=project.get_key_level_display(),
        year_status=YearStatus(project.year_status).label,
        stage=project.get_stage_display(),
        start_date=project.start_date,
        completion_date=project.completion_date,
        total_investment=project.total_investment,
        completed=stored(project.completed),
        is_key=bool(project.key_level),
        category_value=project.category,
        status_value=project.year_status,
    )


def _fai_structure(projects: ProjectFigures) -> FaiStructure:
    """Return the year's completed investment of the carried-out projects, split by source."""
    carried_out = projects.total.group("carried_out")
    total, government = carried_out.completed, carried_out.government
    social = total - government
    government_share, social_share = shares([government, social])
    return FaiStructure(total, government, social, government_share, social_share)


def bond_lines(scope: ReportScope, period: ReportPeriod) -> QuerySet:
    """Return one line per project with bonds: received in the year and up to it."""
    return (
        bond_receipts(scope, period)
        .values("project_id", "project__code", "project__name", "project__park__name")
        .annotate(
            this_year=Coalesce(Sum("amount", filter=Q(year=period.year)), ZERO),
            total=Sum("amount"),
        )
        .order_by("project__park__sort_order", "project__park__code", "project__code")
    )


def bond_line(row: dict) -> BondLine:
    return BondLine(
        code=row["project__code"],
        project=row["project__name"],
        park=row["project__park__name"],
        this_year=stored(row["this_year"]),
        total=stored(row["total"]),
    )


def _bond_figures(scope: ReportScope, period: ReportPeriod) -> BondFigures:
    lines = [bond_line(row) for row in bond_lines(scope, period)]
    # One line per project that received bonds (a few dozen at most): added up here.
    return BondFigures(
        lines=lines,
        this_year=sum((line.this_year for line in lines), ZERO),
        total=sum((line.total for line in lines), ZERO),
    )


def event_line(event: OutreachEvent) -> EventLine:
    return EventLine(
        date=event.date,
        name=event.name,
        kind=event.get_kind_display(),
        place=event.place,
        leader=event.leader,
        leads_docked=event.leads_docked,
        contracts_signed=event.contracts_signed,
        signed_amount=event.signed_amount,
    )


def _event_figures(scope: ReportScope, period: ReportPeriod) -> EventFigures:
    events = list(outreach_events(scope, period).order_by("date", "name"))
    lines = [event_line(event) for event in events]
    # The year's events are a few dozen lines, already read for the table: they are
    # counted and added up here.
    kinds = [
        KindCount(kind.value, kind.label, sum(1 for event in events if event.kind == kind))
        for kind in EventKind
    ]
    return EventFigures(
        count=sum(kind.count for kind in kinds),
        by_kind=kinds,
        leads_docked=sum(line.leads_docked or 0 for line in lines),
        contracts_signed=sum(line.contracts_signed or 0 for line in lines),
        signed_amount=sum((line.signed_amount or ZERO for line in lines), ZERO),
        lines=lines,
    )


def lead_line(lead: Lead, period: ReportPeriod) -> LeadLine:
    """Return a lead as it stood at the cut-off (a later signing is not shown)."""
    return LeadLine(
        code=lead.code,
        name=lead.name,
        investor=lead.investor,
        channel=lead.get_channel_display(),
        park=lead.park.name if lead.park else "",
        asset_type=lead.get_asset_type_display(),
        asset_value=lead.asset_type,
        planned_investment=lead.planned_investment,
        land_area_mu=lead.land_area_mu,
        docked_on=lead.docked_on,
        signed_on=lead.signed_on if lead.signed_on and lead.signed_on <= period.cut_off else None,
        stage=LeadStage(lead.stage_then).label,
    )


def lead_channels(scope: ReportScope, period: ReportPeriod) -> list[ChannelCount]:
    """Return the leads docked in the year by channel, with each channel's share."""
    by_channel = dict(
        docked_leads(scope, period)
        .values("channel")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("channel", "n")
    )
    counts = [by_channel.get(channel.value, 0) for channel in Channel]
    channel_shares = shares([Decimal(n) for n in counts])
    return [
        ChannelCount(channel.value, channel.label, n, share)
        for channel, n, share in zip(Channel, counts, channel_shares, strict=True)
    ]


def signed_totals(scope: ReportScope, period: ReportPeriod) -> tuple[int, Decimal]:
    """Return how many leads were signed in the year by the cut-off, and their investment."""
    sums = signed_leads(scope, period).aggregate(
        n=Count("id"), planned=Coalesce(Sum("planned_investment"), ZERO)
    )
    return sums["n"], stored(sums["planned"])


def _lead_figures(scope: ReportScope, period: ReportPeriod) -> LeadFigures:
    by_channel = lead_channels(scope, period)
    signed = signed_leads(scope, period)
    signed_count, signed_investment = signed_totals(scope, period)
    intended = intended_leads(scope, period)
    by_asset = {
        row["asset_type"]: row
        for row in intended.values("asset_type")
        .annotate(
            n=Count("id"),
            planned=Coalesce(Sum("planned_investment"), ZERO),
            land=Coalesce(Sum("land_area_mu"), ZERO),
        )
        .order_by()
    }
    assets = [(asset.value, asset.label) for asset in AssetType]
    if "" in by_asset:
        assets.append(("", "未注明"))
    return LeadFigures(
        docked=sum(line.count for line in by_channel),
        by_channel=by_channel,
        signed=signed_count,
        signed_investment=signed_investment,
        signed_lines=[
            lead_line(lead, period)
            for lead in signed.select_related("park").order_by("signed_on", "code")
        ],
        intended=[
            AssetGroup(
                value=value,
                label=label,
                count=by_asset.get(value, {}).get("n", 0),
                planned_investment=stored(by_asset.get(value, {}).get("planned", ZERO)),
                land_area_mu=stored(by_asset.get(value, {}).get("land", ZERO)),
            )
            for value, label in assets
        ],
        intended_lines=[
            lead_line(lead, period)
            for lead in intended.select_related("park").order_by(
                "asset_type", F("planned_investment").desc(nulls_last=True), "code"
            )
        ],
    )
