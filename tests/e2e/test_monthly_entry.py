"""Park staff fill in a month, explain its warning and submit it; an admin approves and locks it."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators import codes
from indicators.choices import ChangeSource, PeriodAction, PeriodStatus
from indicators.models import (
    FigureChange,
    FigureNote,
    Indicator,
    MonthlyValue,
    PeriodSubmission,
)
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
OFFICE = {"width": 1366, "height": 768}  # the office's screens
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
    """Open `next_path`, get sent to the log-in page, log in, and come back once the page
    and its script have loaded."""
    page.goto(f"{live_server.url}{next_path}")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    page.wait_for_load_state()


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
    expect(
        admin_page.get_by_text(
            "本月数据已审核通过并锁定，不能修改；如需更正，请在上方填写原因后解锁。"
        )
    ).to_be_visible()
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


# ---------------------------------------------------------------- a park of 33 enterprises

BIG = "BH"
BIG_ENTRY = f"/entry/{BIG}/{YEAR}/{MONTH}/"
ENTERPRISES = 33
WARNED = (0, 1, 2)  # their revenue grows 60% on last year: a warning each
ALSO_WARNED = (0, codes.TAX)  # the first one's tax too, for the same reason
BLANK = (5, "tax")  # left blank in the block pasted; reported last month: asked on submitting


@pytest.fixture
def big_park():
    """A park of 33 enterprises that reported every indicator last month and a year ago."""
    zone = ZoneFactory(code="KFQ", name="示范经济开发区")
    park = ParkFactory(code=BIG, name="白合工业园", parent=zone)
    indicators = list(Indicator.objects.active())
    enterprises = [
        EnterpriseFactory(park=park, name=f"白合{number:02d}号新材料科技有限公司")
        for number in range(ENTERPRISES)
    ]
    MonthlyValue.objects.bulk_create(
        MonthlyValue(enterprise=enterprise, indicator=item, year=year, month=month, value=value)
        for number, enterprise in enumerate(enterprises)
        for item in indicators
        for (year, month), value in history(number, item).items()
    )
    user_save(username="tianbao", role=Role.STAFF, park_codes=[BIG], password=STAFF_PASSWORD)
    return {"park": park, "indicators": indicators, "enterprises": enterprises}


def history(number: int, item) -> dict[tuple[int, int], Decimal]:
    """An enterprise's figures of an indicator: last year's October and December, this September."""
    if not item.is_flow:  # employees: the month's headcount
        return {(YEAR - 1, MONTH): Decimal(100 + number), (YEAR, MONTH - 1): Decimal(100 + number)}
    return {
        (YEAR - 1, MONTH): Decimal(1000 + 10 * number),
        (YEAR - 1, 12): Decimal(1200 + 12 * number),
        (YEAR, MONTH - 1): Decimal(950 + 10 * number),
    }


def october(number: int, item) -> str:
    """What staff enter for October: 5% up on last year, 60% for the warned revenues."""
    if (number, item.code) == BLANK:
        return ""
    if not item.is_flow:
        return str(100 + number)
    if (number in WARNED and item.code == codes.REVENUE) or (number, item.code) == ALSO_WARNED:
        return str(1600 + 16 * number)
    return str(1050 + 10 * number)


def rows_in_view(page) -> int:
    """Count the grid's rows wholly visible: below the sticky header, above the bottom bar."""
    return page.evaluate(
        """() => {
            const top = document.querySelector('.entry-table thead th')
                .getBoundingClientRect().bottom;
            const bottom = Math.min(window.innerHeight,
                document.querySelector('.entry-bar').getBoundingClientRect().top);
            return [...document.querySelectorAll('.entry-table tbody tr')].filter(row => {
                const box = row.getBoundingClientRect();
                return box.top >= top - 1 && box.bottom <= bottom + 1;
            }).length;
        }"""
    )


def paste_event(locator, text):
    """Paste `text` into the input as a spreadsheet's copy arrives: a paste event with
    text/plain on its clipboard data."""
    locator.focus()
    locator.evaluate(
        """(input, text) => {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            input.dispatchEvent(new ClipboardEvent('paste', {
                clipboardData: data, bubbles: true, cancelable: true }));
        }""",
        text,
    )


def big_cell(page, enterprise, item):
    return cell(page, enterprise.name, item.name)


