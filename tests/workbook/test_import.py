"""Importing the zone's workbook: tolerant where a person would be, strict where data is wrong."""

from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from indicators.models import MonthlyValue, Target
from investment.models import Lead, OutreachEvent
from parkportal.models import Enterprise, Industry, Park
from projects.models import Project, ProjectProgress, SpecialBond
from tests.helpers import unlock_all
from tests.workbook import books
from tests.workbook.books import ALL_SHEETS, CODE_A, CODE_B, xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db

MODELS = [
    Park,
    Industry,
    Enterprise,
    Target,
    MonthlyValue,
    Project,
    ProjectProgress,
    SpecialBond,
    Lead,
    OutreachEvent,
]


def database_state() -> dict[str, list[tuple]]:
    """Return every imported table's rows (without ids) to compare before and after."""
    state = {}
    for model in MODELS:
        names = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
        state[model.__name__] = sorted(model.objects.values_list(*names), key=repr)
    return state


def run(sheets, *, dry_run=False, filename="园区数据.xlsx"):
    return workbook_import(data=xlsx(sheets), filename=filename, dry_run=dry_run)


def monthly(code: str, year: int, month: int, indicator: str):
    row = MonthlyValue.objects.filter(
        enterprise__credit_code=code, year=year, month=month, indicator__name=indicator
    ).first()
    return None if row is None else row.value


def test_a_whole_workbook_imports_every_sheet_in_dependency_order():
    report = run(ALL_SHEETS)
    assert report.accepted, [str(p) for p in report.problems]
    created = {sheet.sheet: sheet.created for sheet in report.sheets}
    assert created == {
        "园区": 3,
        "产业": 2,
        "企业": 2,
        "目标": 2,
        "月度指标": 3,
        "项目": 2,
        "项目进度": 2,
        "专项债券": 1,
        "招商项目": 2,
        "招商活动": 1,
    }
    bh = Park.objects.get(code="BH")
    assert bh.parent.code == "KFQ"  # the zone given by its name
    assert Park.objects.get(code="KFQ").planned_area_mu == D("8255.10")
    b = Enterprise.objects.get(credit_code=CODE_B)
    assert (b.park, b.in_statistics, b.established_on, b.status) == (
        bh,
        False,
        date(2021, 5, 8),
        "active",
    )
    assert monthly(CODE_A, 2026, 2, "营业收入") == D("1200.5")  # thousands separator
    assert monthly(CODE_A, 2026, 2, "利润总额") == D("-5")
    assert monthly(CODE_A, 2026, 3, "税收收入") is None  # blank: not reported, never zero
    assert monthly(CODE_A, 2026, 3, "从业人员") == D("118")
    assert ProjectProgress.objects.get(project__code="XM-2").government_investment == D("0")
    assert Project.objects.get(code="XM-2").enterprise.credit_code == CODE_A
    assert Lead.objects.get(code="ZS-2").channel == "resource_plus"
    assert Target.objects.get(park__code="CGC").kind == "forecast"


def test_importing_the_same_file_twice_changes_nothing_the_second_time():
    assert run(ALL_SHEETS).accepted
    before = database_state()
    report = run(ALL_SHEETS)
    assert report.accepted
    assert all(s.created == 0 and s.updated == 0 for s in report.sheets), report.sheets
    assert {s.sheet: s.unchanged for s in report.sheets}["月度指标"] == 3
    assert database_state() == before


def test_a_changed_value_in_every_row_of_a_composite_key_sheet_is_stored():
    assert run(ALL_SHEETS).accepted
    unlock_all()  # the import approved its months; correcting them needs them unlocked
    changed = [list(r) for r in books.MONTHLY]
    for row in changed[1:]:
        row[4] = str(D(str(row[4]).replace(",", "")) + 1)
    progress = [list(r) for r in books.PROGRESS]
    for row in progress[1:]:
        row[3] = str(D(row[3]) + 100)
    report = run({"月度指标": changed, "项目进度": progress})
    assert report.accepted, [str(p) for p in report.problems]
    assert {s.sheet: s.updated for s in report.sheets} == {"月度指标": 3, "项目进度": 2}
    assert monthly(CODE_A, 2026, 2, "营业收入") == D("1201.5")
    assert monthly(CODE_A, 2026, 3, "营业收入") == D("2001")
    assert monthly(CODE_B, 2026, 3, "营业收入") == D("501")
    assert sorted(ProjectProgress.objects.values_list("completed_investment", flat=True)) == [
        D("1600"),
        D("12100"),
    ]


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing():
    report = run(ALL_SHEETS, dry_run=True)
    assert report.accepted
    assert {s.sheet: s.created for s in report.sheets}["企业"] == 2
    assert not Park.objects.exists()


