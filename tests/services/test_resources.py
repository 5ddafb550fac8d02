"""The 企业服务 sheet: read, refused at its row and column, and read back unchanged."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from services.models import ServiceCase
from tests.workbook.books import CODE_A, ENTERPRISES, INDUSTRIES, PARKS, replaced, xlsx
from tests.workbook_sheets import counts, said
from workbook.importer import SHEETS, workbook_import
from workbook.writer import workbook_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    "服务编号",
    "服务类型",
    "企业",
    "项目编号",
    "受理日期",
    "渠道",
    "类别",
    "事项",
    "承办单位",
    "办理时限(天)",
    "办结日期",
    "办理方式",
    "办理结果",
    "满意度",
]
SERVICES = [
    HEADERS,
    ["FW-001", "诉求办理", CODE_A, "", "2026-03-02", "政企直通车", "水电路气", "用电增容",
     "县供电公司", 5, "2026-03-05", "线下", "已完成增容", "满意"],
    ["FW-002", "审批代办", "河北乙建材有限公司", "", "2026年3月9日", "线上", "审批手续",
     "施工许可", "县行政审批局", "", "", "", "", ""],
]  # fmt: skip
BOOK = {"园区": PARKS, "产业": INDUSTRIES, "企业": ENTERPRISES, "企业服务": SERVICES}


def test_the_sheet_imports_cases_by_credit_code_or_name_with_default_limits(settings):
    settings.SERVICE_TIME_LIMITS = {"approval": 10, "other": 7}
    report = workbook_import(data=xlsx(BOOK), filename="服务.xlsx")
    assert report.accepted, said(report)
    solved, approval = ServiceCase.objects.order_by("code")
    assert (solved.kind, solved.mode, solved.satisfaction, solved.days_allowed) == (
        "request", "offline", "satisfied", 5)  # fmt: skip
    assert solved.enterprise.credit_code == CODE_A
    assert (approval.enterprise.name, approval.days_allowed, approval.due_on) == (
        "河北乙建材有限公司", 10, date(2026, 3, 19))  # fmt: skip
    assert approval.closed_on is None
    assert "服务.xlsx" in solved.history.first().history_change_reason


def test_importing_the_same_file_twice_and_its_export_changes_nothing():
    assert workbook_import(data=xlsx(BOOK), filename="a.xlsx").accepted
    again = workbook_import(data=xlsx(BOOK), filename="a.xlsx")
    exported = workbook_import(data=workbook_bytes(SHEETS, with_data=True), filename="b.xlsx")
    for report in (again, exported):
        sheet = next(s for s in report.sheets if s.sheet == "企业服务")
        assert counts(sheet) == (0, 0, 2)
    assert ServiceCase.history.count() == 2


@pytest.mark.parametrize(
    ("row", "header", "value", "message"),
    [
        (1, "渠道", "微信", "不在可选项中"),
        (1, "办理结果", "", "办结时必须填写办理结果"),
        (1, "办结日期", "2026-03-01", "早于受理日期"),
        (2, "企业", "不存在公司", "不存在"),
        (2, "满意度", "满意", "尚未办结"),
        (2, "受理日期", "", ""),
    ],
)
def test_a_bad_row_is_refused_at_its_row_and_column_and_nothing_is_written(
    row, header, value, message
):
    book = {**BOOK, "企业服务": replaced(SERVICES, row, header, value)}
    report = workbook_import(data=xlsx(book), filename="坏.xlsx")
    assert not report.accepted
    problems = [p for p in report.problems if p.sheet == "企业服务"]
    assert problems, said(report)
    assert (problems[0].row, problems[0].column) == (row + 1, header), str(problems[0])
    assert message in problems[0].message
    assert not ServiceCase.objects.exists()


def test_the_whole_workbook_template_has_the_sheet_with_its_required_headers_marked():
    book = load_workbook(io.BytesIO(workbook_bytes(SHEETS, with_data=False)))
    sheet = book["企业服务"]
    assert [cell.value for cell in sheet[1]] == [
        "服务编号*", "服务类型*", "企业", "项目编号", "受理日期*", "渠道*", "类别*", "事项*",
        "承办单位*", "办理时限(天)", "办结日期", "办理方式", "办理结果", "满意度",
    ]  # fmt: skip
    names = book.sheetnames
    assert names.index("招商跟进") < names.index("企业服务")  # after what it may refer to
