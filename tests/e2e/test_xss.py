"""Names from the data never run as script: a zone whose enterprises, parks, industries
and projects are named like HTML payloads, read on the dashboards by a leader and an
admin, and on an enterprise's and a project's page by a leader.

Every chart's tooltip is shown at every point, from inside the page, as the mouse would
show it; each tooltip must hold only the formatter's own markup and show its point's
names as text. No dialog may open, no markup from a name may reach the page, and the
browser reports no Content-Security-Policy violation and no console error.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from indicators import codes
from indicators.choices import PeriodAction
from indicators.workflow import period_transition
from parkportal.choices import IndustryGroup, Role
from parkportal.models import Enterprise
from parkportal.services import user_save
from projects.models import ProjectPlan
from projects.selectors import light_month
from tests.factories import (
    EnterpriseFactory,
    IndustryFactory,
    LeadFactory,
    MonthlyValueFactory,
    ParkFactory,
    ProjectFactory,
    ProjectProgressFactory,
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
PROJECT = f"{SCRIPT}重点项目"
PROJECT_CODE = f"{IMG}01"  # 30 of the code's 32 characters

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

# Every chart's tooltip at every point, read inside the page in one call: for each
# ECharts chart, each series and each data index (for a tooltip shown by axis, each of
# the category axis's labels, too), the tooltip is hidden, then shown at that point as
# the mouse would show it, and what its formatter wrote is read back. The tooltip is the
# element ECharts writes the formatter's HTML into (inside the chart, or wherever its
# appendTo puts it); a point whose tooltip shows nothing leaves no such write. The
# formatters write two elements of their own: <br> between lines and a series' colour
# dot, an empty <span style="…">; any other element came from a name.
SWEEP = """
() => Array.from(document.querySelectorAll('.chart[data-chart]'), (el) => {
  const chart = echarts.getInstanceByDom(el);
  const read = {
    kind: el.dataset.chart,
    index: el.dataset.index ?? null,
    empty: el.classList.contains('chart--empty'),
    drawn: Boolean(chart),
    points: [],
  };
  if (!chart) return read;
  const option = chart.getOption();
  const axes = [...(option.xAxis || []), ...(option.yAxis || [])];
  const category = axes.find((axis) => axis.type === 'category');
  read.trigger = option.tooltip[0].trigger;
  read.categories = category ? category.data.map(String) : [];
  const written = new MutationObserver(() => {});
  written.observe(document, {childList: true, characterData: true, subtree: true});
  const show = (payload, label) => {
    chart.dispatchAction({type: 'hideTip'});
    written.takeRecords();
    chart.dispatchAction({type: 'showTip', ...payload});
    const boxes = new Set();
    for (const record of written.takeRecords()) {
      let node = record.target;
      while (node && !node.domBelongToZr) node = node.parentNode;
      if (node && !node.querySelector('canvas')) boxes.add(node);
    }
    const point = {...payload, label, boxes: boxes.size};
    for (const box of boxes) {
      const style = getComputedStyle(box);
      point.shown = style.display !== 'none' && style.visibility !== 'hidden';
      point.html = box.innerHTML;
      point.text = box.innerText;
      point.foreign = Array.from(box.querySelectorAll('*'))
        .filter((node) => !(
          (node.tagName === 'BR' && node.attributes.length === 0) ||
          (node.tagName === 'SPAN' && node.childNodes.length === 0 &&
            Array.from(node.attributes).every((attribute) => attribute.name === 'style'))
        ))
        .map((node) => node.outerHTML);
    }
    read.points.push(point);
  };
  option.series.forEach((series, seriesIndex) => {
    (series.data || []).forEach((item, dataIndex) => {
      const label = category ? read.categories[dataIndex] : String(item && item.name);
      show({seriesIndex, dataIndex}, label);
    });
  });
  if (read.trigger === 'axis' && category) {
    // Where the mouse crosses the axis at each label, whether or not a series has a
    // figure there.
    const across = (option.xAxis || []).indexOf(category);
    read.categories.forEach((label, dataIndex) => {
      const at = across >= 0
        ? {x: chart.convertToPixel({xAxisIndex: across}, dataIndex), y: chart.getHeight() / 2}
        : {x: chart.getWidth() / 2,
           y: chart.convertToPixel({yAxisIndex: option.yAxis.indexOf(category)}, dataIndex)};
      show(at, label);
    });
  }
  written.disconnect();
  chart.dispatchAction({type: 'hideTip'});
  return read;
})
"""
# Show one chart's tooltip at one point again, for its screenshot.
SHOW_TIP = """
([position, payload]) => {
  const el = document.querySelectorAll('.chart[data-chart]')[position];
  echarts.getInstanceByDom(el).dispatchAction({type: 'showTip', ...payload});
}
"""
PAYLOADS = (IMG, SVG, SCRIPT, IFRAME)
NAMES = (*PARKS.values(), *INDUSTRIES.values(), *(name for name, _, _ in ENTERPRISES))


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
def hostile_project(hostile_zone):
    """Write a key project of park B whose name and code are payloads, built by the
    <script> enterprise, with a plan and three months of official progress in the year
    its page shows, so that its chart draws bars and the 序时进度 line."""
    year, _ = light_month(timezone.localdate())  # the year the project's page shows
    park = hostile_zone["B"]
    project = ProjectFactory(
        code=PROJECT_CODE,
        name=PROJECT,
        park=park,
        enterprise=Enterprise.objects.get(name=f"{SCRIPT}有限公司"),
    )
    ProjectPlan.objects.create(project=project, year=year, planned_investment=Decimal("24000"))
    admin = get_user_model().objects.get(username="guanli")
    for month in range(1, MONTH + 1):
        ProjectProgressFactory(
            project=project, year=year, month=month, completed_investment=Decimal(1500 * month)
        )
        if year != YEAR:  # the zone's months already approved are YEAR's
            for action in (PeriodAction.SUBMIT, PeriodAction.APPROVE):
                period_transition(park=park, year=year, month=month, action=action, user=admin)
    return project


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


def sweep_every_chart(page):
    """Return every chart's tooltips as read by SWEEP, checked point by point: each
    drawn chart's tooltip opens, holds no element a name could have brought, and begins
    with its point's label as text."""
    expect(page.locator(UNDRAWN)).to_have_count(0)
    charts = page.evaluate(SWEEP)
    assert charts, "the page draws no chart"
    for chart in charts:
        where = f"{chart['kind']}{chart['index'] or ''}"
        assert chart["drawn"] or chart["empty"], f"{where}: no ECharts chart"
        if not chart["drawn"]:
            continue
        opened = [point for point in chart["points"] if point["boxes"]]
        assert opened, f"{where}: no tooltip opened"
        for point in opened:
            at = f"{where} at {point}"
            assert point["boxes"] == 1, f"{at}: {point['boxes']} tooltips written"
            assert point["shown"], f"{at}: tooltip written but hidden"
            assert point["foreign"] == [], f"{at}: {point['html']}"
            assert point["text"].startswith(point["label"]), f"{at}: {point['text']!r}"
    return charts


