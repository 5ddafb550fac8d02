"""Leaders read the dashboard on a desktop and a phone; every chart draws; they drill down
to a park and an enterprise; park staff see their own park only."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from indicators.models import PeriodSubmission
from tests.e2e.signin import sign_in

pytestmark = [
    pytest.mark.e2e,
    # The live server reads what the test writes, so the test commits; the serialized
    # rollback brings back the indicator catalog that the flush afterwards removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TITLE = "示范经济开发区经济运行仪表盘"
ECHARTS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "echarts" / "echarts.min.js"
CHARTS = ["cumulative", "monthly", "parks", "industries", "ranking", "ranking", "stages",
          "funnel", "channels"]  # fmt: skip

# Each chart's canvas and how many of its pixels are not transparent.
PAINTED = """
() => [...document.querySelectorAll('.chart[data-chart]')].map((el) => {
  const canvas = el.querySelector('canvas');
  if (!canvas) return {chart: el.dataset.chart, width: 0, painted: 0};
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
  return {chart: el.dataset.chart, width: canvas.getBoundingClientRect().width, painted};
})
"""
ALL_DRAWN = (
    "[...document.querySelectorAll('.chart[data-chart]')]"
    ".every((el) => el.dataset.drawn === 'true')"
)


@pytest.fixture(autouse=True)
def echarts_installed():
    if not ECHARTS.exists():
        pytest.fail(f"找不到 {ECHARTS}：请先运行 make assets（npm ci 并复制 ECharts）。")


def wait_until(page, expression):
    """Wait until `expression` is true in the page: page.wait_for_function would run the
    string through eval, which the portal's Content-Security-Policy refuses."""
    for _ in range(200):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"still false after 10 s: {expression}")


def drawn_charts(page):
    """Wait until ECharts has finished every chart; return each canvas's painted pixels."""
    wait_until(page, ALL_DRAWN)
    return page.evaluate(PAINTED)


def assert_every_chart_painted(page, kinds):
    charts = drawn_charts(page)
    assert [chart["chart"] for chart in charts] == kinds
    for chart in charts:
        assert chart["painted"] > 500, chart  # a real drawing, not an empty canvas


def test_leader_reads_the_dashboard_on_a_desktop_and_drills_down(
    live_server, small_zone, new_page, console_errors, screenshot_dir
):
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server)

    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("2026年1-3月 · 时间进度 25.00%")).to_be_visible()
    revenue = page.get_by_role("article", name="营业收入")
    expect(revenue).to_contain_text("10.6亿元")
    expect(revenue).to_contain_text("+20.73%")
    expect(revenue).to_contain_text("慢于时间进度3.80个百分点")
    assert_every_chart_painted(page, CHARTS)
    page.screenshot(path=screenshot_dir / "dashboard-desktop.png", full_page=True)

    # The charts switch to another indicator without leaving the page.
    with page.expect_response(re.compile(r"/dashboard/series/\?.*indicator=tax")):
        page.get_by_label("图表指标").select_option(label="税收收入")
    assert_every_chart_painted(page, CHARTS)
    expect(page).to_have_url(re.compile(r"indicator=tax"))

    # A park opens the park's dashboard.
    parks = page.get_by_role("region", name="各园区主要指标（可左右滑动）")
    parks.get_by_role("link", name="白合工业园").click()
    expect(page.get_by_role("heading", name="白合工业园经济运行仪表盘")).to_be_visible()
    assert_every_chart_painted(page, [kind for kind in CHARTS if kind != "parks"])

    # An enterprise opens its page: three years of figures, projects, changes.
    page.get_by_text("名单与数据").first.click()
    page.get_by_role("link", name="白合建材商贸有限公司").first.click()
    expect(page.get_by_role("heading", name="白合建材商贸有限公司", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="近三年月度数据")).to_be_visible()
    table = page.get_by_role("region", name="营业收入近三年月度数据（可左右滑动）")
    expect(table.get_by_role("row", name=re.compile("2026年累计"))).to_contain_text("50,000")
    assert_every_chart_painted(page, ["enterprise"])
    expect(page.get_by_role("link", name="查看全部修改记录 ›")).to_be_visible()
    page.screenshot(path=screenshot_dir / "dashboard-enterprise.png", full_page=True)
    assert console_errors == []


