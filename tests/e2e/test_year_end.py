"""A leader opens the year-end summary, follows a figure to its rows, downloads xlsx and docx."""

import io
import re
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.signin import sign_in

pytestmark = [
    pytest.mark.e2e,
    # The live server reads what the test writes, so the test commits; the serialized
    # rollback brings back the indicator catalog that the flush afterwards removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
TITLE = "示范经济开发区2026年1-3月经济运行情况"


def test_leader_reads_the_report_follows_a_figure_and_downloads_it(
    live_server, small_zone, new_page, console_errors, screenshot_dir, tmp_path
):
    page = new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    sign_in(page, live_server)

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="年度报告").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator(".report-narrative")).to_contain_text(
        "营业收入10.6亿元，增长20.73%，增速比1-2月加快1.12个百分点"
    )
    expect(page.get_by_role("heading", name="表6 固定资产投资结构")).to_be_visible()
    page.screenshot(path=screenshot_dir / "year-end.png", full_page=True)

    # Follow the zone's revenue to the enterprises it adds up.
    indicators = page.get_by_role("region", name="表1 主要经济指标（可左右滑动）")
    indicators.get_by_role("link", name="106,000.12").click()
    expect(page.get_by_role("heading", name="营业收入（万元）：入统企业明细")).to_be_visible()
    rows = page.get_by_role("table")
    expect(rows.get_by_role("row")).to_have_count(6)  # the header and five enterprises
    expect(rows).to_contain_text("新设光伏材料有限公司")
    expect(rows).to_contain_text("否（不计入增速）")
    expect(rows).not_to_contain_text("白合园林工程有限公司")  # outside the statistics
    page.screenshot(path=screenshot_dir / "year-end-rows.png", full_page=True)
    page.get_by_role("link", name=re.compile("返回示范经济开发区")).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()

    with page.expect_download() as xlsx:
        page.get_by_role("link", name="下载 Excel（.xlsx）").click()
    assert xlsx.value.suggested_filename == f"{TITLE}.xlsx"
    xlsx_path = tmp_path / "report.xlsx"
    xlsx.value.save_as(xlsx_path)
    book = load_workbook(xlsx_path)
    assert book["综述"]["A1"].value == TITLE
    assert Decimal(str(book["主要指标"]["C4"].value)) == Decimal("106000.1234")

    with page.expect_download() as docx:
        page.get_by_role("link", name="下载 Word（.docx）").click()
    assert docx.value.suggested_filename == f"{TITLE}.docx"
    document = Document(io.BytesIO(docx.value.path().read_bytes()))
    assert document.paragraphs[0].text == TITLE
    assert document.tables[5].rows[1].cells[2].text == "33.34"
    assert console_errors == []


def test_leader_picks_another_park_and_month(live_server, small_zone, new_page, console_errors):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/reports/year-end/")

    form = page.get_by_role("form", name="选择报告")
    form.get_by_label("园区").select_option(label="　白合工业园")
    form.get_by_label("截止月份").select_option(label="2月")
    form.get_by_role("button", name="生成报告").click()

    expect(page.get_by_role("heading", name="白合工业园2026年1-2月经济运行情况")).to_be_visible()
    expect(page.locator(".report-narrative")).to_contain_text("营业收入3.3亿元")
    assert console_errors == []


def test_report_fits_a_phone_and_prints_on_a4(
    live_server, small_zone, new_page, console_errors, screenshot_dir
):
    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/reports/year-end/")

    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_role("button", name="生成报告")).to_be_in_viewport()
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width
    page.screenshot(path=screenshot_dir / "year-end-phone.png", full_page=True)

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="主导航")).to_be_hidden()
    expect(page.get_by_role("button", name="生成报告")).to_be_hidden()
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=screenshot_dir / "year-end-print.png", full_page=True)
    assert console_errors == []


def test_staff_reads_their_park_and_is_refused_another(
    live_server, small_zone, new_page, console_errors
):
    page = new_page()
    sign_in(page, live_server, username="tianbao")

    page.goto(f"{live_server.url}/reports/year-end/")
    expect(page.get_by_role("heading", name="长古城工业园2026年1-3月经济运行情况")).to_be_visible()

    response = page.goto(f"{live_server.url}/reports/year-end/?park=B")
    assert response.status == 403
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    # The browser logs the 403 response itself as a console error.
    assert all("403" in error for error in console_errors)
