"""An admin goes from the completeness page to the outlier scan, marks an odd figure
verified, and finds the mark there again; the page fits a 390-px phone."""

import itertools
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators import codes
from indicators.models import MonthlyValue
from indicators.views import reporting_month
from parkportal.choices import Role
from parkportal.services import user_save
from tests.e2e.signin import PASSWORD, sign_in
from tests.factories import EnterpriseFactory, ParkFactory, ZoneFactory, indicator

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
YEAR, MONTH = reporting_month()  # the month the completeness page opens on
ODD = "河北甲异常有限公司"


@pytest.fixture
def zone():
    """An enterprise whose revenue of the month is ten times its usual month."""
    kfq = ZoneFactory(code="KFQ", name="示范经济开发区")
    cgc = ParkFactory(code="CGC", name="长古城工业园", parent=kfq)
    enterprise = EnterpriseFactory(park=cgc, name=ODD)
    revenue = indicator(codes.REVENUE)
    months = [(y, m) for y in (YEAR - 2, YEAR - 1, YEAR) for m in range(1, 13)]
    months = [ym for ym in months if ym <= (YEAR, MONTH)]
    jitter = itertools.cycle([Decimal("95"), Decimal("100"), Decimal("105")])
    running, rows = {}, []
    for year, month in months:
        own = Decimal("1000") if (year, month) == (YEAR, MONTH) else next(jitter)
        running[year] = running.get(year, Decimal(0)) + own
        rows.append(
            MonthlyValue(
                enterprise=enterprise,
                indicator=revenue,
                year=year,
                month=month,
                value=running[year],
            )
        )
    MonthlyValue.objects.bulk_create(rows)
    user_save(username="guanli", role=Role.ADMIN, password=PASSWORD)


def test_an_admin_marks_an_odd_figure_verified_on_a_phone(
    live_server, zone, new_page, console_errors, screenshot_dir
):
    page = new_page(viewport=PHONE)
    sign_in(page, live_server, "guanli")
    page.goto(f"{live_server.url}/completeness/")
    page.locator("#outliers-link").click()

    row = page.locator("#outliers tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(ODD)
    expect(row).to_contain_text("1,000")
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, "the page scrolls sideways on a phone"
    page.screenshot(path=screenshot_dir / "outliers-phone.png", full_page=True)

    row.get_by_label("备注").fill("新生产线投产，已电话核实")
    row.get_by_role("button", name="已核实").click()
    expect(page.get_by_text(f"{ODD}营业收入：已标记为已核实。")).to_be_visible()
    row = page.locator("#outliers tbody tr")
    expect(row.locator(".mark")).to_contain_text("已核实")
    expect(row.locator(".mark")).to_contain_text("新生产线投产，已电话核实")
    row.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "outliers-phone-marked.png")
    assert console_errors == []
