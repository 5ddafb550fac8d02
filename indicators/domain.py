"""Rules of monthly indicators: cumulative and own values, growth, completion.

Pure functions on Decimal; no ORM, no request. A figure that cannot be
computed (no base, a missing month) is None, shown as "—", never 0.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from parkportal.domain import HUNDRED, plain_number, round_half_up

MONTHS = range(1, 13)


@dataclass(frozen=True)
class PeriodValue:
    """A flow's own value over months first..last: one month, or a span like 1-2月."""

    first: int
    last: int
    value: Decimal

    @property
    def label(self) -> str:
        """Return the period as the documents write it: "3月" or "1-2月"."""
        if self.first == self.last:
            return f"{self.last}月"
        return f"{self.first}-{self.last}月"


def own_values(cumulative: Mapping[int, Decimal]) -> list[PeriodValue]:
    """Return the own values behind a year's cumulative figures, month by month.

    January's own value is its cumulative figure; month N's is cumulative(N) −
    cumulative(N−1). When months are missing (often January: the first figure is
    1-2月), the next figure's own value covers them all: a missing January makes
    February's entry the value of 1-2月, not of February alone.
    """
    periods = []
    previous_month, previous_value = 0, Decimal(0)
    for month in sorted(cumulative):
        if month not in MONTHS:
            raise ValueError(f"month {month} is not 1–12")
        value = cumulative[month]
        periods.append(PeriodValue(previous_month + 1, month, value - previous_value))
        previous_month, previous_value = month, value
    return periods


def month_own_value(cumulative: Mapping[int, Decimal], month: int) -> Decimal | None:
    """Return month `month`'s own value, or None when it cannot be told apart.

    None when the month has no figure, or when the month before it has none
    (except January, whose own value is its cumulative figure).
    """
    if month not in cumulative:
        return None
    if month == 1:
        return cumulative[1]
    if month - 1 not in cumulative:
        return None
    return cumulative[month] - cumulative[month - 1]


def stock_period_value(by_month: Mapping[int, Decimal], month: int) -> Decimal | None:
    """Return a stock's value for months 1..`month`: the latest figure up to that month."""
    reported = [m for m in by_month if m <= month]
    return by_month[max(reported)] if reported else None


def growth_rate(current: Decimal | None, base: Decimal | None) -> Decimal | None:
    """Return year-on-year growth in % with 2 decimals, or None when there is no base.

    No base is a missing or zero base. A loss in either year (a negative base or a
    negative current figure) gives None as well: a ratio across a loss has no meaning
    as growth; `growth_of` says what happened instead (由盈转亏, 减亏…).
    """
    if current is None or base is None or base <= 0 or current < 0:
        return None
    return round_half_up((current - base) * HUNDRED / base)


class Turn(StrEnum):
    """How a figure that may be a loss (利润总额) changed when a loss is involved:
    the words the documents use instead of a percentage."""

    TO_LOSS = "由盈转亏"
    TO_PROFIT = "由亏转盈"
    LOSS_NARROWED = "减亏"
    LOSS_WIDENED = "增亏"


@dataclass(frozen=True)
class Growth:
    """A figure's year-on-year change: a rate in %, or, across a loss, a turn.

    At most one of the two is set; neither when there is no base ("—").
    """

    rate: Decimal | None = None
    turn: Turn | None = None


def growth_of(current: Decimal | None, base: Decimal | None) -> Growth:
    """Return the year-on-year change of a figure that may be negative.

    Both years at or above zero: the growth rate (`growth_rate`). A profit last year
    and a loss now: 由盈转亏; a loss last year and a profit now: 由亏转盈; a loss in
    both years: 减亏 when it shrank (to zero included), 增亏 when it grew, and a rate of
    0 when it stayed the same. A missing or zero base: no growth.
    """
    if current is None or base is None or base == 0:
        return Growth()
    if base > 0:
        return Growth(turn=Turn.TO_LOSS) if current < 0 else Growth(rate=growth_rate(current, base))
    if current > 0:
        return Growth(turn=Turn.TO_PROFIT)
    if current == base:
        return Growth(rate=Decimal("0.00"))
    return Growth(turn=Turn.LOSS_NARROWED if current > base else Turn.LOSS_WIDENED)


@dataclass(frozen=True)
class ComparableGrowth:
    """Growth on the comparable scope: the members with figures in both periods."""

    current: Decimal
    base: Decimal
    members: int
    rate: Decimal | None

    @property
    def change(self) -> Growth:
        """Return the growth as the documents write it, a turn across a loss included."""
        if not self.members:
            return Growth()
        return growth_of(self.current, self.base)