def test_people_typing_is_tolerated():
    parks = [["园区数据（2026年）"], [], *books.PARKS]  # a title row above the header
    enterprises = books.replaced(books.ENTERPRISES, 1, "成立日期", "2015年3月1日")
    enterprises = books.replaced(
        enterprises, 1, "统一社会信用代码", " ９１１３０６２７ＭＡ００００００１０ "
    )
    rows = books.replaced(books.MONTHLY, 1, "营业收入(万元)", "１，２００．５")
    rows = books.replaced(rows, 3, "税收收入(万元)", " 10 ")
    rows[0] = [header.replace("(", "（").replace(")", "）") for header in rows[0]]
    report = run({"园区": parks, "产业": books.INDUSTRIES, "企业": enterprises, "月度指标": rows})
    assert report.accepted, [str(p) for p in report.problems]
    assert Enterprise.objects.get(credit_code=CODE_A).established_on == date(2015, 3, 1)
    assert monthly(CODE_A, 2026, 2, "营业收入") == D("1200.5")
    assert monthly(CODE_B, 2026, 3, "税收收入") == D("10")


BASE = {"园区": books.PARKS, "产业": books.INDUSTRIES, "企业": books.ENTERPRISES}


def with_sheet(name, rows):
    return {**BASE, name: rows}


BAD_INPUTS = [
    # (what, sheets, sheet, excel row, column, message fragment)
    (
        "invalid credit code",
        with_sheet(
            "企业", books.replaced(books.ENTERPRISES, 1, "统一社会信用代码", "91130627MA00000011")
        ),
        "企业",
        2,
        "统一社会信用代码",
        "校验位错误",
    ),
    (
        "unknown park",
        with_sheet("企业", books.replaced(books.ENTERPRISES, 2, "所属园区", "不存在园")),
        "企业",
        3,
        "所属园区",
        "园区“不存在园”不存在",
    ),
    (
        "unknown industry",
        with_sheet("企业", books.replaced(books.ENTERPRISES, 1, "所属产业", "航天")),
        "企业",
        2,
        "所属产业",
        "产业“航天”不存在",
    ),
    (
        "choice not in the list",
        with_sheet("企业", books.replaced(books.ENTERPRISES, 1, "四上类别", "大型企业")),
        "企业",
        2,
        "四上类别",
        "不在可选项中",
    ),
    (
        "impossible date",
        with_sheet("企业", books.replaced(books.ENTERPRISES, 1, "成立日期", "2022-02-30")),
        "企业",
        2,
        "成立日期",
        "日期不存在",
    ),
    (
        "month 13",
        with_sheet("月度指标", books.replaced(books.MONTHLY, 1, "月份", 13)),
        "月度指标",
        2,
        "月份",
        "12",
    ),
    (
        "a value that does not fit",
        with_sheet("月度指标", books.replaced(books.MONTHLY, 1, "营业收入(万元)", "1e40")),
        "月度指标",
        2,
        "营业收入(万元)",
        "",
    ),
    (
        "NaN",
        with_sheet("月度指标", books.replaced(books.MONTHLY, 1, "营业收入(万元)", "NaN")),
        "月度指标",
        2,
        "营业收入(万元)",
        "",
    ),
    (
        "a percentage",
        with_sheet("月度指标", books.replaced(books.MONTHLY, 1, "营业收入(万元)", "12%")),
        "月度指标",
        2,
        "营业收入(万元)",
        "百分号",
    ),
    (
        "Chinese numerals",
        with_sheet("月度指标", books.replaced(books.MONTHLY, 1, "营业收入(万元)", "一百")),
        "月度指标",
        2,
        "营业收入(万元)",
        "不是数字",
    ),
    (
        "negative revenue",
        with_sheet("月度指标", books.replaced(books.MONTHLY, 1, "营业收入(万元)", "-3")),
        "月度指标",
        2,
        "营业收入(万元)",
        "不能为负数",
    ),
    (
        "cumulative figure that falls",
        with_sheet("月度指标", books.replaced(books.MONTHLY, 2, "营业收入(万元)", "1000")),
        "月度指标",
        3,
        "营业收入(万元)",
        "累计数不能减少",
    ),
    (
        "the same key twice",
        with_sheet("月度指标", [*books.MONTHLY, books.MONTHLY[1]]),
        "月度指标",
        5,
        "统一社会信用代码",
        "第2行已经出现过",
    ),
    (
        "the same park code twice",
        {"园区": [*books.PARKS, books.PARKS[2]]},
        "园区",
        5,
        "园区编码",
        "与第3行重复",
    ),
    (
        "an enterprise name that contradicts the register",
        with_sheet("月度指标", books.replaced(books.MONTHLY, 1, "企业名称", "别的公司")),
        "月度指标",
        2,
        "企业名称",
        "不一致",
    ),
    (
        "an enterprise not in the register",
        with_sheet(
            "月度指标", books.replaced(books.MONTHLY, 1, "统一社会信用代码", "9144030071526726XG")
        ),
        "月度指标",
        2,
        "统一社会信用代码",
        "不在企业名录中",
    ),
    (
        "unknown project",
        with_sheet("专项债券", books.replaced(books.BONDS, 1, "项目编号", "XM-404")),
        "专项债券",
        2,
        "项目编号",
        "不存在",
    ),
    (
        "unknown header",
        with_sheet("产业", [["产业名称", "产业类别", "备注"], ["食品加工", "传统产业", "x"]]),
        "产业",
        1,
        "",
        "不认识的列：备注",
    ),
    (
        "missing required header",
        with_sheet("项目进度", [["项目编号", "年份", "月份"], ["XM-1", 2026, 3]]),
        "项目进度",
        1,
        "",
        "缺少必填列：本年累计完成投资(万元)",
    ),
    (
        "a zone with a parent",
        {"园区": books.replaced(books.PARKS, 2, "类型", "开发区")},
        "园区",
        3,
        "",
        "开发区不能有上级园区",
    ),
]


