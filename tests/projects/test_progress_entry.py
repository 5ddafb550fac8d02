"""A park's monthly project progress, entered on the month's 项目进度 grid and submitted
with the enterprises' figures: who may reach it, what its save checks and writes, and
what leaders count of it (only an official month's)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators.choices import PeriodAction, PeriodStatus
from indicators.models import PeriodSubmission
from indicators.workflow import EntryRefused, period_transition
from projects.models import ProjectPlan, ProjectProgress
from projects.selectors import carried_out_projects, key_projects_under_way, progress_lines
from projects.services import (
    ProgressConflict,
    ProgressInvalid,
    ProgressRow,
    period_progress_save,
)
from tests.factories import ProjectFactory, ProjectProgressFactory
from tests.test_permissions import ADMIN, ANONYMOUS, INVESTMENT, LEADER, STAFF_A, STAFF_B

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 3
A1 = "A-1 科创园标准厂房"


@pytest.fixture
def world(park_a, park_b):
    """Park A: a project started last year (续建) with February's progress, one started
    this year (新开工), one not started with a plan for the year, one completed last year
    (not under way), one not started without a plan (neither); park B: one under way."""
    continuing = ProjectFactory(
        code="A-1", name="科创园标准厂房", park=park_a, start_date=date(2025, 5, 1)
    )
    ProjectPlan.objects.create(project=continuing, year=YEAR, planned_investment=D("24000"))
    ProjectProgressFactory(
        project=continuing, year=YEAR, month=2, completed_investment=D("3000"),
        government_investment=D("1000"),
    )  # fmt: skip
    new = ProjectFactory(code="A-2", name="食品扩建", park=park_a, start_date=date(2026, 3, 10))
    planned = ProjectFactory(code="A-3", name="园区道路", park=park_a, start_date=None)
    ProjectPlan.objects.create(project=planned, year=YEAR, planned_investment=D("5000"))
    ProjectFactory(
        code="A-9", name="老厂区改造", park=park_a, stage="completed",
        start_date=date(2023, 1, 1), completion_date=date(2025, 6, 30),
    )  # fmt: skip
    ProjectFactory(code="A-8", name="远期谋划", park=park_a, stage="planning", start_date=None)
    other = ProjectFactory(code="B-1", name="白合污水厂", park=park_b, start_date=date(2025, 1, 1))
    return {"continuing": continuing, "new": new, "planned": planned, "other": other}


def grid_url(park, year=YEAR, month=MONTH):
    return reverse("projects:progress_entry", args=[park.code, year, month])


def posted(lines, **typed):
    """Return the grid's post: every row as shown, `typed` ({project: (c, g)}) changed."""
    data = {}
    for line in lines:
        pk = line.project.pk
        completed, government = typed.get(line.project.code, (None, None))
        data[f"c-{pk}"] = line.completed_shown if completed is None else completed
        data[f"g-{pk}"] = line.government_shown if government is None else government
        data[f"oc-{pk}"] = line.completed_shown
        data[f"og-{pk}"] = line.government_shown
    return data


def rows(lines, **typed):
    data = posted(lines, **typed)
    return [
        ProgressRow(
            line.project.pk,
            data[f"c-{line.project.pk}"],
            data[f"g-{line.project.pk}"],
            data[f"oc-{line.project.pk}"],
            data[f"og-{line.project.pk}"],
        )
        for line in lines
    ]


def save(park, user, **typed):
    lines = progress_lines(park, YEAR, MONTH, drafts=True)
    return period_progress_save(
        park=park, year=YEAR, month=MONTH, rows=rows(lines, **typed), user=user
    )


def stored(project, month=MONTH):
    return (
        ProjectProgress.objects.filter(project=project, year=YEAR, month=month)
        .values_list("completed_investment", "government_investment")
        .first()
    )


def test_the_grid_lists_the_parks_projects_under_way_and_not_another_parks(client, staff_a, world):
    client.force_login(staff_a)
    response = client.get(grid_url(world["continuing"].park))
    assert response.status_code == 200
    lines = response.context["lines"]
    assert [line.project.code for line in lines] == ["A-1", "A-2", "A-3"]
    first = lines[0]
    assert (first.planned, first.previous, first.previous_month) == (D("24000"), D("3000"), 2)
    page = response.content.decode()
    assert "科创园标准厂房" in page and "白合污水厂" not in page and "老厂区改造" not in page
    assert "24,000.00" in page and "3,000.00" in page


