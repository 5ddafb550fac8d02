"""A leader filters the project list by light, opens a red project and sees why; the
project's page draws its progress against the year's plan; on a 390-px phone too. An
admin produces the meeting briefing as Word and it opens."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from tests.e2e.signin import PASSWORD, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RED = "科创园标准厂房<b>二期</b>"


@pytest.fixture
def projects():
    """Two parks' projects: one red (a milestone 120 days overdue, investment far behind
    its plan), one green; a leader who signs in as lingdao."""
    from indicators.models import PeriodSubmission
    from parkportal.choices import ParkKind, Role
    from parkportal.models import Park
    from parkportal.services import user_save
    from projects.models import Milestone, Project, ProjectPlan, ProjectProgress
    from projects.selectors import light_month

    today = timezone.localdate()
    year, month = light_month(today)
    zone = Park.objects.create(code="KFQ", name="示范经济开发区", kind=ParkKind.ZONE)
    park = Park.objects.create(code="A", name="长古城工业园", parent=zone, kind=ParkKind.PARK)
    red = Project.objects.create(
        code="XM-RED",
        name=RED,
        park=park,
        category="infrastructure",
        stage="construction",
        total_investment=Decimal("44500"),
        start_date=today.replace(year=today.year - 1),
        key_level="city",
    )
    Milestone.objects.create(project=red, name="主体完工", planned_date=today - timedelta(days=120))
    ProjectPlan.objects.create(project=red, year=year, planned_investment=Decimal("24000"))
    ProjectProgress.objects.create(
        project=red, year=year, month=month, completed_investment=Decimal("1000")
    )
    # the park's month is approved: its progress counts for leaders
    PeriodSubmission.objects.create(park=park, year=year, month=month, status="approved")
    Project.objects.create(
        code="XM-GRN",
        name="园区道路",
        park=park,
        category="infrastructure",
        stage="construction",
        total_investment=Decimal("8000"),
        start_date=today.replace(year=today.year - 1),
    )
    user_save(username="lingdao", role=Role.LEADER, password=PASSWORD)
    user_save(username="guanli", role=Role.ADMIN, password=PASSWORD)
    return red


def test_a_leader_filters_the_list_opens_a_red_project_and_sees_why(
    live_server, projects, new_page, console_errors, screenshot_dir
):
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="重点项目").click()
    expect(page.get_by_role("heading", name="重点项目调度")).to_be_visible()
    expect(page.locator(".page-lead")).to_contain_text("共 2 个项目")

    form = page.get_by_role("form", name="查找项目")
    form.get_by_label("红黄绿灯").select_option(label="红灯")
    form.get_by_role("button", name="查询").click()

    expect(page.locator(".page-lead")).to_contain_text("共 1 个项目")
    rows = page.get_by_role("region", name="项目清单（可左右滑动）").get_by_role("row")
    expect(rows).to_have_count(2)  # the header and the red project
    expect(rows.nth(1)).to_contain_text("红灯")
    expect(rows.nth(1)).to_contain_text("节点“主体完工”逾期120天")
    page.screenshot(path=screenshot_dir / "projects-red.png", full_page=True)

    rows.nth(1).get_by_role("link", name=RED).click()

    expect(page.get_by_role("heading", name=RED, level=1)).to_be_visible()  # as text
    reasons = page.get_by_role("region", name="红灯：亮灯原因")
    expect(reasons).to_contain_text("节点“主体完工”逾期120天")
    expect(reasons).to_contain_text("完成投资落后序时进度")
    expect(page.locator('[data-chart="project-progress"]')).to_have_attribute("data-drawn", "true")
    expect(page.get_by_role("link", name="修改项目信息")).to_have_count(0)  # leaders read
    page.screenshot(path=screenshot_dir / "project-red.png", full_page=True)
    assert console_errors == []


def test_the_red_project_reads_on_a_phone(
    live_server, projects, new_page, console_errors, screenshot_dir
):
    page = new_page(viewport=PHONE)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/projects/{projects.pk}/")
    expect(page.get_by_role("region", name="红灯：亮灯原因")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    page.screenshot(path=screenshot_dir / "project-phone.png", full_page=True)
    assert console_errors == []


def test_an_admin_produces_the_meeting_briefing_as_word_and_it_opens(
    live_server, projects, new_page, console_errors, screenshot_dir, tmp_path
):
    meeting = timezone.localdate()
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server, username="guanli")
    page.goto(f"{live_server.url}/projects/briefing/")
    form = page.get_by_role("form", name="选择调度会日期")
    form.get_by_label("调度会日期").fill(f"{meeting:%Y-%m-%d}")
    form.get_by_role("button", name="生成简报").click()
    title = f"重点项目旬调度简报（{meeting.year}年{meeting.month}月{meeting.day}日）"
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    page.screenshot(path=screenshot_dir / "briefing.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Word（.docx）").click()
    assert download.value.suggested_filename == f"{title}.docx"
    saved = tmp_path / "briefing.docx"
    download.value.save_as(saved)

    document = Document(str(saved))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert title in paragraphs
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert RED in cells  # the key project's name, as written
    assert "红灯" in cells
    assert console_errors == []
