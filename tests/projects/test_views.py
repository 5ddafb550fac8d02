"""The project pages: the list with its filters and lights, a project's page, the forms
that call the doors, the issues per unit, and who may reach each of them."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Milestone, Project, ProjectIssue
from projects.selectors import light_month
from tests.factories import EnterpriseFactory, ProjectFactory, ProjectProgressFactory
from tests.test_permissions import ADMIN, ANONYMOUS, LEADER, STAFF_A, STAFF_B

pytestmark = pytest.mark.django_db


def today():
    """The portal's today, asked when a test runs (a module constant goes stale when a
    run crosses midnight in the zone's time)."""
    return timezone.localdate()


@pytest.fixture
def world(park_a, park_b):
    """Park A: a red project (a milestone 120 days overdue), a yellow one (10 days), a
    green one; park B: one green project with an open issue."""
    red = ProjectFactory(code="A-RED", name="科创园标准厂房", park=park_a, key_level="city")
    Milestone.objects.create(
        project=red, name="施工许可", planned_date=today() - timedelta(days=120)
    )
    yellow = ProjectFactory(code="A-YEL", name="食品扩建", park=park_a)
    Milestone.objects.create(project=yellow, name="环评", planned_date=today() - timedelta(days=10))
    green = ProjectFactory(
        code="A-GRN",
        name="园区道路",
        park=park_a,
        category="infrastructure",
        enterprise=EnterpriseFactory(park=park_a),
    )
    other = ProjectFactory(code="B-GRN", name="白合污水厂", park=park_b)
    issue = ProjectIssue.objects.create(
        code="WT-1",
        project=other,
        raised_on=today() - timedelta(days=30),
        description="用电未接入",
        responsible_unit="供电公司",
        deadline=today() - timedelta(days=5),
    )
    return {"red": red, "yellow": yellow, "green": green, "other": other, "issue": issue}


def listed(client, **query):
    response = client.get(reverse("projects:list"), query)
    assert response.status_code == 200
    return [row.project.code for row in response.context["page"].object_list], response


def test_a_leader_sees_every_park_and_filters_by_light(client, leader, world):
    client.force_login(leader)
    codes, _ = listed(client)
    assert sorted(codes) == ["A-GRN", "A-RED", "A-YEL", "B-GRN"]
    assert listed(client, light="red")[0] == ["A-RED"]
    assert listed(client, light="yellow")[0] == ["A-YEL"]
    assert sorted(listed(client, light="green")[0]) == ["A-GRN", "B-GRN"]


def test_the_list_filters_searches_and_sorts(client, leader, world, park_a):
    client.force_login(leader)
    assert listed(client, park="B")[0] == ["B-GRN"]
    assert listed(client, category="infrastructure")[0] == ["A-GRN"]
    assert listed(client, key_level="any")[0] == ["A-RED"]
    assert listed(client, q="食品")[0] == ["A-YEL"]
    assert listed(client, sort="-light")[0][0] == "A-RED"
    # 新开工 / 续建 follow the start date and the year (the factory starts 2026-03-01)
    assert len(listed(client, year=2026, year_status="new")[0]) == 4
    assert listed(client, year=2026, year_status="continuing")[0] == []
    assert listed(client, year=2027, year_status="new")[0] == []
    Project.objects.filter(code="A-GRN").update(start_date="2025-06-01")
    assert listed(client, year=2026, year_status="continuing")[0] == ["A-GRN"]
    assert len(listed(client, year=2026, year_status="new")[0]) == 3


def test_a_red_project_says_why_in_the_list_and_on_its_page(client, leader, world):
    client.force_login(leader)
    _, response = listed(client, light="red")
    assert "节点“施工许可”逾期120天" in response.content.decode()
    page = client.get(reverse("projects:project", args=[world["red"].pk]))
    text = page.content.decode()
    assert "红灯" in text
    assert "节点“施工许可”逾期120天" in text
    assert "修改项目信息" not in text  # leaders read only


def test_staff_list_their_own_parks_projects_only(client, staff_a, world):
    client.force_login(staff_a)
    assert sorted(listed(client)[0]) == ["A-GRN", "A-RED", "A-YEL"]
    assert client.get(reverse("projects:list"), {"park": "B"}).status_code == 403


def test_the_list_reads_in_a_fixed_number_of_queries(
    client, leader, world, park_a, django_assert_max_num_queries
):
    client.force_login(leader)
    listed(client)  # warm the session
    for _ in range(30):
        project = ProjectFactory(park=park_a)
        Milestone.objects.create(project=project, name="立项", planned_date=today())
        ProjectProgressFactory(project=project, year=light_month(today())[0], month=1)
    with django_assert_max_num_queries(8):
        codes, _ = listed(client)
    assert len(codes) == 34


