"""The 年度任务 sheet: imported through the task's door, refused at its row and column,
exported and imported back unchanged."""

import pytest

from planning.models import PlanTask
from tests.workbook.books import ENTERPRISES, INDUSTRIES, PARKS, PROJECTS, xlsx
from workbook.importer import SHEETS, workbook_import
from workbook.writer import workbook_bytes

HEADERS = ["任务编号", "年份", "任务", "责任单位", "完成时限", "衡量方式", "对象", "目标值"]
TASKS = [
    HEADERS,
    [
        "2023-01",
        "2023",
        "年内组织集中招商推介会不少于3次",
        "招商局",
        "2023-12-31",
        "活动次数",
        "招商推介会",
        "3",
    ],
    ["2023-02", "2023", "确保6月份投产", "项目办", "2023/6/30", "项目投产", "XM-1", ""],
    [
        "2023-03",
        "2023",
        "全年完成投资不低于3.8亿元",
        "",
        "2023年12月31日",
        "项目完成投资(万元)",
        "XM-1",
        "38,000",
    ],
    [
        "2023-04",
        "2023",
        "力争入驻项目签约落地不少于5个",
        "招商局",
        "2023-12-31",
        "落地项目数",
        "—",
        "５",
    ],
    ["2023-05", "2023", "确保进入A类", "管委会", "2023-12-31", "手工", "", ""],
]
BOOK = {
    "园区": PARKS,
    "产业": INDUSTRIES,
    "企业": ENTERPRISES,
    "项目": PROJECTS,
    "年度任务": TASKS,
}


@pytest.fixture
def imported(db):
    report = workbook_import(data=xlsx(BOOK), filename="计划.xlsx")
    assert report.accepted, [str(p) for p in report.problems]
    return report


def test_the_sheet_imports_each_task_as_written(imported):
    task = PlanTask.objects.get(code="2023-03")
    assert (task.measure, task.subject, str(task.target)) == (
        "project_investment",
        "XM-1",
        "38000.0000",
    )
    assert PlanTask.objects.get(code="2023-04").target == 5
    assert PlanTask.objects.get(code="2023-02").target is None
    assert task.history.first().history_change_reason == "导入：计划.xlsx"


def test_the_sheet_comes_last_in_the_import_order():
    assert SHEETS[-1].sheet == "年度任务"


def test_an_export_imported_back_changes_nothing(imported):
    report = workbook_import(data=workbook_bytes(SHEETS, with_data=True), filename="export.xlsx")
    assert report.accepted, [str(p) for p in report.problems]
    outcome = next(s for s in report.sheets if s.sheet == "年度任务")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 5)


@pytest.mark.parametrize(
    ("row", "header", "value", "message"),
    [
        (1, "衡量方式", "拍脑袋", "“拍脑袋”不在可选项中"),
        (1, "对象", "展销会", "活动类型“展销会”不存在"),
        (1, "目标值", "", "必须填写目标值"),
        (1, "完成时限", "2024-01-01", "不在2023年内"),
        (2, "对象", "XM-1、XM-404", "项目编号“XM-404”不存在"),
        (3, "目标值", "-1", ""),
    ],
)
def test_a_bad_row_is_refused_at_its_row_and_column_and_nothing_is_written(
    db, row, header, value, message
):
    rows = [list(r) for r in TASKS]
    rows[row][HEADERS.index(header)] = value
    report = workbook_import(data=xlsx({**BOOK, "年度任务": rows}), filename="bad.xlsx")
    assert not report.accepted
    problem = next(p for p in report.problems if p.sheet == "年度任务")
    assert (problem.row, problem.column) == (row + 1, header), [str(p) for p in report.problems]
    assert message in problem.message
    assert not PlanTask.objects.exists()


def test_an_indicator_task_needs_an_indicator_the_catalog_knows(db):
    rows = [HEADERS, ["T1", "2023", "营收", "", "2023-12-31", "指标累计", "营业额", "1"]]
    report = workbook_import(data=xlsx({"年度任务": rows}), filename="bad.xlsx")
    assert [(p.row, p.column) for p in report.problems] == [(2, "对象")]
    assert "指标“营业额”不存在" in report.problems[0].message
