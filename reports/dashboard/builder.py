"""The leaders' dashboard (首页仪表盘): a zone or a park at a glance, for one month.

Where the dashboard shows a figure of the year-end summary it takes it from the same
functions (`reports.figures`, `reports.year_end`): the indicators with their growth,
targets and completion, for the scope and by park; the register; the projects
carried out in the year; leads by channel; leads signed. What only the dashboard
shows has its own GROUP BY query: the monthly series, the 5+5 industries and the top
enterprises here, projects and leads in `.panels`, the attention list in
`.attention`. The builder runs a fixed number of queries whatever the size of the
zone, and never walks the enterprises in Python; it returns plain frozen dataclasses
of Decimals, which the page shows and `.charts` turns into chart data.

Only official figures count (docs/domain.md): the workflow state of every park-month
of the two years is read once, and each read keeps the park-months that count.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, Sum, Value, When

from indicators import codes
from indicators.domain import growth_rate, time_progress
from indicators.models import Indicator
from indicators.official import (
    Period,
    counted_parks,
    counted_periods,
    latest_counted_period,
    official_periods,
    period_statuses,
    reporting_progress,
)
from parkportal import display
from parkportal.choices import IndustryGroup
from parkportal.domain import HUNDRED, round_half_up
from parkportal.models import Industry
from planning.selectors import PlanCounts, plan_counts
from services.selectors import ServiceFigures, service_figures

from ..domain import own_by_month
from ..figures import (
    ZERO,
    EnterpriseFigures,
    IndicatorFigures,
    ParkIndicators,
    add_up,
    enterprise_figures_by_park,
    figure_sums,
    indicator_figures,
    indicator_section,
    indicator_sums,
    statistical_figures,
    stored,
    with_last_year,
)
from ..scope import ReportHead, ReportPeriod, ReportScope, head
from .attention import Attention, attention, register_counts
from .panels import LeadPanel, ProjectPanel, lead_panel, project_panel

TOP = 10  # enterprises in each ranking
NO_INDUSTRY = "未分类"


@dataclass(frozen=True)
class Card:
    """A headline indicator: year to date, growth, and completion against time progress."""

    figures: IndicatorFigures
    time_progress: Decimal

    @property
    def value(self) -> str:
        """Return the year-to-date figure as shown: money in 亿元, others in their unit."""
        return self._amount(self.figures.current)

    @property
    def target(self) -> str:
        return "" if self.figures.target is None else self._amount(self.figures.target)

    def _amount(self, value: Decimal | None) -> str:
        return display.amount(value, self.figures.unit, is_money=self.figures.is_money)

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
        return f"{word}时间进度{display.points(self.gap)}"


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
    is_money: bool
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
class Dashboard(ReportHead):
    """Everything the dashboard shows for one zone or park and one month."""

    latest: ReportPeriod | None  # the latest month that any park of the scope has counted
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
    services: ServiceFigures  # the service desk's year to date
    plan: PlanCounts | None  # the year's tasks on the cut-off day; a zone's only

    @property
    def title(self) -> str:
        return f"{self.park_name}经济运行仪表盘"

    @property
    def latest_label(self) -> str:
        return f"{self.latest.year}年{self.latest.month}月" if self.latest else "—"

    @property
    def chart_indicators(self) -> list[IndicatorFigures]:
        """Return the indicators the charts can switch between: the flows."""
        return [line for line in self.totals if line.is_flow]


def dashboard(
    scope: ReportScope,
    period: ReportPeriod,
    chart_indicator: str = codes.REVENUE,
    today: date | None = None,
) -> Dashboard:
    """Return the dashboard of `scope` for `period`, in a fixed number of queries; what
    the attention list judges as of a day (leads, projects' lights, issues, promises) it
    judges on `today`, by default the local date.

    The monthly series are read for one indicator, `chart_indicator` (a flow; revenue
    when it is not one): reading every indicator's 24 months would cost more than the
    rest of the page, and the page fetches another's when the leader switches to it.
    """
    indicators = list(Indicator.objects.active())
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
    reported = reporting_progress(scope.parks, period.year, period.month, counted=counted)
    # The register's counts and the attention list's parks in one pass over the register.
    register, park_counts = enterprise_figures_by_park(scope, period, **register_counts(period))
    return Dashboard(
        **head(scope, period, reported, section.has_figures),
        latest=latest_counted(scope),
        register=register,
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
        attention=attention(scope, period, revenue, statuses, today, park_counts),
        services=service_figures(scope, period),
        plan=plan_counts(period.year, period.cut_off) if scope.is_zone else None,
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
    cut-off and all of last year, in one GROUP BY query of the kept sums
    (indicators.sums: a few lines per park and month, however many figures) and one for
    the counted park-months, unless `counted` gives them.

    The query sums each park apart, and the park-months that do not count are dropped
    here.
    """
    if counted is None:
        counted = official_periods(scope.park_ids, [period.year - 1, period.year])
    rows = (
        figure_sums(scope)
        .filter(indicator=indicator)
        .filter(Q(year=period.year, month__lte=period.month) | Q(year=period.year - 1))
        .values("year", "month")
        # Each park's sum in the same pass, to drop the park-months that do not count.
        .annotate(
            **{
                f"park_{park_id}": Sum("total", filter=Q(park_id=park_id))
                for park_id in scope.park_ids
            }
        )
        .order_by()
    )
    totals: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        year, month = row["year"], row["month"]
        for park_id in scope.park_ids:
            total = row[f"park_{park_id}"]
            if total is None or (park_id, year, month) not in counted:
                continue
            totals[year][month] = totals[year].get(month, ZERO) + stored(total)
    this_year, last_year = totals[period.year], totals[period.year - 1]
    own, own_labels = own_by_month(this_year)
    last_own, last_own_labels = own_by_month(last_year)
    return MonthlySeries(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        is_money=indicator.is_money,
        cumulative=[this_year.get(month) for month in range(1, 13)],
        last_cumulative=[last_year.get(month) for month in range(1, 13)],
        own=own,
        last_own=last_own,
        own_labels=own_labels,
        last_own_labels=last_own_labels,
    )


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


def _share(part: Decimal, total: Decimal | None) -> Decimal | None:
    """Return `part` as a share of `total` in %, with 2 decimals; None without a total."""
    if total is None or total <= 0:
        return None
    return round_half_up(part * HUNDRED / total)
