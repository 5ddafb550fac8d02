"""The leaders' dashboard (首页仪表盘): a zone or a park at a glance, for one month.

Where the dashboard shows a figure of the year-end summary it takes it from the same
functions (`reports.year_end`): the indicators with their growth, targets and
completion, for the scope and by park; the register; the projects carried out in
the year; leads by channel; leads signed. What only the dashboard shows has its own
GROUP BY query here: the monthly series, the 5+5 industries, the top enterprises,
projects by stage, key projects behind schedule, the lead funnel and the attention
list. The builder runs a fixed number of queries whatever the size of the zone, and
never walks the enterprises in Python; it returns plain frozen dataclasses of
Decimals, which the page shows and `reports.dashboard_charts` turns into chart data.

Rules the page states beside each list:
- An enterprise has reported a month when it has at least one figure for it; a park
  has reported when its month is submitted (已上报) or approved.
- Revenue has fallen when this year's 1-N revenue is more than 20% below last
  year's 1-N (a base above zero is needed, as for any growth).
- An enterprise is a candidate for 规上 status when it is not above-scale (四上) and
  its revenue annualised (1-N ÷ N × 12) is 1,500 万元 or more but below the
  threshold of 2,000 万元 (20,000,000 yuan); at or above it, it has reached the
  threshold without being above-scale yet.
- A key project (省/市/县重点) under way is behind schedule when its planned
  completion date (竣工日期) has passed, or when its investment progress (completed
  investment to date / total investment) lags the time elapsed since its start
  (of the span from start to planned completion) by more than 20 percentage points.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
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
    Window,
)
from django.db.models.functions import Coalesce

from indicators import codes
from indicators.choices import PeriodStatus
from indicators.domain import completion_rate, growth_rate, own_values, time_progress
from indicators.models import Indicator, MonthlyValue
from indicators.official import (
    Period,
    ReportingProgress,
    counted_parks,
    counted_periods,
    has_reported,
    is_official,
    latest_counted_period,
    official_periods,
    official_wording,
    period_statuses,
    reporting_parks,
    reporting_progress,
)
from investment.choices import LeadStage
from parkportal.choices import IndustryGroup
from parkportal.domain import HUNDRED, format_yi, round_half_up
from parkportal.models import Industry
from projects.choices import ProjectStage
from projects.models import Project, ProjectProgress

from .year_end import (
    ZERO,
    CategoryProjects,
    ChannelCount,
    EnterpriseFigures,
    IndicatorFigures,
    ParkIndicators,
    ReportPeriod,
    ReportScope,
    active_indicators,
    add_up,
    docked_leads,
    enterprise_figures,
    indicator_figures,
    indicator_section,
    indicator_sums,
    lead_channels,
    project_figures,
    register,
    signed_totals,
    statistical_figures,
    stored,
)

TOP = 10  # enterprises in each ranking
LISTED = 20  # enterprises or projects named under each rule of the attention list
FALL_LIMIT = Decimal(-20)  # % of revenue against last year: a fall beyond it needs attention
ABOVE_SCALE_THRESHOLD = Decimal(2000)  # 万元 a year: 规模以上工业 (20,000,000 yuan)
NEAR_THRESHOLD = Decimal(1500)  # 万元 a year: from here an enterprise is a 规上 candidate
BEHIND_POINTS = Decimal(20)  # investment progress lagging time progress by more than this
MONEY_UNIT = "万元"
NO_INDUSTRY = "未分类"


# --- The dashboard's data -----------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """A headline indicator: year to date, growth, and completion against time progress."""

    figures: IndicatorFigures
    time_progress: Decimal

    @property
    def is_money(self) -> bool:
        return self.figures.unit == MONEY_UNIT

    @property
    def value(self) -> str:
        """Return the year-to-date figure as shown: money in 亿元, others in their unit."""
        current = self.figures.current
        if self.is_money:
            return format_yi(current)
        return "—" if current is None else f"{current.normalize():,f}{self.figures.unit}"

    @property
    def target(self) -> str:
        target = self.figures.target
        if target is None:
            return ""
        return format_yi(target) if self.is_money else f"{target.normalize():,f}{self.figures.unit}"

    @property
    def bar_width(self) -> Decimal:
        """Return the completion bar's width in % of the card: completion, within 0–100."""
        completion = self.figures.completion or ZERO
        return min(max(completion, ZERO), HUNDRED)

    @property
    def gap(self) -> Decimal | None:
        """Return completion minus time progress, in percentage points (flows only)."""
        if not self.figures.is_flow or self.figures.completion is None:
            return None
        return round_half_up(self.figures.completion - self.time_progress)

    @property
    def pace(self) -> str:
        """Return "ahead", "behind" or "" (no target, or a stock) for the card's colour."""
        if self.gap is None:
            return ""
        return "ahead" if self.gap >= 0 else "behind"

    @property
    def pace_label(self) -> str:
        """Return the completion against time progress in words: 快于时间进度3.25个百分点."""
        if self.gap is None:
            return ""
        if self.gap == 0:
            return "与时间进度持平"
        word = "快于" if self.gap > 0 else "慢于"
        return f"{word}时间进度{abs(self.gap)}个百分点"


