"""The project sheets of the workbook: 项目's new columns, 项目计划, 项目节点, 专项债券 from
application to spending, 调度会议, 项目问题, 土地供应 and 融资."""

from datetime import date
from decimal import Decimal as D

import pytest

from projects.models import (
    Financing,
    LandPlot,
    Meeting,
    Milestone,
    Project,
    ProjectIssue,
    ProjectPlan,
    SpecialBond,
)
from tests.workbook.books import ALL_SHEETS, CODE_A, PROJECTS, replaced, xlsx
from workbook.importer import SHEETS, workbook_import
from workbook.writer import workbook_bytes

pytestmark = pytest.mark.django_db

NEW_PROJECT_COLUMNS = ["概算(万元)", "计划开工日期", "投产日期", "责任单位"]
PROJECTS_NOW = [
    PROJECTS[0] + NEW_PROJECT_COLUMNS,
    PROJECTS[1] + ["178000", "2022-05-01", "", "开发区管委会"],
    PROJECTS[2] + ["", "", "2025-12-20", ""],
]
PLANS = [
    ["项目编号", "年份", "年度计划投资(万元)", "年度目标"],
    ["XM-1", 2026, "24000", "主体完工"],
    ["XM-2", 2026, "3000", "6月底前投产"],
]
MILESTONES = [
    ["项目编号", "节点名称", "计划完成日期", "实际完成日期", "责任单位", "代办人"],
    ["XM-1", "立项", "2022-03-01", "2022-02-20", "发改局", "王五"],
    ["XM-1", "施工许可", "2022-06-01", "", "住建局", ""],
]
BONDS_NOW = [
    ["项目编号", "年份", "申报金额(万元)", "批复金额(万元)", "到位资金(万元)", "支出金额(万元)"],
    ["XM-1", 2026, "40000", "30000", "30000", "12000"],
    ["XM-1", 2027, "37000", "", "", ""],
]
MEETINGS = [
    ["会议日期", "会议名称", "会议类型", "主持领导", "涉及项目"],
    ["2026-03-10", "3月上旬重点项目调度会", "旬调度会", "张副县长", "XM-1、XM-2"],
    ["2026-03-20", "银企对接会", "银企对接会", "", ""],
]
ISSUES = [
    ["问题编号", "项目编号", "提出日期", "问题描述", "责任单位", "办结时限", "解决日期", "会议"],
    [
        "WT-1",
        "XM-1",
        "2026-03-10",
        "施工用电未接入",
        "供电公司",
        "2026-03-31",
        "",
        "3月上旬重点项目调度会",
    ],
    ["WT-2", "XM-2", "2026-03-10", "环评批复滞后", "生态环境分局", "", "2026-03-25", ""],
]
LAND = [
    [
        "地块编号",
        "所属园区",
        "面积(亩)",
        "供地方式",
        "成交日期",
        "单价(万元/亩)",
        "受让方",
        "项目编号",
        "承诺亩均税收(万元/亩)",
        "承诺投资强度(万元/亩)",
    ],
    ["DK-1", "CGC", "182", "标准地出让", "2026-02-01", "9.6", CODE_A, "XM-2", "15", "300"],
    ["DK-2", "BH", "50", "招拍挂出让", "", "", "ZS-1", "", "", ""],
]
FINANCING = [
    ["融资编号", "日期", "方式", "金额(万元)", "企业", "项目编号", "说明"],
    ["RZ-1", "2026-03-15", "银企对接贷款", "800", CODE_A, "", "帮助在建企业融资"],
    ["RZ-2", "2026-03-18", "城投融资", "23800", "", "XM-1", ""],
]
WHOLE = {
    **ALL_SHEETS,
    "项目": PROJECTS_NOW,
    "项目计划": PLANS,
    "项目节点": MILESTONES,
    "专项债券": BONDS_NOW,
    "调度会议": MEETINGS,
    "项目问题": ISSUES,
    "土地供应": LAND,
    "融资": FINANCING,
}
MODELS = [Project, ProjectPlan, Milestone, SpecialBond, Meeting, ProjectIssue, LandPlot, Financing]


def run(sheets, **kwargs):
    return workbook_import(data=xlsx(sheets), filename="项目.xlsx", **kwargs)


def state():
    """Return every project record as plain values, to compare before and after."""
    return {model.__name__: sorted(map(repr, model.objects.values())) for model in MODELS} | {
        "meeting projects": sorted(Meeting.projects.through.objects.values_list("pk"))
    }


