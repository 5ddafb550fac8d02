"""The enterprise directory (企业名录): search, filters, sorting, official figures, scoping,
the xlsx download and query counts that do not grow with the list.

The small zone (tests/reports/small_zone.py), 2026年1-3月, every month approved:

  enterprise          park  入统  四上          revenue 1-3月 (last year)   tax (last year)
  涞源精密铸造 E1       A    yes   规上工业       40000 (32000) +25.00%      4000 (3200) +25.00%
  涞源食品科技 E2       A    yes   —              9000.1234 (8000) +12.50%   —
  白合建材商贸 E3       B    yes   限上批零住餐    50000 (42000) +19.05%      2500 (—)
  白合园林工程 E4       B    no    —              100000 (90000) +11.11%     9999 (8888) +12.50%
  新设光伏材料 E5       B    yes   —              7000 (—)                   —
  停报机械制造 E6       A    yes   —              — (10000)                  —
  已注销贸易   E7       A    yes   —              deregistered: hidden unless asked for
  五月新设     E8       B    no    —              —
"""

import io
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from indicators import codes
from indicators.models import PeriodSubmission
from parkportal.models import Enterprise
from tests.factories import EnterpriseFactory, MonthlyValueFactory, UserFactory, indicator
from tests.helpers import count_as_official
from tests.reports.small_zone import build_small_zone

DIRECTORY = reverse("reports:directory")
MARCH = {"year": 2026, "month": 3}
E1, E2, E3, E4 = (
    "涞源精密铸造有限公司",
    "涞源食品科技有限公司",
    "白合建材商贸有限公司",
    "白合园林工程有限公司",
)
E5, E6, E7, E8 = (
    "新设光伏材料有限公司",
    "停报机械制造有限公司",
    "已注销贸易有限公司",
    "五月新设有限公司",
)
PARK_A = {E1, E2, E6}  # and E7, deregistered
PARK_B = {E3, E4, E5, E8}
# Every request: the session, the user, their groups and, at times, the session saved with
# a new expiry (BEGIN, UPDATE, COMMIT on SQLite); none of them depends on the list.
REQUEST_QUERIES = 6
# The user's parks, the industries, the default period, the catalog's two indicators, the
# reporting progress of the month, the count and the page.
PAGE_MAX_QUERIES = REQUEST_QUERIES + 7
# The same without the count, the page being every row.
XLSX_MAX_QUERIES = REQUEST_QUERIES + 6


@pytest.fixture
def small(zone, park_a, park_b):
    return build_small_zone(zone, park_a, park_b)


def listed(client, **params) -> list[str]:
    """Return the names the directory lists for `params`, in its order."""
    response = client.get(DIRECTORY, params)
    assert response.status_code == 200, response.content.decode()[:500]
    return [row.cells[0].text for row in response.context["table"].rows]


def row_of(client, name, **params) -> dict[str, str]:
    """Return the directory's row of `name` as text by column name."""
    response = client.get(DIRECTORY, {"q": name, **params})
    (row,) = response.context["table"].rows
    return {cell.column: cell.text for cell in row.cells}


# --- What it lists ------------------------------------------------------------------------------


def test_the_directory_lists_every_registered_enterprise_grouped_by_park(client, leader, small):
    client.force_login(leader)

    names = listed(client)

    assert set(names) == PARK_A | PARK_B
    assert set(names[:3]) == PARK_A  # park A (code A) before park B
    assert E7 not in names  # deregistered


def test_the_default_period_is_the_dashboards(client, leader, small):
    client.force_login(leader)

    response = client.get(DIRECTORY)

    assert response.context["listing"].period.title == "2026年1-3月"
    assert client.get(reverse("reports:home")).context["board"].period_label == "2026年1-3月"


def test_each_row_has_its_official_revenue_and_tax_with_growth(client, leader, small):
    client.force_login(leader)

    row = row_of(client, E1)

    assert row["name"] == E1
    assert row["park"] == "长古城工业园"
    assert (row["revenue"], row["revenue_growth"]) == ("40,000.00", "25.00")
    assert (row["tax"], row["tax_growth"]) == ("4,000.00", "25.00")
    assert row["in_statistics"] == "入统"
    assert row["scale_category"] == "规上工业"
    assert row["status"] == "在营"