@dataclass(frozen=True)
class MonthlySeries:
    """A flow indicator month by month, this year against last, for the scope.

    The lists hold twelve months; None where there is no figure (or after the cut-off).
    A month's own value is cumulative(N) − cumulative(N−1) of the totals; when the
    month before has no figure the value covers both (its label says 1-2月).
    """

    code: str
    name: str
    unit: str
    cumulative: list[Decimal | None]
    last_cumulative: list[Decimal | None]
    own: list[Decimal | None]
    last_own: list[Decimal | None]
    own_labels: list[str]
    last_own_labels: list[str]


@dataclass(frozen=True)
class GroupIndicators:
    """One industry (or park) of the scope with its indicators."""

    key: str
    name: str
    group: str  # 传统产业 / 新兴产业 / ""
    indicators: list[IndicatorFigures]


@dataclass(frozen=True)
class RankedEnterprise:
    rank: int
    pk: int
    name: str
    park: str
    value: Decimal
    last_year: Decimal | None
    growth: Decimal | None
    share: Decimal | None  # of the scope's total, in %


@dataclass(frozen=True)
class Ranking:
    code: str
    name: str
    unit: str
    lines: list[RankedEnterprise]


@dataclass(frozen=True)
class StageCount:
    value: str
    label: str
    count: int
    total_investment: Decimal


@dataclass(frozen=True)
class BehindProject:
    """A key project under way that is behind its schedule, and why."""

    code: str
    name: str
    park: str
    key_level: str
    stage: str
    start_date: date
    planned_completion: date | None
    total_investment: Decimal
    to_date: Decimal  # completed investment, all years up to the cut-off
    investment_progress: Decimal | None  # to_date / total, in %
    time_elapsed: Decimal | None  # of the span from start to planned completion, in %
    reason: str


@dataclass(frozen=True)
class ProjectPanel:
    by_stage: list[StageCount]
    count: int
    year: CategoryProjects  # 本年实施 / 新开工 / 续建 / 竣工 / 投产, as in the year-end summary
    plan: Decimal | None  # the year's fixed-asset investment target
    completion: Decimal | None  # the year's completed investment / plan, in %
    time_progress: Decimal
    behind: list[BehindProject]
    key_under_way: int


@dataclass(frozen=True)
class FunnelStep:
    value: str
    label: str
    count: int  # leads docked in the year that reached this stage by the cut-off


@dataclass(frozen=True)
class LeadPanel:
    docked: int
    funnel: list[FunnelStep]
    dropped: int
    by_channel: list[ChannelCount]
    signed: int
    signed_investment: Decimal


