"""A leader finds an enterprise in the directory by a part of its name and opens its page,
on a desktop and on a phone; a header sorts the list; park staff list their own park only."""

import pytest
from playwright.sync_api import expect

from tests.e2e.signin import sign_in

pytestmark = [
    pytest.mark.e2e,
    # The live server reads what the test writes, so the test commits; the serialized
    # rollback brings back the indicator catalog that the flush afterwards removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SOLAR = "新设光伏材料有限公司"


def open_directory(page):
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="企业名录").click()
    expect(page.get_by_role("heading", name="企业名录", exact=True)).to_be_visible()


def search(page, text):
    form = page.get_by_role("form", name="查找企业")
    form.get_by_label("企业名称或信用代码").fill(text)
    form.get_by_role("button", name="查询").click()


def listed(page):
    return page.get_by_role("region", name="企业名录（可左右滑动）").get_by_role("row")


def test_leader_finds_an_enterprise_by_part_of_its_name_and_opens_its_page(
    live_server, small_zone, new_page, console_errors, screenshot_dir
):
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server)
    open_directory(page)
    expect(page.locator(".page-lead")).to_contain_text("共 7 家企业")
    page.screenshot(path=screenshot_dir / "directory.png", full_page=True)

    search(page, "光伏")

    expect(page.locator(".page-lead")).to_contain_text("共 1 家企业")
    rows = listed(page)
    expect(rows).to_have_count(2)  # the header and the enterprise
    expect(rows.nth(1)).to_contain_text("白合工业园")
    expect(rows.nth(1)).to_contain_text("7,000.00")
    page.screenshot(path=screenshot_dir / "directory-search.png", full_page=True)

    rows.nth(1).get_by_role("link", name=SOLAR).click()

    expect(page.get_by_role("heading", name=SOLAR, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="2026年最新数据")).to_be_visible()
    assert console_errors == []


def test_a_header_sorts_the_list_and_sorts_it_back(
    live_server, small_zone, new_page, console_errors
):
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server)
    open_directory(page)
    table = page.get_by_role("region", name="企业名录（可左右滑动）")

    table.get_by_role("link", name="营业收入1-3月").click()
    expect(page.get_by_role("columnheader", name="营业收入1-3月 ↓")).to_be_visible()
    expect(listed(page).nth(1)).to_contain_text("白合园林工程有限公司")  # 100,000.00

    page.get_by_role("region", name="企业名录（可左右滑动）").get_by_role(
        "link", name="营业收入1-3月 ↓"
    ).click()
    expect(page.get_by_role("columnheader", name="营业收入1-3月 ↑")).to_be_visible()
    expect(listed(page).nth(1)).to_contain_text(SOLAR)  # 7,000.00, the smallest
    expect(page.get_by_role("form", name="查找企业").get_by_label("排序")).to_have_value("revenue")
    assert console_errors == []


def test_the_directory_fits_a_phone(
    live_server, small_zone, new_page, console_errors, screenshot_dir
):
    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    sign_in(page, live_server)
    open_directory(page)

    expect(page.get_by_role("button", name="查询")).to_be_visible()
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width  # nothing overflows the page …
    region = page.get_by_role("region", name="企业名录（可左右滑动）")
    scroll_width, client_width = region.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert scroll_width > client_width  # … the table scrolls inside its box
    # The name and the revenue are in view without scrolling sideways.
    revenue = region.get_by_role("columnheader", name="营业收入1-3月").bounding_box()
    assert revenue["x"] + revenue["width"] <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "directory-phone.png", full_page=True)

    search(page, "光伏")
    listed(page).nth(1).get_by_role("link", name=SOLAR).click()

    expect(page.get_by_role("heading", name=SOLAR, level=1)).to_be_visible()
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width
    page.screenshot(path=screenshot_dir / "directory-phone-enterprise.png", full_page=True)
    assert console_errors == []


def test_staff_list_their_own_park_only(live_server, small_zone, new_page, console_errors):
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server, username="tianbao")
    open_directory(page)

    expect(page.locator(".page-lead")).to_contain_text("共 3 家企业")
    expect(page.get_by_role("main")).not_to_contain_text("白合")

    response = page.goto(f"{live_server.url}/enterprises/?park=B")
    assert response.status == 403
    # The browser logs the 403 response itself as a console error.
    assert all("403" in error for error in console_errors)