@pytest.mark.parametrize(
    ("what", "sheets", "sheet", "row", "column", "fragment"),
    BAD_INPUTS,
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_is_reported_where_it_is_and_nothing_is_written(
    what, sheets, sheet, row, column, fragment
):
    before = database_state()
    report = run(sheets)
    assert not report.accepted
    matching = [
        p
        for p in report.problems
        if p.sheet == sheet and p.row == row and p.column == column and fragment in p.message
    ]
    assert matching, [str(p) for p in report.problems]
    assert database_state() == before


def test_a_workbook_of_unknown_sheets_only_is_rejected():
    report = run({"Sheet1": [["a", "b"], [1, 2]]})
    assert not report.accepted
    assert "没有可识别的工作表" in report.problems[0].message
    assert "Sheet1" in report.problems[0].message


def test_an_error_in_a_late_sheet_rolls_back_the_early_ones():
    sheets = {**ALL_SHEETS, "招商活动": books.replaced(books.EVENTS, 1, "活动类型", "宴会")}
    report = run(sheets)
    assert not report.accepted
    assert not Park.objects.exists()
    assert not MonthlyValue.objects.exists()


def test_a_csv_renamed_to_xlsx_is_rejected_with_a_clear_message():
    report = workbook_import(data="园区编码,园区名称\nKFQ,示范\n".encode(), filename="a.xlsx")
    assert not report.accepted
    assert "CSV" in report.problems[0].message


def test_the_command_prints_a_summary_per_sheet(tmp_path):
    path = tmp_path / "园区数据.xlsx"
    path.write_bytes(xlsx(ALL_SHEETS))
    out = StringIO()
    call_command("import_xlsx", str(path), stdout=out)
    assert "企业：新增 2，更新 0，未变 0，错误 0" in out.getvalue()
    assert "导入完成" in out.getvalue()
    out = StringIO()
    call_command("import_xlsx", str(path), stdout=out)
    assert "企业：新增 0，更新 0，未变 2，错误 0" in out.getvalue()


def test_the_command_exits_non_zero_and_writes_nothing_when_the_file_is_rejected(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx(with_sheet("月度指标", books.replaced(books.MONTHLY, 1, "月份", 0))))
    err = StringIO()
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_xlsx", str(path), stdout=StringIO(), stderr=err)
    assert "工作表“月度指标”第2行“月份”列" in err.getvalue()
    assert not Park.objects.exists()


def test_the_command_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(xlsx(ALL_SHEETS))
    out = StringIO()
    call_command("import_xlsx", str(path), "--dry-run", stdout=out)
    assert "试运行" in out.getvalue()
    assert not Park.objects.exists()
