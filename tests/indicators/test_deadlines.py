"""Reporting deadlines, timeliness and the on-time rate, as tables of hand-computed dates."""

import datetime
import re
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from indicators.choices import PeriodAction
from indicators.choices import PeriodAction as A
from indicators.completeness import year_timeliness
from indicators.deadlines import Timeliness as T
from indicators.deadlines import deadline, first_submission, on_time_rate, timeliness, tracked
from indicators.models import PeriodSubmission, Reminder, ReportingCalendar
from tests.factories import ParkFactory
from tests.indicators.workflow_steps import local, step

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC


def at(text: str, tz=SHANGHAI) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=tz)


@pytest.mark.parametrize(
    ("year", "month", "day", "due"),
    [
        (2026, 3, 5, "2026-04-05"),  # a Sunday: no adjustment
        (2026, 1, 5, "2026-02-05"),
        (2026, 12, 5, "2027-01-05"),  # December's deadline falls in the next year
        (2026, 1, 28, "2026-02-28"),
        (2028, 1, 28, "2028-02-28"),  # a leap year changes nothing at day 28
        (2026, 10, 1, "2026-11-01"),
    ],
)
def test_the_deadline_is_a_day_of_the_following_month(year, month, day, due):
    assert deadline(year, month, day) == datetime.date.fromisoformat(due)


@pytest.mark.parametrize("day", [0, 29, 31])
def test_a_deadline_day_outside_1_to_28_is_refused(day):
    with pytest.raises(ValueError, match="截止日"):
        deadline(2026, 3, day)


DUE = datetime.date(2026, 4, 5)  # March 2026's deadline


@pytest.mark.parametrize(
    ("submitted_at", "reported", "now", "expected"),
    [
        (at("2026-04-03T10:00"), True, at("2026-04-20T09:00"), T.ON_TIME),
        (at("2026-04-05T23:59:59"), True, at("2026-04-20T09:00"), T.ON_TIME),
        (at("2026-04-06T00:00"), True, at("2026-04-20T09:00"), T.LATE),
        # the same instants in UTC: 15:59 UTC is 23:59 in Shanghai, 16:00 UTC is 00:00
        (at("2026-04-05T15:59", UTC), True, at("2026-04-20T09:00"), T.ON_TIME),
        (at("2026-04-05T16:00", UTC), True, at("2026-04-20T09:00"), T.LATE),
        # submitted before the deadline: on time before the deadline has even passed
        (at("2026-04-02T08:00"), True, at("2026-04-03T09:00"), T.ON_TIME),
        # submitted, then returned: the submission still counts (reported is False now)
        (at("2026-04-02T08:00"), False, at("2026-04-20T09:00"), T.ON_TIME),
        # not submitted
        (None, False, at("2026-04-05T23:59"), T.PENDING),
        (None, False, at("2026-04-06T00:00"), T.MISSING),
        (None, False, at("2026-04-05T16:00", UTC), T.MISSING),
        (None, False, at("2026-03-15T09:00"), T.PENDING),
        # counted without a submission (an admin's import approved it)
        (None, True, at("2026-04-20T09:00"), T.UNRECORDED),
        (None, True, at("2026-04-01T09:00"), T.UNRECORDED),
    ],
)
def test_timeliness(submitted_at, reported, now, expected):
    assert timeliness(due=DUE, submitted_at=submitted_at, reported=reported, now=now) == expected


S1, S2, S3 = at("2026-04-03T10:00"), at("2026-04-07T10:00"), at("2026-04-09T10:00")
LATER = at("2026-04-10T10:00")


