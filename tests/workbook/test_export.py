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
    assert book["企业"].cell(2, 5).value in {"是", "否"}


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
        headers = [c.value for c in sheet[1]]
        for row in rows[1:]:
            values = dict(zip(rows[0], row, strict=True))
            sheet.append([values.get(header) for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    report = workbook_import(data=buffer.getvalue(), filename="模板.xlsx")
    assert report.accepted, [str(p) for p in report.problems]
    assert Enterprise.objects.count() == 2
