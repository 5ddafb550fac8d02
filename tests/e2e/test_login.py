"""A leader signs in through the browser and finds the zone's parks on the home page."""

import re

import pytest
from playwright.sync_api import expect

from parkportal.choices import Role, ScaleCategory
from parkportal.services import user_save
from tests.factories import (
    EnterpriseFactory,
    LeadFactory,
    MonthlyValueFactory,
    ParkFactory,
    ProjectFactory,
    ZoneFactory,
)
from tests.helpers import count_as_official

pytestmark = [
    pytest.mark.e2e,
    # The live server reads what the test writes, so the test commits; the serialized
    # rollback brings back the indicator catalog that the flush afterwards removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Lingdao-2026!"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_zone():
    """A zone of two parks, the first with enterprises, figures, a project and a lead."""
    zone = ZoneFactory(code="KFQ", name="示范经济开发区")
    park = ParkFactory(code="CGC", name="长古城工业园", parent=zone)
    ParkFactory(code="BH", name="白合工业园", parent=zone)
    above_scale = EnterpriseFactory(park=park, scale_category=ScaleCategory.INDUSTRY)
    EnterpriseFactory(park=park)
    EnterpriseFactory(park=park, in_statistics=False)
    for month in (2, 3):
        MonthlyValueFactory(enterprise=above_scale, year=2026, month=month)
    count_as_official()  # the park's months went through the workflow
    ProjectFactory(park=park)
    LeadFactory(park=park)
    user_save(username="lingdao", role=Role.LEADER, password=PASSWORD)
    return zone


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名").fill("lingdao")
    page.get_by_label("密码").fill(PASSWORD)


def assert_no_horizontal_overflow(page):
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width


def test_leader_signs_in_and_sees_the_parks(
    live_server, demo_zone, new_page, console_errors, screenshot_dir
):
    page = new_page(viewport={"width": 1280, "height": 800})

    sign_in(page, live_server)
    expect(page.get_by_role("heading", name="用户登录")).to_be_visible()
    page.screenshot(path=screenshot_dir / "login.png", full_page=True)
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="园区概况", exact=True)).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader", name="长古城工业园")).to_be_visible()
    expect(table.get_by_role("rowheader", name="白合工业园")).to_be_visible()
    expect(table.get_by_role("rowheader", name="合计")).to_be_visible()
    expect(page.get_by_text("2026年3月").first).to_be_visible()
    expect(page.locator(".site-user")).to_contain_text("领导")
    page.screenshot(path=screenshot_dir / "home.png", full_page=True)
    assert console_errors == []


def test_wrong_password_shows_a_chinese_error(live_server, demo_zone, new_page, console_errors):
    page = new_page()

    sign_in(page, live_server)
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("alert")).to_contain_text("请输入一个正确的")
    assert console_errors == []


def test_home_fits_a_phone(live_server, demo_zone, new_page, console_errors, screenshot_dir):
    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)

    sign_in(page, live_server)
    assert_no_horizontal_overflow(page)
    page.get_by_role("button", name="登录").click()

    nav = page.get_by_role("navigation", name="主导航")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="首页 · 仪表盘")).to_be_in_viewport()
    expect(nav.get_by_text("月度填报")).to_be_in_viewport()
    # the overview's six register cards (the service desk and the plan have cards of their own)
    overview = page.locator("section", has=page.get_by_role("heading", name="园区概况"))
    cards = overview.locator(".stat")
    expect(cards).to_have_count(6)
    for index in range(6):
        expect(cards.nth(index)).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_in_viewport()
    assert_no_horizontal_overflow(page)
    page.screenshot(path=screenshot_dir / "home-phone.png", full_page=True)
    assert console_errors == []


def test_logout_returns_to_the_login_page(live_server, demo_zone, new_page, console_errors):
    page = new_page()

    sign_in(page, live_server)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    assert console_errors == []
