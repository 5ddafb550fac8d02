"""A leader opens the year's plan from the menu, keeps the late tasks only and reads why
one is late, on a desktop and on a 390-px phone."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from investment.models import OutreachEvent
from planning.models import PlanTask
from tests.e2e.signin import sign_in
from tests.factories import OutreachEventFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
LATE = "一季度组织集中招商推介会"
ON_TRACK = "全年完成投资不低于3.8亿元"


@pytest.fixture
def plan(small_zone):
    today = timezone.localdate()
    year = today.year
    OutreachEventFactory(date=date(year, 1, 1), kind="promotion")
    held = OutreachEvent.objects.filter(kind="promotion", date__year=year, date__lte=today).count()
    PlanTask.objects.create(
        code="T1", year=year, title=LATE, unit="招商局", deadline=date(year, 1, 1),
        measure="events", subject="招商推介会", target=D(held + 1),
    )  # fmt: skip
    PlanTask.objects.create(
        code="T2", year=year, title=ON_TRACK, unit="项目办", deadline=date(year, 12, 31),
        measure="project_investment", target=D("38000"),
    )  # fmt: skip
    return today, held


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE])
def test_leader_sees_why_a_task_is_late(
    live_server, plan, new_page, console_errors, screenshot_dir, viewport
):
    today, held = plan
    page = new_page(viewport=viewport)
    sign_in(page, live_server)
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="年度任务").click()
    expect(page.get_by_role("heading", name=f"{today.year}年度任务")).to_be_visible()
    expect(page.locator(".page-lead").first).to_contain_text("逾期未完成 1 项")

    filters = page.get_by_role("form", name="筛选年度任务")
    filters.get_by_label("状态").select_option(label="逾期未完成")
    filters.get_by_role("button", name="查看").click()

    tasks = page.get_by_role("region", name="年度任务（可左右滑动）")
    late = tasks.get_by_role("row").filter(has_text=LATE)
    expect(late).to_contain_text("逾期未完成")
    when = f"{today.year}年{today.month}月{today.day}日"
    expect(late).to_contain_text(f"截至{when}仅{held}次，目标{held + 1}次")
    expect(tasks).not_to_contain_text(ON_TRACK)
    name = "plan-phone.png" if viewport == PHONE else "plan.png"
    page.screenshot(path=screenshot_dir / name, full_page=True)
    assert console_errors == []