def test_the_list_downloads_as_the_workbooks_project_sheet(client, leader, world):
    client.force_login(leader)
    response = client.get(reverse("projects:list"), {"light": "red", "format": "xlsx"})
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content))["项目"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["A-RED"]


def test_a_project_page_reads_in_a_fixed_number_of_queries(
    client, leader, world, django_assert_max_num_queries
):
    client.force_login(leader)
    client.get(reverse("projects:list"))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("projects:project", args=[world["green"].pk]))
    assert response.status_code == 200
    assert reverse("reports:enterprise", args=[world["green"].enterprise_id]) in (
        response.content.decode()
    )


def test_staff_edit_a_project_through_its_door_and_it_is_in_the_history(client, staff_a, world):
    client.force_login(staff_a)
    project = world["red"]
    url = reverse("projects:edit", args=[project.pk])
    data = {
        "name": project.name,
        "stage": "construction",
        "total_investment": "60000",
        "budget": "44500",
        "start_date": "2026-03-01",
        "key_level": "city",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    project.refresh_from_db()
    assert project.budget == D("44500")
    last = project.history.latest()
    assert last.history_user == staff_a
    page = client.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert "概算" in page


def test_a_refused_edit_says_where_and_writes_nothing(client, staff_a, world):
    client.force_login(staff_a)
    project = world["red"]
    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        {
            "name": project.name,
            "stage": "construction",
            "total_investment": "60000",
            "start_date": "2026-03-01",
            "completion_date": "2025-01-01",
        },
    )
    assert response.status_code == 400
    assert "竣工日期不能早于开工日期" in response.content.decode()
    project.refresh_from_db()
    assert project.total_investment == D("50000")


def test_staff_record_a_milestone_and_the_light_follows(client, staff_a, world):
    client.force_login(staff_a)
    red = world["red"]
    milestone = red.milestones.get()
    response = client.post(
        reverse("projects:milestone_edit", args=[red.pk, milestone.pk]),
        {
            "name": "施工许可",
            "planned_date": milestone.planned_date.isoformat(),
            "actual_date": today().isoformat(),
        },
    )
    assert response.status_code == 302
    assert listed(client, light="red")[0] == []


def test_an_issue_is_raised_and_closes_only_with_its_solution(client, staff_b, world):
    client.force_login(staff_b)
    other = world["other"]
    response = client.post(
        reverse("projects:issue_add", args=[other.pk]),
        {
            "code": "WT-2",
            "raised_on": today().isoformat(),
            "description": "施工图审查滞后",
            "responsible_unit": "住建局",
        },
    )
    assert response.status_code == 302
    issue = ProjectIssue.objects.get(code="WT-2")
    close = reverse("projects:issue_close", args=[issue.pk])
    client.post(close, {"solved_on": today().isoformat(), "solution": ""})
    issue.refresh_from_db()
    assert issue.solved_on is None
    client.post(close, {"solved_on": today().isoformat(), "solution": "住建局已出具审查意见"})
    issue.refresh_from_db()
    assert (issue.solved_on, issue.solution) == (today(), "住建局已出具审查意见")


def test_issues_are_listed_per_unit_open_overdue_and_solved(client, leader, world):
    client.force_login(leader)
    response = client.get(reverse("projects:issues"), {"state": "overdue"})
    lists = response.context["lists"]
    assert [(u.unit, [i.code for i in u.issues]) for u in lists.get("units")] == [
        ("供电公司", ["WT-1"])
    ]
    assert "逾期5天" in response.content.decode()
    solved = client.get(reverse("projects:issues"), {"state": "solved"}).context["lists"]
    assert solved["units"] == []


# ---------------------------------------------------------------- who may reach what

EVERYONE = {STAFF_A, STAFF_B, LEADER, ADMIN}