@pytest.mark.parametrize(
    ("events", "counted"),
    [
        ([], None),
        ([(A.SUBMIT, S1)], S1),
        ([(A.SUBMIT, S1), (A.APPROVE, LATER)], S1),
        # returned by an admin, submitted again late: the first submission counts
        ([(A.SUBMIT, S1), (A.RETURN, S2), (A.SUBMIT, S3)], S1),
        # withdrawn by the park itself: the next submission counts
        ([(A.SUBMIT, S1), (A.WITHDRAW, S2), (A.SUBMIT, S3)], S3),
        ([(A.SUBMIT, S1), (A.WITHDRAW, S2)], None),
        # approved, unlocked, submitted again: the first submission stood
        ([(A.SUBMIT, S1), (A.APPROVE, S2), (A.UNLOCK, S3), (A.SUBMIT, LATER)], S1),
        # an import's approval alone is no submission
        ([(A.APPROVE, S1)], None),
        ([(A.APPROVE, S1), (A.UNLOCK, S2), (A.SUBMIT, S3)], S3),
    ],
)
def test_the_first_submission_the_park_did_not_withdraw_counts(events, counted):
    assert first_submission(events) == counted


def test_a_month_before_the_portals_first_is_not_tracked():
    now = at("2026-04-20T09:00")
    assert timeliness(due=DUE, submitted_at=None, reported=False, now=now, is_tracked=False) == (
        T.UNTRACKED
    )


@pytest.mark.parametrize(
    ("year", "month", "start", "expected"),
    [
        (2026, 3, (2026, 3), True),
        (2026, 2, (2026, 3), False),
        (2025, 12, (2026, 1), False),
        (2026, 1, (2025, 12), True),
        (2026, 3, None, False),  # nothing reported through the portal yet
    ],
)
def test_tracked_months_start_with_the_portals_first(year, month, start, expected):
    assert tracked(year, month, start) is expected


@pytest.mark.parametrize(
    ("states", "rate"),
    [
        ([], None),
        ([T.PENDING, T.UNRECORDED], None),
        ([T.ON_TIME], D("100")),
        ([T.ON_TIME, T.LATE], D("50")),
        ([T.ON_TIME, T.LATE, T.MISSING], D("100") / 3),
        ([T.ON_TIME, T.ON_TIME, T.ON_TIME, T.MISSING], D("75")),
        # months not yet due and months without a submission time are left out
        ([T.ON_TIME, T.LATE, T.PENDING, T.UNRECORDED], D("50")),
        ([T.MISSING, T.PENDING], D("0")),
        ([T.UNTRACKED, T.UNTRACKED, T.ON_TIME, T.MISSING], D("50")),
    ],
)
def test_the_on_time_rate_counts_the_settled_months(states, rate):
    assert on_time_rate(states) == rate


# The park-months' timeliness as the completeness page reads it from the workflow.

NOW = "2026-06-20 10:00"  # March's and April's deadlines have passed, June's has not


@pytest.fixture
def months_of_a(park_a, staff_a, admin_user):
    """Park A's 2026: January on time, February late, March on time then returned and
    submitted again late, April submitted on time but withdrawn and submitted late,
    May missing, June not due; an imported (approved) month of December 2025."""
    S, W, R = PeriodAction.SUBMIT, PeriodAction.WITHDRAW, PeriodAction.RETURN
    for month, steps in {
        1: [(S, "2026-02-05 23:59")],
        2: [(S, "2026-03-06 00:00")],
        3: [(S, "2026-04-01 09:00"), (R, "2026-04-08 09:00"), (S, "2026-04-09 09:00")],
        4: [(S, "2026-05-02 09:00"), (W, "2026-05-03 09:00"), (S, "2026-05-07 09:00")],
    }.items():
        for action, when in steps:
            user = admin_user if action == R else staff_a
            step(park_a, 2026, month, action, user, when)
    return park_a


@pytest.mark.django_db
def test_a_parks_year_reads_its_workflow(months_of_a):
    year = year_timeliness([months_of_a.pk], 2026, now=local(NOW))[months_of_a.pk]
    assert [m.state for m in year.months] == [
        T.ON_TIME, T.LATE, T.ON_TIME, T.LATE, T.MISSING, T.PENDING,
        T.PENDING, T.PENDING, T.PENDING, T.PENDING, T.PENDING, T.PENDING,
    ]  # fmt: skip
    assert year.of(3).submitted_at == local("2026-04-01 09:00")
    assert year.of(4).submitted_at == local("2026-05-07 09:00")
    assert year.rate == D("40")  # 2 on time of 5 settled


