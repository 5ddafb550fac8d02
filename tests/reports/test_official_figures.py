"""Every page and download counts a park-month's figures only once it is official, and they
all agree (docs/domain.md, "Official figures").

A zone of three parks, each with one statistical enterprise reporting 营业收入 every month
of 2025 and 2026 up to October, all approved. In November park A's month is approved,
park B's is a draft with a typo (99999 where 22000 was meant) and park C has reported
nothing:
  A 长古城工业园  2026 m × 1000 (1-11月), 2025 m × 800
  B 白合工业园    2026 m × 2000 (1-10月), November 99999 (draft), 2025 m × 1500
  C 通天河产业园  2026 m × 3000 (1-10月), 2025 m × 2500
So 1-10月 is the latest period every park has counted (60000, 6亿元), and 1-11月
adds up park A alone: 11000 (1.1亿元) against its 8800, growth 25.00%; last year's
1-11月 is every park's: 8800 + 16500 + 27500 = 52800.
"""

import io
from decimal import Decimal as D
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from indicators import codes
from indicators.choices import PeriodStatus
from indicators.models import PeriodSubmission
from parkportal.choices import Role
from reports.scope import ReportPeriod
from tests.conftest import make_user
from tests.factories import EnterpriseFactory, MonthlyValueFactory, ParkFactory, indicator
from tests.helpers import count_as_official

HOME = reverse("reports:home")
REPORT = reverse("reports:year_end")
ROWS = reverse("reports:year_end_rows")
NOVEMBER = {"park": "KFQ", "year": 2026, "month": 11}
SUMMARY = "截至11月，已上报园区1/3，未上报：白合工业园、通天河产业园"
# The typo as any page could show it: as stored, in 万元, in 亿元, or added to park A's.
TYPO = ["99999", "99,999", "9.9999", "110999", "110,999", "11.0999"]


@pytest.fixture
def three_parks(zone, park_a, park_b):
    park_c = ParkFactory(code="C", name="通天河产业园", parent=zone)
    for park, per_month, last_year, months in [
        (park_a, 1000, 800, 11),
        (park_b, 2000, 1500, 10),
        (park_c, 3000, 2500, 10),
    ]:
        company = EnterpriseFactory(park=park, name=f"{park.name}企业")
        for month in range(1, 13):
            revenue(company, 2025, month, last_year * month)
        for month in range(1, months + 1):
            revenue(company, 2026, month, per_month * month)
    revenue(park_b.enterprises.get(), 2026, 11, 99999)
    count_as_official()
    PeriodSubmission.objects.filter(park=park_b, year=2026, month=11).update(
        status=PeriodStatus.DRAFT
    )
    return zone, park_a, park_b, park_c


def revenue(company, year, month, value):
    MonthlyValueFactory(
        enterprise=company,
        indicator=indicator(codes.REVENUE),
        year=year,
        month=month,
        value=D(value),
    )


def assert_no_typo(text: str) -> None:
    for shown in TYPO:
        assert shown not in text, shown


def card(board, code=codes.REVENUE):
    return next(card for card in board.cards if card.figures.code == code)


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


# --- The default period ---------------------------------------------------------------------


def test_pages_open_on_the_latest_month_every_park_has_counted(leader_client, three_parks):
    board = leader_client.get(HOME).context["board"]
    report = leader_client.get(REPORT).context["report"]

    assert board.period == report.period == ReportPeriod(2026, 10)
    assert card(board).figures.current == report.indicators[0].current == D("60000")
    assert card(board).value == "6亿元"
    assert board.incomplete == report.incomplete == ""
    # The latest month any park has counted is November (park A's).
    assert board.latest_label == "2026年11月"


def test_the_default_download_is_named_after_its_period(leader_client, three_parks):
    response = leader_client.get(REPORT, {"format": "xlsx"})

    assert filename(response) == "示范经济开发区2026年1-10月经济运行情况.xlsx"


# --- An incomplete month: every format agrees ------------------------------------------------


def test_the_dashboard_counts_park_a_alone_and_says_who_has_not_reported(
    leader_client, three_parks
):
    response = leader_client.get(HOME, NOVEMBER)

    board = response.context["board"]
    content = response.content.decode()
    revenue_card = card(board)
    assert revenue_card.figures.current == D("11000")
    assert revenue_card.value == "1.1亿元"
    assert revenue_card.figures.last_year == D("52800")
    assert revenue_card.figures.growth.rate == D("25.00")  # park A's 11000 against 8800
    assert board.incomplete.startswith(SUMMARY)
    assert SUMMARY in content
    assert [line.name for line in board.rankings[0].lines] == ["长古城工业园企业"]
    assert_no_typo(content)


