"""Reminders (催报): an admin asks a park to report a month.

`reminder_send` is the one door: it checks, records the reminder and, once the
transaction commits, mails it to the park's staff who have an e-mail address
(EMAIL_BACKEND; the console by default). The park's staff see a reminder on every
page until the park has reported the month (已上报 or 已审核).
"""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from parkportal.choices import ParkKind, Role
from parkportal.models import Park
from parkportal.roles import can_approve, user_role

from .completeness import REPORTED, deadline_day
from .deadlines import deadline
from .models import PeriodSubmission, Reminder
from .workflow import EntryRefused

logger = logging.getLogger(__name__)
BANNER_LIMIT = 5  # reminders a page shows at most


def day(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def reminder_text(park: Park, year: int, month: int, due: datetime.date, today: datetime.date):
    """Return the reminder's words: the month, its deadline, and whether it has passed."""
    period = f"{park.name}{year}年{month}月数据"
    if today > due:
        return f"{period}已过报送截止日（{day(due)}），请尽快填报并上报。"
    return f"请于{day(due)}前填报并上报{period}。"


def staff_addresses(park: Park) -> list[str]:
    """Return the e-mail addresses of the park's active staff."""
    users = (
        get_user_model()
        .objects.filter(park_memberships__park=park, is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


@transaction.atomic
def reminder_send(
    *, park: Park, year: int, month: int, user, message: str = "", link: str = ""
) -> Reminder:
    """Record a reminder to the park to report `year`-`month` and mail it to the park's
    staff after the commit, with `link` (the month's entry page) when given. Refuses, in
    Chinese, a user who is not an admin, a zone, a month that has not ended, and a month
    the park has reported already."""
    if not can_approve(user):
        raise EntryRefused("只有管理员可以催报。")
    if park.is_zone:
        raise EntryRefused(f"{park.name}是开发区，不单独报送；请选择具体园区。")
    now = timezone.now()
    today = timezone.localdate(now)
    if (year, month) >= (today.year, today.month):
        raise EntryRefused(f"{year}年{month}月尚未结束，还不能催报。")
    reported = PeriodSubmission.objects.filter(
        park=park, year=year, month=month, status__in=REPORTED
    ).exists()
    if reported:
        raise EntryRefused(f"{park.name}{year}年{month}月的数据已上报，无需催报。")
    due = deadline(year, month, deadline_day(year))
    text = message.strip() or reminder_text(park, year, month, due, today)
    addresses = staff_addresses(park)
    reminder = Reminder(
        park=park,
        year=year,
        month=month,
        message=text,
        sent_by=user,
        sent_at=now,
        mailed_to="、".join(addresses),
    )
    reminder.full_clean()
    reminder.save()
    if addresses:
        subject = f"【催报】{park.name}{year}年{month}月数据"
        sender = user.get_full_name() or user.get_username()
        body = text + (f"\n\n填报地址：{link}" if link else "")
        body += f"\n\n（园区经济运行监测平台，{sender}）"
        mails = [(subject, body, None, [address]) for address in addresses]
        transaction.on_commit(lambda: _mail(mails, reminder.pk))
    return reminder


def open_reminders(user) -> list[Reminder]:
    """Return the reminders park staff still have to act on: those to their parks for
    months the park has not reported, the latest of each month, newest first; none for
    other roles. One query."""
    if user_role(user) != Role.STAFF:
        return []
    reported = PeriodSubmission.objects.filter(
        park=OuterRef("park"), year=OuterRef("year"), month=OuterRef("month"), status__in=REPORTED
    )
    rows = (
        Reminder.objects.filter(park__memberships__user=user, park__kind=ParkKind.PARK)
        .exclude(Exists(reported))
        .select_related("park")
        .order_by("-sent_at", "-pk")
    )
    latest = {}
    for reminder in rows[:50]:
        latest.setdefault((reminder.park_id, reminder.year, reminder.month), reminder)
    return list(latest.values())[:BANNER_LIMIT]


def _mail(mails, reminder_id: int) -> None:
    """Send the reminder's mails; a mail server that refuses is logged, the reminder stays
    recorded and shown."""
    try:
        send_mass_mail(mails)
    except Exception:
        logger.exception("催报邮件发送失败（催报记录 %s）", reminder_id)
