"""The service desk's rules, as pure functions: time limits, states, rates, counts in words.

No ORM, no request. A case's time limit is counted in calendar days (自然日) from the
day it was received: received on 3月1日 with 3 days allowed, it is due on 3月4日,
due today on that day and overdue from 3月5日 while still open.
"""

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

from parkportal.domain import HUNDRED, round_half_up

OPEN, DUE_TODAY, OVERDUE, CLOSED = "open", "due_today", "overdue", "closed"
STATE_LABELS = {OPEN: "办理中", DUE_TODAY: "今日到期", OVERDUE: "已超期", CLOSED: "已办结"}


def default_days(category: str, limits: Mapping[str, int]) -> int:
    """Return the days allowed for a case of `category`: its limit, else the 其他 one."""
    return int(limits.get(category, limits["other"]))


def due_date(received_on: date, days_allowed: int) -> date:
    """Return the last day a case may be closed within its limit (calendar days)."""
    return received_on + timedelta(days=days_allowed)


def case_state(due_on: date, closed_on: date | None, today: date) -> str:
    """Return whether a case is closed, open, due today or overdue on `today`."""
    if closed_on is not None:
        return CLOSED
    if today > due_on:
        return OVERDUE
    if today == due_on:
        return DUE_TODAY
    return OPEN


def rate(part: int, whole: int) -> Decimal | None:
    """Return `part` of `whole` in %, with 2 decimals; None when there is no whole."""
    if not whole:
        return None
    return round_half_up(Decimal(part) * HUNDRED / Decimal(whole))


def count_text(count: int, *, rounded: bool) -> str:
    """Return a count as the documents write it: exactly ("53"), or rounded down to
    tens with 余 ("50余") when `rounded` and the count is not a whole ten of 10 or more."""
    if not rounded or count < 10 or count % 10 == 0:
        return str(count)
    return f"{count // 10 * 10}余"