def test_a_workbook_with_every_project_sheet_imports_each_record():
    report = run(WHOLE)
    assert report.accepted, [str(p) for p in report.problems]
    created = {sheet.sheet: sheet.created for sheet in report.sheets}
    assert {k: created[k] for k in ["项目计划", "项目节点", "专项债券", "调度会议"]} == {
        "项目计划": 2,
        "项目节点": 2,
        "专项债券": 2,
        "调度会议": 2,
    }
    assert (created["项目问题"], created["土地供应"], created["融资"]) == (2, 2, 2)
    science = Project.objects.get(code="XM-1")
    assert (science.budget, science.planned_start_date) == (D("178000"), date(2022, 5, 1))
    assert science.responsible_unit == "开发区管委会"
    food = Project.objects.get(code="XM-2")
    assert (food.budget, food.production_date) == (None, date(2025, 12, 20))
    bond = SpecialBond.objects.get(project=science, year=2026)
    assert (bond.applied, bond.approved, bond.amount, bond.spent) == (
        D("40000"),
        D("30000"),
        D("30000"),
        D("12000"),
    )
    next_year = SpecialBond.objects.get(project=science, year=2027)
    assert (next_year.applied, next_year.amount, next_year.spent) == (D("37000"), 0, None)
    meeting = Meeting.objects.get(name="3月上旬重点项目调度会")
    assert sorted(meeting.projects.values_list("code", flat=True)) == ["XM-1", "XM-2"]
    assert ProjectIssue.objects.get(code="WT-1").meeting == meeting
    standard = LandPlot.objects.get(code="DK-1")
    assert (standard.enterprise.credit_code, standard.lead, standard.project.code) == (
        CODE_A,
        None,
        "XM-2",
    )
    assert LandPlot.objects.get(code="DK-2").lead.code == "ZS-1"
    assert Financing.objects.get(code="RZ-2").project == science
    assert Milestone.objects.get(project=science, name="施工许可").actual_date is None


def test_a_first_release_workbook_still_imports_unchanged():
    report = run(ALL_SHEETS)
    assert report.accepted, [str(p) for p in report.problems]
    assert SpecialBond.objects.get().amount == D("30000")
    assert Project.objects.get(code="XM-1").budget is None


def test_importing_the_export_changes_nothing():
    assert run(WHOLE).accepted
    before = state()
    exported = workbook_bytes(SHEETS, with_data=True)
    report = workbook_import(data=exported, filename="export.xlsx")
    assert report.accepted, [str(p) for p in report.problems]
    assert all(s.created == 0 and s.updated == 0 for s in report.sheets), [
        (s.sheet, s.created, s.updated) for s in report.sheets
    ]
    assert state() == before


def test_importing_the_same_workbook_twice_changes_nothing():
    assert run(WHOLE).accepted
    before = state()
    report = run(WHOLE)
    assert all(s.created == 0 and s.updated == 0 for s in report.sheets)
    assert state() == before


def test_the_template_holds_every_project_sheet():
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(workbook_bytes(SHEETS, with_data=False)))
    for name, rows in WHOLE.items():
        if name in {"月度指标"}:
            continue
        headers = [cell.value.rstrip("*") for cell in book[name][1] if cell.value]
        assert set(rows[0]) <= set(headers), name


@pytest.mark.parametrize(
    ("sheet", "rows", "row", "column", "value", "message"),
    [
        ("项目", PROJECTS_NOW, 1, "概算(万元)", "-5", "负"),
        ("项目", PROJECTS_NOW, 1, "计划开工日期", "明年", "日期"),
        ("项目计划", PLANS, 1, "项目编号", "XM-9", "不存在"),
        ("项目计划", PLANS, 2, "年度计划投资(万元)", "很多", "数"),
        ("项目节点", MILESTONES, 2, "计划完成日期", "", ""),
        ("项目节点", MILESTONES, 1, "实际完成日期", "2099-01-01", "不能晚于今天"),
        ("专项债券", BONDS_NOW, 1, "支出金额(万元)", "-1", "负"),
        ("调度会议", MEETINGS, 1, "会议类型", "茶话会", ""),
        ("调度会议", MEETINGS, 1, "涉及项目", "XM-1、XM-7", "XM-7"),
        ("项目问题", ISSUES, 1, "办结时限", "2026-01-01", "办结时限不能早于提出日期"),
        ("项目问题", ISSUES, 2, "会议", "没开过的会", "不存在"),
        ("土地供应", LAND, 1, "供地方式", "赠送", ""),
        ("土地供应", LAND, 2, "受让方", "谁也不是", "受让方"),
        ("融资", FINANCING, 1, "金额(万元)", "", ""),
        ("融资", FINANCING, 2, "方式", "借", ""),
    ],
)
def test_a_bad_row_is_refused_at_its_sheet_row_and_column_and_nothing_is_written(
    sheet, rows, row, column, value, message
):
    report = run({**WHOLE, sheet: replaced(rows, row, column, value)})
    assert not report.accepted
    found = [p for p in report.problems if p.sheet == sheet]
    assert found, [str(p) for p in report.problems]
    problem = found[0]
    assert problem.row == row + 1  # the header is row 1
    assert problem.column == column or (column in str(problem)), str(problem)
    assert message in str(problem)
    assert Project.objects.count() == 0
    assert all(model.objects.count() == 0 for model in MODELS)