def test_leader_reads_the_dashboard_on_a_phone(
    live_server, small_zone, new_page, console_errors, screenshot_dir
):
    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    sign_in(page, live_server)

    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    assert_every_chart_painted(page, CHARTS)
    # Nothing is wider than the phone: no zooming, no sideways scrolling of the page.
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner
    # Charts take the phone's width and stack one under another.
    boxes = page.locator(".chart-card").evaluate_all(
        "(cards) => cards.map((card) => card.getBoundingClientRect().toJSON())"
    )
    for box in boxes:
        assert box["width"] >= PHONE["width"] - 40
    tops = [box["top"] for box in boxes]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    # Cards: two a row at most, none cut off.
    cards = page.locator(".kpi").evaluate_all(
        "(cards) => cards.map((card) => card.getBoundingClientRect().toJSON())"
    )
    assert len({round(card["left"]) for card in cards}) <= 2
    assert all(card["right"] <= PHONE["width"] for card in cards)
    # Text a leader can read without zooming.
    size = page.locator(".kpi__value").first.evaluate("(el) => getComputedStyle(el).fontSize")
    assert float(size.removesuffix("px")) >= 18
    page.screenshot(path=screenshot_dir / "dashboard-phone.png", full_page=True)
    assert console_errors == []


@pytest.mark.parametrize(
    ("name", "viewport", "options"),
    [
        ("desktop", DESKTOP, {}),
        ("phone", PHONE, {"device_scale_factor": 2, "is_mobile": True, "has_touch": True}),
    ],
)
def test_a_month_not_every_park_has_reported_says_so(
    live_server, small_zone, new_page, console_errors, screenshot_dir, name, viewport, options
):
    # Park B has not submitted March: its figures of the month are a draft.
    PeriodSubmission.objects.filter(park__code="B", year=2026, month=3).update(status="draft")
    page = new_page(viewport=viewport, **options)
    sign_in(page, live_server)

    # The dashboard opens on February, the latest month both parks have counted.
    expect(page.get_by_text("2026年1-2月 · 时间进度 16.67%")).to_be_visible()
    expect(page.get_by_role("status")).to_have_count(0)
    page.goto(f"{live_server.url}/?park=KFQ&year=2026&month=3")
    banner = page.get_by_role("status")
    expect(banner).to_contain_text("截至3月，已上报园区1/2，未上报：白合工业园")
    # Park A alone: 40000 + 9000.1234.
    expect(page.get_by_role("article", name="营业收入")).to_contain_text("4.9亿元")
    assert_every_chart_painted(page, CHARTS)
    box = banner.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner
    page.screenshot(path=screenshot_dir / f"dashboard-incomplete-{name}.png")
    assert console_errors == []


def test_charts_follow_the_window_width(live_server, small_zone, new_page, console_errors):
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server)
    wide = {chart["chart"]: chart["width"] for chart in drawn_charts(page)}

    page.set_viewport_size(PHONE)
    wait_until(
        page,
        "[...document.querySelectorAll('.chart canvas')]"
        ".every((canvas) => canvas.getBoundingClientRect().width <= 390)",
    )

    narrow = {chart["chart"]: chart["width"] for chart in page.evaluate(PAINTED)}
    assert all(narrow[kind] < wide[kind] for kind in wide)
    assert console_errors == []


def test_park_staff_see_their_own_park_only(live_server, small_zone, new_page, console_errors):
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server, "tianbao")

    expect(page.get_by_role("heading", name="长古城工业园经济运行仪表盘")).to_be_visible()
    assert_every_chart_painted(page, [kind for kind in CHARTS if kind != "parks"])

    response = page.goto(f"{live_server.url}/?park=B")
    assert response.status == 403
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    # The 403 response itself is reported on the console; nothing else is.
    assert [error for error in console_errors if "403" not in error] == []
