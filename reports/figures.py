"""The figures the dashboard and the year-end summary share: each indicator of a scope
over months 1..N against last year and the targets, for the scope and each park, and
the register's counts.

Rules (docs/domain.md):
- Indicators add up the statistical (入统) enterprises' official figures of the cut-off
  month (their park's month is submitted or approved, indicators.official): the
  year-to-date cumulative of a flow, the month's headcount of a stock. Growth is on the
  comparable scope (enterprises with an official figure in both years).
- Every total is a GROUP BY in the database; the results are plain frozen dataclasses
  of Decimals.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

from django.db.models import (
    Case,
    Choices,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.utils import timezone

from indicators.choices import TargetKind
from indicators.domain import (
    ComparableGrowth,
    completion_rate,
    growth_rate,
    percentage_point_change,
)
from indicators.models import FigureSum, Indicator, MonthlyValue, Target
from indicators.official import Period, counted_parks, official_periods
from parkportal.choices import EnterpriseStatus, ParkKind, ScaleCategory
from parkportal.domain import shares
from parkportal.fields import stored
from parkportal.models import Enterprise

from .scope import ReportPeriod, ReportScope

ZERO = Decimal(0)

# Money is stored with 4 decimals; SQLite adds it up in floating point, so every sum is
# brought back to the stored precision (exact on PostgreSQL, where it changes nothing).


def register(scope: ReportScope) -> QuerySet[Enterprise]:
    """Return the scope's registered enterprises, deregistered (注销) ones left out."""
    return Enterprise.objects.registered().filter(park_id__in=scope.park_ids)


def register_then(scope: ReportScope, period: ReportPeriod) -> QuerySet[Enterprise]:
    """Return the scope's enterprises as the register stood at the period's cut-off
    (Enterprise.objects.as_of): established by then, in the scope's parks then, not
    deregistered (注销) by then. Their 入统 and 四上 as they stood are `in_statistics_then`
    and `scale_category_then`; every register count of a period reads these."""
    # Building this query (four history subqueries) costs more than a page's database
    # work on it: it is built once per parks and day, and each caller gets its own copy.
    return _register_then(tuple(scope.park_ids), period.cut_off).all()


@lru_cache(maxsize=256)
def _register_then(park_ids: tuple[int, ...], cut_off: date) -> QuerySet[Enterprise]:
    # An enterprise the history has not changed since is as it is now: its filters are
    # written on its own columns, which the database can estimate, and on the history
    # only for the others.
    end = timezone.make_aware(datetime.combine(cut_off + timedelta(days=1), time.min))
    changed = Q(pk__in=Enterprise.history.filter(history_date__gte=end).values("id"))
    deregistered = EnterpriseStatus.DEREGISTERED
    return Enterprise.objects.as_of(cut_off).filter(
        (~changed & Q(park_id__in=park_ids) & ~Q(status=deregistered))
        | (changed & Q(park_id_then__in=park_ids) & ~Q(status_then=deregistered))
    )


def in_register_then(scope: ReportScope, period: ReportPeriod, field: str = "enterprise_id"):
    """Return, as a filter on rows naming an enterprise by `field`, "the enterprise is in
    register_then": a correlated EXISTS, so the database checks the register's history
    only for the rows its other filters kept, not for every enterprise of the scope."""
    return Exists(register_then(scope, period).filter(pk=OuterRef(field)))


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


@dataclass(frozen=True)
class IndicatorFigures:
    """One indicator over months 1..N for the scope or a park, against last year and targets."""

    code: str
    name: str
    unit: str
    is_money: bool  # in 万元: shown in 亿元 as a total
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
class IndicatorSection:
    """The indicators of a scope: its totals and, for a zone, each park's line."""

    indicators: list[Indicator]
    totals: list[IndicatorFigures]
    by_park: list[ParkIndicators]
    has_figures: bool  # some statistical enterprise reported the cut-off month


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
        indicators = list(Indicator.objects.active())
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
# The figures' fields a report groups by, and the sums' columns that hold them.
SUM_COLUMNS = {PARK: "park_id", "enterprise__industry_id": "industry_id"}