def names_on(park):
    """Return the names a dashboard's charts show: on the zone's (park None) every park,
    industry and enterprise; on a park's, the park and its enterprises with their
    industries."""
    names = set()
    for enterprise, code, group in ENTERPRISES:
        if park in (None, code):
            names |= {PARKS[code], enterprise, INDUSTRIES[group]}
    return names


def read_safely(page, url, screenshot):
    """Open a dashboard, sweep its charts' tooltips and return the names that reached
    them as text, with one screenshot of a tooltip showing one."""
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("h1")).to_contain_text("经济运行仪表盘")
    charts = sweep_every_chart(page)
    texts = [point["text"] for chart in charts for point in chart["points"] if point["boxes"]]
    named = {name for name in NAMES if any(name in text for text in texts)}

    position, point = next(
        (position, point)
        for position, chart in enumerate(charts)
        for point in chart["points"]
        if point["boxes"] and any(payload in point["text"] for payload in PAYLOADS)
    )
    payload = {key: point[key] for key in ("seriesIndex", "dataIndex", "x", "y") if key in point}
    page.evaluate(SHOW_TIP, [position, payload])
    page.locator(".chart[data-chart]").nth(position).screenshot(path=screenshot)
    assert_nothing_ran(page)
    return named


@pytest.mark.parametrize("username", ["lingdao", "guanli"])
def test_names_from_the_data_reach_the_charts_as_text(
    live_server, hostile_zone, watched_page, console_errors, screenshot_dir, username
):
    page = watched_page
    sign_in(page, live_server, username)

    pages = {"zone": None, **{f"park-{code}": code for code in PARKS}}
    for name, park in pages.items():
        url = f"{live_server.url}/" + (f"?park={park}" if park else "")
        named = read_safely(page, url, screenshot_dir / f"xss-{username}-{name}-tooltip.png")
        # The tooltips showed the names as they are, markup and all.
        assert named >= names_on(park)
        # The page itself shows the names as text, too.
        expect(page.locator("h1")).to_contain_text(IMG if name != "park-B" else SVG)
        page.screenshot(path=screenshot_dir / f"xss-{username}-{name}.png", full_page=True)

    assert console_errors == []


