"""Numbers as people read them: the one place that writes a figure for a page, a chart,
a workbook, a document or a sentence (docs/domain.md, "Conventions").

- Money is held in 万元. A sentence writes a sum of 1亿元 or more in 亿元 with at most 4
  decimals and no trailing zeros (567559万元 → 56.7559亿元, 56300 → 5.63亿元), a smaller
  one in 万元 with thousands separators and at most 2 decimals (4,344万元, 1,565.7万元).
- Table cells of 万元 have 2 fixed decimals and thousands separators (106,000.12), so
  their decimals line up when right-aligned.
- Percentages (growth, completion, shares) have 2 decimals: 35.92%; a change between two
  of them is in 个百分点. A change across a loss is a word, never a percentage: 由盈转亏,
  由亏转盈, 减亏, 增亏 (indicators.domain.growth_of).
- A figure that does not exist (no base, not reported) is "—", never 0.

Rounding is half away from zero (parkportal.domain.round_half_up) and happens here
only: everything before works on exact Decimals. Shares that add up to 100.00 are
computed by parkportal.domain.shares; this module only writes them.
"""

from datetime import date
from decimal import Decimal

from .domain import round_half_up

NO_FIGURE = "—"
WAN_PER_YI = Decimal(10000)
YI_PLACES = Decimal("0.0001")
WHOLE = Decimal(1)
YI = "亿元"
WAN = "万元"


def wan_to_yi(wan: Decimal) -> Decimal:
    """Return a sum in 万元 converted to 亿元 with 4 decimals: 567559 → 56.7559."""
    return round_half_up(wan / WAN_PER_YI, YI_PLACES)