def test_staff_fill_a_month_of_33_enterprises_from_a_spreadsheet_and_submit_it(
    live_server, big_park, new_page, console_errors, screenshot_dir
):
    indicators, enterprises = big_park["indicators"], big_park["enterprises"]
    page = new_page(viewport=OFFICE)
    page.on("dialog", lambda dialog: dialog.accept())  # leaving with unsaved typing asks
    sign_in(page, live_server, "tianbao", STAFF_PASSWORD, BIG_ENTRY)
    expect(page).to_have_url(f"{live_server.url}{BIG_ENTRY}")

    # An untouched new month: no warning; the blank cells wait for the submission.
    expect(page.locator("#entry-summary")).to_contain_text("提示 0 处，待填说明 0 处")
    expect(page.locator("td.entry-cell--warning")).to_have_count(0)
    order = row_order(page)
    assert sorted(order) == sorted(e.name for e in enterprises)
    by_name = {e.name: number for number, e in enumerate(enterprises)}
    first = enterprises[by_name[order[0]]]

    # Typing survives a reload (a closed tab, a lost session): it is offered back.
    revenue, output = indicators[0], indicators[1]
    big_cell(page, first, revenue).click()
    page.keyboard.type("777")
    page.reload()
    expect(page.locator("#entry-draft")).to_contain_text("尚未保存的 1 个数据")
    expect(big_cell(page, first, revenue)).to_have_value("")
    page.get_by_role("button", name="恢复未保存的输入").click()
    expect(big_cell(page, first, revenue)).to_have_value("777")
    expect(page.locator("#entry-draft")).to_be_hidden()

    # The keyboard moves as in a spreadsheet; the bar shows the focused cell's context.
    big_cell(page, first, revenue).focus()
    page.keyboard.press("ArrowRight")
    expect(big_cell(page, first, output)).to_be_focused()
    page.keyboard.press("ArrowDown")
    second = enterprises[by_name[order[1]]]
    expect(big_cell(page, second, output)).to_be_focused()
    page.keyboard.press("Enter")
    expect(big_cell(page, enterprises[by_name[order[2]]], output)).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(big_cell(page, enterprises[by_name[order[2]]], revenue)).to_be_focused()
    number = by_name[order[2]]
    context = page.locator("#entry-context")
    expect(context).to_contain_text(order[2])
    expect(context).to_contain_text(f"上月累计 {950 + 10 * number:,}")
    expect(context).to_contain_text(f"去年同期 {1000 + 10 * number:,}")

    # A block of 33 rows × 6 columns copied from the spreadsheet, pasted in the first cell.
    block = "\r\n".join(
        "\t".join(october(by_name[name], item) for item in indicators) for name in order
    )
    paste_event(big_cell(page, first, revenue), block + "\r\n")
    for name in (order[0], order[16], order[-1]):
        for item in (revenue, indicators[-1]):
            expect(cell(page, name, item.name)).to_have_value(october(by_name[name], item))
    page.evaluate("window.scrollTo(0, 0)")
    assert rows_in_view(page) >= 12
    page.screenshot(path=screenshot_dir / "entry-grid.png")

    # The header row stays while the page scrolls; nothing scrolls sideways.
    page.evaluate("window.scrollTo(0, 500)")
    assert abs(page.locator(".entry-table thead th").first.bounding_box()["y"]) <= 1
    assert rows_in_view(page) >= 12
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("已保存，修改了197个数据。")).to_be_visible()
    page.wait_for_load_state()  # and its script, which the links below need
    expect(page.locator("#entry-draft")).to_be_hidden()  # saved: the kept typing is dropped
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('parkportal.entry'))")
        == []
    )
    expect(page.locator("#entry-summary")).to_contain_text("提示 4 处，待填说明 4 处")

    # The warnings are listed above the grid, folded away while entering; each link leads
    # to its 说明; a 说明 can be copied from the cell on its left (同左).
    issues = page.locator(".entry-issues li a")
    expect(issues).to_have_count(4)
    expect(issues.first).to_be_hidden()
    page.get_by_text("需处理的数据（4 处）").click()
    issues.first.click()
    note = page.locator(".entry-note:focus")
    expect(note).to_have_attribute("name", f"n-{first.pk}-{revenue.pk}")
    page.keyboard.type("新签订单集中交付")
    page.get_by_role("button", name="同左").click()
    tax_note = page.locator(f'input[name="n-{first.pk}-{indicators[2].pk}"]')
    expect(tax_note).to_have_value("新签订单集中交付")
    expect(tax_note).to_be_focused()
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#entry-summary")).to_contain_text("提示 4 处，待填说明 2 处")
    page.wait_for_load_state()
    page.get_by_text("需处理的数据（2 处）").click()
    for index in range(2):
        issues.nth(index).click()
        page.keyboard.type("新签订单集中交付")
        page.keyboard.press("Enter")  # on to the next field, not sending the form
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#entry-summary")).to_contain_text("提示 4 处，待填说明 0 处")

    # Submitting asks for the figure missing where last month had one, and lists it.
    page.get_by_role("button", name="保存并上报").click()
    expect(page.get_by_text(re.compile("未能上报：有1处数据提示尚未填写说明"))).to_be_visible()
    page.wait_for_load_state()
    blank = enterprises[BLANK[0]]
    missing = page.locator(".entry-issues li")
    expect(missing).to_have_count(1)
    expect(missing).to_contain_text(f"{blank.name} · 税收收入：上月有数据，本月未填写")
    missing.get_by_role("link").click()
    page.keyboard.type("企业申请缓缴，本月无税收入库")
    page.get_by_role("button", name="保存并上报").click()
    expect(page.get_by_text("白合工业园2026年10月的数据已上报，等待审核。")).to_be_visible()
    expect(page.locator("#period-status")).to_contain_text("已上报")
    expect(page.get_by_role("button", name="撤回上报")).to_be_visible()

    submission = PeriodSubmission.objects.get(park=big_park["park"], year=YEAR, month=MONTH)
    assert submission.status == PeriodStatus.SUBMITTED
    assert MonthlyValue.objects.filter(year=YEAR, month=MONTH).count() == 197
    assert FigureNote.objects.count() == 5
    assert console_errors == []