def read_numbers_safely(page, url, heading, screenshot):
    """Open an enterprise's or a project's page, check that its heading shows `heading`
    as text, sweep its charts' tooltips and return the charts' kinds and the text of
    every tooltip shown, with one screenshot of a tooltip."""
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("h1")).to_contain_text(heading)
    charts = sweep_every_chart(page)
    opened = [
        (position, point)
        for position, chart in enumerate(charts)
        for point in chart["points"]
        if point["boxes"]
    ]
    lines = [line for _, point in opened for line in point["text"].split("\n")]
    # These charts' tooltips legitimately show only month labels, the portal's own
    # series names and figures: no name reaches them, markup or not.
    for text in lines:
        assert not any(marker in text for marker in ("<", ">", "alert(")), text

    position, point = opened[-1]
    payload = {key: point[key] for key in ("seriesIndex", "dataIndex", "x", "y") if key in point}
    page.evaluate(SHOW_TIP, [position, payload])
    page.locator(".chart[data-chart]").nth(position).screenshot(path=screenshot)
    assert_nothing_ran(page)
    return [chart["kind"] for chart in charts], [point["text"] for _, point in opened]


def test_names_stay_text_on_an_enterprise_and_a_project_page(
    live_server, hostile_project, watched_page, console_errors, screenshot_dir
):
    page = watched_page
    sign_in(page, live_server, "lingdao")
    enterprise = hostile_project.enterprise
    number = r"-?[\d,]+(\.\d+)?"  # a figure as the charts show it

    # An enterprise's page: its chart's tooltip shows, under the month, each year's
    # figure in the indicator's unit; its name, park and industry are in the page only.
    kinds, texts = read_numbers_safely(
        page,
        f"{live_server.url}/enterprises/{enterprise.pk}/",
        enterprise.name,
        screenshot_dir / "xss-enterprise-tooltip.png",
    )
    assert kinds == ["enterprise"]
    unit = page.locator("[data-enterprise-unit]").inner_text().removeprefix("单位：")
    year_line = re.compile(rf"\d{{4}}年：(—|{number}{re.escape(unit)})")  # —: no figure
    for text in texts:
        month, *years = text.split("\n")
        assert re.fullmatch(r"\d{1,2}月", month), text
        assert years and all(year_line.fullmatch(line) for line in years), text
    assert any(re.search(r"年：\d", text) for text in texts), texts  # figures did reach it
    expect(page.locator(".page-lead")).to_contain_text(PARKS["B"])
    expect(page.locator(".enterprise-facts")).to_contain_text(INDUSTRIES[IndustryGroup.TRADITIONAL])
    page.screenshot(path=screenshot_dir / "xss-enterprise.png", full_page=True)

    # The project's page: its chart's tooltip shows the month, the completed investment
    # and the 序时进度, in 万元; its name, code, park and builder are in the page only.
    kinds, texts = read_numbers_safely(
        page,
        f"{live_server.url}/projects/{hostile_project.pk}/",
        PROJECT,
        screenshot_dir / "xss-project-tooltip.png",
    )
    assert kinds == ["project-progress"]
    figure = rf"(—|{number})万元"  # —: no figure
    shown = re.compile(rf"\d{{1,2}}月\n累计完成投资：{figure}\n序时进度：{figure}")
    for text in texts:
        assert shown.fullmatch(text), text
    # The plan's 序时进度 and the reported months' figures reached the tooltip.
    assert "1月\n累计完成投资：1,500万元\n序时进度：2,000万元" in texts, texts
    expect(page.locator(".page-lead")).to_contain_text(PROJECT_CODE)
    expect(page.locator(".page-lead")).to_contain_text(PARKS["B"])
    expect(page.get_by_role("link", name=enterprise.name, exact=True)).to_be_visible()
    page.screenshot(path=screenshot_dir / "xss-project.png", full_page=True)

    assert console_errors == []


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