@pytest.mark.parametrize(
    ("name", "revenue", "growth", "tax", "tax_growth"),
    [
        (E2, "9,000.12", "12.50", "—", "—"),
        (E3, "50,000.00", "19.05", "2,500.00", "—"),  # no tax last year: no growth
        (E5, "7,000.00", "—", "—", "—"),  # new this year
        (E6, "—", "—", "—", "—"),  # reported last year only
    ],
)
def test_a_missing_figure_or_base_is_a_dash(
    client, leader, small, name, revenue, growth, tax, tax_growth
):
    client.force_login(leader)

    row = row_of(client, name)

    assert (row["revenue"], row["revenue_growth"], row["tax"], row["tax_growth"]) == (
        revenue,
        growth,
        tax,
        tax_growth,
    )


def test_an_earlier_month_shows_that_months_figures(client, leader, small):
    client.force_login(leader)

    row = row_of(client, E1, year=2026, month=2)

    assert (row["revenue"], row["revenue_growth"]) == ("25,000.00", "25.00")
    assert client.get(DIRECTORY, {"year": 2026, "month": 2}).context["table"].columns[2].header == (
        "营业收入1-2月"
    )


def test_every_name_links_to_its_page_on_the_periods_year(client, leader, small):
    client.force_login(leader)
    enterprise = Enterprise.objects.get(name=E1)

    content = client.get(DIRECTORY, {"q": E1}).content.decode()

    assert f'<a href="/enterprises/{enterprise.pk}/?year=2026">{E1}</a>' in content


@pytest.mark.parametrize("user_fixture", ["staff_a", "leader", "admin_user"])
def test_the_navigation_leads_every_signed_in_user_to_the_directory(
    client, request, small, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))

    home = client.get(reverse("reports:home")).content.decode()
    directory = client.get(reverse("reports:directory")).content.decode()

    assert 'href="/enterprises/"' in home
    assert ">企业名录</a>" in home
    assert 'href="/enterprises/" aria-current="page">企业名录</a>' in directory


def test_the_log_in_page_has_no_navigation(client, db):
    assert "企业名录" not in client.get(reverse("login")).content.decode()


# --- Search and filters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("精密", {E1}),
        ("涞源", {E1, E2}),
        ("白合", {E3, E4}),
        ("  涞源  ", {E1, E2}),  # spaces around it are ignored
        ("注销", set()),  # deregistered: hidden
        ("没有这家", set()),
    ],
)
def test_search_finds_a_part_of_the_name(client, leader, small, query, names):
    client.force_login(leader)

    assert set(listed(client, q=query)) == names


def test_search_finds_a_part_of_the_credit_code_in_any_case(client, leader, small):
    client.force_login(leader)
    code = Enterprise.objects.get(name=E3).credit_code

    assert listed(client, q=code[-6:]) == [E3]
    assert listed(client, q=code[-6:].lower()) == [E3]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"park": "A"}, PARK_A),
        ({"park": "B"}, PARK_B),
        ({"park": "KFQ"}, PARK_A | PARK_B),  # a zone: its parks
        ({"in_statistics": "yes"}, {E1, E2, E3, E5, E6}),
        ({"in_statistics": "no"}, {E4, E8}),
        ({"scale_category": "any"}, {E1, E3}),
        ({"scale_category": "industry"}, {E1}),
        ({"scale_category": "trade"}, {E3}),
        ({"scale_category": "none"}, {E2, E4, E5, E6, E8}),
        ({"status": "deregistered"}, {E7}),
        ({"status": "all"}, PARK_A | PARK_B | {E7}),
        ({"status": "active"}, PARK_A | PARK_B),
        ({"status": "suspended"}, set()),
        ({"park": "B", "in_statistics": "yes", "q": "白合"}, {E3}),
    ],
)
def test_filters(client, leader, small, params, names):
    client.force_login(leader)

    assert set(listed(client, **params)) == names


def test_the_industry_filter_lists_one_industry_or_the_unclassified(client, leader, small):
    client.force_login(leader)
    e1 = Enterprise.objects.get(name=E1)
    Enterprise.objects.filter(name=E8).update(industry=None)

    assert listed(client, industry=str(e1.industry_id)) == [E1]
    assert listed(client, industry="none") == [E8]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "credit_code"}, "没有这种排序方式"),
        ({"sort": "name; DROP TABLE"}, "没有这种排序方式"),
        ({"status": "closed"}, "状态"),
        ({"scale_category": "big"}, "四上类别"),
        ({"year": "1999"}, "年份不能早于 2000 年"),
        ({"month": "13"}, "请选择 1 至 12 月"),
        ({"format": "csv"}, "格式只能是网页或 xlsx"),
    ],
)
def test_invalid_choices_say_what_is_wrong(client, leader, small, params, message):
    client.force_login(leader)

    response = client.get(DIRECTORY, params)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_unknown_park_is_not_found(client, leader, small):
    client.force_login(leader)

    assert client.get(DIRECTORY, {"park": "NOPE"}).status_code == 404


