"""The review queue (审核队列): what waits, in which order, what the admin sees of a month,
and approving or returning it from the top of the page."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators import codes
from indicators.choices import PeriodAction, PeriodStatus
from indicators.models import FigureNote, PeriodEvent, PeriodSubmission
from indicators.review import review_queue
from tests.factories import EnterpriseFactory, MonthlyValueFactory, ParkFactory, indicator
from tests.indicators.workflow_steps import step

pytestmark = pytest.mark.django_db

S = PeriodAction.SUBMIT
QUEUE = reverse("indicators:review")


def month_url(park, year, month):
    return reverse("indicators:review_month", args=[park.code, year, month])


@pytest.fixture
def jia(park_a):
    """An enterprise of park A whose March revenue grows 78.57% on last March (a warning,
    explained) and whose tax is as last month."""
    enterprise = EnterpriseFactory(park=park_a, name="甲食品有限公司")
    revenue, tax = indicator(codes.REVENUE), indicator(codes.TAX)
    for ind, year, month, value in [
        (revenue, 2025, 3, "280"),
        (revenue, 2025, 12, "1200"),
        (revenue, 2026, 2, "200"),
        (revenue, 2026, 3, "500"),
        (tax, 2026, 2, "20"),
        (tax, 2026, 3, "30"),
    ]:
        MonthlyValueFactory(
            enterprise=enterprise, indicator=ind, year=year, month=month, value=D(value)
        )
    FigureNote.objects.create(
        enterprise=enterprise, indicator=revenue, year=2026, month=3, text="新生产线投产"
    )
    return enterprise


@pytest.fixture
def queue(park_a, park_b, staff_a, staff_b, jia, zone):
    """Three months waiting: A's March (submitted on April 3rd), B's March (April 2nd),
    A's February (March 9th); B's February approved, A's April a draft."""
    step(park_a, 2026, 2, S, staff_a, "2026-03-09 10:00")
    step(park_a, 2026, 3, S, staff_a, "2026-04-03 10:00")
    step(park_b, 2026, 3, S, staff_b, "2026-04-02 10:00")
    PeriodSubmission.objects.create(park=park_b, year=2026, month=2, status="approved")
    PeriodSubmission.objects.create(park=park_a, year=2026, month=4, status="draft")


def test_the_queue_holds_submitted_months_oldest_first(queue):
    assert [(s.park.code, s.year, s.month) for s in review_queue()] == [
        ("A", 2026, 2),
        ("B", 2026, 3),  # within March, the one submitted first
        ("A", 2026, 3),
    ]
    first = review_queue().first()
    assert first.submitted_by == "staff_a"


def test_the_queue_page_lists_them_with_timeliness(client, admin_user, queue):
    client.force_login(admin_user)
    page = client.get(QUEUE).content.decode()
    table = page.split('id="review-queue"')[1].split("</table>")[0]
    assert table.index('data-period="A-2026-2"') < table.index('data-period="B-2026-3"')
    assert table.index('data-period="B-2026-3"') < table.index('data-period="A-2026-3"')
    assert "A-2026-4" not in table and "B-2026-2" not in table
    row = table.split('data-period="A-2026-2"')[1].split("</tr>")[0]
    assert "迟报" in row and "截止3月5日" in row  # submitted on March 9th
    row = table.split('data-period="A-2026-3"')[1].split("</tr>")[0]
    assert "按时" in row


def test_the_queue_page_pins_its_queries(
    client, admin_user, zone, staff_a, django_assert_max_num_queries
):
    for number in range(25):
        park = ParkFactory(code=f"Q{number:02d}", parent=zone)
        PeriodSubmission.objects.create(park=park, year=2026, month=3, status="submitted")
    client.force_login(admin_user)
    with django_assert_max_num_queries(14):
        response = client.get(QUEUE)
    page = response.content.decode()
    table = page.split('id="review-queue"')[1].split("</table>")[0]
    assert table.count('data-period="Q') == 20  # a page of the queue
    assert "第 1 / 2 页，共 25 个月份" in page


