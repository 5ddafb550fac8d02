"""The plan page: who may read it and mark a task done, its filters, its forecasts, and
a zone built to match seed 001's 2022 forecasts and 2023 plan."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from planning.models import PlanTask
from tests.factories import (
    EnterpriseFactory,
    MonthlyValueFactory,
    OutreachEventFactory,
    TargetFactory,
    indicator,
)
from tests.helpers import count_as_official

pytestmark = pytest.mark.django_db

PLAN = reverse("planning:plan", args=[2023])


@pytest.fixture
def plan(zone):
    """Seed 001's plan for 2023, as its lines read, and a promotion fair held in March."""
    OutreachEventFactory(date=date(2023, 3, 15), kind="promotion")
    rows = [
        (
            "2023-01",
            "年内组织集中招商推介会不少于3次",
            "招商局",
            date(2023, 12, 31),
            "events",
            "招商推介会",
            "3",
        ),
        (
            "2023-02",
            "全年完成投资不低于3.8亿元",
            "项目办",
            date(2023, 12, 31),
            "project_investment",
            "",
            "38000",
        ),
        (
            "2023-03",
            "力争2023年入驻项目签约落地不少于5个",
            "招商局",
            date(2023, 6, 30),
            "landed_count",
            "",
            "5",
        ),
        (
            "2023-04",
            "在确保同类考核B等次的基础上力争进入A类",
            "管委会",
            date(2023, 12, 31),
            "manual",
            "",
            None,
        ),
    ]
    for code, title, unit, deadline, measure, subject, target in rows:
        PlanTask.objects.create(
            code=code,
            year=2023,
            title=title,
            unit=unit,
            deadline=deadline,
            measure=measure,
            subject=subject,
            target=None if target is None else D(target),
        )


@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 200), ("admin_user", 200), ("staff_a", 403)],
)
def test_leaders_and_admins_read_the_plan_and_staff_may_not(client, plan, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(PLAN).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, plan):
    response = client.get(PLAN)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "status", "marked"),
    [("admin_user", 302, True), ("leader", 403, False), ("staff_a", 403, False)],
)
def test_only_admins_mark_a_manual_task_done(client, plan, request, who, status, marked):
    client.force_login(request.getfixturevalue(who))
    url = reverse("planning:mark_done", args=[2023, "2023-04"])
    response = client.post(url, {"on": "2023-11-20", "note": "省级考核进入A类"})
    assert response.status_code == status
    task = PlanTask.objects.get(code="2023-04")
    assert (task.done_on == date(2023, 11, 20)) is marked
    assert (task.history.first().history_change_reason == "手工确认完成") is marked


def test_marking_done_is_a_post(client, plan, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("planning:mark_done", args=[2023, "2023-04"])).status_code == 405


@pytest.mark.parametrize(
    ("code", "note", "message"),
    [("2023-04", "  ", "请填写完成说明"), ("2023-01", "办了", "不能手工确认完成")],
)
def test_a_refused_mark_says_why_and_changes_nothing(client, plan, admin_user, code, note, message):
    client.force_login(admin_user)
    url = reverse("planning:mark_done", args=[2023, code])
    response = client.post(url, {"on": "2023-11-20", "note": note}, follow=True)
    assert message in response.content.decode()
    assert PlanTask.objects.get(code=code).done_on is None


def test_the_page_shows_each_task_measured_and_why_a_late_one_is_late(client, plan, leader):
    client.force_login(leader)
    html = client.get(PLAN, {"on": "2023-07-01"}).content.decode()
    assert "共4项，已完成 0 项，进行中 3 项，逾期未完成 1 项" in html
    assert "截至2023年7月1日仅0个，目标5个" in html
    assert "1次" in html and "3次" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"status": "late"}, ["力争2023年入驻项目"], ["年内组织集中招商推介会"]),
        ({"unit": "管委会"}, ["力争进入A类"], ["全年完成投资不低于3.8亿元"]),
    ],
)
def test_the_page_filters_by_status_and_unit(client, plan, leader, query, shown, hidden):
    client.force_login(leader)
    html = client.get(PLAN, {"on": "2023-07-01", **query}).content.decode()
    assert all(text in html for text in shown)
    assert not any(text in html for text in hidden)


def test_an_unreadable_day_is_said_and_today_used(client, plan, leader):
    client.force_login(leader)
    html = client.get(PLAN, {"on": "7月1日"}).content.decode()
    assert "日期“7月1日”无法识别" in html