def cases(world):
    red, other, issue = world["red"], world["other"], world["issue"]
    milestone = red.milestones.get()
    edit = {
        "name": red.name,
        "stage": "construction",
        "total_investment": "1",
        "start_date": "2026-03-01",
    }
    issue_data = {
        "code": "WT-9",
        "raised_on": today().isoformat(),
        "description": "x",
        "responsible_unit": "y",
    }
    close = {"solved_on": today().isoformat(), "solution": "已解决"}
    milestone_data = {"name": "开工", "planned_date": today().isoformat()}
    return [
        ("list", "GET", reverse("projects:list"), EVERYONE, {}),
        ("list A", "GET", reverse("projects:list") + "?park=A", {STAFF_A, LEADER, ADMIN}, {}),
        ("list xlsx", "GET", reverse("projects:list") + "?format=xlsx", EVERYONE, {}),
        ("issues", "GET", reverse("projects:issues"), EVERYONE, {}),
        ("briefing", "GET", reverse("projects:briefing"), EVERYONE, {}),
        ("briefing docx", "GET", reverse("projects:briefing") + "?format=docx", EVERYONE, {}),
        (
            "project A",
            "GET",
            reverse("projects:project", args=[red.pk]),
            {STAFF_A, LEADER, ADMIN},
            {},
        ),
        (
            "project B",
            "GET",
            reverse("projects:project", args=[other.pk]),
            {STAFF_B, LEADER, ADMIN},
            {},
        ),
        ("edit A", "GET", reverse("projects:edit", args=[red.pk]), {STAFF_A, ADMIN}, {}),
        ("save A", "POST", reverse("projects:edit", args=[red.pk]), {STAFF_A, ADMIN}, edit),
        (
            "milestone A",
            "GET",
            reverse("projects:milestone_add", args=[red.pk]),
            {STAFF_A, ADMIN},
            {},
        ),
        (
            "add milestone A",
            "POST",
            reverse("projects:milestone_add", args=[red.pk]),
            {STAFF_A, ADMIN},
            milestone_data,
        ),
        (
            "change milestone A",
            "POST",
            reverse("projects:milestone_edit", args=[red.pk, milestone.pk]),
            {STAFF_A, ADMIN},
            milestone_data,
        ),
        (
            "issue form B",
            "GET",
            reverse("projects:issue_add", args=[other.pk]),
            {STAFF_B, ADMIN},
            {},
        ),
        (
            "raise issue B",
            "POST",
            reverse("projects:issue_add", args=[other.pk]),
            {STAFF_B, ADMIN},
            issue_data,
        ),
        (
            "close issue B",
            "POST",
            reverse("projects:issue_close", args=[issue.pk]),
            {STAFF_B, ADMIN},
            close,
        ),
        (
            "close issue B by GET",
            "GET",
            reverse("projects:issue_close", args=[issue.pk]),
            set(),
            {},
        ),
    ]


CASE_NAMES = [
    "list", "list A", "list xlsx", "issues", "briefing", "briefing docx", "project A",
    "project B", "edit A", "save A",
    "milestone A", "add milestone A", "change milestone A", "issue form B", "raise issue B",
    "close issue B", "close issue B by GET",
]  # fmt: skip


def snapshot():
    return {
        "projects": sorted(Project.objects.values_list("code", "total_investment", "stage")),
        "milestones": sorted(Milestone.objects.values_list("name", "planned_date", "actual_date")),
        "issues": sorted(ProjectIssue.objects.values_list("code", "solved_on")),
        "history": Project.history.count(),
    }


@pytest.fixture
def users(staff_a, staff_b, leader, admin_user):
    return {STAFF_A: staff_a, STAFF_B: staff_b, LEADER: leader, ADMIN: admin_user, ANONYMOUS: None}


def test_the_table_covers_every_case(world):
    assert [case[0] for case in cases(world)] == CASE_NAMES


@pytest.mark.parametrize("who", [STAFF_A, STAFF_B, LEADER, ADMIN, ANONYMOUS])
@pytest.mark.parametrize("name", CASE_NAMES)
def test_who_may_reach_what(client, world, users, who, name):
    _, method, url, allowed, data = next(case for case in cases(world) if case[0] == name)
    if users[who] is not None:
        client.force_login(users[who])
    before = snapshot()
    response = client.get(url) if method == "GET" else client.post(url, data)
    if who in allowed:
        assert response.status_code in (200, 302), (who, name, response.status_code)
        if method == "POST":
            assert snapshot() != before, (who, name)  # the allowed write did happen
        return
    if who == ANONYMOUS:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif name == "close issue B by GET":
        assert response.status_code == 405
    else:
        assert response.status_code == 403, (who, name, response.status_code)
    assert snapshot() == before, (who, name)


def test_the_thresholds_are_settings_and_the_page_states_them(client, leader, world, settings):
    settings.PROJECT_LIGHTS = {**settings.PROJECT_LIGHTS, "milestone_red_days": 200}
    client.force_login(leader)
    assert listed(client, light="red")[0] == []
    assert sorted(listed(client, light="yellow")[0]) == ["A-RED", "A-YEL"]
    page = client.get(reverse("projects:project", args=[world["red"].pk])).content.decode()
    assert "逾期超过200天亮红灯" in page
