"""Clerks' sheets as park offices keep them: a title, a 单位 line, a two-row merged header,
合计 rows, "—" for no figure, names instead of credit codes (docs/workbook.md)."""

import io
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from indicators.models import MonthlyValue
from parkportal.credit_code import with_check_character
from parkportal.models import Enterprise
from projects.models import Project
from tests.workbook import books
from tests.workbook.books import CODE_A, CODE_B, xlsx
from tests.workbook.test_import import database_state, monthly
from workbook.importer import workbook_import
from workbook.models import ImportBatch

pytestmark = pytest.mark.django_db

A, B = "河北甲食品有限公司", "河北乙建材有限公司"
TITLE = "2026年1-3月园区重点企业主要经济指标完成情况"
REGISTER = {"园区": books.PARKS, "产业": books.INDUSTRIES, "企业": books.ENTERPRISES}


def book(lines, merges=(), *, register=True) -> bytes:
    """Return a workbook with the register's sheets and a 月度指标 sheet of `lines`,
    its cells merged as `merges` say (A1:G1 …), as a clerk's sheet looks."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in (REGISTER if register else {}).items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    sheet = workbook.create_sheet("月度指标")
    for line in lines:
        sheet.append(line)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def clerks_sheet(rows, *, title=TITLE, unit="单位：万元", register=True, revenue="营业收入"):
    """A park office's monthly sheet: title, 单位 line, a header of two rows merged, `rows`."""
    lines = [
        [title],
        ["填报单位：示范经济开发区", None, None, None, None, unit],
        ["企业名称", revenue, None, None, "税收收入", None, "从业人员(人)"],
        [None, "1-3月", "上年同期", "同比增长%", "本年累计", "本月", None],
        *rows,
    ]
    merges = ["A1:G1", "A3:A4", "B3:D3", "E3:F3", "G3:G4"]
    return book(lines, merges, register=register)


ROWS = [
    [A, 2000, 1600, 25, "—", "/", 118],
    [B, 500, "", "", 10, 3, 40],
    ["合  计", 2500, 1600, 56.25, 10, 3, 158],
]


def run(data: bytes, *, dry_run=False):
    return workbook_import(data=data, filename="一季度报表.xlsx", dry_run=dry_run)


def texts(findings) -> list[str]:
    return [str(finding) for finding in findings]


def test_a_park_offices_sheet_imports_as_it_comes_and_says_how_it_was_read():
    report = run(clerks_sheet(ROWS))
    assert report.accepted, texts(report.problems)
    assert report.warnings == []
    sheet = {s.sheet: s for s in report.sheets}["月度指标"]
    assert (sheet.created, sheet.updated, sheet.unchanged) == (2, 0, 0)
    assert monthly(CODE_A, 2026, 3, "营业收入") == D("2000")
    assert monthly(CODE_B, 2026, 3, "营业收入") == D("500")
    assert monthly(CODE_A, 2026, 3, "税收收入") is None  # "—": not reported, never zero
    assert monthly(CODE_B, 2026, 3, "税收收入") == D("10")
    assert monthly(CODE_A, 2026, 3, "从业人员") == D("118")
    assert not MonthlyValue.objects.filter(year=2025).exists()  # 上年同期 only checks
    notices = texts(report.notices)
    for expected in [
        f"工作表“月度指标”第1行：表中没有“年份”“月份”列，按标题“{TITLE}”取年份为2026、月份为3",
        "工作表“月度指标”第3行“营业收入/同比增长%”列：本月数、同比和增速由平台根据累计数计算，"
        "本列不导入",
        "工作表“月度指标”第3行“税收收入/本月”列：本月数、同比和增速由平台根据累计数计算，本列不导入",
        "工作表“月度指标”第3行：表头“营业收入”“税收收入”没有写单位，金额按第2行“单位：万元”读取",
        "工作表“月度指标”第3行：表中没有“统一社会信用代码”列，"
        "按“企业名称”与企业名录中的名称完全一致匹配企业",
        "工作表“月度指标”“企业名称”列：2行按企业名称匹配到名录中的企业",
        "工作表“月度指标”“税收收入/本年累计”列：第5行共1个单元格只填了“—”“-”“/”“无”或“空”，"
        "按空白（未填报）处理",
        "工作表“月度指标”第7行：合计行已跳过（不导入），4列的合计与第5至6行之和相符",
        "工作表“月度指标”：上年同期数有1个在平台中没有上年同月的数据，未能核对",
    ]:
        assert expected in notices, notices