def test_the_entry_page_links_the_grid_with_its_count_and_those_not_entered(client, staff_a, world):
    client.force_login(staff_a)
    page = client.get(reverse("indicators:entry", args=["A", YEAR, MONTH])).content.decode()
    assert grid_url(world["continuing"].park) in page
    assert "项目进度（3）" in page
    assert "本月3个在建项目未填进度：科创园标准厂房、食品扩建、园区道路" in page


def test_a_save_writes_the_changed_rows_with_their_history(client, staff_a, world):
    client.force_login(staff_a)
    park = world["continuing"].park
    lines = progress_lines(park, YEAR, MONTH, drafts=True)
    data = posted(lines, **{"A-1": ("4500", "1500"), "A-2": ("800", "")})
    response = client.post(grid_url(park), data)
    assert response.status_code == 302
    assert stored(world["continuing"]) == (D("4500"), D("1500"))
    assert stored(world["new"]) == (D("800"), D("0"))  # a blank government part: none
    assert stored(world["planned"]) is None  # left blank: not reported
    record = ProjectProgress.history.filter(project_id=world["continuing"].pk, month=MONTH).get()
    assert (record.history_user, record.history_change_reason) == (staff_a, "月度填报")
    # an unchanged page saves nothing and logs nothing
    lines = progress_lines(park, YEAR, MONTH, drafts=True)
    client.post(grid_url(park), posted(lines))
    assert ProjectProgress.history.filter(month=MONTH).count() == 2
    # a correction is a second history row
    client.post(grid_url(park), posted(lines, **{"A-1": ("4600", None)}))
    assert stored(world["continuing"]) == (D("4600"), D("1500"))
    assert ProjectProgress.history.filter(project_id=world["continuing"].pk).count() == 3


def test_a_stale_page_is_refused_with_nothing_written(staff_a, admin_user, world):
    park = world["continuing"].park
    page = progress_lines(park, YEAR, MONTH, drafts=True)  # staff open the grid
    save(park, admin_user, **{"A-1": ("4000", "1000")})  # an admin saves meanwhile
    with pytest.raises(ProgressConflict) as refused:
        period_progress_save(
            park=park,
            year=YEAR,
            month=MONTH,
            rows=rows(page, **{"A-1": ("5000", "1000"), "A-2": ("700", "0")}),
            user=staff_a,
        )
    assert refused.value.names == ["科创园标准厂房"]
    assert stored(world["continuing"]) == (D("4000"), D("1000"))
    assert stored(world["new"]) is None  # nothing of the save was written
    # rows someone else did not touch are no conflict
    assert save(park, staff_a, **{"A-2": ("700", "0")}) == 1


def test_a_stale_page_says_so_in_chinese_and_keeps_what_was_typed(
    client, staff_a, admin_user, world
):
    park = world["continuing"].park
    page = progress_lines(park, YEAR, MONTH, drafts=True)
    save(park, admin_user, **{"A-1": ("4000", "1000")})
    client.force_login(staff_a)
    response = client.post(grid_url(park), posted(page, **{"A-1": ("5000", "1000")}))
    text = response.content.decode()
    assert "在您填写期间，其他用户修改了科创园标准厂房的进度，本次未保存" in text
    assert 'value="5000"' in text and "现值：4,000" in text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("abc", ""), f"{A1} · 本年累计完成投资："),
        (("-5", ""), f"{A1} · 本年累计完成投资：不能为负数"),
        (("2999", "0"), f"{A1} · 本年累计完成投资：本年累计不能低于2月的本年累计（3,000万元）"),
        (("4000", "4000.01"), f"{A1} · 其中政府财政性投资：不能超过本年累计完成投资（4,000万元）"),
        (("", "100"), f"{A1} · 本年累计完成投资：请填写本年累计完成投资"),
    ],
)  # fmt: skip
def test_a_bad_row_names_the_project_and_the_column_and_nothing_is_saved(
    staff_a, world, typed, message
):
    park = world["continuing"].park
    with pytest.raises(ProgressInvalid) as refused:
        save(park, staff_a, **{"A-2": ("800", "0"), "A-1": typed})
    assert any(text.startswith(message) for text in refused.value.messages), refused.value.messages
    assert stored(world["new"]) is None and stored(world["continuing"]) is None