# --- Sorting ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "names"),
    [
        ("-revenue", [E4, E3, E1, E2, E5]),
        ("revenue", [E5, E2, E1, E3, E4]),
        ("-growth", [E1, E3, E2, E4]),
        ("growth", [E4, E2, E3, E1]),
        ("-tax", [E4, E1, E3]),
        ("tax", [E3, E1, E4]),
        ("-tax_growth", [E1, E4]),
        ("tax_growth", [E4, E1]),
    ],
)
def test_sorting_by_a_figure_puts_those_without_one_last(client, leader, small, sort, names):
    client.force_login(leader)

    order = listed(client, sort=sort)

    assert order[: len(names)] == names
    assert set(order[len(names) :]) == (PARK_A | PARK_B) - set(names)


def test_sorting_by_name_either_way(client, leader, small):
    client.force_login(leader)

    by_name = listed(client, sort="name")

    # The database's collation orders Chinese names; pinyin and code points agree on these.
    assert set(by_name) == PARK_A | PARK_B
    assert by_name.index(E2) == by_name.index(E1) + 1
    assert listed(client, sort="-name") == by_name[::-1]


def test_sorting_by_park_the_other_way_lists_park_b_first(client, leader, small):
    client.force_login(leader)

    assert set(listed(client, sort="-park")[:4]) == PARK_B


def test_the_growth_sort_agrees_with_the_growth_shown(client, leader, small):
    """The sort computes growth in SQL; the page shows indicators.domain.growth_rate."""
    client.force_login(leader)
    response = client.get(DIRECTORY, {"sort": "-growth"})

    shown = [row.cell("revenue_growth").value for row in response.context["table"].rows]
    rates = [rate for rate in shown if rate is not None]

    assert rates == sorted(rates, reverse=True)
    assert shown[len(rates) :] == [None] * (len(shown) - len(rates))


def test_a_header_sorts_by_its_column_and_then_the_other_way(client, leader, small):
    client.force_login(leader)

    headers = {
        header.column.name: (header, query)
        for header, query in client.get(DIRECTORY, {"sort": "-revenue"}).context["headers"]
    }

    revenue, revenue_query = headers["revenue"]
    assert revenue.order == "descending"
    assert "sort=revenue" in revenue_query.split("&")  # ascending next
    assert "sort=name" in headers["name"][1].split("&")
    assert "sort=-tax" in headers["tax"][1].split("&")  # a figure: the largest first
    assert headers["credit_code"][1] == ""  # does not sort
    content = client.get(DIRECTORY, {"sort": "-revenue"}).content.decode()
    assert 'aria-sort="descending"' in content


def test_pages_keep_the_filters_and_the_sort(client, leader, small):
    for n in range(55):
        EnterpriseFactory(park=small.park_a, name=f"涞源分号{n:02d}有限公司")
    client.force_login(leader)

    first = client.get(DIRECTORY, {"q": "涞源", "sort": "name"})
    second = client.get(DIRECTORY, {"q": "涞源", "sort": "name", "page": 2})

    assert first.context["page"].paginator.count == 57
    assert len(first.context["table"].rows) == 50
    assert len(second.context["table"].rows) == 7
    content = first.content.decode()
    assert "第 1 / 2 页，共 57 家" in content
    assert "q=%E6%B6%9E%E6%BA%90&amp;year=2026&amp;month=3&amp;sort=name&amp;page=2" in content


# --- Official figures ---------------------------------------------------------------------------


@pytest.fixture
def april_typo(small):
    """Park A is still drafting April, with a typo in E1's revenue; park B has submitted it."""
    e1, e3 = Enterprise.objects.get(name=E1), Enterprise.objects.get(name=E3)
    MonthlyValueFactory(enterprise=e1, year=2026, month=4, value=D("4800000"))  # a typo
    MonthlyValueFactory(enterprise=e3, year=2026, month=4, value=D("61000"))
    PeriodSubmission.objects.create(park=small.park_b, year=2026, month=4, status="submitted")
    return small


