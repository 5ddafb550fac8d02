"""Reporting deadlines and timeliness (报送及时性): pure rules, no database.

A month's figures are due by the end of a day of the following month: the 5th unless
the year's reporting calendar (ReportingCalendar, in the admin) or the setting
REPORTING_DEADLINE_DAY says otherwise. A deadline on a weekend or holiday stays where
it is: the office moves a year's day in the calendar when it wants another.

A park-month is
- 按时 (on time) when first submitted by the end of its deadline day, local time
  (TIME_ZONE, Asia/Shanghai): 23:59 on the day is on time, 00:00 the next day is late;
- 迟报 (late) when first submitted after it;
- 缺报 (missing) when not submitted and the deadline day is over;
- 未到期 (not yet due) when not submitted and the deadline day is today or later.

Which submission counts: the first one the park did not take back itself. A month
submitted on time and later returned by an admin (退回修改) stays on time, however late
it comes back: the park met the deadline and the correction was asked of it. A
submission the park withdrew (撤回) does not count: its next one does.

A month that counts as reported without ever having been submitted (an admin's
import approves the months it fills) has no submission time: its timeliness is not
known (已报（无上报记录）), and the on-time rate leaves it out. Nor is a month from
before the portal's first reporting month (the earliest month any park has in the
workflow) missing: the parks did not report through the portal then (未纳入).
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import models
from django.utils import timezone

from .choices import PeriodAction

FIRST_DAY, LAST_DAY = 1, 28  # every month has its deadline day


class Timeliness(models.TextChoices):
    """Whether a park reported a month by its deadline."""

    ON_TIME = "on_time", "按时"
    LATE = "late", "迟报"
    MISSING = "missing", "缺报"
    PENDING = "pending", "未到期"
    UNRECORDED = "unrecorded", "已报（无上报记录）"
    UNTRACKED = "untracked", "未纳入"


# The states the on-time rate counts: those whose outcome is settled and known.
SETTLED = frozenset({Timeliness.ON_TIME, Timeliness.LATE, Timeliness.MISSING})


def deadline(year: int, month: int, day: int) -> datetime.date:
    """Return the last day on which the figures of `year`-`month` are on time: `day`
    of the following month."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"截止日应为{FIRST_DAY}至{LAST_DAY}日，而不是{day}日")
    if month == 12:
        return datetime.date(year + 1, 1, day)
    return datetime.date(year, month + 1, day)


def tracked(year: int, month: int, start: tuple[int, int] | None) -> bool:
    """Return whether a month is reported through the portal: on or after `start`, the
    portal's first reporting month (None: no month has been reported yet)."""
    return start is not None and (year, month) >= start


def first_submission(events: Iterable[tuple[str, datetime.datetime]]) -> datetime.datetime | None:
    """Return when a park-month was first submitted for good: the first submission
    not followed by the park's own withdrawal. `events` are the month's workflow
    steps (action, time) in the order they happened."""
    submitted = None
    for action, at in events:
        if action == PeriodAction.SUBMIT:
            if submitted is None:
                submitted = at
        elif action == PeriodAction.WITHDRAW:
            submitted = None
        elif submitted is not None:  # returned or approved: the submission stood
            return submitted
    return submitted


def timeliness(
    *,
    due: datetime.date,
    submitted_at: datetime.datetime | None,
    reported: bool,
    now: datetime.datetime,
    is_tracked: bool = True,
) -> Timeliness:
    """Return a park-month's timeliness.

    `due` is its deadline day, `submitted_at` its counted submission (first_submission),
    `reported` whether it counts as reported now (submitted or approved), `now` the
    current time, `is_tracked` whether the month is reported through the portal
    (tracked). Times are compared as local dates (TIME_ZONE)."""
    if not is_tracked:
        return Timeliness.UNTRACKED
    if submitted_at is not None:
        on_time = timezone.localtime(submitted_at).date() <= due
        return Timeliness.ON_TIME if on_time else Timeliness.LATE
    if reported:
        return Timeliness.UNRECORDED
    if timezone.localtime(now).date() > due:
        return Timeliness.MISSING
    return Timeliness.PENDING


def on_time_rate(states: Sequence[str]) -> Decimal | None:
    """Return the share of months reported on time, in %: on time ÷ (on time + late +
    missing). Months not yet due, those without a submission time and those before the
    portal's first reporting month are left out; None when no month is settled."""
    settled = [state for state in states if state in SETTLED]
    if not settled:
        return None
    on_time = sum(1 for state in settled if state == Timeliness.ON_TIME)
    return Decimal(on_time) * 100 / Decimal(len(settled))
