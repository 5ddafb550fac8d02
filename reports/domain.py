"""Rules of the leaders' pages, as pure functions on Decimals: no ORM, no request.

The attention list's thresholds are named here once, for the queries that apply them
and the sentences that state them on the page (docs/domain.md):
- revenue has fallen when this year's 1-N revenue is more than FALL_LIMIT % below last
  year's 1-N;
- an enterprise that is not above-scale (四上) is a 规上 candidate when its revenue
  annualised (1-N ÷ N × 12) is NEAR_THRESHOLD 万元 or more but below
  ABOVE_SCALE_THRESHOLD 万元 (规模以上工业: 20,000,000 yuan a year);
- a key project is behind schedule when its investment progress lags the time elapsed
  by more than BEHIND_POINTS percentage points.
"""

from collections.abc import Mapping
from decimal import Decimal

from indicators.domain import own_values
from parkportal.domain import HUNDRED

FALL_LIMIT = Decimal(-20)  # % of revenue against last year: a fall beyond it needs attention
ABOVE_SCALE_THRESHOLD = Decimal(2000)  # 万元 a year: 规模以上工业 (20,000,000 yuan)
NEAR_THRESHOLD = Decimal(1500)  # 万元 a year: from here an enterprise is a 规上 candidate
BEHIND_POINTS = Decimal(20)  # investment progress lagging time progress by more than this
MONTHS = range(1, 13)


def fall_ratio() -> Decimal:
    """Return the share of last year's revenue below which revenue has fallen: 0.8."""
    return (HUNDRED + FALL_LIMIT) / HUNDRED


def annualised(year_to_date: Decimal, month: int) -> Decimal:
    """Return a flow's 1-N figure annualised: 1-N ÷ N × 12."""
    return year_to_date * 12 / month


def year_to_date_at(annual: Decimal, month: int) -> Decimal:
    """Return the 1-N figure whose annualised value is `annual`: annual × N ÷ 12, exactly
    (a bound on the annualised figure put on the 1-N figure itself)."""
    return annual * month / 12


def own_by_month(cumulative: Mapping[int, Decimal]) -> tuple[list[Decimal | None], list[str]]:
    """Return a year's twelve own values (None where none) and their labels ("3月", or
    "1-2月" where the months before have no figure), from its cumulative figures
    (indicators.domain.own_values)."""
    values: list[Decimal | None] = [None] * 12
    labels = [f"{month}月" for month in MONTHS]
    for period in own_values(cumulative):
        values[period.last - 1] = period.value
        labels[period.last - 1] = period.label
    return values, labels
