"""Names from the data never run as script: a zone whose enterprises, parks and industries
are named like HTML payloads, read on the dashboards by a leader and an admin.

The mouse crosses every chart in a grid of points, so that each tooltip opens; no
dialog may open, no markup from a name may reach the page, and the browser reports
no Content-Security-Policy violation and no console error.
"""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators import codes
from indicators.choices import PeriodAction
from indicators.workflow import period_transition
from parkportal.choices import IndustryGroup, Role
from parkportal.services import user_save
from tests.factories import (
    EnterpriseFactory,
    IndustryFactory,
    LeadFactory,
    MonthlyValueFactory,
    ParkFactory,
    ProjectFactory,
    ZoneFactory,
    indicator,
)

pytestmark = [
    pytest.mark.e2e,
    # The live server reads what the test writes, so the test commits; the serialized
    # rollback brings back the indicator catalog that the flush afterwards removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Anquan-2026!"
DESKTOP = {"width": 1280, "height": 900}
IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(2)>'
SCRIPT = "<script>alert(3)</script>"
IFRAME = '\'><iframe srcdoc="<script>alert(4)</script>"></iframe>'
ZONE = f"示范区{IMG}"
PARKS = {"A": f"{IMG}园", "B": f"{SVG}园"}
INDUSTRIES = {IndustryGroup.TRADITIONAL: f"{IMG}产业", IndustryGroup.EMERGING: f"{SVG}产业"}
ENTERPRISES = [  # name, park, industry group
    (f"{IMG}有限公司", "A", IndustryGroup.TRADITIONAL),
    (f"{SVG}有限公司", "A", IndustryGroup.EMERGING),
    (f"{SCRIPT}有限公司", "B", IndustryGroup.TRADITIONAL),
    (f"{IFRAME}有限公司", "B", IndustryGroup.EMERGING),
]
YEAR, MONTH = 2026, 3

# Before any page script: note each CSP violation, and any element carrying a payload's
# script (alert(…)) that a name could have smuggled into the page.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
});
window.__injected = [];
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      const found = [node, ...node.querySelectorAll('*')];
      for (const el of found) {
        if (el.matches('script[type="application/json"]')) continue;  // json_script: data
        if (/^(img|svg|script|iframe)$/i.test(el.tagName) && el.outerHTML.includes('alert(')) {
          window.__injected.push(el.outerHTML);
        }
      }
    }
  }
}).observe(document, {childList: true, subtree: true});
"""
# Charts ECharts has not finished drawing (a chart with nothing to draw says so instead).
# A locator, not page.wait_for_function: that evaluates a string, which the policy forbids.
UNDRAWN = ".chart[data-chart]:not([data-drawn='true']):not(.chart--empty)"
GRID = (10, 6)  # points across and down each chart


@pytest.fixture
def hostile_zone():
    """Write a zone whose every name is a payload, with figures for both years, its
    park-months submitted and approved by an admin as the monthly entry would."""
    zone = ZoneFactory(code="KFQ", name=ZONE)
    parks = {code: ParkFactory(code=code, name=name, parent=zone) for code, name in PARKS.items()}
    industries = {
        group: IndustryFactory(name=name, group=group) for group, name in INDUSTRIES.items()
    }
    for number, (name, park, group) in enumerate(ENTERPRISES, start=1):
        enterprise = EnterpriseFactory(
            name=name,
            park=parks[park],
            industry=industries[group],
            established_on=date(2015, 1, 1),
        )
        for year, scale in ((YEAR - 1, 10), (YEAR, 11)):
            for month in range(1, MONTH + 1):
                for code, base in ((codes.REVENUE, 1000), (codes.TAX, 50)):
                    MonthlyValueFactory(
                        enterprise=enterprise,
                        indicator=indicator(code),
                        year=year,
                        month=month,
                        value=Decimal(base * number * scale * month) / 10,
                    )
    for code, park in parks.items():
        ProjectFactory(code=f"XM{code}", name=f"{IMG}项目", park=park, stage="construction")
        LeadFactory(code=f"ZS{code}", name=f"{SVG}项目", park=park, channel="agency")

    admin = user_save(username="guanli", role=Role.ADMIN, password=PASSWORD)
    user_save(username="lingdao", role=Role.LEADER, password=PASSWORD)
    for park in parks.values():
        for year in (YEAR - 1, YEAR):
            for month in range(1, MONTH + 1):
                for action in (PeriodAction.SUBMIT, PeriodAction.APPROVE):
                    period_transition(park=park, year=year, month=month, action=action, user=admin)
    return parks


@pytest.fixture
def watched_page(new_page):
    """Return a fresh page that records dialogs, CSP violations and injected elements."""
    page = new_page(viewport=DESKTOP)
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(WATCH)
    return page


def assert_nothing_ran(page):
    page.wait_for_timeout(300)  # an image's error or an svg's load would fire by now
    assert page.dialogs == []
    assert page.evaluate("window.__violations") == []
    assert page.evaluate("window.__injected") == []


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()


def hover_every_chart(page, on_tooltip):
    """Cross each chart in a grid of points; call on_tooltip(chart) while a tooltip
    shows a payload's text."""
    expect(page.locator(UNDRAWN)).to_have_count(0)
    charts = page.locator(".chart[data-chart]")
    assert charts.count() > 0
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        across, down = GRID
        for row in range(down):
            for column in range(across):
                x = box["x"] + box["width"] * (column + 0.5) / across
                y = box["y"] + box["height"] * (row + 0.5) / down
                page.mouse.move(x, y)
                text = chart.inner_text()
                if any(payload in text for payload in (IMG, SVG, SCRIPT)):
                    on_tooltip(chart)
        page.mouse.move(0, 0)