@dataclass(frozen=True)
class ParkReport:
    """Whether a park has reported the month: its workflow and its enterprises."""

    code: str
    name: str
    status: str
    status_label: str
    enterprises: int
    missing: int

    @property
    def has_reported(self) -> bool:
        return is_official(self.status)


@dataclass(frozen=True)
class FlaggedEnterprise:
    pk: int
    name: str
    park: str
    value: Decimal | None  # 1-N revenue
    base: Decimal | None  # last year's 1-N revenue
    growth: Decimal | None
    annualised: Decimal | None


@dataclass(frozen=True)
class Flagged:
    """Enterprises caught by one rule: how many, and the first few named."""

    count: int
    lines: list[FlaggedEnterprise]

    @property
    def more(self) -> int:
        return self.count - len(self.lines)


@dataclass(frozen=True)
class Attention:
    parks: list[ParkReport]
    not_reported: Flagged
    falling: Flagged
    near_threshold: Flagged
    reached_threshold: Flagged

    @property
    def parks_not_reported(self) -> list[ParkReport]:
        return [park for park in self.parks if not park.has_reported]

    @property
    def count(self) -> int:
        return (
            len(self.parks_not_reported)
            + self.not_reported.count
            + self.falling.count
            + self.near_threshold.count
            + self.reached_threshold.count
        )


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard shows for one zone or park and one month."""

    park_code: str
    park_name: str
    is_zone: bool
    period: ReportPeriod
    progress: ReportingProgress  # which parks have their month counted
    latest: ReportPeriod | None  # the latest month that any park of the scope has counted
    time_progress: Decimal
    has_figures: bool
    register: EnterpriseFigures
    cards: list[Card]
    totals: list[IndicatorFigures]
    by_park: list[ParkIndicators]
    series: MonthlySeries | None  # of one flow indicator, the one the charts show
    industries: list[GroupIndicators]
    rankings: list[Ranking]
    projects: ProjectPanel
    leads: LeadPanel
    attention: Attention

    @property
    def title(self) -> str:
        return f"{self.park_name}经济运行仪表盘"

    @property
    def period_label(self) -> str:
        return f"{self.period.year}年{self.period.label}"

    @property
    def incomplete(self) -> str:
        """Return the line that says which parks have not reported the month, or ""."""
        return self.progress.notice

    @property
    def latest_label(self) -> str:
        return f"{self.latest.year}年{self.latest.month}月" if self.latest else "—"

    @property
    def chart_indicators(self) -> list[IndicatorFigures]:
        """Return the indicators the charts can switch between: the flows."""
        return [line for line in self.totals if line.is_flow]


# --- Building -----------------------------------------------------------------------------------


def dashboard(
    scope: ReportScope, period: ReportPeriod, chart_indicator: str = codes.REVENUE
) -> Dashboard:
    """Return the dashboard of `scope` for `period`, in a fixed number of queries.

    The monthly series are read for one indicator, `chart_indicator` (a flow; revenue
    when it is not one): reading every indicator's 24 months would cost more than the
    rest of the page, and the page fetches another's when the leader switches to it.
    """
    indicators = active_indicators()
    # The workflow state of every park-month of the two years: which figures count, and
    # the attention list's parks, in one query.
    statuses = period_statuses(scope.park_ids, [period.year - 1, period.year])
    counted = counted_periods(statuses)
    # One GROUP BY of the cut-off month, by park and industry, gives both the parks'
    # lines (as the year-end summary reads them) and the industries'.
    detail = indicator_sums(
        scope,
        period,
        indicators,
        by=("enterprise__park_id", "enterprise__industry_id"),
        months=[period.month],
        counted=counted,
    )
    section = indicator_section(scope, period, indicators, regroup(detail, 0), counted)
    progress = time_progress(period.month)
    by_code = {line.code: line for line in section.totals}
    by_indicator = {indicator.code: indicator for indicator in indicators}
    flows = [indicator for indicator in indicators if indicator.is_flow]
    charted = by_indicator.get(chart_indicator)
    if charted is None or not charted.is_flow:
        charted = by_indicator.get(codes.REVENUE) or (flows[0] if flows else None)
    revenue = by_indicator.get(codes.REVENUE)
    return Dashboard(
        park_code=scope.park.code,
        park_name=scope.park.name,
        is_zone=scope.is_zone,
        period=period,
        progress=reporting_progress(scope.parks, period.year, period.month, counted=counted),
        latest=latest_counted(scope),
        time_progress=progress,
        has_figures=section.has_figures,
        register=enterprise_figures(scope, period),
        cards=[Card(line, progress) for line in section.totals],
        totals=section.totals,
        by_park=section.by_park,
        series=monthly_series(scope, period, charted, counted) if charted else None,
        industries=industry_figures(indicators, period, regroup(detail, 1)),
        rankings=[
            ranking(scope, period, by_indicator[code], by_code[code], counted)
            for code in (codes.REVENUE, codes.TAX)
            if code in by_indicator
        ],
        projects=project_panel(scope, period, by_code.get(codes.FIXED_ASSET_INVESTMENT)),
        leads=lead_panel(scope, period),
        attention=attention(scope, period, revenue, statuses),
    )


def latest_counted(scope: ReportScope) -> ReportPeriod | None:
    """Return the latest month that any park of the scope has counted."""
    latest = latest_counted_period(scope.park_ids)
    return ReportPeriod(*latest) if latest else None


def regroup(sums: dict, position: int) -> dict:
    """Return sums keyed by tuples added up to one part of the key (0: park, 1: industry)."""
    groups: dict = defaultdict(list)
    for key, lines in sums.items():
        groups[key[position]].append(lines)
    regrouped: dict = defaultdict(dict)
    regrouped.update({key: add_up(parts) for key, parts in groups.items()})
    return regrouped


def monthly_series(
    scope: ReportScope,
    period: ReportPeriod,
    indicator: Indicator,
    counted: set[Period] | None = None,
) -> MonthlySeries:
    """Return a flow indicator's official totals month by month, this year up to the
    cut-off and all of last year, in one GROUP BY query (and one for the counted
    park-months, unless `counted` gives them).

    The query groups by park as well, and drops here the park-months that do not count.
    """
    if counted is None:
        counted = official_periods(scope.park_ids, [period.year - 1, period.year])
    rows = (
        statistical_figures(scope)
        # The plain IN list is redundant with the OR below, but it lets the database
        # read the period index by range.
        .filter(indicator=indicator, year__in=[period.year - 1, period.year])
        .filter(Q(year=period.year, month__lte=period.month) | Q(year=period.year - 1))
        # By park as well, to drop what does not count. "+ 0" keeps SQLite from walking
        # the enterprises by their park index to group them, which would read every
        # figure through the table instead of the period index (SQLite's way to rule an
        # index out for a term).
        .values("year", "month", park=F("enterprise__park_id") + Value(0))
        .annotate(total=Sum("value"))
        .order_by()
    )
    totals: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        if (row["park"], row["year"], row["month"]) not in counted:
            continue
        months = totals[row["year"]]
        months[row["month"]] = months.get(row["month"], ZERO) + stored(row["total"])
    this_year, last_year = totals[period.year], totals[period.year - 1]
    own, own_labels = _own_by_month(this_year)
    last_own, last_own_labels = _own_by_month(last_year)
    return MonthlySeries(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        cumulative=[this_year.get(month) for month in range(1, 13)],
        last_cumulative=[last_year.get(month) for month in range(1, 13)],
        own=own,
        last_own=last_own,
        own_labels=own_labels,
        last_own_labels=last_own_labels,
    )


def _own_by_month(cumulative: dict[int, Decimal]) -> tuple[list[Decimal | None], list[str]]:
    """Return twelve own values (None where none) and their labels ("3月", or "1-2月")."""
    values: list[Decimal | None] = [None] * 12
    labels = [f"{month}月" for month in range(1, 13)]
    for period in own_values(cumulative):
        values[period.last - 1] = period.value
        labels[period.last - 1] = period.label
    return values, labels


def industry_figures(
    indicators: list[Indicator], period: ReportPeriod, sums: dict
) -> list[GroupIndicators]:
    """Return the 5+5 industries' indicators (growth on the comparable scope, as for
    parks), and a line for the enterprises without an industry when any report."""
    # The documents name the five traditional industries first, then the five emerging.
    traditional_first = Case(
        When(group=IndustryGroup.TRADITIONAL, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    industries = list(Industry.objects.order_by(traditional_first, "sort_order", "name"))
    groups = dict(IndustryGroup.choices)
    lines = [
        GroupIndicators(
            key=str(industry.pk),
            name=industry.name,
            group=groups.get(industry.group, ""),
            indicators=[
                indicator_figures(indicator, period, sums.get(industry.pk, {}), {})
                for indicator in indicators
            ],
        )
        for industry in industries
    ]
    if None in sums:
        lines.append(
            GroupIndicators(
                key="",
                name=NO_INDUSTRY,
                group="",
                indicators=[
                    indicator_figures(indicator, period, sums[None], {}) for indicator in indicators
                ],
            )
        )
    return lines


def ranking(
    scope: ReportScope,
    period: ReportPeriod,
    indicator: Indicator,
    total: IndicatorFigures,
    counted: set[Period],
) -> Ranking:
    """Return the statistical enterprises with the largest official 1-N figure of
    `indicator`."""
    rows = (
        with_last_year(
            statistical_figures(scope).filter(
                indicator=indicator,
                year=period.year,
                month=period.month,
                enterprise__park_id__in=counted_parks(counted, period.year, period.month),
            ),
            period,
            indicator,
            counted,
        )
        .values("enterprise_id", "enterprise__name", "enterprise__park__name", "value", "base")
        .order_by("-value", "enterprise_id")[:TOP]
    )
    lines = [
        RankedEnterprise(
            rank=rank,
            pk=row["enterprise_id"],
            name=row["enterprise__name"],
            park=row["enterprise__park__name"],
            value=row["value"],
            last_year=row["base"],
            growth=growth_rate(row["value"], row["base"]),
            share=_share(row["value"], total.current),
        )
        for rank, row in enumerate(rows, start=1)
    ]
    return Ranking(indicator.code, indicator.name, indicator.unit, lines)


def with_last_year(
    figures: QuerySet, period: ReportPeriod, indicator: Indicator, counted: set[Period]
) -> QuerySet:
    """Return the figures (of `indicator` at the cut-off) each with `base`: the same
    enterprise's official figure of the same month last year, or None.

    A LEFT JOIN on the natural key rather than a subquery per row: the database reads
    last year's month once, however many figures there are. The figure is official
    when its park's month of last year is among `counted`.
    """
    other = "enterprise__monthly_values"
    last_year = counted_parks(counted, period.year - 1, period.month)
    return figures.annotate(
        last=FilteredRelation(
            other,
            condition=Q(
                **{
                    f"{other}__indicator": indicator,
                    f"{other}__year": period.year - 1,
                    f"{other}__month": period.month,
                }
            ),
        ),
        base=Case(
            When(enterprise__park_id__in=last_year, then=F("last__value")),
            default=None,
            output_field=DecimalField(max_digits=20, decimal_places=4),
        ),
    )


def _share(part: Decimal, total: Decimal | None) -> Decimal | None:
    """Return `part` as a share of `total` in %, with 2 decimals; None without a total."""
    if total is None or total <= 0:
        return None
    return round_half_up(part * HUNDRED / total)


# --- Projects -----------------------------------------------------------------------------------

UNDER_WAY_STAGES = [
    stage
    for stage in ProjectStage
    if stage not in (ProjectStage.COMPLETED, ProjectStage.IN_PRODUCTION)
]


def project_panel(
    scope: ReportScope, period: ReportPeriod, fai: IndicatorFigures | None
) -> ProjectPanel:
    """Return the scope's projects by stage, the year's (as the year-end summary counts
    them) against the year's investment target, and the key projects behind schedule."""
    stage_rows = {
        row["stage"]: row
        for row in Project.objects.filter(park_id__in=scope.park_ids)
        .values("stage")
        .annotate(n=Count("id"), total=Coalesce(Sum("total_investment"), ZERO))
        .order_by()
    }
    by_stage = [
        StageCount(
            value=stage.value,
            label=stage.label,
            count=stage_rows.get(stage.value, {}).get("n", 0),
            total_investment=stored(stage_rows.get(stage.value, {}).get("total", ZERO)),
        )
        for stage in ProjectStage
    ]
    year = project_figures(scope, period).total
    plan = fai.target if fai else None
    key = list(key_projects_under_way(scope, period))
    behind = [line for line in (_behind(project, period) for project in key) if line]
    return ProjectPanel(
        by_stage=by_stage,
        count=sum(stage.count for stage in by_stage),
        year=year,
        plan=plan,
        completion=completion_rate(year.group("carried_out").completed, plan),
        time_progress=time_progress(period.month),
        behind=sorted(behind, key=lambda line: (line.reason != "逾期未竣工", line.code)),
        key_under_way=len(key),
    )


