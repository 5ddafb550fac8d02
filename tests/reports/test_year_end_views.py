"""The year-end summary's pages and downloads: permissions, formats, query counts."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from reports.scope import ReportPeriod, report_scope
from reports.year_end import narrative, year_end_report
from tests.factories import (
    EnterpriseFactory,
    LeadFactory,
    MonthlyValueFactory,
    ProjectFactory,
    ProjectProgressFactory,
    UserFactory,
)
from tests.helpers import count_as_official
from tests.reports.small_zone import build_small_zone
from tests.reports.test_year_end import NARRATIVE

REPORT = reverse("reports:year_end")
ROWS = reverse("reports:year_end_rows")
ZONE_MARCH = {"park": "KFQ", "year": 2026, "month": 3}
# Every request: the session, the user, their groups and, at times, the session saved with
# a new expiry (BEGIN, UPDATE, COMMIT on SQLite); none of them depends on the report.
REQUEST_QUERIES = 6
# The user's parks; the zone's parks and the only-zone check; the catalog, the figures,
# targets, register, projects (2), bonds, events (2), leads (4) and the service desk's
# figures (2, and a zone's meetings), and the plan's (2: the year's tasks and the forecast's
# figures).
BUILDER_MAX_QUERIES = 20
# The projects' money and land (projects.selectors.money_and_land): budgeted projects and,
# when there are any, their progress; bonds applied, land, financing, meetings and lights.
BUILDER_MAX_QUERIES += 7
REPORT_MAX_QUERIES = REQUEST_QUERIES + 1 + BUILDER_MAX_QUERIES
# The user's parks, the scope (2), the figure's indicator, the count and the page.
ROWS_MAX_QUERIES = REQUEST_QUERIES + 6


@pytest.fixture
def small(zone, park_a, park_b):
    return build_small_zone(zone, park_a, park_b)


# --- Permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [REPORT, ROWS])
def test_anonymous_is_sent_to_the_login_page(client, small, url):
    response = client.get(url, {**ZONE_MARCH, "figure": "leads.docked"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("park", ["B", "KFQ"])
@pytest.mark.parametrize("extra", [{}, {"format": "xlsx"}, {"format": "docx"}])
def test_staff_of_park_a_is_refused_another_park_and_the_zone(client, staff_a, small, park, extra):
    client.force_login(staff_a)

    response = client.get(REPORT, {**ZONE_MARCH, "park": park, **extra})

    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_staff_of_park_a_is_refused_the_rows_of_park_b(client, staff_a, small):
    client.force_login(staff_a)

    response = client.get(ROWS, {**ZONE_MARCH, "park": "B", "figure": "indicator.revenue"})

    assert response.status_code == 403


def test_staff_sees_their_own_park_by_default(client, staff_a, small):
    client.force_login(staff_a)

    response = client.get(REPORT)

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.park_code, report.period) == ("A", ReportPeriod(2026, 3))
    content = response.content.decode()
    assert "长古城工业园2026年1-3月经济运行情况" in content
    assert "白合工业园" not in content.split("<article")[1]
    assert 'value="KFQ"' not in content and 'value="B"' not in content  # not in the select


def test_staff_reads_the_rows_of_their_own_park(client, staff_a, small):
    client.force_login(staff_a)

    response = client.get(ROWS, {**ZONE_MARCH, "park": "A", "figure": "indicator.revenue"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "涞源精密铸造有限公司" in content
    assert "白合建材商贸有限公司" not in content


@pytest.mark.parametrize("user_fixture", ["leader", "admin_user"])
@pytest.mark.parametrize("park", ["KFQ", "A", "B"])
def test_leaders_and_admins_read_every_park(client, request, small, user_fixture, park):
    client.force_login(request.getfixturevalue(user_fixture))

    assert client.get(REPORT, {**ZONE_MARCH, "park": park}).status_code == 200
    assert (
        client.get(ROWS, {**ZONE_MARCH, "park": park, "figure": "leads.docked"}).status_code == 200
    )


def test_leader_gets_the_zone_and_the_latest_month_by_default(client, leader, small):
    client.force_login(leader)

    report = client.get(REPORT).context["report"]

    assert (report.park_code, report.period) == ("KFQ", ReportPeriod(2026, 3))


def test_a_year_alone_gives_its_latest_month(client, leader, small):
    client.force_login(leader)

    report = client.get(REPORT, {"year": 2025}).context["report"]

    assert report.period == ReportPeriod(2025, 12)


def test_unknown_park_is_not_found(client, leader, small):
    client.force_login(leader)

    assert client.get(REPORT, {"park": "NOPE"}).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"month": "13"}, "请选择 1 至 12 月。"),
        ({"year": "26x"}, "请输入四位数的年份"),
        ({"year": "1999"}, "不能早于"),
        ({"format": "pdf"}, "格式只能是"),
    ],
)
def test_invalid_choices_say_what_is_wrong(client, leader, small, query, message):
    client.force_login(leader)

    response = client.get(REPORT, query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_unknown_figure_is_not_found(client, leader, small):
    client.force_login(leader)

    assert client.get(ROWS, {**ZONE_MARCH, "figure": "indicator.gold"}).status_code == 404


def test_user_without_parks_is_told_to_ask_for_them(client, db):
    client.force_login(UserFactory(username="nobody"))

    response = client.get(REPORT)

    assert response.status_code == 200
    assert "暂无可查看的园区" in response.content.decode()


# --- The page ---------------------------------------------------------------------------------


def test_page_shows_the_narrative_tables_and_download_links(client, leader, small):
    client.force_login(leader)

    response = client.get(REPORT, ZONE_MARCH)

    content = response.content.decode()
    for paragraph in NARRATIVE:
        assert f"<p>{paragraph}</p>" in content
    assert "表1 主要经济指标" in content and "表13 意向项目清单" in content
    assert (
        f'href="{ROWS}?park=KFQ&amp;year=2026&amp;month=3&amp;figure=indicator.revenue">'
        "106,000.12</a>" in content
    )
    assert 'href="?park=KFQ&amp;year=2026&amp;month=3&amp;format=xlsx"' in content
    assert 'href="?park=KFQ&amp;year=2026&amp;month=3&amp;format=docx"' in content
    assert "@media print" not in content  # print rules live in the stylesheet
    assert 'class="table-scroll"' in content


def test_page_says_when_the_period_has_no_figures(client, leader, small):
    client.force_login(leader)

    response = client.get(REPORT, {"park": "KFQ", "year": 2020, "month": 12})

    assert response.status_code == 200
    assert "还没有入统企业的月度指标数据" in response.content.decode()


def test_rows_page_lists_a_page_at_a_time(client, leader, small, park_a):
    for n in range(60):
        LeadFactory(code=f"X{n:03d}", park=park_a, docked_on=date(2026, 1, 5))
    client.force_login(leader)

    first = client.get(ROWS, {**ZONE_MARCH, "figure": "leads.docked"})
    last = client.get(ROWS, {**ZONE_MARCH, "figure": "leads.docked", "page": 2})

    assert first.context["page"].paginator.count == 66
    assert len(first.context["table"].rows) == 50
    assert len(last.context["table"].rows) == 16
    assert "第 1 / 2 页" in first.content.decode()


# --- Downloads ---------------------------------------------------------------------------------


def download(client, user, output):
    client.force_login(user)
    response = client.get(REPORT, {**ZONE_MARCH, "format": output})
    assert response.status_code == 200
    assert "attachment; filename*=utf-8''" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(f".{output}")
    return response.content


def test_xlsx_has_a_sheet_per_table_with_title_unit_headers_and_numbers(client, leader, small):
    book = load_workbook(io.BytesIO(download(client, leader, "xlsx")))

    assert book.sheetnames == [
        "综述",
        "主要指标",
        "分园区指标",
        "企业",
        "项目",
        "重点项目",
        "投资结构",
        "专项债券",
        "招商引资",
        "招商活动",
        "对接项目",
        "签约项目",
        "意向项目",
        "意向项目清单",
        "预计全年",
    ]
    summary = book["综述"]
    assert summary["A1"].value == "示范经济开发区2026年1-3月经济运行情况"
    assert [summary.cell(row, 1).value for row in range(3, 9)] == NARRATIVE

    sheet = book["主要指标"]
    assert sheet["A1"].value == "表1 主要经济指标"
    assert sheet["A2"].value == "金额单位：万元；从业人员单位：人"
    assert [c.value for c in sheet[3]][:5] == [
        "指标",
        "单位",
        "本年1-3月",
        "上年1-3月",
        "同比增长(%)",
    ]
    assert sheet.freeze_panes == "B4"
    revenue = sheet[4]
    assert revenue[0].value == "营业收入"
    assert D(str(revenue[2].value)) == D("106000.1234")
    assert revenue[2].number_format == "#,##0.00"
    assert revenue[4].value == 20.73 and revenue[4].number_format == "0.00"
    assert revenue[5].value == 3 and revenue[5].number_format == "#,##0"
    profit = sheet[8]
    assert (profit[0].value, profit[2].value, profit[3].value, profit[4].value) == (
        "利润总额",
        -120.5,
        "—",
        "—",
    )

    fai = book["投资结构"]
    assert [[c.value for c in row] for row in fai.iter_rows(min_row=4, max_row=6, max_col=3)] == [
        ["政府财政性投资", 13334, 33.34],
        ["社会资本投资", 26666, 66.66],
        ["合计", 40000, 100],
    ]
    assert book["重点项目"]["B4"].value == "北区主干路工程"
    assert book["专项债券"]["D6"].value == 10000  # the total line
    assert book["对接项目"]["C5"].value == 16.67


def test_docx_has_title_narrative_and_tables(client, leader, small):
    document = Document(io.BytesIO(download(client, leader, "docx")))

    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "示范经济开发区2026年1-3月经济运行情况"
    assert texts[1] == "（截至2026年3月末）"
    assert all(paragraph in texts for paragraph in NARRATIVE)
    assert "表1 主要经济指标" in texts and "表13 意向项目清单" in texts
    assert len(document.tables) == 14  # and 表14 预计全年
    indicators = document.tables[0]
    assert [cell.text for cell in indicators.rows[0].cells][:3] == ["指标", "单位", "本年1-3月"]
    assert [cell.text for cell in indicators.rows[1].cells][:5] == [
        "营业收入",
        "万元",
        "106,000.12",
        "92,000.00",
        "20.73",
    ]
    fai = document.tables[5]
    assert [[cell.text for cell in row.cells] for row in fai.rows] == [
        ["投资来源", "本年完成投资", "占比(%)"],
        ["政府财政性投资", "13,334.00", "33.34"],
        ["社会资本投资", "26,666.00", "66.66"],
        ["合计", "40,000.00", "100.00"],
    ]
    sections = document.sections
    assert sections[0].page_width < sections[0].page_height  # A4 portrait text
    assert sections[1].page_width > sections[1].page_height  # A4 landscape tables


def test_every_format_writes_the_same_figures(client, leader, small):
    """The page, the workbook and the document show the builder's one narrative."""
    report = year_end_report(report_scope(small.zone), ReportPeriod(2026, 3))
    paragraphs = narrative(report)
    book = load_workbook(io.BytesIO(download(client, leader, "xlsx")))
    document = Document(io.BytesIO(download(client, leader, "docx")))
    page = client.get(REPORT, ZONE_MARCH).content.decode()

    assert [book["综述"].cell(row, 1).value for row in range(3, 3 + len(paragraphs))] == paragraphs
    assert [p.text for p in document.paragraphs if p.text in paragraphs] == paragraphs
    assert all(paragraph in page for paragraph in paragraphs)


