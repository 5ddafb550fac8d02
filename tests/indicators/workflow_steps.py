"""Steps of a park-month's workflow at a chosen time, for the deadline, review and
reminder tests."""

import datetime
from zoneinfo import ZoneInfo

from indicators.choices import PeriodAction
from indicators.models import PeriodEvent
from indicators.workflow import period_transition

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(text: str) -> datetime.datetime:
    """Return a Shanghai time given as "2026-04-05 23:59"."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def step(park, year, month, action, user, at: str, reason=""):
    """Take a workflow step through its door, then date it `at` (Shanghai time)."""
    if action in (PeriodAction.RETURN, PeriodAction.UNLOCK) and not reason:
        reason = "数据有误"
    period_transition(park=park, year=year, month=month, action=action, user=user, reason=reason)
    event = PeriodEvent.objects.filter(submission__park=park).order_by("-pk").first()
    PeriodEvent.objects.filter(pk=event.pk).update(at=local(at))
