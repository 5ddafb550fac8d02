"""Park staff fill in a month, explain its warning and submit it; an admin approves and locks it."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators import codes
from indicators.choices import ChangeSource, PeriodAction, PeriodStatus
from indicators.models import FigureChange, FigureNote, MonthlyValue, PeriodSubmission
from indicators.views import reporting_month
from parkportal.choices import Role
from parkportal.services import user_save
from tests.factories import (
    EnterpriseFactory,
    MonthlyValueFactory,
    ParkFactory,
    ZoneFactory,
    indicator,
)

pytestmark = [
    pytest.mark.e2e,
    # The live server reads what the test writes, so the test commits; the serialized
    # rollback brings back the indicator catalog that the flush afterwards removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STAFF_PASSWORD = "Tianbao-2026!"
ADMIN_PASSWORD = "Guanli-2026!"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
YEAR, MONTH = 2026, 10
ENTRY = f"/entry/CGC/{YEAR}/{MONTH}/"
JIA, YI = "河北甲食品有限公司", "河北乙建材有限公司"
# 营业收入 (本年累计) stored per enterprise: last year's October and December, this September.
REVENUE_HISTORY = {
    JIA: {(YEAR - 1, 10): "1000", (YEAR - 1, 12): "1200", (YEAR, 9): "1350"},
    YI: {(YEAR - 1, 10): "800", (YEAR - 1, 12): "960", (YEAR, 9): "720"},
}
# What staff enter for October: 甲's revenue grows 60% on last October (a warning; its
# own value, 250, stays under 3× its average month of 100), 乙's grows 10% (no warning).
REVENUE = {JIA: "1600", YI: "880"}
TAX = {JIA: "85.5", YI: "42"}  # pasted as one column, as copied from Excel
EMPLOYEES = {JIA: "120", YI: "64"}
WARNING = "比上年同期增长60.00%，超过±50%"
EXPLANATION = "新生产线10月投产，订单集中交付"


@pytest.fixture
def small_zone():
    """A zone with one park of two enterprises with revenue figures, a staff and an admin."""
    zone = ZoneFactory(code="KFQ", name="示范经济开发区")
    park = ParkFactory(code="CGC", name="长古城工业园", parent=zone)
    revenue = indicator(codes.REVENUE)
    enterprises = {}
    for name, history in REVENUE_HISTORY.items():
        enterprises[name] = EnterpriseFactory(park=park, name=name)
        for (year, month), value in history.items():
            MonthlyValueFactory(
                enterprise=enterprises[name],
                indicator=revenue,
                year=year,
                month=month,
                value=Decimal(value),
            )
    staff = user_save(
        username="tianbao", role=Role.STAFF, park_codes=["CGC"], password=STAFF_PASSWORD
    )
    admin = user_save(username="guanli", role=Role.ADMIN, password=ADMIN_PASSWORD)
    return {"park": park, "enterprises": enterprises, "staff": staff, "admin": admin}


def sign_in(page, live_server, username, password, next_path):
    """Open `next_path`, get sent to the log-in page, log in, and come back."""
    page.goto(f"{live_server.url}{next_path}")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def cell(page, enterprise, indicator_name):
    return page.get_by_label(f"{enterprise} {indicator_name}", exact=True)


def scroll_to_bottom(page):
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")


def row_order(page) -> list[str]:
    """Return the enterprises in the grid's row order (the database's collation decides)."""
    names = page.locator(".entry-table tbody th[scope=row]").all_inner_texts()
    return [name.strip() for name in names]


def paste(page, locator, text):
    """Put `text` on the clipboard and paste it into the input with the keyboard."""
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    locator.focus()
    page.keyboard.press("ControlOrMeta+V")


def test_staff_enter_explain_and_submit_a_month_that_an_admin_locks(
    live_server, small_zone, new_page, console_errors, screenshot_dir
):
    jia = small_zone["enterprises"][JIA]
    revenue = indicator(codes.REVENUE)
    page = new_page(viewport=DESKTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    # The start page sends staff of one park to the month being reported.
    sign_in(page, live_server, "tianbao", STAFF_PASSWORD, "/entry/")
    year, month = reporting_month()
    expect(page).to_have_url(f"{live_server.url}/entry/CGC/{year}/{month}/")

    page.goto(f"{live_server.url}{ENTRY}")
    expect(page.get_by_role("heading", name=f"长古城工业园 · {YEAR}年{MONTH}月")).to_be_visible()
    expect(page.locator("#period-status")).to_contain_text("填报中")
    first, second = row_order(page)
    assert {first, second} == {JIA, YI}

    # Revenue: type the first row's figure, Enter moves down the column to the second row.
    cell(page, first, "营业收入").click()
    page.keyboard.type(REVENUE[first])
    page.keyboard.press("Enter")
    expect(cell(page, second, "营业收入")).to_be_focused()
    page.keyboard.type(REVENUE[second])
    page.keyboard.press("Shift+Enter")
    expect(cell(page, first, "营业收入")).to_be_focused()

    # Tax: a column copied from Excel (CRLF lines) pasted into its first cell fills both rows.
    paste(page, cell(page, first, "税收收入"), f"{TAX[first]}\r\n{TAX[second]}\r\n")
    expect(cell(page, first, "税收收入")).to_have_value(TAX[first])
    expect(cell(page, second, "税收收入")).to_have_value(TAX[second])

    cell(page, first, "从业人员").fill(EMPLOYEES[first])
    cell(page, second, "从业人员").fill(EMPLOYEES[second])
    page.get_by_role("button", name="保存草稿").click()

    # Saved: 甲's revenue warns and asks for a 说明; nothing else does.
    expect(page.get_by_text("已保存，修改了6个数据。")).to_be_visible()
    warned = page.locator("td.entry-cell--warning")
    expect(warned).to_have_count(1)
    expect(warned.locator(f'input[name="v-{jia.pk}-{revenue.pk}"]')).to_have_value("1600")
    expect(warned.locator(".entry-message--warning")).to_have_text(WARNING)
    note = warned.get_by_role("textbox", name="说明")
    expect(note).to_be_visible()
    expect(note).to_have_attribute("name", f"n-{jia.pk}-{revenue.pk}")
    expect(note).to_have_value("")
    expect(page.locator("#entry-summary")).to_contain_text("提示 1 处，待填说明 1 处")
    expect(cell(page, YI, "营业收入")).to_have_value("880")
    expect(cell(page, first, "税收收入")).to_have_value(TAX[first])
    expect(cell(page, second, "税收收入")).to_have_value(TAX[second])

    # Submitting without the 说明 is refused; the month stays a draft.
    page.get_by_role("button", name="保存并上报").click()
    expect(page.get_by_text(re.compile("未能上报：有1处数据提示尚未填写说明"))).to_be_visible()
    expect(page.locator("#period-status")).to_contain_text("填报中")
    expect(page.get_by_role("button", name="保存草稿")).to_be_visible()
    scroll_to_bottom(page)  # the sticky action bar back under the grid, off the warned cell
    page.screenshot(path=screenshot_dir / "entry-warning.png", full_page=True)

    # With the 说明 filled in, the month is saved and submitted.
    page.locator("td.entry-cell--warning").get_by_role("textbox", name="说明").fill(EXPLANATION)
    page.get_by_role("button", name="保存并上报").click()
    expect(page.get_by_text("长古城工业园2026年10月的数据已上报，等待审核。")).to_be_visible()
    expect(page.locator("#period-status")).to_contain_text("已上报")
    expect(page.locator("#entry-summary")).to_contain_text("提示 1 处，待填说明 0 处")
    expect(page.get_by_role("textbox", name="说明")).to_have_value(EXPLANATION)
    expect(page.get_by_role("button", name="保存草稿")).to_have_count(0)
    expect(page.get_by_role("button", name="撤回上报")).to_be_visible()
    expect(page.get_by_role("button", name="审核通过并锁定")).to_have_count(0)  # staff may not
    expect(cell(page, JIA, "营业收入")).not_to_be_editable()
    page.screenshot(path=screenshot_dir / "entry-submitted.png", full_page=True)

    # An admin, in a browser of their own, approves the month: it is locked.
    admin_page = new_page(viewport=DESKTOP)
    sign_in(admin_page, live_server, "guanli", ADMIN_PASSWORD, ENTRY)
    expect(admin_page).to_have_url(f"{live_server.url}{ENTRY}")
    expect(admin_page.locator("#period-status")).to_contain_text("已上报")
    expect(admin_page.get_by_role("textbox", name="说明")).to_have_value(EXPLANATION)
    admin_page.get_by_role("button", name="审核通过并锁定").click()
    expect(admin_page.get_by_text("长古城工业园2026年10月：已审核通过。")).to_be_visible()
    expect(admin_page.locator("#period-status")).to_contain_text("已审核（锁定）")
    expect(admin_page.get_by_text("本月数据已审核通过并锁定，不能修改。")).to_be_visible()
    inputs = admin_page.locator("#entry-form input[type=text]")
    expect(inputs).to_have_count(2 * 6 + 1)  # two enterprises × six indicators, one 说明
    for index in range(inputs.count()):
        expect(inputs.nth(index)).to_have_attribute("readonly", "")
    expect(admin_page.get_by_role("button", name="保存草稿")).to_have_count(0)
    expect(admin_page.get_by_role("button", name="审核通过并锁定")).to_have_count(0)
    expect(admin_page.get_by_role("button", name="解锁")).to_be_visible()
    admin_page.screenshot(path=screenshot_dir / "entry-locked.png", full_page=True)

    # Staff see the month locked too.
    page.reload()
    expect(page.locator("#period-status")).to_contain_text("已审核（锁定）")
    expect(page.get_by_text("本月数据已审核通过并锁定，不能修改。")).to_be_visible()
    expect(page.get_by_role("button", name="保存草稿")).to_have_count(0)
    expect(page.get_by_role("button", name="保存并上报")).to_have_count(0)
    expect(page.get_by_role("button", name="撤回上报")).to_have_count(0)
    expect(page.get_by_role("button", name="解锁")).to_have_count(0)
    expect(cell(page, JIA, "营业收入")).not_to_be_editable()
    expect(page.locator(".entry-events")).to_contain_text("审核通过")

    # What the database holds.
    staff, admin = small_zone["staff"], small_zone["admin"]
    october = {
        (value.enterprise.name, value.indicator.code): value.value
        for value in MonthlyValue.objects.filter(year=YEAR, month=MONTH).select_related(
            "enterprise", "indicator"
        )
    }
    assert october == {
        (name, code): Decimal(figures[name])
        for name in (JIA, YI)
        for code, figures in (
            (codes.REVENUE, REVENUE),
            (codes.TAX, TAX),
            (codes.EMPLOYEES, EMPLOYEES),
        )
    }
    assert all(isinstance(value, Decimal) for value in october.values())
    change = FigureChange.objects.get(enterprise=jia, indicator=revenue, year=YEAR, month=MONTH)
    assert change.source == ChangeSource.ENTRY
    assert change.changed_by == staff
    assert change.old_value is None
    assert change.new_value == Decimal("1600")
    assert FigureChange.objects.filter(year=YEAR, month=MONTH).count() == 6
    assert set(FigureChange.objects.values_list("source", "changed_by")) == {
        (ChangeSource.ENTRY, staff.pk)
    }
    note = FigureNote.objects.get()
    assert (note.enterprise, note.indicator, note.year, note.month) == (jia, revenue, YEAR, MONTH)
    assert note.text == EXPLANATION
    assert note.written_by == staff
    submission = PeriodSubmission.objects.get(park=small_zone["park"], year=YEAR, month=MONTH)
    assert submission.status == PeriodStatus.APPROVED
    assert submission.updated_by == staff
    assert list(submission.events.order_by("at", "pk").values_list("action", "user")) == [
        (PeriodAction.SUBMIT, staff.pk),
        (PeriodAction.APPROVE, admin.pk),
    ]
    assert console_errors == []


def test_the_entry_grid_scrolls_on_a_phone(
    live_server, small_zone, new_page, console_errors, screenshot_dir
):
    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    sign_in(page, live_server, "tianbao", STAFF_PASSWORD, ENTRY)
    expect(page).to_have_url(f"{live_server.url}{ENTRY}")
    expect(page.locator("#period-status")).to_contain_text("填报中")

    # The page itself fits the phone's width; the grid scrolls sideways inside its box.
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width
    grid = page.locator(".entry-scroll")
    scroll_width, client_width = grid.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert scroll_width > client_width
    grid.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    assert grid.evaluate("box => box.scrollLeft") > 0
    names = page.locator(".entry-table tbody th[scope=row]")
    assert names.first.bounding_box()["x"] >= grid.bounding_box()["x"] - 1  # stuck to the left

    # The last column can be reached and typed into; the names stay in view (sticky).
    last = cell(page, JIA, "从业人员")
    last.fill(EMPLOYEES[JIA])
    expect(last).to_be_in_viewport()
    expect(last).to_have_value(EMPLOYEES[JIA])
    expect(names.first).to_be_in_viewport()
    scroll_to_bottom(page)
    expect(page.get_by_role("button", name="保存草稿")).to_be_in_viewport()
    page.screenshot(path=screenshot_dir / "entry-phone.png", full_page=True)
    assert console_errors == []


def test_the_save_buttons_stay_clickable_over_the_grid(
    live_server, small_zone, new_page, screenshot_dir
):
    page = new_page(viewport={"width": 1280, "height": 720})
    sign_in(page, live_server, "tianbao", STAFF_PASSWORD, ENTRY)
    expect(page).to_have_url(f"{live_server.url}{ENTRY}")
    page.evaluate("window.scrollTo(0, 0)")
    grid = page.locator(".entry-scroll").bounding_box()
    buttons = page.locator(".entry-actions button")
    expect(buttons).to_have_count(2)
    if grid["y"] + grid["height"] < buttons.first.bounding_box()["y"] + 40:
        pytest.fail("The grid ends above the action bar: this test checks nothing.")
    page.screenshot(path=screenshot_dir / "entry-actions-over-grid.png")
    for index in range(2):
        button = buttons.nth(index)
        on_top = button.evaluate(
            """button => {
                const box = button.getBoundingClientRect();
                const x = box.left + 8, y = box.top + box.height / 2;
                return button.contains(document.elementFromPoint(x, y));
            }"""
        )
        assert on_top, f"{button.inner_text()} is covered by the grid"