@pytest.mark.django_db
def test_the_years_calendar_moves_the_deadline(months_of_a):
    ReportingCalendar.objects.create(year=2026, deadline_day=10)
    year = year_timeliness([months_of_a.pk], 2026, now=local(NOW))[months_of_a.pk]
    assert year.of(2).due == datetime.date(2026, 3, 10)
    assert year.of(2).state == T.ON_TIME  # submitted on March 6th
    assert year.of(4).state == T.ON_TIME  # May 7th, before May 10th
    assert year.rate == D("80")


@pytest.mark.django_db
def test_without_a_calendar_the_setting_names_the_day(months_of_a, settings):
    settings.REPORTING_DEADLINE_DAY = 1
    year = year_timeliness([months_of_a.pk], 2026, now=local(NOW))[months_of_a.pk]
    assert year.of(1).due == datetime.date(2026, 2, 1)
    assert year.of(1).state == T.LATE


@pytest.mark.django_db
def test_an_imported_month_has_no_submission_time(park_a):
    PeriodSubmission.objects.create(park=park_a, year=2026, month=1, status="approved")
    year = year_timeliness([park_a.pk], 2026, now=local(NOW))[park_a.pk]
    assert year.of(1).state == T.UNRECORDED
    assert year.of(2).state == T.MISSING
    assert year.rate == D("0")


@pytest.mark.django_db
def test_the_completeness_page_shows_each_months_timeliness_and_the_rate(
    client, leader, months_of_a, park_b, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.now", lambda: local(NOW))
    client.force_login(leader)
    response = client.get(reverse("indicators:completeness_month", args=[2026, 4]))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<strong id="deadline">2026年5月5日</strong>' in page
    row_a = page.split('id="timeliness"')[1].split('data-park="A"')[1].split("</tr>")[0]
    assert re.findall(r">(按时|迟报|缺报|未到期)</a>", row_a) == [
        "按时", "迟报", "按时", "迟报", "缺报", *["未到期"] * 7
    ]  # fmt: skip
    assert "40.00%" in row_a
    row_b = page.split('id="timeliness"')[1].split('data-park="B"')[1].split("</tr>")[0]
    assert re.findall(r">(缺报|未到期)</a>", row_b) == ["缺报"] * 5 + ["未到期"] * 7
    assert "0.00%" in row_b
    # April on the month's table: late, with its counted submission's time
    month_a = page.split('id="completeness"')[1].split('data-park="A"')[1].split("</tr>")[0]
    assert "迟报" in month_a and "5月7日 09:00上报" in month_a


@pytest.mark.django_db
def test_the_completeness_page_pins_its_queries(
    client, admin_user, months_of_a, zone, django_assert_max_num_queries
):
    for number in range(12):  # more parks, months and reminders cost no more queries
        park = ParkFactory(code=f"Q{number:02d}", parent=zone)
        PeriodSubmission.objects.create(park=park, year=2026, month=4, status="submitted")
        Reminder.objects.create(park=park, year=2026, month=3, message="请尽快上报")
    client.force_login(admin_user)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("indicators:completeness_month", args=[2026, 4]))
    assert response.content.decode().count('data-park="Q') == 2 * 12  # both tables


@pytest.mark.django_db
def test_months_before_the_portals_first_reporting_month_are_not_missing(park_a, park_b, staff_a):
    step(park_a, 2026, 3, A.SUBMIT, staff_a, "2026-04-03 09:00")
    years = year_timeliness([park_a.pk, park_b.pk], 2026, now=local(NOW))
    assert [m.state for m in years[park_a.pk].months[:5]] == [
        T.UNTRACKED, T.UNTRACKED, T.ON_TIME, T.MISSING, T.MISSING
    ]  # fmt: skip
    assert [m.state for m in years[park_b.pk].months[:5]] == [
        T.UNTRACKED, T.UNTRACKED, T.MISSING, T.MISSING, T.MISSING
    ]  # fmt: skip
    assert years[park_a.pk].rate == D("100") / 3