def read_safely(page, url, screenshot):
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("h1")).to_contain_text("经济运行仪表盘")
    shown = []

    def on_tooltip(chart):
        if not shown:  # one screenshot of a tooltip that shows a name as text
            chart.screenshot(path=screenshot)
            shown.append(chart.inner_text())

    hover_every_chart(page, on_tooltip)
    assert_nothing_ran(page)
    return shown


@pytest.mark.parametrize("username", ["lingdao", "guanli"])
def test_names_from_the_data_reach_the_charts_as_text(
    live_server, hostile_zone, watched_page, console_errors, screenshot_dir, username
):
    page = watched_page
    sign_in(page, live_server, username)

    pages = {
        "zone": f"{live_server.url}/",
        **{f"park-{code}": f"{live_server.url}/?park={code}" for code in PARKS},
    }
    tooltips = []
    for name, url in pages.items():
        tooltips += read_safely(page, url, screenshot_dir / f"xss-{username}-{name}-tooltip.png")
        # The page itself shows the names as text, too.
        expect(page.locator("h1")).to_contain_text(IMG if name != "park-B" else SVG)
        page.screenshot(path=screenshot_dir / f"xss-{username}-{name}.png", full_page=True)

    assert console_errors == []
    # The tooltips did open, and showed the names as they are, markup and all.
    assert any(IMG in text or SVG in text or SCRIPT in text for text in tooltips)


def test_the_admin_works_under_the_policy_and_shows_names_as_text(
    live_server, hostile_zone, watched_page, console_errors, screenshot_dir
):
    page = watched_page
    sign_in(page, live_server, "guanli")

    # A change list.
    page.goto(f"{live_server.url}/admin/parkportal/enterprise/")
    expect(page.locator("#result_list")).to_contain_text(f"{IMG}有限公司")
    assert_nothing_ran(page)

    # A change form whose enterprise is picked by autocomplete (select2, the admin's own).
    page.goto(f"{live_server.url}/admin/projects/project/add/")
    page.locator("#id_enterprise + .select2").click()
    page.locator(".select2-search__field").fill("有限公司")
    results = page.locator(".select2-results__option")
    expect(results.filter(has_text=f"{IMG}有限公司")).to_have_count(1)
    expect(results.filter(has_text=f"{SCRIPT}有限公司")).to_have_count(1)
    page.screenshot(path=screenshot_dir / "xss-admin-autocomplete.png", full_page=True)
    assert_nothing_ran(page)

    # The workbook import, served under the admin.
    page.goto(f"{live_server.url}/admin/workbook/import/")
    expect(page.locator("input[type=file]")).to_be_visible()
    assert_nothing_ran(page)
    assert console_errors == []
