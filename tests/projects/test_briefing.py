"""The scheduling meeting's briefing: key projects with their lights and what they did
since the last meeting, new and overdue issues by unit, milestones due before the next."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse

from projects.briefing import meeting_briefing
from projects.models import Meeting, Milestone, ProjectIssue
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 20)  # the meeting; the last one was on 6月10日


@pytest.fixture
def world(park_a, park_b):
    Meeting.objects.create(held_on=date(2026, 6, 10), name="6月上旬调度会", kind="ten_day")
    red = ProjectFactory(code="K-1", name="科创园二期", park=park_a, key_level="city")
    Milestone.objects.create(project=red, name="施工许可", planned_date=date(2026, 2, 1))
    Milestone.objects.create(
        project=red, name="立项", planned_date=date(2026, 6, 1), actual_date=date(2026, 6, 12)
    )
    Milestone.objects.create(project=red, name="主体完工", planned_date=date(2026, 6, 25))
    ProjectFactory(code="K-2", name="园区道路", park=park_b, key_level="county")
    ProjectFactory(code="N-1", name="一般项目", park=park_a)  # not key: not listed
    ProjectIssue.objects.create(
        code="WT-1",
        project=red,
        raised_on=date(2026, 6, 15),
        description="用电未接入",
        responsible_unit="供电公司",
        deadline=date(2026, 6, 30),
    )
    ProjectIssue.objects.create(
        code="WT-0",
        project=red,
        raised_on=date(2026, 5, 1),
        description="施工图审查滞后",
        responsible_unit="住建局",
        deadline=date(2026, 6, 5),
    )
    return red


def test_the_briefing_lists_key_projects_issues_and_milestones_due(leader, world):
    briefing = meeting_briefing(leader, DAY)
    assert (briefing.since, briefing.until) == (date(2026, 6, 10), date(2026, 6, 30))
    assert [line.code for line in briefing.key_projects] == ["K-1", "K-2"]
    red = briefing.key_projects[0]
    assert red.verdict.light == "red"  # 施工许可 139 days overdue
    assert "节点“施工许可”逾期139天" in red.verdict.reasons[0]
    assert red.done_since == ["立项（06-12）"]
    assert {unit: [i.code for i in lines] for unit, lines in briefing.new_issues.items()} == {
        "供电公司": ["WT-1"]
    }
    overdue = briefing.overdue_issues["住建局"][0]
    assert (overdue.code, overdue.overdue_days) == ("WT-0", 15)
    assert [(d.milestone, d.planned) for d in briefing.due] == [("主体完工", date(2026, 6, 25))]
    assert briefing.light_counts == {"红灯": 1, "绿灯": 1}


def test_staff_brief_on_their_own_parks_projects(staff_b, world):
    briefing = meeting_briefing(staff_b, DAY)
    assert [line.code for line in briefing.key_projects] == ["K-2"]
    assert briefing.new_issues == {} and briefing.overdue_issues == {}


def test_the_briefing_page_and_its_word_document_say_the_same(
    client, admin_user, world, django_assert_max_num_queries
):
    from docx import Document

    client.force_login(admin_user)
    url = reverse("projects:briefing")
    client.get(url)
    with django_assert_max_num_queries(12):
        page = client.get(url, {"date": "2026-06-20"})
    text = page.content.decode()
    assert "重点项目旬调度简报（2026年6月20日）" in text
    assert "已逾期15天" in text
    response = client.get(url, {"date": "2026-06-20", "format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "重点项目旬调度简报（2026年6月20日）" in paragraphs
    assert "施工图审查滞后（WT-0，时限6月5日，已逾期15天）" in paragraphs
    assert "主体完工，计划6月25日完成" in paragraphs
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[1][:4] == ["科创园二期", "长古城工业园", "市重点", "红灯"]


def test_a_bad_date_is_refused_with_its_field(client, leader, world):
    client.force_login(leader)
    response = client.get(reverse("projects:briefing"), {"date": "六月"})
    assert response.status_code == 400
    assert "调度会日期" in response.content.decode()


def test_without_a_previous_meeting_the_period_is_ten_days(leader, world):
    Meeting.objects.all().delete()
    briefing = meeting_briefing(leader, DAY)
    assert briefing.since == DAY - timedelta(days=10)