def test_a_phone_shows_the_month_one_enterprise_at_a_time(
    live_server, big_park, new_page, console_errors, screenshot_dir
):
    enterprises = big_park["enterprises"]
    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    sign_in(page, live_server, "tianbao", STAFF_PASSWORD, BIG_ENTRY)
    expect(page).to_have_url(f"{live_server.url}{BIG_ENTRY}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    cards = page.locator(".entry-table tbody tr")
    expect(cards.filter(visible=True)).to_have_count(1)
    expect(page.locator("#entry-card-count")).to_have_text(f"第 1 / {ENTERPRISES} 家")
    first = row_order(page)[0]
    card = cards.filter(visible=True)
    expect(card).to_contain_text(first)
    expect(card.get_by_text("营业收入（万元）")).to_be_visible()
    # every field of the card is as wide as the phone allows: nothing spills over
    for box in card.locator(".entry-input").all():
        assert box.bounding_box()["x"] + box.bounding_box()["width"] <= PHONE["width"]
    revenue = cell(page, first, "营业收入")
    revenue.fill("1050")
    expect(revenue).to_be_in_viewport()
    page.screenshot(path=screenshot_dir / "entry-phone-card.png")

    # Enter goes down the card's fields; the next card follows the last field.
    revenue.press("Enter")
    expect(cell(page, first, "工业总产值")).to_be_focused()
    page.get_by_role("button", name="下一家 ›").click()
    expect(page.locator("#entry-card-count")).to_have_text(f"第 2 / {ENTERPRISES} 家")
    second = row_order(page)[1]
    expect(cards.filter(visible=True)).to_contain_text(second)
    expect(page.get_by_role("button", name="保存草稿")).to_be_in_viewport()
    assert len(enterprises) == ENTERPRISES
    assert console_errors == []


def test_the_save_buttons_stay_clickable_over_the_grid(
    live_server, big_park, new_page, screenshot_dir
):
    page = new_page(viewport={"width": 1280, "height": 720})
    sign_in(page, live_server, "tianbao", STAFF_PASSWORD, BIG_ENTRY)
    expect(page).to_have_url(f"{live_server.url}{BIG_ENTRY}")
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


def test_typing_survives_a_lost_session_and_is_dropped_once_saved(
    live_server, big_park, new_page, console_errors
):
    enterprises, revenue = big_park["enterprises"], big_park["indicators"][0]
    page = new_page(viewport=OFFICE)
    sign_in(page, live_server, "tianbao", STAFF_PASSWORD, BIG_ENTRY)
    first = row_order(page)[0]
    cell(page, first, revenue.name).fill("1050")
    cell(page, first, "税收收入").fill("1000")

    # The session ends (idle, or signed out elsewhere): the next page asks to sign in.
    page.context.clear_cookies()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, "tianbao", STAFF_PASSWORD, BIG_ENTRY)
    expect(page).to_have_url(f"{live_server.url}{BIG_ENTRY}")
    expect(page.locator("#entry-draft")).to_contain_text("尚未保存的 2 个数据")
    page.get_by_role("button", name="恢复未保存的输入").click()
    expect(cell(page, first, "税收收入")).to_have_value("1000")
    expect(cell(page, first, revenue.name)).to_be_focused()

    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("已保存，修改了2个数据。")).to_be_visible()
    expect(page.locator("#entry-draft")).to_be_hidden()
    assert page.evaluate("Object.keys(localStorage)") == []
    saved = MonthlyValue.objects.filter(enterprise__name=first, year=YEAR, month=MONTH)
    assert sorted(saved.values_list("value", flat=True)) == [Decimal("1000"), Decimal("1050")]
    assert len(enterprises) == ENTERPRISES
    assert console_errors == []


HOSTILE = '<img src=x onerror="document.title=\'pwned\'">甲"公司&'


def test_names_reach_the_grid_and_the_bar_as_text(live_server, new_page, console_errors):
    zone = ZoneFactory(code="KFQ", name="示范经济开发区")
    park = ParkFactory(code="CGC", name="长古城工业园", parent=zone)
    EnterpriseFactory(park=park, name=HOSTILE)
    user_save(username="tianbao", role=Role.STAFF, park_codes=["CGC"], password=STAFF_PASSWORD)
    page = new_page(viewport=OFFICE)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server, "tianbao", STAFF_PASSWORD, ENTRY)
    cell(page, HOSTILE, "营业收入").focus()
    expect(page.locator("#entry-context")).to_contain_text(HOSTILE)
    expect(page.locator(".entry-table tbody th[scope=row]")).to_have_text(HOSTILE)
    assert page.locator("#entry-context img, .entry-table img").count() == 0
    assert page.title() != "pwned" and dialogs == []
    assert console_errors == []