def test_a_draft_months_typo_never_shows(client, leader, april_typo):
    client.force_login(leader)

    april = client.get(DIRECTORY, {"year": 2026, "month": 4})
    rows = {row.cells[0].text: row for row in april.context["table"].rows}

    assert rows[E1].cell("revenue").text == "—"
    assert rows[E3].cell("revenue").text == "61,000.00"
    assert "4,800,000" not in april.content.decode()
    assert "截至4月，已上报园区1/2，未上报：长古城工业园" in april.content.decode()
    # Sorted by revenue, the typo does not rank E1 first either.
    assert listed(client, year=2026, month=4, sort="-revenue")[0] == E3


def test_the_default_stays_on_the_month_every_park_has_counted(client, leader, april_typo):
    client.force_login(leader)

    response = client.get(DIRECTORY)

    assert response.context["listing"].period.title == "2026年1-3月"
    assert "4,800,000" not in response.content.decode()


def test_the_park_staff_entering_the_draft_do_not_see_it_here_either(client, staff_a, april_typo):
    client.force_login(staff_a)

    assert row_of(client, E1, year=2026, month=4)["revenue"] == "—"


def test_with_official_from_approved_a_submitted_month_does_not_count(
    client, leader, april_typo, settings
):
    settings.FIGURES_OFFICIAL_FROM = "approved"
    client.force_login(leader)

    assert row_of(client, E3, year=2026, month=4)["revenue"] == "—"


def test_the_export_leaves_the_draft_out(client, leader, april_typo):
    client.force_login(leader)

    sheet = workbook(client, year=2026, month=4, park="A")

    assert sheet_rows(sheet)[E1]["营业收入1-4月"] == "—"


# --- Who sees what ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, small):
    response = client.get(DIRECTORY)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_list_their_own_parks_enterprises_only(client, staff_a, small):
    client.force_login(staff_a)

    assert set(listed(client)) == PARK_A
    assert listed(client, q="白合") == []
    assert listed(client, q=Enterprise.objects.get(name=E3).credit_code) == []
    assert listed(client, status="all", sort="-revenue")[0] == E1


@pytest.mark.parametrize("park", ["B", "KFQ"])
@pytest.mark.parametrize("extra", [{}, {"format": "xlsx"}])
def test_staff_asking_for_another_park_or_the_zone_are_refused(client, staff_a, small, park, extra):
    client.force_login(staff_a)

    response = client.get(DIRECTORY, {"park": park, **extra})

    assert response.status_code == 403
    assert E3 not in response.content.decode()


def test_staff_are_offered_their_own_parks_only(client, staff_a, small):
    client.force_login(staff_a)

    form = client.get(DIRECTORY).context["form"]

    assert [code for code, _ in form.fields["park"].widget.choices] == ["", "A"]


def test_staff_default_period_is_their_parks(client, staff_a, april_typo):
    """Park A has not counted April: its staff open on March, as on their dashboard."""
    client.force_login(staff_a)

    assert client.get(DIRECTORY).context["listing"].period.title == "2026年1-3月"


def test_staff_of_both_parks_see_both(client, staff_a, small):
    from tests.factories import ParkMembershipFactory

    ParkMembershipFactory(user=staff_a, park=small.park_b)
    client.force_login(staff_a)

    assert set(listed(client)) == PARK_A | PARK_B


def test_a_user_without_parks_is_told_to_ask_for_them(client, small):
    client.force_login(UserFactory(username="nobody"))

    response = client.get(DIRECTORY)

    assert response.status_code == 200
    assert "暂无可查看的企业" in response.content.decode()
    assert E1 not in response.content.decode()


# --- The download -------------------------------------------------------------------------------


