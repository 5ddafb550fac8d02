"""The completeness of a month (报送完成情况): which parks have submitted it and which
enterprises have reported.

An enterprise has reported when it has an official figure of an active indicator in
the month (indicators.official.has_reported), the question the dashboard's attention
list asks too. Figures entered in a month its park has not yet submitted are drafts:
counted apart, so the page can show admins where work is under way.

Each park-month has a reporting deadline and a timeliness (按时, 迟报, 缺报, 未到期,
未纳入; the rules are indicators/deadlines.py); a park's year has an on-time rate.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from parkportal.choices import EnterpriseStatus
from parkportal.models import Enterprise, Park

from .choices import PeriodStatus
from .deadlines import (
    Timeliness,
    deadline,
    first_submission,
    on_time_rate,
    timeliness,
    tracked,
)
from .models import PeriodEvent, PeriodSubmission, Reminder, ReportingCalendar
from .official import has_reported, is_official

# The states in which a park-month counts as reported for its timeliness, whichever
# FIGURES_OFFICIAL_FROM says: the park has done its part.
REPORTED = (PeriodStatus.SUBMITTED, PeriodStatus.APPROVED)


@dataclass(frozen=True)
class MonthTimeliness:
    """Whether a park reported a month by its deadline."""

    month: int
    due: datetime.date
    state: Timeliness
    submitted_at: datetime.datetime | None

    @property
    def label(self) -> str:
        return self.state.label


@dataclass(frozen=True)
class ParkYear:
    """A park's timeliness month by month over a year, and its on-time rate."""

    park_id: int
    months: tuple[MonthTimeliness, ...]

    @property
    def rate(self) -> Decimal | None:
        return on_time_rate([month.state for month in self.months])

    def of(self, month: int) -> MonthTimeliness:
        return self.months[month - 1]


def deadline_day(year: int) -> int:
    """Return the day of the following month by which the months of `year` are due:
    the year's reporting calendar, else REPORTING_DEADLINE_DAY. One query."""
    day = ReportingCalendar.objects.filter(year=year).values_list("deadline_day", flat=True)
    return day.first() or settings.REPORTING_DEADLINE_DAY


def first_reporting_month() -> tuple[int, int] | None:
    """Return the portal's first reporting month: the earliest (year, month) any park has
    in the workflow, or None. One query."""
    return PeriodSubmission.objects.order_by("year", "month").values_list("year", "month").first()


def year_timeliness(
    park_ids, year: int, *, now: datetime.datetime | None = None
) -> dict[int, ParkYear]:
    """Return, for each park, its timeliness of every month of `year`. Four queries."""
    park_ids = set(park_ids)
    now = now or timezone.now()
    day = deadline_day(year)
    start = first_reporting_month()
    rows = PeriodSubmission.objects.filter(park_id__in=park_ids, year=year)
    statuses = {
        (park_id, month): status
        for park_id, month, status in rows.values_list("park_id", "month", "status")
    }
    events = defaultdict(list)
    rows = (
        PeriodEvent.objects.filter(submission__park_id__in=park_ids, submission__year=year)
        .order_by("at", "pk")
        .values_list("submission__park_id", "submission__month", "action", "at")
    )
    for park_id, month, action, at in rows:
        events[(park_id, month)].append((action, at))

    def of_month(park_id: int, month: int) -> MonthTimeliness:
        due = deadline(year, month, day)
        submitted = first_submission(events[(park_id, month)])
        state = timeliness(
            due=due,
            submitted_at=submitted,
            reported=statuses.get((park_id, month)) in REPORTED,
            now=now,
            is_tracked=tracked(year, month, start),
        )
        return MonthTimeliness(month, due, state, submitted)

    return {
        park_id: ParkYear(park_id, tuple(of_month(park_id, month) for month in range(1, 13)))
        for park_id in park_ids
    }


