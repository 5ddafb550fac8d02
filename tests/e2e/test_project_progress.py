"""Park staff enter and submit a month's project progress with the enterprises' figures;
an admin approves the month and a leader's project page shows the progress."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.signin import PASSWORD

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
ENTERPRISE = "河北甲食品有限公司"
PROJECT = "科创园标准厂房<b>二期</b>"  # a name from the data reaches the page as text


@pytest.fixture
def zone():
    """A park with one enterprise and one project under way (planned 24,000万元 this year,
    with last month's progress in an approved month); its staff, an admin and a leader."""
    from indicators.models import PeriodSubmission
    from parkportal.choices import ParkKind, Role
    from parkportal.models import Park
    from parkportal.services import user_save
    from projects.models import Project, ProjectPlan, ProjectProgress
    from projects.selectors import light_month
    from tests.factories import EnterpriseFactory

    year, month = light_month(timezone.localdate())  # the month the project page shows
    zone = Park.objects.create(code="KFQ", name="示范经济开发区", kind=ParkKind.ZONE)
    park = Park.objects.create(code="CGC", name="长古城工业园", parent=zone, kind=ParkKind.PARK)
    EnterpriseFactory(park=park, name=ENTERPRISE)
    project = Project.objects.create(
        code="XM-01",
        name=PROJECT,
        park=park,
        category="industrial",
        stage="construction",
        total_investment=Decimal("44500"),
        start_date=date(year - 1, 5, 1),
    )
    ProjectPlan.objects.create(project=project, year=year, planned_investment=Decimal("24000"))
    if month > 1:
        ProjectProgress.objects.create(
            project=project, year=year, month=month - 1, completed_investment=Decimal("9000")
        )
        PeriodSubmission.objects.create(park=park, year=year, month=month - 1, status="approved")
    user_save(username="tianbao", role=Role.STAFF, park_codes=["CGC"], password=PASSWORD)
    user_save(username="guanli", role=Role.ADMIN, password=PASSWORD)
    user_save(username="lingdao", role=Role.LEADER, password=PASSWORD)
    return {"project": project, "year": year, "month": month}


def sign_in(page, live_server, username, next_path):
    page.goto(f"{live_server.url}{next_path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    page.wait_for_load_state()


def test_staff_enter_and_submit_a_months_project_progress_with_the_enterprises_figures(
    live_server, zone, new_page, console_errors, screenshot_dir
):
    from projects.models import ProjectProgress

    year, month, project = zone["year"], zone["month"], zone["project"]
    entry = f"/entry/CGC/{year}/{month}/"
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server, "tianbao", entry)
    expect(page.locator("#period-status")).to_contain_text("填报中")

    # The enterprises' figures, minimal: one revenue figure, saved as a draft.
    page.get_by_label(f"{ENTERPRISE} 营业收入", exact=True).fill("1600")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("已保存，修改了1个数据。")).to_be_visible()
    expect(page.locator("#project-progress-missing")).to_contain_text(PROJECT)

    # The month's projects: one row, last month's 本年累计 beside this month's inputs.
    page.get_by_role("link", name="项目进度（1）").click()
    expect(
        page.get_by_role("heading", name=f"长古城工业园 · {year}年{month}月 · 项目进度")
    ).to_be_visible()
    row = page.locator(".progress-row")
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name=PROJECT)).to_be_visible()
    expect(row).to_contain_text("24,000.00")
    completed = page.get_by_label(f"{PROJECT} 本年累计完成投资", exact=True)
    completed.fill("10500")
    page.get_by_label(f"{PROJECT} 其中政府财政性投资", exact=True).fill("2000")
    # this month's own value, worked out as it is typed
    expect(row.locator(".progress-own")).to_have_text("1,500.00" if month > 1 else "10,500.00")
    page.screenshot(path=screenshot_dir / "progress-typed.png", full_page=True)
    page.get_by_role("button", name="保存项目进度").click()
    expect(page.get_by_text("项目进度已保存，修改了1个项目。")).to_be_visible()
    expect(completed).to_have_value("10500")

    # Back on the enterprises' page, the month is submitted: both together.
    page.get_by_role("link", name="返回企业数据并上报").click()
    expect(page.locator("#project-progress-missing")).to_have_count(0)
    page.get_by_role("button", name="保存并上报").click()
    expect(
        page.get_by_text(f"长古城工业园{year}年{month}月的数据已上报，等待审核。")
    ).to_be_visible()
    expect(page.locator("#period-status")).to_contain_text("已上报")

    # The progress is read only now.
    page.get_by_role("link", name="项目进度（1）").click()
    expect(page.locator("#period-status")).to_contain_text("已上报")
    expect(completed).to_have_value("10500")
    expect(completed).not_to_be_editable()
    expect(page.get_by_role("button", name="保存项目进度")).to_have_count(0)

    # On a phone the project is a card, and the page does not scroll sideways.
    phone = new_page(viewport=PHONE)
    sign_in(phone, live_server, "tianbao", f"/projects/progress/CGC/{year}/{month}/")
    expect(phone.get_by_label(f"{PROJECT} 本年累计完成投资", exact=True)).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    phone.screenshot(path=screenshot_dir / "progress-phone.png", full_page=True)

    # An admin approves the month.
    admin = new_page(viewport=DESKTOP)
    sign_in(admin, live_server, "guanli", entry)
    admin.get_by_role("button", name="审核通过并锁定").click()
    expect(admin.locator("#period-status")).to_contain_text("已审核（锁定）")

    # A leader's project page shows the month's progress.
    leader = new_page(viewport=DESKTOP)
    sign_in(leader, live_server, "lingdao", f"/projects/{project.pk}/")
    table = leader.locator("#progress-table")
    label = "1月" if month == 1 else f"1-{month}月"
    expect(table.get_by_role("row").filter(has_text=label)).to_contain_text("10,500.00")
    expect(table.get_by_role("row").filter(has_text=label)).to_contain_text("2,000.00")
    leader.screenshot(path=screenshot_dir / "progress-leader.png", full_page=True)

    saved = ProjectProgress.objects.get(project=project, year=year, month=month)
    assert (saved.completed_investment, saved.government_investment) == (
        Decimal("10500"),
        Decimal("2000"),
    )
    assert saved.history.get().history_user.username == "tianbao"
    assert console_errors == []