def workbook(client, **params):
    response = client.get(DIRECTORY, {**params, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment; filename*=utf-8''" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["企业名录"]
    return book["企业名录"]


def sheet_rows(sheet) -> dict[str, dict[str, object]]:
    """Return the sheet's rows by enterprise name, each a dict by header."""
    headers = [cell.value for cell in sheet[3]]
    rows = {}
    for values in sheet.iter_rows(min_row=4, values_only=True):
        if values[0] is None:
            break
        rows[values[0]] = dict(zip(headers, values, strict=True))
    return rows


def test_the_export_holds_the_filtered_list_with_numbers_in_wan_yuan(client, leader, small):
    client.force_login(leader)

    sheet = workbook(client, park="B", sort="-revenue", **MARCH)

    assert sheet["A1"].value == "企业名录（白合工业园，2026年1-3月）"
    assert sheet["A2"].value == "金额单位：万元；同比单位：%"
    assert [cell.value for cell in sheet[3]] == [
        "企业名称",
        "园区",
        "营业收入1-3月",
        "营业收入同比(%)",
        "税收收入1-3月",
        "税收收入同比(%)",
        "产业",
        "入统",
        "四上类别",
        "状态",
        "统一社会信用代码",
    ]
    rows = sheet_rows(sheet)
    assert list(rows) == [E4, E3, E5, E8]  # sorted as asked; no figure last
    e4 = rows[E4]
    assert e4["营业收入1-3月"] == 100000  # a number, in 万元
    assert e4["营业收入同比(%)"] == pytest.approx(11.11)
    assert e4["税收收入1-3月"] == 9999
    assert e4["入统"] == "未入统"
    assert e4["统一社会信用代码"] == Enterprise.objects.get(name=E4).credit_code
    assert rows[E3]["税收收入同比(%)"] == "—"
    assert sheet["C4"].number_format == "#,##0.00"
    assert sheet.freeze_panes == "B4"


def test_the_export_keeps_the_figures_exact_digits(client, leader, small):
    client.force_login(leader)

    rows = sheet_rows(workbook(client, q="食品", **MARCH))

    assert D(str(rows[E2]["营业收入1-3月"])) == D("9000.1234")


def test_the_export_holds_every_page(client, leader, small):
    for n in range(55):
        EnterpriseFactory(park=small.park_a, name=f"涞源分号{n:02d}有限公司")
    client.force_login(leader)

    assert len(sheet_rows(workbook(client, q="涞源"))) == 57


def test_the_staff_export_holds_their_park_only(client, staff_a, small):
    client.force_login(staff_a)

    assert set(sheet_rows(workbook(client, status="all"))) == PARK_A | {E7}


def test_the_page_offers_the_export_of_what_it_lists(client, leader, small):
    client.force_login(leader)

    content = client.get(DIRECTORY, {"park": "B", "q": "白合"}).content.decode()

    assert (
        "?q=%E7%99%BD%E5%90%88&amp;park=B&amp;year=2026&amp;month=3&amp;sort=park&amp;format=xlsx"
        in content
    )


# --- Query counts -------------------------------------------------------------------------------


def grow(small, size: int) -> None:
    """Add `size` more enterprises with revenue and tax this year and last."""
    for n in range(size):
        enterprise = EnterpriseFactory(park=small.park_a if n % 2 else small.park_b)
        for code in (codes.REVENUE, codes.TAX):
            for year in (2025, 2026):
                MonthlyValueFactory(
                    enterprise=enterprise,
                    indicator=indicator(code),
                    year=year,
                    month=3,
                    value=D(100 + n),
                )
    count_as_official()


def count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("params", "most"),
    [
        ({}, PAGE_MAX_QUERIES),
        ({"sort": "-growth", "park": "KFQ"}, PAGE_MAX_QUERIES + 2),  # the zone's parks (2)
        ({"format": "xlsx"}, XLSX_MAX_QUERIES),
    ],
)
def test_query_count_does_not_grow_with_the_list(
    client, leader, small, params, most, django_assert_max_num_queries
):
    client.force_login(leader)
    with django_assert_max_num_queries(most):
        client.get(DIRECTORY, params)
    before = count_queries(client, params)

    grow(small, 80)  # more than a page

    with django_assert_max_num_queries(most):
        response = client.get(DIRECTORY, params)
    assert count_queries(client, params) == before
    if not params.get("format"):
        assert len(response.context["table"].rows) == 50


def test_staff_query_count_does_not_grow_with_the_list(
    client, staff_a, small, django_assert_max_num_queries
):
    client.force_login(staff_a)
    before = count_queries(client, {})

    grow(small, 80)

    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        client.get(DIRECTORY)
    assert count_queries(client, {}) == before


def test_the_export_prints_on_a4_landscape_one_page_wide_with_its_header_on_every_page(
    client, leader, small
):
    client.force_login(leader)
    sheet = workbook(client, **MARCH)
    assert (sheet.page_setup.paperSize, sheet.page_setup.orientation) == (9, "landscape")
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # one page wide (1 is the default, which the file leaves out), as many pages tall as needed
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$3:$3"