def test_the_dashboard_series_leaves_the_draft_out(leader_client, three_parks):
    response = leader_client.get(
        reverse("reports:dashboard_series"), {**NOVEMBER, "indicator": codes.REVENUE}
    )

    series = response.json()
    assert series["cumulative"][9:11] == ["6.0000", "1.1000"]
    assert_no_typo(response.content.decode())


def test_the_report_counts_park_a_alone_in_html_xlsx_and_docx(leader_client, three_parks):
    response = leader_client.get(REPORT, NOVEMBER)
    report = response.context["report"]
    page = response.content.decode()
    xlsx = leader_client.get(REPORT, {**NOVEMBER, "format": "xlsx"})
    docx = leader_client.get(REPORT, {**NOVEMBER, "format": "docx"})

    revenue_line = report.indicators[0]
    assert (revenue_line.current, revenue_line.last_year) == (D("11000"), D("52800"))
    assert revenue_line.growth.rate == D("25.00")
    assert SUMMARY in report.incomplete and SUMMARY in page
    assert_no_typo(page)

    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert SUMMARY in book["综述"]["A3"].value
    assert D(str(book["主要指标"]["C4"].value)) == D("11000")
    assert_no_typo("\n".join(cells))

    document = Document(io.BytesIO(docx.content))
    texts = [paragraph.text for paragraph in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]
    assert SUMMARY in texts[2]
    assert document.tables[0].rows[1].cells[2].text == "11,000.00"
    assert_no_typo("\n".join(texts))

    title = "示范经济开发区2026年1-11月经济运行情况"
    assert report.title == title
    assert (filename(xlsx), filename(docx)) == (f"{title}.xlsx", f"{title}.docx")


def filename(response) -> str:
    """Return the name a download is saved under (RFC 5987 in Content-Disposition)."""
    return unquote(response["Content-Disposition"].split("''", 1)[1])


def test_the_drill_down_rows_leave_the_draft_out(leader_client, three_parks):
    response = leader_client.get(ROWS, {**NOVEMBER, "figure": "indicator.revenue"})

    rows = {row.cell("name").text: row for row in response.context["table"].rows}
    assert rows["长古城工业园企业"].cell("current").text == "11,000.00"
    # Park B's November is a draft: no figure this year, last year's is official.
    assert rows["白合工业园企业"].cell("current").text == "—"
    assert rows["白合工业园企业"].cell("last_year").text == "16,500.00"
    assert_no_typo(response.content.decode())


def test_the_completeness_page_agrees_with_the_dashboards_attention_list(client, three_parks):
    admin = make_user("admin", Role.ADMIN)
    client.force_login(admin)

    response = client.get(reverse("indicators:completeness_month", args=[2026, 11]))
    board = client.get(HOME, NOVEMBER).context["board"]

    rows = {row.park.code: row for row in response.context["parks"]}
    shown = {code: (row.status, row.reported, row.drafted) for code, row in rows.items()}
    assert shown == {
        "A": (PeriodStatus.APPROVED, 1, 0),
        "B": (PeriodStatus.DRAFT, 0, 1),  # entered, but not counted: a draft
        "C": (PeriodStatus.DRAFT, 0, 0),
    }
    content = response.content.decode()
    assert "（草稿）" in content  # admins see where drafts are
    assert_no_typo(content)
    # The dashboard asks the same question of the same enterprises.
    parks = {park.code: park for park in board.attention.parks}
    assert {code: parks[code].missing for code in parks} == {
        code: len(row.missing) for code, row in rows.items()
    }
    assert {line.name for line in board.attention.not_reported.lines} == {
        enterprise.name for row in rows.values() for enterprise in row.missing
    }
    assert [park.code for park in board.attention.parks_not_reported] == ["B", "C"]


def test_leaders_do_not_see_which_enterprises_have_drafts(leader_client, three_parks):
    response = leader_client.get(reverse("indicators:completeness_month", args=[2026, 11]))

    assert "（草稿）" not in response.content.decode()


# --- The enterprise page --------------------------------------------------------------------


def test_an_enterprise_page_shows_drafts_only_to_who_may_enter_them(client, three_parks):
    park_b = three_parks[2]
    company = park_b.enterprises.get()
    url = reverse("reports:enterprise", args=[company.pk])

    client.force_login(make_user("leader", Role.LEADER))
    leaders = client.get(url)
    client.force_login(make_user("staff_b", Role.STAFF, park_b))
    staff = client.get(url)

    leader_2026 = leaders.context["page"].indicators[0].years[2]
    assert leader_2026.cumulative[9:11] == [D("20000"), None]
    assert not leaders.context["page"].has_drafts
    assert_no_typo(leaders.content.decode())
    staff_2026 = staff.context["page"].indicators[0].years[2]
    assert staff_2026.cumulative[9:11] == [D("20000"), D("99999")]
    assert staff_2026.drafts[9:11] == [False, True]
    content = staff.content.decode()
    assert 'class="num is-draft">99,999.00</td>' in content
    assert "draft-legend" in content
