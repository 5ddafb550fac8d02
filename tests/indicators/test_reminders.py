"""Reminders (催报): sent by an admin through their door, recorded, mailed to the park's
staff after the commit, shown to that park's staff only until the park reports the month."""

import pytest
from django.urls import reverse

from indicators.choices import PeriodAction
from indicators.models import PeriodSubmission, Reminder
from indicators.reminders import open_reminders, reminder_send
from indicators.workflow import EntryRefused, period_transition
from parkportal.choices import Role
from tests.conftest import make_user
from tests.indicators.workflow_steps import local

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 3
NOW = "2026-04-10 09:00"  # March is past its deadline (April 5th)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: local(NOW))


@pytest.fixture
def mailboxes(staff_a, staff_b, park_a):
    """Park A has two staff with addresses and one without; park B's staff has their own."""
    staff_a.email = "a@example.gov.cn"
    staff_a.save()
    staff_b.email = "b@example.gov.cn"
    staff_b.save()
    make_user("staff_a2", Role.STAFF, park_a)  # no address
    colleague = make_user("staff_a3", Role.STAFF, park_a)
    colleague.email = "a3@example.gov.cn"
    colleague.save()


def test_a_reminder_is_recorded_and_mailed_to_the_parks_staff_after_the_commit(
    park_a, admin_user, mailboxes, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminder = reminder_send(park=park_a, year=YEAR, month=MONTH, user=admin_user)
    assert mailoutbox == []  # nothing is mailed before the commit
    for callback in callbacks:
        callback()
    assert reminder.sent_by == admin_user and reminder.sent_at == local(NOW)
    assert (
        reminder.message
        == "长古城工业园2026年3月数据已过报送截止日（2026年4月5日），请尽快填报并上报。"
    )
    assert reminder.mailed_to == "a3@example.gov.cn、a@example.gov.cn"
    assert sorted(mail.to[0] for mail in mailoutbox) == ["a3@example.gov.cn", "a@example.gov.cn"]
    assert all(len(mail.to) == 1 for mail in mailoutbox)
    assert mailoutbox[0].subject == "【催报】长古城工业园2026年3月数据"
    assert reminder.message in mailoutbox[0].body


def test_a_reminder_before_the_deadline_names_it(park_a, admin_user, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: local("2026-04-02 09:00"))
    reminder = reminder_send(park=park_a, year=YEAR, month=MONTH, user=admin_user)
    assert reminder.message == "请于2026年4月5日前填报并上报长古城工业园2026年3月数据。"


def test_the_admins_own_words_are_sent(park_a, admin_user):
    reminder = reminder_send(
        park=park_a, year=YEAR, month=MONTH, user=admin_user, message=" 今天下班前报 "
    )
    assert reminder.message == "今天下班前报"


@pytest.mark.parametrize(
    ("who", "period", "status", "refusal"),
    [
        ("staff_a", (YEAR, MONTH), None, "只有管理员可以催报"),
        ("leader", (YEAR, MONTH), None, "只有管理员可以催报"),
        ("admin", (YEAR, MONTH), "submitted", "已上报，无需催报"),
        ("admin", (YEAR, MONTH), "approved", "已上报，无需催报"),
        ("admin", (YEAR, 4), None, "尚未结束"),
        ("admin", (YEAR, 5), None, "尚未结束"),
    ],
)
def test_the_door_refuses(
    park_a, staff_a, leader, admin_user, mailoutbox, who, period, status, refusal
):
    users = {"staff_a": staff_a, "leader": leader, "admin": admin_user}
    if status:
        PeriodSubmission.objects.create(park=park_a, year=period[0], month=period[1], status=status)
    with pytest.raises(EntryRefused, match=refusal):
        reminder_send(park=park_a, year=period[0], month=period[1], user=users[who])
    assert not Reminder.objects.exists() and mailoutbox == []


def test_a_zone_is_not_reminded(zone, admin_user):
    with pytest.raises(EntryRefused, match="开发区"):
        reminder_send(park=zone, year=YEAR, month=MONTH, user=admin_user)


def test_the_parks_staff_see_it_until_they_submit(
    client, park_a, park_b, staff_a, staff_b, leader, admin_user
):
    reminder_send(park=park_a, year=YEAR, month=MONTH, user=admin_user)
    reminder_send(
        park=park_a, year=YEAR, month=MONTH, user=admin_user, message="再催：今天必须上报"
    )
    page = reverse("reports:directory")

    client.force_login(staff_a)
    shown = client.get(page).content.decode()
    assert "催报：再催：今天必须上报" in shown  # the latest reminder of the month, once
    assert shown.count("催报：") == 1
    assert reverse("indicators:entry", args=["A", YEAR, MONTH]) in shown

    for other in (staff_b, leader, admin_user):
        client.force_login(other)
        assert "催报：" not in client.get(page).content.decode()

    period_transition(park=park_a, year=YEAR, month=MONTH, action=PeriodAction.SUBMIT, user=staff_a)
    client.force_login(staff_a)
    assert "催报：" not in client.get(page).content.decode()
    assert open_reminders(staff_a) == []


def test_the_banner_costs_one_query(park_a, staff_a, admin_user, django_assert_num_queries):
    for month in (1, 2, 3):
        reminder_send(park=park_a, year=YEAR, month=month, user=admin_user)
    staff_a._portal_role = Role.STAFF  # the role is read once per request, elsewhere
    with django_assert_num_queries(1):
        reminders = open_reminders(staff_a)
    assert [(r.year, r.month) for r in reminders] == [(YEAR, 3), (YEAR, 2), (YEAR, 1)]
    assert [r.park.name for r in reminders] == ["长古城工业园"] * 3


def test_the_completeness_page_sends_a_reminder_and_says_so(
    client, park_a, park_b, admin_user, mailboxes, mailoutbox, django_capture_on_commit_callbacks
):
    PeriodSubmission.objects.create(park=park_b, year=YEAR, month=MONTH, status="submitted")
    client.force_login(admin_user)
    page_url = reverse("indicators:completeness_month", args=[YEAR, MONTH])
    page = client.get(page_url).content.decode()
    remind_a = reverse("indicators:remind", args=["A", YEAR, MONTH])
    assert f'action="{remind_a}"' in page
    assert reverse("indicators:remind", args=["B", YEAR, MONTH]) not in page  # B has reported

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_a, {"next": page_url}, follow=True)
    assert response.redirect_chain[-1][0] == page_url
    body = response.content.decode()
    assert (
        "已向长古城工业园催报2026年3月数据，邮件已发至a3@example.gov.cn、a@example.gov.cn。" in body
    )
    assert "已催报1次" in body
    assert Reminder.objects.get().park == park_a
    assert len(mailoutbox) == 2
    assert "填报地址：http://testserver/entry/A/2026/3/" in mailoutbox[0].body


def test_a_reminder_goes_back_to_no_foreign_page(client, park_a, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("indicators:remind", args=["A", YEAR, MONTH]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("indicators:completeness_month", args=[YEAR, MONTH])


def test_the_review_queue_lists_the_missing_months_to_remind(
    client, park_a, park_b, admin_user, monkeypatch
):
    monkeypatch.setattr("indicators.review_views.reporting_month", lambda: (2026, 3))
    PeriodSubmission.objects.create(park=park_b, year=YEAR, month=1, status="approved")
    client.force_login(admin_user)
    page = client.get(reverse("indicators:review")).content.decode()
    table = page.split('id="missing-months"')[1].split("</table>")[0]
    assert "A-2026-1" in table and "A-2026-2" in table and "A-2026-3" in table
    assert "B-2026-1" not in table and "B-2026-2" in table
    assert "A-2026-4" not in table  # April is not due yet
    assert reverse("indicators:remind", args=["A", YEAR, MONTH]) in table