def test_importing_a_clerks_sheet_twice_changes_nothing_the_second_time():
    assert run(clerks_sheet(ROWS)).accepted
    before = database_state()
    report = run(clerks_sheet(ROWS))
    assert report.accepted
    assert {s.sheet: s.unchanged for s in report.sheets}["月度指标"] == 2
    assert database_state() == before


def test_a_totals_row_that_does_not_add_up_is_a_warning_naming_its_row_column_and_numbers():
    rows = [*ROWS[:2], ["合计", 3000, 1600, 56.25, 10, 3, 158]]
    report = run(clerks_sheet(rows))
    assert report.accepted, texts(report.problems)  # a warning does not refuse the file
    assert texts(report.warnings) == [
        "工作表“月度指标”第7行“营业收入/1-3月”列：合计行的数值3000与第5至6行之和2500不一致"
        "（相差500）；合计行不导入，请核对各行数据"
    ]
    assert monthly(CODE_A, 2026, 3, "营业收入") == D("2000")  # the rows, not the total


def _one_row_sheet(*rows):
    header = ["统一社会信用代码", "企业名称", "年份", "月份", "营业收入(万元)", "税收收入(万元)"]
    return book([["2026年3月主要指标"], header, *rows])


TOTALS = [
    # (what, rows under the header, expected warnings, expected notice fragments)
    (
        "合计 at the bottom, agreeing",
        [
            [CODE_A, A, 2026, 3, 2000, 30],
            [CODE_B, B, 2026, 3, 500, 10],
            ["合计", "", "", "", 2500, 40],
        ],
        [],
        ["第5行：合计行已跳过（不导入），2列的合计与第3至4行之和相符"],
    ),
    (
        "合计 first, as statistical forms put it, adding the rows below",
        [
            ["合计", "", "", "", 2500, 41],
            [CODE_A, A, 2026, 3, 2000, 30],
            [CODE_B, B, 2026, 3, 500, 10],
        ],
        ["第3行“税收收入(万元)”列：合计行的数值41与第4至5行之和40不一致（相差1）"],
        [],
    ),
    (
        "小计 per park, then 总计",
        [
            [CODE_A, A, 2026, 3, 2000, 30],
            ["小计", "", "", "", 2000, 30],
            [CODE_B, B, 2026, 3, 500, 10],
            ["小 计", "", "", "", 400, 10],
            ["总计", "", "", "", 2500, 40],
        ],
        ["第6行“营业收入(万元)”列：小计行的数值400与第5至5行之和500不一致（相差-100）"],
        [
            "第4行：小计行已跳过（不导入），2列的合计与第3至3行之和相符",
            "第7行：总计行已跳过（不导入），2列的合计与第3至5行之和相符",
        ],
    ),
    (
        "a totals row with no figures",
        [[CODE_A, A, 2026, 3, 2000, 30], ["合计"]],
        [],
        ["第4行：合计行已跳过（不导入）"],
    ),
]


@pytest.mark.parametrize(
    ("what", "rows", "warnings", "notices"), TOTALS, ids=[case[0] for case in TOTALS]
)
def test_totals_rows_are_skipped_and_checked_against_the_rows_they_add_up(
    what, rows, warnings, notices
):
    report = run(_one_row_sheet(*rows))
    assert report.accepted, texts(report.problems)
    found = texts(report.warnings)
    assert len(found) == len(warnings), found
    for fragment in warnings:
        assert any(f"工作表“月度指标”{fragment}" in warning for warning in found), found
    for fragment in notices:
        assert any(f"工作表“月度指标”{fragment}" in notice for notice in texts(report.notices))
    assert monthly(CODE_A, 2026, 3, "营业收入") == D("2000")
    assert MonthlyValue.objects.filter(indicator__name="营业收入").count() == sum(
        1 for row in rows if row[0] in (CODE_A, CODE_B)
    )


