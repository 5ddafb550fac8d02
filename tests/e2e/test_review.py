"""An admin reviews a submitted month from the review queue and approves it at the top of
the page; reminds a park that has not reported; that park's staff see the reminder."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators import codes
from indicators.choices import PeriodAction, PeriodStatus
from indicators.models import FigureNote, PeriodSubmission, Reminder
from indicators.views import reporting_month
from indicators.workflow import period_transition
from parkportal.choices import Role
from parkportal.services import user_save
from tests.e2e.signin import PASSWORD, sign_in
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

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
YEAR, MONTH = reporting_month()  # the month before today: it has ended, so it may be reminded
JIA = "河北甲食品有限公司"
EXPLANATION = "新生产线投产，订单集中交付"


@pytest.fixture
def zone():
    """Two parks: 长古城工业园 has submitted the month (its revenue grows 60% on last year,
    explained), 白合工业园 has not. An admin, and a staff member of each park."""
    kfq = ZoneFactory(code="KFQ", name="示范经济开发区")
    cgc = ParkFactory(code="CGC", name="长古城工业园", parent=kfq)
    ParkFactory(code="BH", name="白合工业园", parent=kfq)
    jia = EnterpriseFactory(park=cgc, name=JIA)
    revenue = indicator(codes.REVENUE)
    # Last year's month and December, this year's previous month (none before January).
    history = {(YEAR - 1, MONTH): "1000", (YEAR - 1, 12): "12000", (YEAR, MONTH): "1600"}
    if MONTH > 1:
        history[(YEAR, MONTH - 1)] = "1200"
    for (year, month), value in history.items():
        MonthlyValueFactory(
            enterprise=jia, indicator=revenue, year=year, month=month, value=Decimal(value)
        )
    FigureNote.objects.create(
        enterprise=jia, indicator=revenue, year=YEAR, month=MONTH, text=EXPLANATION
    )
    user_save(username="guanli", role=Role.ADMIN, password=PASSWORD)
    tianbao = user_save(username="tianbao", role=Role.STAFF, park_codes=["CGC"], password=PASSWORD)
    user_save(username="baihe", role=Role.STAFF, park_codes=["BH"], password=PASSWORD)
    period_transition(park=cgc, year=YEAR, month=MONTH, action=PeriodAction.SUBMIT, user=tianbao)


def test_an_admin_reviews_at_the_top_and_reminds_a_park_whose_staff_see_it(
    live_server, zone, new_page, console_errors, screenshot_dir
):
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server, "guanli")

    # The navigation shows the queue with one month waiting.
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="审核队列 1")).to_be_visible()
    nav.get_by_role("link", name="审核队列 1").click()
    queue = page.locator("#review-queue")
    expect(queue.locator("tbody tr")).to_have_count(1)
    expect(queue).to_contain_text(f"{YEAR}年{MONTH}月")
    page.screenshot(path=screenshot_dir / "review-queue.png", full_page=True)
    queue.get_by_role("link", name=f"审核长古城工业园{YEAR}年{MONTH}月").click()

    # The month: its warning and 说明, its changes against last month, buttons on top.
    expect(
        page.get_by_role("heading", name=f"审核 · 长古城工业园 {YEAR}年{MONTH}月")
    ).to_be_visible()
    warnings = page.locator("#review-warnings")
    expect(warnings).to_contain_text(JIA)
    expect(warnings).to_contain_text("超过±50%")
    expect(warnings).to_contain_text(EXPLANATION)
    revenue = page.locator("#review-changes tbody tr", has_text="营业收入")
    # last month's cumulative, this month's, the month's own value, growth on last year
    shown = ["1,200", "1,600", "400"] if MONTH > 1 else ["—", "1,600", "1,600"]
    expect(revenue.locator("td.num")).to_have_text([*shown, "60.00%"])
    approve = page.get_by_role("button", name="审核通过并锁定")
    approve_box = approve.bounding_box()
    assert approve_box["y"] + approve_box["height"] < DESKTOP["height"]  # on the first screen
    assert approve_box["y"] < page.locator("#review-changes").bounding_box()["y"]
    page.screenshot(path=screenshot_dir / "review-month.png", full_page=True)

    # On a phone, the buttons sit within the screen's width too.
    phone = new_page(viewport=PHONE)
    sign_in(phone, live_server, "guanli")
    phone.goto(page.url)
    for name in ("审核通过并锁定", "退回修改"):
        box = phone.get_by_role("button", name=name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (name, box)
    phone.screenshot(path=screenshot_dir / "review-month-phone.png", full_page=True)

    approve.click()
    expect(page.get_by_text(f"长古城工业园{YEAR}年{MONTH}月：已审核通过。")).to_be_visible()
    expect(page.locator("#review-empty")).to_be_visible()
    submission = PeriodSubmission.objects.get(park__code="CGC", year=YEAR, month=MONTH)
    assert submission.status == PeriodStatus.APPROVED

    # The completeness page: 白合工业园 has not reported; a reminder is sent from its row.
    page.goto(f"{live_server.url}/completeness/{YEAR}/{MONTH}/")
    row = page.locator("#completeness tbody tr", has_text="白合工业园")
    row.get_by_role("button", name=f"催报白合工业园{YEAR}年{MONTH}月").click()
    expect(page.get_by_text(f"已向白合工业园催报{YEAR}年{MONTH}月数据")).to_be_visible()
    expect(page.locator("#completeness tbody tr", has_text="白合工业园")).to_contain_text(
        "已催报1次"
    )
    assert Reminder.objects.get().park.code == "BH"
    page.screenshot(path=screenshot_dir / "completeness-reminded.png", full_page=True)

    # 白合's staff see the reminder on their pages, with the way to the month.
    staff = new_page(viewport=PHONE)
    sign_in(staff, live_server, "baihe")
    banner = staff.get_by_role("alert").filter(has_text="催报")
    expect(banner).to_contain_text(f"白合工业园{YEAR}年{MONTH}月数据")
    expect(banner.get_by_role("link", name=f"去填报{YEAR}年{MONTH}月")).to_have_attribute(
        "href", f"/entry/BH/{YEAR}/{MONTH}/"
    )
    staff.screenshot(path=screenshot_dir / "reminder-banner.png", full_page=True)

    # 长古城's staff, whose park has reported, see none.
    other = new_page(viewport=DESKTOP)
    sign_in(other, live_server, "tianbao")
    expect(other.get_by_role("alert").filter(has_text="催报")).to_have_count(0)
    assert console_errors == []