def _trimmed(value: Decimal) -> str:
    """Return a rounded Decimal with thousands separators and no trailing zeros."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def yi(wan: Decimal | None) -> str:
    """Return a sum in 万元 in 亿元, without the unit, with at most 4 decimals and no
    trailing zeros: "56.7559", "18.23"; "—"."""
    return NO_FIGURE if wan is None else _trimmed(wan_to_yi(wan))


def wan(value: Decimal | None) -> str:
    """Return a sum in 万元 as a sentence writes its number, with thousands separators and
    at most 2 decimals, no trailing zeros: "4,344", "1,565.7"; "—"."""
    return NO_FIGURE if value is None else _trimmed(round_half_up(Decimal(value)))


def money_number(value: Decimal | None) -> str:
    """Return the number of `money_text` without its unit: "56.7559", "4,344"; "—"."""
    if value is None:
        return NO_FIGURE
    return wan(value) if _under_one_yi(value) else yi(value)


def money_unit(value: Decimal | None) -> str:
    """Return the unit of `money_text`: 亿元 from 1亿元 up, 万元 below; "" for none."""
    if value is None:
        return ""
    return WAN if _under_one_yi(value) else YI


def money_text(value: Decimal | None) -> str:
    """Return a sum in 万元 as a sentence writes it: from 1亿元 up in 亿元 ("56.7559亿元",
    "5.63亿元"), below in 万元 ("4,344万元"); "—" when there is none."""
    return f"{money_number(value)}{money_unit(value)}"


def _under_one_yi(value: Decimal) -> bool:
    """Whether a sum in 万元, as a sentence rounds it, is under 1亿元."""
    return abs(round_half_up(Decimal(value))) < WAN_PER_YI


def amount(value: Decimal | None, unit: str, *, is_money: bool) -> str:
    """Return an indicator's total as a sentence or a card writes it, in the documents'
    style: money by `money_text` ("10.6亿元", "4,344万元"), anything else whole in its own
    unit ("3856人"); "—" when there is none."""
    if is_money:
        return money_text(value)
    if value is None:
        return NO_FIGURE
    return f"{round_half_up(value, WHOLE)}{unit}"


def chart_amount(value: Decimal | None, *, is_money: bool) -> Decimal | None:
    """Return a total in the unit charts show it in: 亿元 for money, as stored otherwise."""
    if value is None or not is_money:
        return value
    return wan_to_yi(value)


def chart_unit(unit: str, *, is_money: bool) -> str:
    """Return the unit a chart of the indicator names: 亿元 for money, its own otherwise."""
    return YI if is_money else unit


def money(value: Decimal | None) -> str:
    """Return an amount in 万元 (or an area in 亩) for a table: "106,000.12"; "—"."""
    return NO_FIGURE if value is None else f"{round_half_up(value):,}"


def cell(value: Decimal | None, unit: str) -> str:
    """Return an indicator's figure for a table cell, in its unit: 万元 with 2 fixed
    decimals, so a column's decimals line up ("1,149.10"), anything else whole ("5,648");
    "—". (万元 is what Indicator.is_money calls money.)"""
    return money(value) if unit == WAN else whole(value)


def in_unit(value: Decimal | None, unit: str) -> str:
    """Return an indicator's figure as a card or a sentence writes it in its own unit,
    without the unit: 万元 with at most 2 decimals ("9,000.12", "40,000"), anything else
    whole ("5,648"); "—"."""
    return wan(value) if unit == WAN else whole(value)


def whole(value: Decimal | int | None) -> str:
    """Return a count (enterprises, projects, persons) or an amount rounded to a whole
    number, with thousands separators: "1,234"; "—"."""
    return NO_FIGURE if value is None else f"{round_half_up(Decimal(value), WHOLE):,}"


def figure(value: Decimal | None) -> str:
    """Return a stored figure as people read it, unrounded: "1,200.5"; "—" when none."""
    if value is None or value == "":
        return NO_FIGURE
    text = f"{Decimal(value):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _rate_and_turn(value) -> tuple[Decimal | None, str | None]:
    """Return a growth's rate and its turn's word: `value` is a rate, or a change
    (indicators.domain.Growth) that holds a rate or, across a loss, a turn."""
    if hasattr(value, "turn"):
        return value.rate, None if value.turn is None else str(value.turn)
    return value, None


def rate(value) -> str:
    """Return a percentage's number with 2 decimals, for a table under a "(%)" header:
    "35.92"; a growth across a loss as its word ("由盈转亏"); "—"."""
    value, turn = _rate_and_turn(value)
    if turn is not None:
        return turn
    return NO_FIGURE if value is None else f"{round_half_up(value)}"


def percent(value: Decimal | None) -> str:
    """Return a percentage with 2 decimals, e.g. "35.92%"; "—" when there is none."""
    return NO_FIGURE if value is None else f"{round_half_up(value)}%"


def growth(value) -> str:
    """Return a growth rate with its sign: "+35.92%", "-3.10%"; a change across a loss
    as its word ("由盈转亏"); "—" when there is no base."""
    value, turn = _rate_and_turn(value)
    if turn is not None:
        return turn
    if value is None:
        return NO_FIGURE
    value = round_half_up(value)
    return f"+{value}%" if value > 0 else f"{value}%"


def growth_phrase(value) -> str:
    """Return year-on-year growth as the documents say it: 增长35.92%, 下降5.00%; across a
    loss, its word: 由盈转亏, 由亏转盈, 减亏, 增亏."""
    value, turn = _rate_and_turn(value)
    if turn is not None:
        return turn
    if value is None:
        return "上年同期无可比数据"
    if value > 0:
        return f"增长{percent(value)}"
    if value < 0:
        return f"下降{percent(-value)}"
    return "与上年同期持平"


def points(change: Decimal | None, *, trimmed: bool = False) -> str:
    """Return a change in percentage points, unsigned: "3.80个百分点"; as the documents
    write it (`trimmed`), without trailing zeros: "0.8个百分点"; "—" when there is none."""
    if change is None:
        return NO_FIGURE
    change = abs(round_half_up(change))
    number = f"{change.normalize():f}" if trimmed else f"{change}"
    return f"{number}个百分点"


def point_change_phrase(change: Decimal | None) -> str:
    """Return the change of a growth rate as the documents say it: "加快0.8个百分点",
    "回落1.25个百分点", "持平"; "" when there is none."""
    if change is None:
        return ""
    if change == 0:
        return "持平"
    verb = "加快" if change > 0 else "回落"
    return f"{verb}{points(change, trimmed=True)}"


def area(value: Decimal) -> str:
    """Return land in 亩 as the documents write it, without trailing zeros: 200亩, 12.5亩."""
    return f"{round_half_up(value).normalize():f}亩"


def day(value: date | str | None) -> str:
    """Return a date as the tables write it: "2026-03-31"; "—" when there is none."""
    if value is None:
        return NO_FIGURE
    return value.isoformat() if isinstance(value, date) else str(value)


__all__ = [
    "NO_FIGURE",
    "amount",
    "area",
    "cell",
    "chart_amount",
    "chart_unit",
    "day",
    "figure",
    "growth",
    "growth_phrase",
    "in_unit",
    "money",
    "money_number",
    "money_text",
    "money_unit",
    "percent",
    "point_change_phrase",
    "points",
    "rate",
    "wan",
    "wan_to_yi",
    "whole",
    "yi",
]