@pytest.fixture
def seed_zone(zone, park_a, park_b):
    """Seed 001's zone at 1-10月 2022: industrial output on 2021's seasonality (1-10月 made
    80% of the year), an enterprise new in 2022 counting in its cumulative, and a park
    with no full previous year."""
    output = indicator("industrial_output")
    old = EnterpriseFactory(park=park_a, in_statistics=True)
    new = EnterpriseFactory(park=park_a, in_statistics=True, established_on=date(2022, 3, 1))
    young = EnterpriseFactory(park=park_b, in_statistics=True)
    figures = [
        (old, 2021, 10, "378400"), (old, 2021, 12, "473000"),
        (old, 2022, 10, "400000"), (new, 2022, 10, "92000"),
        (young, 2022, 10, "8000"),
    ]  # fmt: skip
    for enterprise, year, month, value in figures:
        MonthlyValueFactory(
            enterprise=enterprise, indicator=output, year=year, month=month, value=D(value)
        )
    count_as_official()
    # The zone's office typed its own forecast, which wins.
    TargetFactory(park=zone, indicator=output, year=2022, kind="forecast", value=D("620000"))


def test_seed_zone_shows_its_forecasts_with_their_growth(client, seed_zone, leader):
    client.force_login(leader)
    page = client.get(reverse("planning:plan", args=[2022]), {"on": "2022-11-15"})
    html = page.content.decode()
    # park A: 492000 ÷ 0.8 = 615000, against 473000 last year: 增长率30.02%
    forecasts = {(f.scope, f.indicator): f for f in page.context["forecasts"]}
    park_a = forecasts["长古城工业园", "工业总产值"]
    assert (park_a.computed.value, park_a.growth) == (D("615000.0000"), D("30.02"))
    assert park_a.sentence == "预计全年完成工业总产值61.5亿元，增长率30.02%"
    assert "2021年" in park_a.computed.method
    # the zone: (492000 + 8000) ÷ 0.8 = 625000 computed; 620000 typed wins, 5000 less
    zone = forecasts["示范经济开发区", "工业总产值"]
    assert (zone.computed.value, zone.typed, zone.difference) == (
        D("625000.0000"), D("620000"), D("-5000.0000"),
    )  # fmt: skip
    assert "示范经济开发区：预计全年完成工业总产值62亿元，增长率31.08%。" in html
    assert "62.5亿元" in html and "-5,000万元" in html
    # park B has no full previous year: no forecast, and the page says why
    young = forecasts["白合工业园", "工业总产值"]
    assert young.computed.value is None
    assert "此前没有完整一年" in html


def test_the_page_reads_in_a_bounded_number_of_queries(
    client, plan, seed_zone, leader, django_assert_max_num_queries
):
    client.force_login(leader)
    with django_assert_max_num_queries(25):
        client.get(PLAN, {"on": "2023-07-01"})


def test_the_dashboard_card_counts_the_zone_tasks_and_links_to_the_plan(plan, zone, park_a):
    from django.template.loader import render_to_string

    from reports.dashboard import dashboard
    from reports.scope import ReportPeriod, report_scope

    board = dashboard(report_scope(zone), ReportPeriod(2023, 7))
    assert (board.plan.total, board.plan.done, board.plan.on_track, board.plan.late) == (4, 0, 3, 1)
    html = render_to_string("planning/dashboard_card.html", {"board": board})
    assert '逾期未完成</span><span class="stat__value">1</span>' in html
    assert f'href="{PLAN}?on=2023-07-31"' in html
    assert dashboard(report_scope(park_a), ReportPeriod(2023, 7)).plan is None  # a zone's only


def test_the_admin_saves_a_task_through_its_door(client, zone):
    from parkportal.choices import Role
    from tests.conftest import make_user

    superuser = make_user("chief", Role.ADMIN)
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    data = {
        "code": "2023-09",
        "year": "2023",
        "title": "确保第一季度全部开工",
        "unit": "项目办",
        "deadline": "2023-03-31",
        "measure": "projects_started",
        "subject": "",
        "target": "",
    }
    response = client.post(reverse("admin:planning_plantask_add"), data)
    assert response.status_code == 200  # refused: the door wants a target or projects
    assert "必须填写目标值" in response.content.decode()
    response = client.post(reverse("admin:planning_plantask_add"), {**data, "target": "4"})
    assert response.status_code == 302
    task = PlanTask.objects.get(code="2023-09")
    assert task.history.first().history_change_reason == "管理后台"


def test_marking_a_task_done_bumps_the_data_version_the_reports_are_cached_by(
    client, plan, admin_user
):
    from parkportal.data_version import data_version

    before = data_version()
    client.force_login(admin_user)
    client.post(reverse("planning:mark_done", args=[2023, "2023-04"]), {"note": "已进入A类"})
    assert data_version() > before


@pytest.mark.parametrize("year", [1999, 2101, 99999])
def test_a_year_out_of_range_is_not_found(client, leader, year):
    client.force_login(leader)
    assert client.get(reverse("planning:plan", args=[year])).status_code == 404