def key_projects_under_way(scope: ReportScope, period: ReportPeriod) -> QuerySet[Project]:
    """Return the key projects started by the cut-off and not yet completed, each with its
    completed investment to date: every year's latest progress report added up.

    A progress report is year-to-date, so a year counts with its last report (this year's
    last by the cut-off). Key projects are a few dozen lines, read in one query.
    """
    reports = ProjectProgress.objects.filter(Q(year__lt=period.year) | Q(month__lte=period.month))
    later = reports.filter(
        project=OuterRef("project"), year=OuterRef("year"), month__gt=OuterRef("month")
    )
    to_date = (
        reports.filter(project=OuterRef("pk"), year__lte=period.year)
        .filter(~Exists(later))
        .order_by()
        .values("project")
        .annotate(total=Sum("completed_investment"))
        .values("total")
    )
    return (
        Project.objects.filter(
            park_id__in=scope.park_ids,
            start_date__lte=period.cut_off,
            stage__in=UNDER_WAY_STAGES,
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


def _behind(project: Project, period: ReportPeriod) -> BehindProject | None:
    """Return the project as behind schedule, or None when it keeps to it (or cannot tell)."""
    to_date = stored(project.to_date)
    investment_progress = completion_rate(to_date, project.total_investment)
    planned = project.completion_date
    elapsed = None
    if planned is not None and planned > project.start_date:
        days = min((period.cut_off - project.start_date).days, (planned - project.start_date).days)
        elapsed = round_half_up(Decimal(days) * HUNDRED / (planned - project.start_date).days)
    if planned is not None and planned <= period.cut_off:
        reason = "逾期未竣工"
    elif (
        elapsed is not None
        and investment_progress is not None
        and elapsed - investment_progress > BEHIND_POINTS
    ):
        reason = f"投资进度落后时间进度{round_half_up(elapsed - investment_progress)}个百分点"
    else:
        return None
    return BehindProject(
        code=project.code,
        name=project.name,
        park=project.park.name,
        key_level=project.get_key_level_display(),
        stage=project.get_stage_display(),
        start_date=project.start_date,
        planned_completion=planned,
        total_investment=project.total_investment,
        to_date=to_date,
        investment_progress=investment_progress,
        time_elapsed=elapsed,
        reason=reason,
    )


# --- Investment attraction ----------------------------------------------------------------------

FUNNEL = [
    LeadStage.DOCKED,
    LeadStage.NEGOTIATING,
    LeadStage.INTENTION,
    LeadStage.SIGNED,
    LeadStage.LANDED,
]


def lead_panel(scope: ReportScope, period: ReportPeriod) -> LeadPanel:
    """Return the year's leads as a funnel (how far the leads docked this year had got by
    the cut-off), by channel, and the leads signed this year (as the summary counts them)."""
    at_stage = dict(
        docked_leads(scope, period)
        .values("stage_then")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("stage_then", "n")
    )
    docked = sum(at_stage.values())
    funnel = [
        FunnelStep(
            stage.value,
            stage.label,
            # A dropped lead counts as docked only: how far it had got is not kept.
            docked if n == 0 else sum(at_stage.get(later.value, 0) for later in FUNNEL[n:]),
        )
        for n, stage in enumerate(FUNNEL)
    ]
    signed, signed_investment = signed_totals(scope, period)
    return LeadPanel(
        docked=docked,
        funnel=funnel,
        dropped=at_stage.get(LeadStage.DROPPED.value, 0),
        by_channel=lead_channels(scope, period),
        signed=signed,
        signed_investment=signed_investment,
    )


# --- What needs attention -----------------------------------------------------------------------


def attention(
    scope: ReportScope,
    period: ReportPeriod,
    revenue: Indicator | None,
    statuses: dict[Period, str],
) -> Attention:
    """Return the parks and enterprises that need the leaders' attention this month.

    `statuses` are the park-months' workflow states (indicators.official.period_statuses)
    of this year and last.
    """
    counted = counted_periods(statuses)
    empty = Flagged(0, [])
    return Attention(
        parks=park_reports(scope, period, statuses),
        not_reported=_flagged(not_reported(scope, period)),
        falling=_flagged(falling_revenue(scope, period, revenue, counted)) if revenue else empty,
        near_threshold=(
            _flagged(threshold_candidates(scope, period, revenue, counted, reached=False))
            if revenue
            else empty
        ),
        reached_threshold=(
            _flagged(threshold_candidates(scope, period, revenue, counted, reached=True))
            if revenue
            else empty
        ),
    )


def park_reports(
    scope: ReportScope, period: ReportPeriod, statuses: dict[Period, str]
) -> list[ParkReport]:
    """Return each park of the scope with its month's status and unreported enterprises."""
    parks = reporting_parks(scope.parks)
    reported = has_reported(period.year, period.month)
    counts = {
        row["park_id"]: row
        for row in register(scope)
        .values("park_id")
        .annotate(n=Count("id"), missing=Count("id", filter=~reported))
        .order_by()
    }
    labels = dict(PeriodStatus.choices)
    return [
        ParkReport(
            code=park.code,
            name=park.name,
            status=(
                status := statuses.get((park.pk, period.year, period.month), PeriodStatus.DRAFT)
            ),
            status_label=labels[status],
            enterprises=counts.get(park.pk, {}).get("n", 0),
            missing=counts.get(park.pk, {}).get("missing", 0),
        )
        for park in parks
    ]


def _with_count(queryset: QuerySet) -> QuerySet:
    """Return the first LISTED rows of `queryset`, each carrying the count of all rows."""
    return queryset.annotate(matching=Window(Count("pk")))[:LISTED]


def _flagged(rows) -> Flagged:
    rows = list(rows)
    return Flagged(
        count=rows[0]["matching"] if rows else 0,
        lines=[
            FlaggedEnterprise(
                pk=row["enterprise_pk"],
                name=row["enterprise_name"],
                park=row["park_name"],
                value=row.get("value"),
                base=row.get("base"),
                growth=growth_rate(row.get("value"), row.get("base")),
                annualised=row.get("annualised"),
            )
            for row in rows
        ],
    )


def not_reported(scope: ReportScope, period: ReportPeriod) -> QuerySet:
    """Return the scope's enterprises (deregistered ones aside) that have not reported the
    month (indicators.official.has_reported): without an official figure of it."""
    return _with_count(
        register(scope)
        .filter(~has_reported(period.year, period.month))
        .values(enterprise_pk=F("pk"), enterprise_name=F("name"), park_name=F("park__name"))
        .order_by("park__sort_order", "park__code", "name", "pk")
    )


def revenue_figures(
    scope: ReportScope, period: ReportPeriod, revenue: Indicator, counted: set[Period]
) -> QuerySet:
    """Return the official 1-N revenue figures of the scope's enterprises (deregistered ones
    aside), whether statistical or not: the attention list names any enterprise."""
    return MonthlyValue.objects.filter(
        enterprise__in=register(scope),
        enterprise__park_id__in=counted_parks(counted, period.year, period.month),
        indicator=revenue,
        year=period.year,
        month=period.month,
    )


def _named(rows: QuerySet, *fields: str) -> QuerySet:
    return rows.values(
        *fields,
        enterprise_pk=F("enterprise_id"),
        enterprise_name=F("enterprise__name"),
        park_name=F("enterprise__park__name"),
    )


def falling_revenue(
    scope: ReportScope, period: ReportPeriod, revenue: Indicator, counted: set[Period]
) -> QuerySet:
    """Return the enterprises whose 1-N revenue is down by more than 20% on last year's."""
    limit = (HUNDRED + FALL_LIMIT) / HUNDRED
    rows = with_last_year(
        revenue_figures(scope, period, revenue, counted), period, revenue, counted
    ).filter(base__gt=0, value__lt=F("base") * limit)
    return _with_count(
        _named(rows, "value", "base").order_by(
            ExpressionWrapper(F("value") / F("base"), output_field=DecimalField()),
            "enterprise__name",
            "enterprise_id",
        )
    )


def threshold_candidates(
    scope: ReportScope,
    period: ReportPeriod,
    revenue: Indicator,
    counted: set[Period],
    *,
    reached: bool,
) -> QuerySet:
    """Return the enterprises that are not above-scale whose annualised revenue is near the
    规上 threshold (1,500 to 2,000 万元) or, with `reached`, at or above it."""
    # Annualised revenue is 1-N ÷ N × 12. The bounds are put on the 1-N figure itself
    # (annualised ≥ 1,500 ⇔ 1-N ≥ 1,500 × N ÷ 12), exactly, as fractions of a Decimal.
    low = NEAR_THRESHOLD * period.month / 12
    high = ABOVE_SCALE_THRESHOLD * period.month / 12
    bounds = Q(value__gte=high) if reached else Q(value__gte=low, value__lt=high)
    rows = (
        revenue_figures(scope, period, revenue, counted)
        .filter(bounds, enterprise__scale_category="")
        .annotate(
            annualised=ExpressionWrapper(
                F("value") * 12 / period.month,
                output_field=DecimalField(max_digits=20, decimal_places=4),
            )
        )
    )
    return _with_count(
        _named(rows, "value", "annualised").order_by("-value", "enterprise__name", "enterprise_id")
    )


def rules() -> dict[str, str]:
    """Return the rules in the page's words, shown beside each list."""
    official = official_wording()
    return {
        "fall": f"本年累计营业收入比上年同期下降超过{abs(FALL_LIMIT)}%",
        "near": (
            f"非四上企业，营业收入年化（本年累计÷月数×12）达到{NEAR_THRESHOLD:,}万元、"
            f"未达{ABOVE_SCALE_THRESHOLD:,}万元规上标准"
        ),
        "reached": f"营业收入年化已达{ABOVE_SCALE_THRESHOLD:,}万元规上标准，但尚未纳入四上企业",
        "missing": (
            f"本月没有计入的指标数据的企业：没有填报，或所在园区本月尚未上报"
            f"（{official}后计入）；已注销企业除外"
        ),
        "parks": f"本月数据尚未计入的园区（{official}后计入）",
        "behind": (
            f"重点项目已过计划竣工日期仍未竣工，或投资进度（累计完成投资÷总投资）"
            f"落后时间进度（开工至计划竣工）超过{BEHIND_POINTS}个百分点"
        ),
    }