@pytest.mark.parametrize(
    ("unit", "revenue", "stored"),
    [
        ("单位：万元", 2000, D("2000")),
        ("单位：亿元", 0.2, D("2000")),
        ("金额单位：亿元", "0.123456789", None),  # more decimals than 1 元: an error
        ("单位：元", "20,000,000", D("2000")),
        ("单位：元", 12345.67, D("1.2346")),  # to 万元 with 4 decimals, half up
        (None, 2000, D("2000")),  # no 单位 line: the catalog's unit
    ],
)
def test_a_header_without_its_unit_is_read_in_the_unit_the_sheet_declares(unit, revenue, stored):
    rows = [[A, revenue, "", "", 30, "", 118], [B, 500, "", "", 10, "", 40]]
    report = run(clerks_sheet(rows, unit=unit))
    if stored is None:
        assert not report.accepted
        assert any(p.row == 5 and p.column == "营业收入/1-3月" for p in report.problems)
        assert not MonthlyValue.objects.exists()
        return
    assert report.accepted, texts(report.problems)
    assert monthly(CODE_A, 2026, 3, "营业收入") == stored
    assert monthly(CODE_A, 2026, 3, "从业人员") == D("118")  # persons: never converted
    if unit in ("单位：亿元", "单位：元"):
        assert any(f"按第2行“{unit}”读取，换算为万元导入" in n for n in texts(report.notices))


def test_a_header_with_its_unit_is_read_in_it_whatever_the_unit_line_says():
    rows = [[A, 2000, "", "", 0.003, "", 118]]
    report = run(clerks_sheet(rows, unit="单位：亿元", revenue="营业收入（万元）"))
    assert report.accepted, texts(report.problems)
    assert monthly(CODE_A, 2026, 3, "营业收入") == D("2000")
    assert monthly(CODE_A, 2026, 3, "税收收入") == D("30")  # no unit: the 单位 line's 亿元


def test_last_years_figure_is_checked_against_the_stored_one_and_a_difference_is_a_warning():
    stored = _one_row_sheet([CODE_A, A, 2025, 3, 1500, 20], [CODE_B, B, 2025, 3, 400, 8])
    assert run(stored).accepted
    before = MonthlyValue.objects.filter(year=2025).count()
    rows = [[A, 2000, 1600, 33.33, 30, "", 118], [B, 500, 400, 25, 10, "", 40]]
    report = run(clerks_sheet(rows))
    assert report.accepted, texts(report.problems)
    assert texts(report.warnings) == [
        "工作表“月度指标”第5行“营业收入/上年同期”列：上年同期数1600与平台已有的2025年3月数1500"
        "不一致（相差100）；本列只用于核对，不导入"
    ]
    assert "工作表“月度指标”：上年同期数有1个与平台已有的上年数据一致" in texts(report.notices)
    assert monthly(CODE_A, 2025, 3, "营业收入") == D("1500")  # last year's figure untouched
    assert MonthlyValue.objects.filter(year=2025).count() == before


SECOND_A = with_check_character("91130627MA0000003")

NAME_PROBLEMS = [
    # (what, name in the sheet, an extra enterprise of the register, problem)
    (
        "a name no enterprise has",
        "河北丙化工有限公司",
        None,
        "企业名录中没有名为“河北丙化工有限公司”的企业（名称须与名录完全一致），"
        "请先导入“企业”工作表或改填统一社会信用代码",
    ),
    (
        "a name spelled with a space inside",
        "河北甲食品 有限公司",
        None,
        "企业名录中没有名为“河北甲食品 有限公司”的企业",
    ),
    (
        "a name two enterprises share",
        A,
        [SECOND_A, A, "BH", "", "是", "", "", ""],
        f"企业名录中有2家企业名为“{A}”，请填写统一社会信用代码以区分",
    ),
]


@pytest.mark.parametrize(
    ("what", "name", "extra", "problem"), NAME_PROBLEMS, ids=[case[0] for case in NAME_PROBLEMS]
)
def test_a_name_that_matches_no_enterprise_or_several_is_an_error_and_nothing_is_written(
    what, name, extra, problem
):
    register = {**REGISTER, "企业": [*books.ENTERPRISES, *([extra] if extra else [])]}
    assert workbook_import(data=xlsx(register), filename="名录.xlsx").accepted
    before = database_state()
    report = run(clerks_sheet([[name, 2000, "", "", 30, "", 118], [B, 500, "", "", 10, "", 40]]))
    assert not report.accepted
    assert f"工作表“月度指标”第5行“企业名称”列：{problem}" in "\n".join(texts(report.problems))
    assert database_state() == before