@dataclass
class ParkCompleteness:
    """A park's month: its workflow state, and which of its enterprises have reported."""

    park: Park
    month: int
    status: str
    status_display: str
    enterprises: int
    reported: int  # enterprises with an official figure of the month
    drafted: int  # enterprises with figures of the month that do not count yet
    missing: list[Enterprise]  # each with `has_figures`: whether it has draft figures
    year: ParkYear | None = None  # the park's timeliness over the month's year
    reminders: int = 0  # reminders (催报) sent for the month
    last_reminded: datetime.datetime | None = None
    timeliness: MonthTimeliness | None = field(init=False)

    def __post_init__(self):
        self.timeliness = self.year.of(self.month) if self.year else None

    @property
    def counts(self) -> bool:
        """Whether the park's month counts (submitted, or approved)."""
        return is_official(self.status)

    @property
    def percent(self) -> int:
        return round(self.reported * 100 / self.enterprises) if self.enterprises else 100

    @property
    def may_be_reminded(self) -> bool:
        """Whether a reminder (催报) makes sense: the park has not reported the month."""
        return self.status not in REPORTED


def completeness(
    year: int, month: int, *, now: datetime.datetime | None = None
) -> list[ParkCompleteness]:
    """Return, for every park, its month's status, which enterprises have reported, its
    timeliness over the year and the reminders sent for the month.

    Eight queries.
    """
    parks = list(
        Park.objects.parks()
        .annotate(
            entry_count=Count(
                "enterprises",
                filter=~Q(enterprises__status=EnterpriseStatus.DEREGISTERED),
            )
        )
        .order_by("code")
    )
    statuses = dict(
        PeriodSubmission.objects.filter(year=year, month=month).values_list("park_id", "status")
    )
    missing = defaultdict(list)
    reported = defaultdict(int)
    drafted = defaultdict(int)
    enterprises = (
        Enterprise.objects.registered()
        .filter(park__in=parks)
        .annotate(
            reported=has_reported(year, month),
            has_figures=has_reported(year, month, drafts=True),
        )
        .order_by("name", "pk")
    )
    for enterprise in enterprises:
        if enterprise.reported:
            reported[enterprise.park_id] += 1
            continue
        missing[enterprise.park_id].append(enterprise)
        if enterprise.has_figures:  # not reported, yet with figures: a draft
            drafted[enterprise.park_id] += 1
    labels = dict(PeriodStatus.choices)
    years = year_timeliness([park.pk for park in parks], year, now=now)
    reminders = {
        row["park_id"]: row
        for row in Reminder.objects.filter(year=year, month=month)
        .values("park_id")
        .annotate(count=Count("pk"), last=Max("sent_at"))
    }
    return [
        ParkCompleteness(
            park=park,
            month=month,
            status=(status := statuses.get(park.pk, PeriodStatus.DRAFT)),
            status_display=labels[status],
            enterprises=park.entry_count,
            reported=reported[park.pk],
            drafted=drafted[park.pk],
            missing=missing[park.pk],
            year=years[park.pk],
            reminders=reminders.get(park.pk, {}).get("count", 0),
            last_reminded=reminders.get(park.pk, {}).get("last"),
        )
        for park in parks
    ]


def submissions_timeliness(
    submissions, *, now: datetime.datetime | None = None
) -> dict[int, MonthTimeliness]:
    """Return the timeliness of each workflow record among `submissions`, by its id.
    Two queries."""
    submissions = list(submissions)
    now = now or timezone.now()
    days = dict(
        ReportingCalendar.objects.filter(year__in={s.year for s in submissions}).values_list(
            "year", "deadline_day"
        )
    )
    events = defaultdict(list)
    rows = (
        PeriodEvent.objects.filter(submission__in=[s.pk for s in submissions])
        .order_by("at", "pk")
        .values_list("submission_id", "action", "at")
    )
    for submission_id, action, at in rows:
        events[submission_id].append((action, at))
    result = {}
    for s in submissions:
        due = deadline(s.year, s.month, days.get(s.year, settings.REPORTING_DEADLINE_DAY))
        submitted = first_submission(events[s.pk])
        state = timeliness(due=due, submitted_at=submitted, reported=s.status in REPORTED, now=now)
        result[s.pk] = MonthTimeliness(s.month, due, state, submitted)
    return result
