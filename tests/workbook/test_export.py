"""Exports and templates: the import format, safe for Excel, and importable back unchanged."""

import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from parkportal.models import Enterprise
from tests.workbook.books import ALL_SHEETS, CODE_A, xlsx
from workbook.importer import INSTRUCTIONS_SHEET, SHEETS, workbook_import
from workbook.writer import workbook_bytes

pytestmark = pytest.mark.django_db


def opened(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_an_export_imported_back_changes_nothing():
    assert workbook_import(data=xlsx(ALL_SHEETS), filename="in.xlsx").accepted
    exported = workbook_bytes(SHEETS, with_data=True)
    report = workbook_import(data=exported, filename="export.xlsx")
    assert report.accepted, [str(p) for p in report.problems]
    assert all(s.created == 0 and s.updated == 0 for s in report.sheets), report.sheets
    assert sum(s.unchanged for s in report.sheets) == 20


def test_an_export_writes_the_documented_headers_and_numbers_as_numbers():
    assert workbook_import(data=xlsx(ALL_SHEETS), filename="in.xlsx").accepted
    book = opened(workbook_bytes(SHEETS, with_data=True))
    assert book.sheetnames == [resource.sheet for resource in SHEETS]
    monthly = book["月度指标"]
    assert [c.value for c in monthly[1]][:5] == [
        "统一社会信用代码",
        "企业名称",
        "年份",
        "月份",
        "营业收入(万元)",
    ]
    rows = {(row[0].value, row[3].value): row for row in monthly.iter_rows(min_row=2)}
    revenue = rows[(CODE_A, 2)][4]
    assert D(str(revenue.value)) == D("1200.5")
    assert revenue.data_type == "n"
    enterprises = book["企业"]
    in_statistics = [c.value for c in enterprises[1]].index("是否入统") + 1
    assert enterprises.cell(2, in_statistics).value in {"是", "否"}


@pytest.mark.parametrize("dangerous", ["=1+2", "+8613800000000", "-5 元", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_exported_as_text_excel_will_not_run(dangerous):
    assert workbook_import(data=xlsx(ALL_SHEETS), filename="in.xlsx").accepted
    Enterprise.objects.filter(credit_code=CODE_A).update(name=dangerous)
    data = workbook_bytes(SHEETS, with_data=True)
    cell = next(
        row[1] for row in opened(data)["企业"].iter_rows(min_row=2) if row[0].value == CODE_A
    )
    assert cell.data_type == "s"  # a string, not a formula
    assert cell.quotePrefix
    # the reader the import uses gives the text back exactly as it was
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("企业").to_python()
    assert next(row[1] for row in rows if row[0] == CODE_A) == dangerous


def test_a_template_has_instructions_headers_drop_downs_and_a_frozen_header():
    book = opened(workbook_bytes(SHEETS, with_data=False))
    assert book.sheetnames[0] == INSTRUCTIONS_SHEET
    assert "全部或全不" in "".join(str(c.value) for c in book[INSTRUCTIONS_SHEET]["A"])
    enterprises = book["企业"]
    assert enterprises.freeze_panes == "A2"
    assert enterprises.max_row == 1
    lists = {str(dv.sqref): dv.formula1 for dv in enterprises.data_validations.dataValidation}
    assert lists.get("E2:E100001") == '"是,否"', lists  # 是否入统
    assert "规上工业" in lists["F2:F100001"]  # 四上类别
    assert enterprises.column_dimensions["A"].width >= 10


def test_a_filled_in_template_imports():
    book = opened(workbook_bytes(SHEETS, with_data=False))
    for name, rows in ALL_SHEETS.items():
        sheet = book[name]
        headers = [c.value.removesuffix("*") for c in sheet[1]]
        for row in rows[1:]:
            values = dict(zip(rows[0], row, strict=True))
            sheet.append([values.get(header) for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    report = workbook_import(data=buffer.getvalue(), filename="模板.xlsx")
    assert report.accepted, [str(p) for p in report.problems]
    assert Enterprise.objects.count() == 2


def headers_of(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def test_an_export_names_parks_enterprises_and_projects_beside_their_codes():
    assert workbook_import(data=xlsx(ALL_SHEETS), filename="in.xlsx").accepted
    book = opened(workbook_bytes(SHEETS, with_data=True))

    def rows(name):
        sheet = book[name]
        headers = headers_of(sheet)
        return [
            dict(zip(headers, (c.value for c in row), strict=True))
            for row in sheet.iter_rows(min_row=2)
        ]

    enterprise = next(r for r in rows("企业") if r["统一社会信用代码"] == CODE_A)
    assert (enterprise["所属园区"], enterprise["所属园区名称"]) == ("CGC", "长古城工业园")
    assert headers_of(book["企业"])[2:4] == ["所属园区", "所属园区名称"]
    project = next(r for r in rows("项目") if r["项目编号"] == "XM-2")
    assert (project["建设单位"], project["建设单位名称"]) == (CODE_A, "河北甲食品有限公司")
    assert next(r for r in rows("项目") if r["项目编号"] == "XM-1")["建设单位名称"] is None
    assert {r["园区名称"] for r in rows("目标")} == {"示范经济开发区", "长古城工业园"}
    assert {r["项目名称"] for r in rows("项目进度")} == {"标准化科创园", "甲食品扩建"}
    assert rows("专项债券")[0]["项目名称"] == "标准化科创园"
    assert (
        next(r for r in rows("园区") if r["园区编码"] == "BH")["上级园区名称"] == "示范经济开发区"
    )
    lead = next(r for r in rows("招商项目") if r["线索编号"] == "ZS-1")
    assert (lead["意向园区"], lead["意向园区名称"]) == ("BH", "白合工业园")


READING_COLUMNS = [
    # (sheet, column, a name that is not the code's, the code's column)
    ("企业", "所属园区名称", "示范经济开发区", "所属园区"),
    ("项目", "建设单位名称", "河北乙建材有限公司", "建设单位"),
    ("项目进度", "项目名称", "甲食品扩建", "项目编号"),
]


@pytest.mark.parametrize(("sheet", "column", "other", "source"), READING_COLUMNS)
def test_a_name_for_reading_only_must_be_the_codes_when_changed_and_nothing_is_written(
    sheet, column, other, source
):
    assert workbook_import(data=xlsx(ALL_SHEETS), filename="in.xlsx").accepted
    book = opened(workbook_bytes(SHEETS, with_data=True))
    target = book[sheet]
    index = headers_of(target).index(column)
    row = next(r for r in target.iter_rows(min_row=2) if r[index].value)
    row[index].value = other
    buffer = io.BytesIO()
    book.save(buffer)
    before = {model: list(model.objects.values()) for model in (Enterprise,)}
    report = workbook_import(data=buffer.getvalue(), filename="改过的导出.xlsx")
    assert not report.accepted
    problem = next(p for p in report.problems if p.column == column)
    assert problem.row == row[index].row
    assert f"“{other}”与“{source}”所指的" in problem.message
    assert "本列仅供阅读，导入以" in problem.message
    assert {model: list(model.objects.values()) for model in (Enterprise,)} == before


def test_a_template_marks_its_required_headers_and_leaves_out_the_columns_for_reading():
    book = opened(workbook_bytes(SHEETS, with_data=False))
    assert headers_of(book["企业"]) == [
        "统一社会信用代码*",
        "企业名称*",
        "所属园区*",
        "所属产业",
        "是否入统*",
        "四上类别",
        "成立日期",
        "状态",
    ]
    assert headers_of(book["月度指标"])[:4] == ["统一社会信用代码*", "企业名称", "年份*", "月份*"]
    required = book["企业"]["A1"].fill.fgColor.rgb
    assert required != book["企业"]["D1"].fill.fgColor.rgb  # marked by colour too
    instructions = "".join(str(c.value) for c in book[INSTRUCTIONS_SHEET]["A"])
    assert "表头带 * 的列（橙色底）必须填写" in instructions