def test_the_month_shows_its_changes_and_warnings_with_their_explanations(
    client, admin_user, queue, jia, django_assert_max_num_queries
):
    for _ in range(15):  # more enterprises cost no more queries
        MonthlyValueFactory(enterprise=EnterpriseFactory(park=jia.park), year=2026, month=3)
    client.force_login(admin_user)
    with django_assert_max_num_queries(15):
        response = client.get(month_url(jia.park, 2026, 3))
    page = response.content.decode()
    warnings = page.split('id="review-warnings"')[1].split("</table>")[0]
    assert "甲食品有限公司" in warnings and "营业收入" in warnings
    assert "超过±50%" in warnings and "新生产线投产" in warnings
    changes = page.split('id="review-changes"')[1].split("</table>")[0]
    rows = changes.split("<tr")[2:]
    revenue = next(row for row in rows if "营业收入" in row and jia.name in row)
    # last month's cumulative, this month's, the month's own value, growth
    assert [cell.split("<")[0] for cell in revenue.split('class="num">')[1:5]] == [
        "200",
        "500",
        "300",
        "78.57%",
    ]
    tax = next(row for row in rows if "税收收入" in row and jia.name in row)
    assert [cell.split("<")[0] for cell in tax.split('class="num">')[1:4]] == ["20", "30", "10"]
    # the buttons come before the month's figures
    assert page.index("审核通过并锁定") < page.index('id="review-warnings"')
    assert page.index("退回修改") < page.index('id="review-changes"')


def test_approving_from_the_review_moves_on_to_the_next_month(client, admin_user, queue):
    client.force_login(admin_user)
    response = client.post(
        reverse("indicators:review_month", args=["A", 2026, 2]), {"action": "approve"}
    )
    assert response["Location"] == reverse("indicators:review_month", args=["B", 2026, 3])
    submission = PeriodSubmission.objects.get(park__code="A", year=2026, month=2)
    assert submission.status == PeriodStatus.APPROVED
    assert submission.events.first().user == admin_user
    assert submission.events.first().action == PeriodAction.APPROVE


def test_approving_the_last_month_returns_to_the_empty_queue(client, admin_user, park_a, staff_a):
    step(park_a, 2026, 3, S, staff_a, "2026-04-03 10:00")
    client.force_login(admin_user)
    response = client.post(
        reverse("indicators:review_month", args=["A", 2026, 3]), {"action": "approve"}
    )
    assert response["Location"] == QUEUE
    assert "没有等待审核的月份" in client.get(QUEUE).content.decode()


def test_returning_needs_a_reason(client, admin_user, queue):
    client.force_login(admin_user)
    url = reverse("indicators:review_month", args=["A", 2026, 3])
    events = PeriodEvent.objects.count()
    response = client.post(url, {"action": "return", "reason": " "}, follow=True)
    assert "请填写退回修改的原因" in response.content.decode()
    assert PeriodSubmission.objects.get(park__code="A", year=2026, month=3).status == "submitted"
    assert PeriodEvent.objects.count() == events

    client.post(url, {"action": "return", "reason": "税收收入与税务数据不符"})
    submission = PeriodSubmission.objects.get(park__code="A", year=2026, month=3)
    assert submission.status == PeriodStatus.DRAFT
    assert submission.events.first().reason == "税收收入与税务数据不符"
    # the month's page keeps the record of it
    events = client.get(url).content.decode().split('id="review-events"')[1].split("</ul>")[0]
    assert "admin 退回修改：税收收入与税务数据不符" in events
    assert "staff_a 上报" in events


def test_a_month_not_waiting_offers_no_buttons(client, admin_user, queue):
    client.force_login(admin_user)
    page = client.get(reverse("indicators:review_month", args=["B", 2026, 2])).content.decode()
    assert "审核通过并锁定" not in page and "不在审核队列中" in page
    response = client.post(
        reverse("indicators:review_month", args=["B", 2026, 2]), {"action": "unlock", "reason": "x"}
    )
    assert response.status_code == 400
    assert PeriodSubmission.objects.get(park__code="B", year=2026, month=2).status == "approved"


def test_admins_see_the_queue_in_the_navigation_with_its_count(client, admin_user, leader, queue):
    client.force_login(admin_user)
    page = client.get(reverse("reports:directory")).content.decode()
    assert f'href="{QUEUE}"' in page
    assert '<span class="role-badge" title="待审核月份">3</span>' in page
    client.force_login(leader)
    assert f'href="{QUEUE}"' not in client.get(reverse("reports:directory")).content.decode()