def test_a_month_above_a_later_month_is_refused(staff_a, world):
    ProjectProgressFactory(
        project=world["continuing"], year=YEAR, month=4, completed_investment=D("6000")
    )
    with pytest.raises(ProgressInvalid) as refused:
        save(world["continuing"].park, staff_a, **{"A-1": ("6500", "0")})
    assert refused.value.messages == [
        "A-1 科创园标准厂房 · 本年累计完成投资：本年累计不能高于4月的本年累计（6,000万元）"
    ]


def test_a_bad_row_is_shown_again_at_its_column_with_what_was_typed(client, staff_a, world):
    client.force_login(staff_a)
    park = world["continuing"].park
    lines = progress_lines(park, YEAR, MONTH, drafts=True)
    response = client.post(grid_url(park), posted(lines, **{"A-1": ("4000", "5000")}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "有1处错误，本次未保存任何数据：A-1 科创园标准厂房 · 其中政府财政性投资" in text
    assert 'value="5000"' in text and 'aria-invalid="true"' in text


def test_a_submitted_month_is_refused_and_a_returned_one_is_editable_again(
    client, staff_a, admin_user, world
):
    park = world["continuing"].park
    save(park, staff_a, **{"A-1": ("4000", "1000")})
    period_transition(park=park, year=YEAR, month=MONTH, action=PeriodAction.SUBMIT, user=staff_a)
    with pytest.raises(EntryRefused, match="已上报，等待审核"):
        save(park, staff_a, **{"A-1": ("4100", "1000")})
    client.force_login(staff_a)
    page = client.get(grid_url(park)).content.decode()
    assert "readonly" in page and "保存项目进度" not in page
    period_transition(
        park=park, year=YEAR, month=MONTH, action=PeriodAction.RETURN, user=admin_user,
        reason="A-1进度偏低，请核实",
    )  # fmt: skip
    assert save(park, staff_a, **{"A-1": ("4100", "1000")}) == 1
    period_transition(park=park, year=YEAR, month=MONTH, action=PeriodAction.SUBMIT, user=staff_a)
    period_transition(
        park=park, year=YEAR, month=MONTH, action=PeriodAction.APPROVE, user=admin_user
    )
    with pytest.raises(EntryRefused, match="已审核锁定"):
        save(park, admin_user, **{"A-1": ("4200", "1000")})
    assert stored(world["continuing"]) == (D("4100"), D("1000"))


def test_staff_of_another_park_are_refused_by_the_door(staff_b, world):
    with pytest.raises(EntryRefused, match="没有填报长古城工业园数据的权限"):
        save(world["continuing"].park, staff_b, **{"A-1": ("4000", "0")})


def test_submitting_the_month_warns_of_projects_without_progress(client, staff_a, world):
    client.force_login(staff_a)
    park = world["continuing"].park
    save(park, staff_a, **{"A-1": ("4000", "1000")})
    response = client.post(
        reverse("indicators:entry", args=["A", YEAR, MONTH]), {"action": "submit"}, follow=True
    )
    text = response.content.decode()
    assert "已上报，等待审核" in text
    assert "以下2个在建项目本月未填报项目进度，已随本月一并上报：食品扩建、园区道路" in text
    status = PeriodSubmission.objects.get(park=park, year=YEAR, month=MONTH).status
    assert status == PeriodStatus.SUBMITTED


@pytest.mark.parametrize(
    ("official_from", "status", "completed_counted", "to_date"),
    [
        # no workflow record: a draft
        ("submitted", None, None, D("0")),
        ("submitted", PeriodStatus.DRAFT, None, D("0")),
        ("submitted", PeriodStatus.SUBMITTED, D("4000"), D("4000")),
        ("submitted", PeriodStatus.APPROVED, D("4000"), D("4000")),
        ("approved", PeriodStatus.SUBMITTED, None, D("0")),
        ("approved", PeriodStatus.APPROVED, D("4000"), D("4000")),
    ],
)
def test_leaders_count_a_months_progress_only_once_the_month_is_official(
    settings, park_a, official_from, status, completed_counted, to_date
):
    settings.FIGURES_OFFICIAL_FROM = official_from
    project = ProjectFactory(code="K-1", park=park_a, key_level="city", start_date=date(2026, 1, 5))
    ProjectProgressFactory(project=project, year=YEAR, month=MONTH, completed_investment=D("4000"))
    if status is not None:
        PeriodSubmission.objects.create(park=park_a, year=YEAR, month=MONTH, status=status)
    cut_off = date(YEAR, MONTH, 31)
    assert carried_out_projects([park_a.pk], cut_off).get().completed == completed_counted
    assert key_projects_under_way([park_a.pk], cut_off).get().to_date == to_date
    assert ProjectProgress.objects.official().exists() == (completed_counted is not None)


def test_the_leaders_project_page_counts_an_approved_month_not_a_draft(
    client, leader, staff_a, admin_user, world
):
    park = world["continuing"].park
    save(park, staff_a, **{"A-1": ("4000", "1000")})
    client.force_login(leader)
    url = reverse("projects:project", args=[world["continuing"].pk])
    page = client.get(url).content.decode()
    assert "尚无已上报的项目进度" in page and "1-3月" not in page
    period_transition(park=park, year=YEAR, month=MONTH, action=PeriodAction.SUBMIT, user=staff_a)
    period_transition(
        park=park, year=YEAR, month=MONTH, action=PeriodAction.APPROVE, user=admin_user
    )
    PeriodSubmission.objects.create(park=park, year=YEAR, month=2, status=PeriodStatus.APPROVED)
    page = client.get(url).content.decode()
    assert '<th scope="row">1-3月</th><td class="num">4,000.00</td>' in page
    assert '<th scope="row">1-2月</th><td class="num">3,000.00</td>' in page


def test_a_leader_reads_the_grid_of_an_official_month_only(client, leader, staff_a, world):
    park = world["continuing"].park
    save(park, staff_a, **{"A-1": ("4000", "1000")})
    client.force_login(leader)
    page = client.get(grid_url(park)).content.decode()
    assert 'value="4000"' not in page and "保存项目进度" not in page
    period_transition(park=park, year=YEAR, month=MONTH, action=PeriodAction.SUBMIT, user=staff_a)
    assert 'value="4000"' in client.get(grid_url(park)).content.decode()


# ---------------------------------------------------------------- who may reach the grid


@pytest.fixture
def users(staff_a, staff_b, leader, admin_user, investment):
    return {
        STAFF_A: staff_a, STAFF_B: staff_b, LEADER: leader, ADMIN: admin_user,
        INVESTMENT: investment, ANONYMOUS: None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("method", "allowed"),
    [("GET", {STAFF_A, LEADER, ADMIN}), ("POST", {STAFF_A, ADMIN})],
)
@pytest.mark.parametrize("who", [STAFF_A, STAFF_B, LEADER, ADMIN, INVESTMENT, ANONYMOUS])
def test_who_may_reach_the_grid(client, world, users, who, method, allowed):
    park = world["continuing"].park
    if users[who] is not None:
        client.force_login(users[who])
    url = grid_url(park)
    lines = progress_lines(park, YEAR, MONTH, drafts=True)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, posted(lines, **{"A-1": ("4000", "1000")}))
    if who in allowed:
        assert response.status_code in (200, 302), (who, response.status_code)
        if method == "POST":
            assert stored(world["continuing"]) == (D("4000"), D("1000"))
        return
    if who == ANONYMOUS:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 403, (who, response.status_code)
    assert stored(world["continuing"]) is None


@pytest.mark.parametrize("projects", [5, 50])
def test_the_grid_takes_a_fixed_number_of_queries(
    client, staff_a, park_a, projects, django_assert_num_queries
):
    for number in range(projects):
        project = ProjectFactory(park=park_a, start_date=date(2025, 1, 1))
        ProjectPlan.objects.create(project=project, year=YEAR, planned_investment=D(number))
        ProjectProgressFactory(project=project, year=YEAR, month=MONTH - 1)
    client.force_login(staff_a)
    # the session, the user, the role, the park, may_enter, the month's record, the grid,
    # and the messages and the user's menu
    with django_assert_num_queries(QUERIES):
        assert client.get(grid_url(park_a)).status_code == 200


QUERIES = 9