# --- Query counts ------------------------------------------------------------------------------


def grow(small, size: int) -> None:
    """Add `size` more enterprises with figures, projects with progress and leads."""
    for n in range(size):
        enterprise = EnterpriseFactory(park=small.park_a if n % 2 else small.park_b)
        for year in (2025, 2026):
            MonthlyValueFactory(enterprise=enterprise, year=year, month=3, value=D(100 + n))
        project = ProjectFactory(park=small.park_b, start_date=date(2025, 6, 1), key_level="county")
        ProjectProgressFactory(project=project, year=2026, month=3)
        LeadFactory(park=small.park_a, docked_on=date(2026, 2, 1), stage="intention")
    count_as_official()


def count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_builder_query_count_does_not_grow_with_the_data(small, django_assert_max_num_queries):
    def build():
        return year_end_report(report_scope(small.zone), ReportPeriod(2026, 3))

    with django_assert_max_num_queries(BUILDER_MAX_QUERIES) as small_size:
        build()

    grow(small, 25)

    with django_assert_max_num_queries(BUILDER_MAX_QUERIES) as larger:
        report = build()
    assert len(larger) == len(small_size)
    assert report.enterprises.registered == 6 + 25


@pytest.mark.parametrize("output", ["html", "xlsx", "docx"])
def test_report_query_count_does_not_grow_with_the_data(
    client, leader, small, output, django_assert_max_num_queries
):
    client.force_login(leader)
    params = {**ZONE_MARCH, "format": output}
    with django_assert_max_num_queries(REPORT_MAX_QUERIES):
        client.get(REPORT, params)
    before = count_queries(client, REPORT, params)

    grow(small, 25)

    with django_assert_max_num_queries(REPORT_MAX_QUERIES):
        client.get(REPORT, params)
    assert count_queries(client, REPORT, params) == before


@pytest.mark.parametrize("figure", ["indicator.revenue", "projects.carried_out", "leads.intended"])
def test_rows_query_count_does_not_grow_with_the_data(
    client, leader, small, figure, django_assert_max_num_queries
):
    client.force_login(leader)
    params = {**ZONE_MARCH, "figure": figure}
    with django_assert_max_num_queries(ROWS_MAX_QUERIES):
        client.get(ROWS, params)

    grow(small, 25)

    with django_assert_max_num_queries(ROWS_MAX_QUERIES):
        client.get(ROWS, params)
