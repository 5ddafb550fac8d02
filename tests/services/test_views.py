"""The service desk's pages: who may reach what (GET and POST), the lists, their filters and
query counts, a case recorded and closed, and an enterprise's page showing its cases."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from services.models import ServiceCase
from tests.factories import EnterpriseFactory

from .conftest import make_case

pytestmark = pytest.mark.django_db

STAFF_A, STAFF_B, LEADER, ADMIN, ANONYMOUS = "staff_a", "staff_b", "leader", "admin", "anonymous"
EVERYONE = {STAFF_A, STAFF_B, LEADER, ADMIN}


@pytest.fixture
def world(park_a, park_b):
    jia = EnterpriseFactory(park=park_a, name="甲企业")
    bing = EnterpriseFactory(park=park_b, name="丙企业")
    today = timezone.localdate()
    return {
        "jia": jia,
        "bing": bing,
        "case_a": make_case(jia, code="FW-A", received_on=today - timedelta(days=2)),
        "case_b": make_case(bing, code="FW-B", received_on=today - timedelta(days=2)),
    }


@pytest.fixture
def users(staff_a, staff_b, leader, admin_user):
    return {STAFF_A: staff_a, STAFF_B: staff_b, LEADER: leader, ADMIN: admin_user, ANONYMOUS: None}


@dataclass
class Case:
    name: str
    method: str
    url: str
    allowed: set[str]
    data: dict = field(default_factory=dict)


def new_case(enterprise) -> dict:
    return {
        "code": "FW-NEW",
        "kind": "request",
        "enterprise": enterprise.pk,
        "received_on": timezone.localdate().isoformat(),
        "channel": "breakfast",
        "category": "labour",
        "subject": "招工难",
        "unit": "县人社局",
        "days_allowed": "",
    }


def closing() -> dict:
    return {
        "closed_on": timezone.localdate().isoformat(),
        "outcome": "已协调",
        "mode": "online",
        "satisfaction": "satisfied",
    }


def cases(world) -> list[Case]:
    a, b = world["case_a"], world["case_b"]
    close_a, close_b = (reverse("services:close", args=[case.pk]) for case in (a, b))
    return [
        Case("list", "GET", reverse("services:list"), EVERYONE),
        Case("list overdue", "GET", reverse("services:list") + "?state=overdue", EVERYONE),
        Case("case A", "GET", reverse("services:case", args=[a.pk]), {STAFF_A, LEADER, ADMIN}),
        Case("case B", "GET", reverse("services:case", args=[b.pk]), {STAFF_B, LEADER, ADMIN}),
        Case("new page", "GET", reverse("services:new"), {STAFF_A, STAFF_B, ADMIN}),
        Case("record A", "POST", reverse("services:new"), {STAFF_A, ADMIN}, new_case(world["jia"])),
        Case("close A", "POST", close_a, {STAFF_A, ADMIN}, closing()),
        Case("close B", "POST", close_b, {STAFF_B, ADMIN}, closing()),
        Case("close A by GET", "GET", reverse("services:close", args=[a.pk]), set()),
    ]  # fmt: skip


CASE_NAMES = [
    "list", "list overdue", "case A", "case B", "new page", "record A", "close A", "close B",
    "close A by GET",
]  # fmt: skip


def snapshot():
    return sorted(ServiceCase.objects.values_list("code", "closed_on", "outcome"))


def test_the_table_covers_every_case(world):
    assert [case.name for case in cases(world)] == CASE_NAMES


@pytest.mark.parametrize("who", [STAFF_A, STAFF_B, LEADER, ADMIN, ANONYMOUS])
@pytest.mark.parametrize("name", CASE_NAMES)
def test_who_may_reach_what(client, world, users, who, name):
    case = next(case for case in cases(world) if case.name == name)
    if users[who] is not None:
        client.force_login(users[who])
    before = snapshot()
    response = client.get(case.url) if case.method == "GET" else client.post(case.url, case.data)
    if who in case.allowed:
        assert response.status_code in (200, 302), (who, name, response.status_code)
        if case.method == "POST":
            assert response.status_code == 302, response.content.decode()[:2000]
            assert snapshot() != before
        return
    if who == ANONYMOUS:
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))
    elif name == "record A" and who == STAFF_B:
        # may record for park B only: park A's enterprise is not among the choices
        assert response.status_code == 200
        assert "选择一个有效的选项" in response.content.decode()
    elif name == "close A by GET":
        assert response.status_code == 405
    else:
        assert response.status_code == 403, (who, name, response.status_code)
    assert snapshot() == before, (who, name)


def test_staff_cannot_record_a_case_for_another_parks_enterprise(client, world, users):
    client.force_login(users[STAFF_A])
    response = client.post(reverse("services:new"), new_case(world["bing"]))
    assert response.status_code == 200
    assert "企业" in response.content.decode()
    assert not ServiceCase.objects.filter(code="FW-NEW").exists()


def test_a_recorded_case_takes_the_categorys_limit_and_is_listed_open(
    client, world, users, settings
):
    settings.SERVICE_TIME_LIMITS = {"labour": 5, "other": 7}
    client.force_login(users[STAFF_A])
    response = client.post(reverse("services:new"), new_case(world["jia"]))
    case = ServiceCase.objects.get(code="FW-NEW")
    assert response["Location"] == case.get_absolute_url()
    assert (case.days_allowed, case.due_on) == (5, timezone.localdate() + timedelta(days=5))
    listing = client.get(reverse("services:list")).content.decode()
    assert "FW-NEW" in listing and "FW-B" not in listing  # staff see their parks only


def test_a_refused_close_says_what_is_wrong_and_keeps_the_case_open(client, world, users):
    client.force_login(users[ADMIN])
    case = world["case_a"]
    data = {**closing(), "closed_on": (case.received_on - timedelta(1)).isoformat()}
    response = client.post(reverse("services:close", args=[case.pk]), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "办结日期：办结日期" in text and "早于受理日期" in text
    case.refresh_from_db()
    assert case.closed_on is None


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("", {"FW-1", "FW-2", "FW-3"}),  # open: due later, due today, overdue
        ("state=due_today", {"FW-2"}),
        ("state=overdue", {"FW-3"}),
        ("state=closed", {"FW-4"}),
        ("park=B", {"FW-3"}),
        ("kind=approval", {"FW-2"}),
        ("channel=online", {"FW-1"}),
        ("category=financing", {"FW-3"}),
        ("unit=审批", {"FW-2"}),
        ("q=用电", {"FW-1"}),
        ("q=丙企业", {"FW-3"}),
        ("state=closed&q=用电", set()),
    ],
)
def test_the_lists_and_filters(client, park_a, park_b, admin_user, query, listed):
    jia = EnterpriseFactory(park=park_a, name="甲企业")
    bing = EnterpriseFactory(park=park_b, name="丙企业")
    today = timezone.localdate()
    make_case(jia, code="FW-1", received_on=today, days_allowed=3, channel="online")
    make_case(
        jia,
        code="FW-2",
        kind="approval",
        received_on=today - timedelta(2),
        days_allowed=2,
        subject="施工许可",
        unit="县行政审批局",
        category="approval",
    )
    make_case(
        bing,
        code="FW-3",
        received_on=today - timedelta(9),
        days_allowed=3,
        category="financing",
        subject="贷款",
    )
    make_case(jia, code="FW-4", received_on=today - timedelta(9), closed_on=today,
              subject="道路")  # fmt: skip
    client.force_login(admin_user)
    response = client.get(reverse("services:list") + "?" + query)
    assert response.status_code == 200
    shown = {row[0].code for row in response.context["rows"]}
    assert shown == listed


def test_the_list_counts_its_queries_whatever_its_length(
    client, park_a, admin_user, django_assert_max_num_queries
):
    for n in range(30):
        enterprise = EnterpriseFactory(park=park_a)
        make_case(enterprise, code=f"FW-{n:03}", received_on=date(2026, 1, 1) + timedelta(n))
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("services:list") + "?state=overdue")
    assert len(response.context["rows"]) == 20
    assert response.context["page"].paginator.count == 30


def test_an_enterprises_page_shows_its_requests_and_approvals(
    client, world, users, django_assert_max_num_queries
):
    make_case(world["jia"], code="FW-A2", kind="approval", subject="环评批复代办",
              closed_on=timezone.localdate(), outcome="已取得批复")  # fmt: skip
    client.force_login(users[LEADER])
    page = client.get(reverse("reports:enterprise", args=[world["jia"].pk])).content.decode()
    assert "环评批复代办" in page and "已取得批复" in page and "FW-A" in page
    assert "FW-B" not in page  # another enterprise's


def test_a_cases_page_counts_its_queries_whatever_its_history(
    client, world, users, django_assert_max_num_queries
):
    case = world["case_a"]
    for n in range(5):
        case.unit = f"承办单位{n}"
        case.save()
    client.force_login(users[STAFF_A])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("services:case", args=[case.pk]))
    assert response.status_code == 200
    assert "办结" in response.content.decode()  # staff of its park may close it