def test_a_name_with_spaces_around_it_matches_the_register():
    report = run(clerks_sheet([[f"  {A}　", 2000, "", "", 30, "", 118]]))
    assert report.accepted, texts(report.problems)
    assert monthly(CODE_A, 2026, 3, "营业收入") == D("2000")


def test_a_sheet_without_year_and_month_columns_nor_a_title_naming_them_is_refused():
    before = database_state()
    report = run(clerks_sheet(ROWS, title="园区重点企业主要经济指标完成情况"))
    assert not report.accepted
    assert texts(report.problems) == [
        "工作表“月度指标”第3行：缺少必填列：年份、月份（没有这两列时，从表格标题中的年月读取，"
        "如“2022年1-10月主要经济指标”，但标题中也没有年月）"
    ]
    assert database_state() == before


def test_a_year_and_month_column_wins_over_the_title():
    report = run(_one_row_sheet([CODE_A, A, 2026, 2, 1200, 20]))
    assert report.accepted, texts(report.problems)
    assert monthly(CODE_A, 2026, 2, "营业收入") == D("1200")
    assert not any("按标题" in notice for notice in texts(report.notices))


def test_a_figure_under_an_unknown_label_is_refused_naming_the_column():
    lines = [
        [TITLE],
        ["企业名称", "营业收入", None],
        [None, "1-3月", "计划数"],
        [A, 2000, 2500],
    ]
    report = run(book(lines, ["B2:C2", "A2:A3"]))
    assert not report.accepted
    assert "不认识的列：营业收入/计划数" in texts(report.problems)[0]
    assert not MonthlyValue.objects.exists()


def test_headers_marked_with_a_star_read_as_without_it():
    header = ["统一社会信用代码*", "企业名称", "年份 *", "月份＊", "营业收入（万元）*"]
    report = run(book([header, [CODE_A, A, 2026, 3, "2,000"]]))
    assert report.accepted, texts(report.problems)
    assert monthly(CODE_A, 2026, 3, "营业收入") == D("2000")


@pytest.mark.parametrize("mark", ["—", "——", "-", "/", "／", "无", "空", " — "])
def test_a_no_figure_mark_is_blank_in_every_kind_of_column(mark):
    projects = books.replaced(books.PROJECTS, 1, "包联领导", mark)  # text
    projects = books.replaced(projects, 1, "占地(亩)", mark)  # number
    projects = books.replaced(projects, 1, "竣工日期", mark)  # date
    projects = books.replaced(projects, 1, "重点级别", mark)  # choice
    report = workbook_import(data=xlsx({**REGISTER, "项目": projects}), filename="项目.xlsx")
    assert report.accepted, texts(report.problems)
    project = Project.objects.get(code="XM-1")
    assert (project.official_in_charge, project.land_area_mu) == ("", None)
    assert (project.completion_date, project.key_level) == (None, "")
    assert (
        "工作表“项目”“包联领导”列：第2行共1个单元格只填了“—”“-”“/”“无”或“空”，按空白（未填报）处理"
        in texts(report.notices)
    )


def test_a_mark_in_a_required_column_is_blank_there_too_and_refused_as_such():
    enterprises = books.replaced(books.ENTERPRISES, 1, "企业名称", "/")
    report = workbook_import(data=xlsx({**REGISTER, "企业": enterprises}), filename="企业.xlsx")
    assert not report.accepted
    assert any(p.row == 2 and p.column == "企业名称" for p in report.problems)
    assert not Enterprise.objects.exists()


def test_the_command_prints_every_warning_and_notice(tmp_path):
    path = tmp_path / "一季度报表.xlsx"
    path.write_bytes(clerks_sheet([*ROWS[:2], ["合计", 3000, 1600, 56.25, 10, 3, 158]]))
    out = StringIO()
    call_command("import_xlsx", str(path), stdout=out)
    printed = out.getvalue()
    assert (
        "警告：工作表“月度指标”第7行“营业收入/1-3月”列：合计行的数值3000与第5至6行之和2500"
        in printed
    )
    assert f"提示：工作表“月度指标”第1行：表中没有“年份”“月份”列，按标题“{TITLE}”" in printed
    assert "导入完成" in printed