def comparable_growth(
    current: Mapping[Hashable, Decimal | None], base: Mapping[Hashable, Decimal | None]
) -> ComparableGrowth:
    """Return growth summed over the keys (enterprises) that have a figure in both periods.

    An enterprise new this year, or one that stopped reporting, stays outside the
    comparison, so growth measures the same enterprises in both years.
    """
    keys = [
        key for key, value in current.items() if value is not None and base.get(key) is not None
    ]
    current_total = sum((current[key] for key in keys), Decimal(0))
    base_total = sum((base[key] for key in keys), Decimal(0))
    return ComparableGrowth(
        current=current_total,
        base=base_total,
        members=len(keys),
        rate=growth_rate(current_total, base_total) if keys else None,
    )


def percentage_point_change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Return the change between two growth rates in percentage points (个百分点)."""
    if current is None or previous is None:
        return None
    return round_half_up(current - previous)


def two_year_average_growth(
    current: Decimal | None, two_years_ago: Decimal | None
) -> Decimal | None:
    """Return the two-year average growth in %: (√(current / two years ago) − 1) × 100."""
    if current is None or two_years_ago is None or two_years_ago <= 0 or current < 0:
        return None
    return round_half_up(((current / two_years_ago).sqrt() - 1) * HUNDRED)


def time_progress(month: int) -> Decimal:
    """Return the share of the year gone after month `month`, in % with 2 decimals."""
    if month not in MONTHS:
        raise ValueError(f"month {month} is not 1–12")
    return round_half_up(Decimal(month) * HUNDRED / 12)


def completion_rate(year_to_date: Decimal | None, target: Decimal | None) -> Decimal | None:
    """Return year-to-date against the annual target, in % with 2 decimals."""
    if year_to_date is None or target is None or target <= 0:
        return None
    return round_half_up(year_to_date * HUNDRED / target)


# ---------------------------------------------------------------- checks of the monthly entry

GROWTH_WARNING = Decimal(50)  # % against the same month of last year, either way
SIGN_TURNS = (Turn.TO_LOSS, Turn.TO_PROFIT)  # a figure that changed sign warns too
SPIKE_FACTOR = Decimal(3)  # a month's own value against the enterprise's average month
ERROR, WARNING = "error", "warning"
MISSING = "上月有数据，本月未填写"


@dataclass(frozen=True)
class FigureCheck:
    """What is wrong (an error: not stored) or unusual (a warning: to be explained)."""

    level: str
    message: str


def average_month(
    last_year_total: Decimal | None, earlier: tuple[int, Decimal] | None
) -> Decimal | None:
    """Return an enterprise's average month of a flow: last year's total / 12, or,
    without one, this year's latest earlier cumulative over its months."""
    if last_year_total is not None and last_year_total > 0:
        return last_year_total / 12
    if earlier is not None and earlier[1] > 0:
        return earlier[1] / earlier[0]
    return None


def figure_checks(
    *,
    value: Decimal | None,
    month: int,
    is_flow: bool,
    must_not_fall: bool,
    earlier: tuple[int, Decimal] | None,
    later: tuple[int, Decimal] | None,
    last_year: Decimal | None,
    average: Decimal | None,
    reported_last_month: bool,
    entering: bool = False,
) -> list[FigureCheck]:
    """Return the checks one figure of the entry fails.

    `value` is the year-to-date cumulative of a flow, or the month's figure of a
    stock; None when blank. `earlier` and `later` are (month, cumulative) of the
    nearest months of the same year with a figure; `last_year` is the same month
    of last year; `average` the enterprise's average month (`average_month`).

    While the month is being `entering`, a blank cell is simply not filled in yet;
    a figure missing where last month had one warns when the month is submitted.
    """
    if value is None:
        if reported_last_month and not entering:
            return [FigureCheck(WARNING, MISSING)]
        return []
    checks = []
    if must_not_fall and earlier is not None and value < earlier[1]:
        checks.append(
            FigureCheck(
                ERROR,
                f"本年累计数{plain_number(value)}小于{earlier[0]}月的累计数"
                f"{plain_number(earlier[1])}，不能减少",
            )
        )
    if must_not_fall and later is not None and value > later[1]:
        checks.append(
            FigureCheck(
                ERROR,
                f"本年累计数{plain_number(value)}大于{later[0]}月已填的累计数"
                f"{plain_number(later[1])}",
            )
        )
    change = growth_of(value, last_year)
    if change.turn in SIGN_TURNS:
        # A profit turned into a loss (or back) has no rate to compare with ±50%.
        checks.append(FigureCheck(WARNING, f"比上年同期{change.turn}"))
    elif change.rate is not None and abs(change.rate) > GROWTH_WARNING:
        trend = "增长" if change.rate > 0 else "下降"
        checks.append(FigureCheck(WARNING, f"比上年同期{trend}{abs(change.rate)}%，超过±50%"))
    if is_flow and average is not None:
        known = {earlier[0]: earlier[1]} if earlier else {}
        own = month_own_value({**known, month: value}, month)
        if own is not None and own > SPIKE_FACTOR * average:
            checks.append(
                FigureCheck(
                    WARNING,
                    f"本月值{plain_number(own)}超过该企业月均值{round_half_up(average)}的3倍",
                )
            )
    return checks