def figure_sums(scope: ReportScope) -> QuerySet[FigureSum]:
    """Return the scope's sums (indicators.sums): the statistical enterprises' figures
    added up per park, industry, indicator and month, of every park-month's state."""
    return FigureSum.objects.filter(park_id__in=scope.park_ids)


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
    GROUP BY query of the kept sums (and one more for the counted park-months, unless
    `counted` gives them).

    `by` groups by the industry too (the keys are then tuples of park and industry).
    The months read are the cut-off and the one before it, and last December too (for
    the forecast's growth); `months` narrows them to the given ones.

    The sums (indicators.sums) add up, per park, industry, indicator and month, the
    statistical enterprises' figures and, apart, those whose enterprise has a figure of
    the same month in the year before or after: the comparable scope of this year is
    the first of this year's lines, last year's the second of last year's. So the
    query reads a few hundred lines whatever the number of figures.

    Only official figures count (docs/domain.md, "Official figures"): a (park, year,
    month) group that does not count is dropped here; a comparable pair counts only
    when the other year's park-month counts as well.
    """
    fields = (by,) if isinstance(by, str) else by
    grouped = fields if PARK in fields else (PARK, *fields)
    year, last = period.year, period.year - 1
    if counted is None:
        counted = official_periods(scope.park_ids, [last, year])
    this_months = months or period.months
    months = months or [*period.months, 12]
    rows = (
        figure_sums(scope)
        .filter(indicator__in=indicators)
        .filter(Q(year=year, month__in=this_months) | Q(year=last, month__in=months))
        .values(*(SUM_COLUMNS[field] for field in grouped), "indicator_id", "year", "month")
        .annotate(
            sum_total=Sum("total"),
            sum_reporters=Sum("reporters"),
            sum_with_last=Sum("with_last"),
            sum_with_last_members=Sum("with_last_members"),
            sum_with_next=Sum("with_next"),
            sum_with_next_members=Sum("with_next_members"),
        )
        .order_by()
    )
    sums: dict = defaultdict(dict)
    for row in rows:
        park, row_year, month = row["park_id"], row["year"], row["month"]
        if (park, row_year, month) not in counted:
            continue
        pair_counts = (park, year + last - row_year, month) in counted
        side = "with_last" if row_year == year else "with_next"
        line = _Sums(
            stored(row["sum_total"]),
            row["sum_reporters"],
            stored(row[f"sum_{side}"]) if pair_counts else None,
            row[f"sum_{side}_members"] if pair_counts else 0,
        )
        key = (row["indicator_id"], row_year, month)
        group = (
            row[SUM_COLUMNS[by]]
            if isinstance(by, str)
            else tuple(row[SUM_COLUMNS[field]] for field in by)
        )
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
        is_money=indicator.is_money,
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


@dataclass(frozen=True)
class ChoiceCount:
    """How many of something fall under one choice (a category, a kind, a channel), with
    the choice's share of them all in % when a split asks for one."""

    value: str
    label: str
    count: int
    share: Decimal | None = None


def choice_counts(
    choices: type[Choices], counts: Mapping[str, int], *, with_shares: bool = False
) -> list[ChoiceCount]:
    """Return a count for every choice, in the choices' order (0 for a choice not in
    `counts`), and with `with_shares` each one's share, the shares adding up to 100.00."""
    numbers = [counts.get(choice.value, 0) for choice in choices]
    parts = shares([Decimal(n) for n in numbers]) if with_shares else [None] * len(numbers)
    return [
        ChoiceCount(choice.value, choice.label, n, share)
        for choice, n, share in zip(choices, numbers, parts, strict=True)
    ]


def count_by(queryset: QuerySet, field: str) -> dict:
    """Return value of `field` → how many rows of `queryset` have it, in one GROUP BY."""
    return dict(queryset.values(field).annotate(n=Count("pk")).order_by().values_list(field, "n"))


@dataclass(frozen=True)
class EnterpriseFigures:
    """The register: statistical enterprises, above-scale by category, new this year."""

    registered: int
    statistical: int
    outside_statistics: int
    above_scale: int
    by_category: list[ChoiceCount]
    new: int  # established this year by the cut-off
    new_statistical: int


def _register_counts(period: ReportPeriod) -> dict[str, Count]:
    """Return the counts of EnterpriseFigures as aggregates of register_then."""
    new = Q(established_on__gte=period.start, established_on__lte=period.cut_off)
    statistical = Q(in_statistics_then=True)
    return {
        "registered": Count("id"),
        "statistical": Count("id", filter=statistical),
        "above_scale": Count("id", filter=~Q(scale_category_then="")),
        "new": Count("id", filter=new),
        "new_statistical": Count("id", filter=new & statistical),
        # Named apart from the model's fields (an enterprise has an `industry`).
        **{
            f"category_{category.value}": Count("id", filter=Q(scale_category_then=category.value))
            for category in ScaleCategory
        },
    }


def enterprise_figures(scope: ReportScope, period: ReportPeriod) -> EnterpriseFigures:
    """Return the register's counts as it stood at the period's cut-off (register_then)."""
    return _enterprise_figures(register_then(scope, period).aggregate(**_register_counts(period)))


def enterprise_figures_by_park(
    scope: ReportScope, period: ReportPeriod, **counts: Count
) -> tuple[EnterpriseFigures, dict[int, dict]]:
    """Return enterprise_figures(scope, period) and, in the same pass over the register,
    park id (as the register stood) → the extra `counts` of its enterprises."""
    kept = _register_counts(period)
    rows = list(
        register_then(scope, period).values("park_id_then").annotate(**kept, **counts).order_by()
    )
    totals = {name: sum(row[name] for row in rows) for name in kept}
    by_park = {row["park_id_then"]: {name: row[name] for name in counts} for row in rows}
    return _enterprise_figures(totals), by_park


def _enterprise_figures(counts: dict[str, int]) -> EnterpriseFigures:
    by_category = {category: counts[f"category_{category}"] for category in ScaleCategory.values}
    return EnterpriseFigures(
        registered=counts["registered"],
        statistical=counts["statistical"],
        outside_statistics=counts["registered"] - counts["statistical"],
        above_scale=counts["above_scale"],
        by_category=choice_counts(ScaleCategory, by_category),
        new=counts["new"],
        new_statistical=counts["new_statistical"],
    )


def with_last_year(
    figures: QuerySet,
    period: ReportPeriod,
    indicator: Indicator,
    counted: set[Period],
    *,
    paired: bool = False,
) -> QuerySet:
    """Return the figures (of `indicator` at the cut-off) each with `base`: the same
    enterprise's official figure of the same month last year, or None; with `paired`,
    only the figures that have one.

    A LEFT JOIN on the natural key rather than a subquery per row: the database reads
    last year's month once, however many figures there are. The figure is official
    when its park's month of last year is among `counted`. Paired, it is an inner join
    (the park's month last year a plain filter), which the database can hash.
    """
    other = "enterprise__monthly_values"
    last_year = counted_parks(counted, period.year - 1, period.month)
    last = FilteredRelation(
        other,
        condition=Q(
            **{
                f"{other}__indicator": indicator,
                f"{other}__year": period.year - 1,
                f"{other}__month": period.month,
            }
        ),
    )
    if paired:
        return (
            figures.filter(enterprise__park_id__in=last_year)
            .annotate(last=last, base=F("last__value"))
            .filter(base__isnull=False)
        )
    return figures.annotate(
        last=last,
        base=Case(
            When(enterprise__park_id__in=last_year, then=F("last__value")),
            default=None,
            output_field=DecimalField(max_digits=20, decimal_places=4),
        ),
    )