def test_the_preview_shows_every_warning_and_notice(client, admin_user):
    data = clerks_sheet([*ROWS[:2], ["合计", 3000, 1600, 56.25, 10, 3, 158]])
    report = run(data, dry_run=True)
    assert not MonthlyValue.objects.exists()  # the preview writes nothing
    batch = ImportBatch.objects.create(
        filename="一季度报表.xlsx",
        sha256="0" * 64,
        content=data,
        uploaded_by=admin_user,
        status=ImportBatch.Status.PREVIEWED,
        summary=report.as_dict(),
    )
    client.force_login(admin_user)
    page = client.get(reverse("workbook:import_preview", args=[batch.pk])).content.decode()
    assert "1 个警告：不影响导入，请核对" in page
    assert (
        '<li class="warning">工作表“月度指标”第7行“营业收入/1-3月”列：合计行的数值3000'
        "与第5至6行之和2500不一致（相差500）" in page
    )
    for notice in report.notices:
        assert f'<li class="info">{notice}</li>' in page
    assert "确认导入" in page


def test_a_builder_named_by_a_name_two_enterprises_share_is_an_error():
    enterprises = [*books.ENTERPRISES, [SECOND_A, A, "BH", "", "是", "", "", ""]]
    projects = books.replaced(books.PROJECTS, 2, "建设单位", A)
    sheets = {**REGISTER, "企业": enterprises, "项目": projects}
    report = workbook_import(data=xlsx(sheets), filename="项目.xlsx")
    assert not report.accepted
    assert (
        f"工作表“项目”第3行“建设单位”列：建设单位“{A}”有多条同名记录，"
        "请改填编码（企业填统一社会信用代码）"
    ) in texts(report.problems)
    assert not Project.objects.exists()


def test_a_figure_headed_with_another_month_than_the_titles_is_refused():
    lines = [
        [TITLE],
        ["企业名称", "营业收入", None],
        [None, "1-2月", "上年同期"],
        [A, 2000, 1600],
    ]
    report = run(book(lines, ["B2:C2", "A2:A3"]))
    assert not report.accepted
    assert "“营业收入/1-2月”的月份与标题的3月不一致" in texts(report.problems)[0]
    assert not MonthlyValue.objects.exists()


def _register_of(count: int) -> dict[str, list[list]]:
    codes = [with_check_character(f"91130627MA{i:07d}") for i in range(100, 100 + count)]
    enterprises = [
        books.ENTERPRISES[0],
        *(
            [code, f"河北第{i}号企业有限公司", "CGC", "", "是", "", "", ""]
            for i, code in enumerate(codes)
        ),
    ]
    return {**REGISTER, "企业": enterprises}


@pytest.mark.parametrize("count", [2, 40])
def test_a_clerks_sheet_is_read_in_as_many_queries_whatever_its_rows(
    count, django_assert_max_num_queries
):
    register = _register_of(count)
    assert workbook_import(data=xlsx(register), filename="名录.xlsx").accepted
    rows = [[f"河北第{i}号企业有限公司", 100 + i, 90, 11.1, 5, "", 10] for i in range(count)]
    total = ["合计", sum(row[1] for row in rows), 90 * count, "", 5 * count, "", 10 * count]
    data = clerks_sheet([*rows, total], register=False)  # the register is stored already
    # 26: the office's validation rules read once, the data version bumped by the
    # figures' door and by the import's commit, the reports' sums the figures count
    # in recounted (delete, GROUP BY, insert), and one look for stored figures to compare
    # the block with, whatever the number of rows
    with django_assert_max_num_queries(26):
        report = run(data)
    assert report.accepted, texts(report.problems)
    assert report.warnings == []
    assert MonthlyValue.objects.filter(indicator__name="营业收入").count() == count


def test_a_code_wins_over_a_name_that_another_record_happens_to_have():
    parks = books.replaced(books.PARKS, 3, "园区名称", "CGC")  # park BH is named CGC
    enterprises = books.replaced(books.ENTERPRISES, 2, "所属园区", "BH")
    sheets = {**REGISTER, "园区": parks, "企业": enterprises}
    report = workbook_import(data=xlsx(sheets), filename="名录.xlsx")
    assert report.accepted, texts(report.problems)
    assert Enterprise.objects.get(credit_code=CODE_A).park.code == "CGC"
    assert Enterprise.objects.get(credit_code=CODE_B).park.code == "BH"
