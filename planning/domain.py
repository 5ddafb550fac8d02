"""Pure rules of the year's plan: a task's status as of a day, why it is late, and the
full-year forecast from months 1..N and the previous years' seasonality. Decimals only."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .choices import TaskStatus

PLACES = Decimal("0.0001")
# The previous years whose seasonality a forecast averages, at most.
FORECAST_YEARS = 3


def task_status(
    measured: Decimal | None, target: Decimal | None, deadline: date, day: date
) -> TaskStatus:
    """Return a task's status on `day`: 已完成 once the measured value reaches the target,
    逾期未完成 after the deadline when it has not, 进行中 until then."""
    if measured is not None and target is not None and measured >= target:
        return TaskStatus.DONE
    if day > deadline:
        return TaskStatus.LATE
    return TaskStatus.ON_TRACK


def late_reason(day: date, measured_text: str, target_text: str) -> str:
    """Return why a task is late, as a line the page shows: "截至2023年6月30日仅1次，目标3次"."""
    return f"截至{day.year}年{day.month}月{day.day}日仅{measured_text}，目标{target_text}"


def year_share(cumulatives: Mapping[int, Decimal], month: int) -> Decimal | None:
    """Return the share of the full year that months 1..`month` made in one year: its 1-N
    cumulative ÷ its 1-12 cumulative; None when the year lacks either figure (not a full
    year of data) or its full year is zero. A missing January changes nothing: every
    figure is year-to-date."""
    part, full = cumulatives.get(month), cumulatives.get(12)
    if part is None or full is None or full == 0:
        return None
    return part / full


@dataclass(frozen=True)
class Forecast:
    """A computed full-year forecast, the years it rests on, or why there is none."""

    value: Decimal | None
    share: Decimal | None  # the average share of months 1..N, as a fraction
    years: tuple[int, ...]  # the previous years used, latest first
    reason: str = ""  # why there is no forecast

    @property
    def method(self) -> str:
        """Return how the figure was reached, as the page writes it beside it."""
        if self.value is None:
            return self.reason
        if not self.years:
            return "1-12月实际数"
        years = "、".join(f"{year}年" for year in self.years)
        share = (self.share * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return f"本年累计 ÷ 前{len(self.years)}年同期占全年比重的平均（{years}，{share}%）"


def full_year_forecast(
    current: Decimal | None,
    month: int,
    history: Mapping[int, Mapping[int, Decimal]],
    year: int,
) -> Forecast:
    """Return the full-year forecast of a figure from its 1-`month` cumulative `current`
    of `year`: current ÷ the average share that months 1..month made of the full year in
    up to FORECAST_YEARS previous years with a full year of data (`history`: year → month
    → cumulative). No current figure, or no previous full year, means no forecast."""
    if current is None:
        return Forecast(None, None, (), f"{year}年1-{month}月无数据，无法预计")
    if month == 12:
        return Forecast(current, Decimal(1), (), "")
    shares = []
    for past in sorted((y for y in history if y < year), reverse=True):
        share = year_share(history[past], month)
        if share is not None and share > 0:
            shares.append((past, share))
        if len(shares) == FORECAST_YEARS:
            break
    if not shares:
        return Forecast(None, None, (), "此前没有完整一年（1-12月）的正式数据，无法按往年规律预计")
    average = sum(share for _, share in shares) / len(shares)
    value = (current / average).quantize(PLACES, ROUND_HALF_UP)
    return Forecast(value, average, tuple(past for past, _ in shares))


def difference(typed: Decimal | None, computed: Decimal | None) -> Decimal | None:
    """Return the typed forecast less the computed one; None when either is missing."""
    if typed is None or computed is None:
        return None
    return typed - computed
