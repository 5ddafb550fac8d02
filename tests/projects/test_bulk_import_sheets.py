"""The 项目节点, 专项债券, 调度会议, 项目问题, 土地供应 and 融资 sheets imported the bulk way
(projects.services: milestones_import, bonds_import, meetings_import, issues_import,
land_plots_import, financing_import): every row read onto its record, then all checked
by its door's rules and written at once, with their change history."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from projects.models import (
    Financing,
    LandPlot,
    Meeting,
    Milestone,
    Project,
    ProjectIssue,
    SpecialBond,
)
from tests.workbook.books import CODE_A, CODE_B, ENTERPRISES, INDUSTRIES, PARKS, replaced
from tests.workbook_sheets import Rows, Sheet, book_imported, marked, said

pytestmark = pytest.mark.django_db

PROJECTS = 10  # XM-0001 … XM-0010, each sheet's rows spread over them
LEADS = 60  # ZS-0001 …: a plot of land may go to each


def project(n: int) -> str:
    return f"XM-{(n - 1) % PROJECTS + 1:04d}"


def milestones(count: int) -> list[list]:
    header = ["项目编号", "节点名称", "计划完成日期", "实际完成日期", "责任单位", "代办人"]
    return [header] + [
        [project(n), f"节点{n}", "2026-03-01", "2026-01-15" if n % 2 else "", "发改局", "王五"]
        for n in range(1, count + 1)
    ]


def bonds(count: int) -> list[list]:
    header = ["项目编号", "年份", "申报金额(万元)", "批复金额(万元)", "到位资金(万元)"]
    return [header] + [
        [project(n), 2020 + (n - 1) // PROJECTS, "100", "80", "" if n % 2 else "60"]
        for n in range(1, count + 1)
    ]


def meetings(count: int) -> list[list]:
    header = ["会议日期", "会议名称", "会议类型", "主持领导", "涉及项目"]
    return [header] + [
        ["2026-03-10", f"调度会{n}", "旬调度会", "张副县长", f"{project(n)}、{project(n + 1)}"]
        for n in range(1, count + 1)
    ]


def issues(count: int) -> list[list]:
    header = ["问题编号", "项目编号", "提出日期", "问题描述", "责任单位", "办结时限", "会议"]
    return [header] + [
        [
            f"WT-{n:04d}",
            project(n),
            "2026-03-10",
            "施工用电未接入",
            "供电公司",
            "2026-03-31",
            "月度调度会" if n % 2 else "",
        ]
        for n in range(1, count + 1)
    ]


def plots(count: int) -> list[list]:
    header = ["地块编号", "所属园区", "面积(亩)", "供地方式", "单价(万元/亩)", "受让方", "项目编号"]
    return [header] + [
        [
            f"DK-{n:04d}",
            "CGC" if n % 2 else "BH",
            "10.5",
            "标准地出让",
            "9.6",
            f"ZS-{n:04d}" if n % 2 else (CODE_A if n % 4 else CODE_B),
            project(n) if n % 3 else "",
        ]
        for n in range(1, count + 1)
    ]


def financing(count: int) -> list[list]:
    header = ["融资编号", "日期", "方式", "金额(万元)", "企业", "项目编号", "说明"]
    return [header] + [
        [
            f"RZ-{n:04d}",
            "2026-03-15",
            "银企对接贷款",
            f"{800 + n}",
            CODE_A if n % 2 else "",
            "" if n % 2 else project(n),
            "帮助在建企业融资",
        ]
        for n in range(1, count + 1)
    ]


@dataclass(frozen=True)
class Changing(Sheet):
    """A sheet of the test: its rows, a column a re-import changes, two values for it."""

    rows: Callable[[int], Rows]
    column: str
    values: tuple[str, str]

    def changed(self, count: int) -> Rows:
        """Return `rows(count)` with every row's `column` changed."""
        return marked(self.rows(count), self.column, self.values[1])


SHEETS = [
    Changing("项目节点", Milestone, milestones, "责任单位", ("发改局", "住建局")),
    Changing("专项债券", SpecialBond, bonds, "申报金额(万元)", ("100", "120.5")),
    Changing("调度会议", Meeting, meetings, "主持领导", ("张副县长", "李副县长")),
    Changing("项目问题", ProjectIssue, issues, "问题描述", ("施工用电未接入", "环评批复滞后")),
    Changing("土地供应", LandPlot, plots, "单价(万元/亩)", ("9.6", "12")),
    Changing("融资", Financing, financing, "说明", ("帮助在建企业融资", "续贷")),
]
MILESTONES, BONDS, MEETINGS, ISSUES, PLOTS, FINANCING = SHEETS


@pytest.fixture
def base(db):
    """The parks, enterprises, projects and leads the sheets refer to, and a meeting."""
    project_rows = [["项目编号", "项目名称", "所属园区", "项目类别", "项目阶段", "总投资(万元)"]]
    project_rows += [
        [f"XM-{n:04d}", f"项目{n}", "CGC", "产业项目", "在建", "1000"]
        for n in range(1, PROJECTS + 1)
    ]
    lead_rows = [["线索编号", "项目名称", "投资方", "招商方式", "阶段", "对接日期", "意向园区"]]
    lead_rows += [
        [f"ZS-{n:04d}", f"线索{n}", "某集团", "以商招商", "对接", "2026-01-10", "BH"]
        for n in range(1, LEADS + 1)
    ]
    sheets = {
        "园区": PARKS,
        "产业": INDUSTRIES,
        "企业": ENTERPRISES,
        "项目": project_rows,
        "调度会议": [
            ["会议日期", "会议名称", "会议类型"],
            ["2026-03-01", "月度调度会", "旬调度会"],
        ],
        "招商项目": lead_rows,
    }
    book_imported(sheets, filename="base.xlsx")


@pytest.mark.parametrize("sheet", SHEETS, ids=str)
def test_the_sheet_creates_then_leaves_unchanged_then_updates_only_what_changed(base, sheet):
    stored = sheet.model.objects.count()
    sheet.imported(sheet.rows(12), (12, 0, 0))
    assert sheet.model.objects.count() == stored + 12
    sheet.imported(sheet.rows(12), (0, 0, 12))
    sheet.imported(replaced(sheet.rows(13), 2, sheet.column, sheet.values[1]), (1, 1, 11))
    assert sheet.model.objects.count() == stored + 13


@pytest.mark.parametrize("sheet", SHEETS, ids=str)
def test_each_new_and_changed_record_gets_a_history_row_with_the_user_and_the_file(
    base, sheet, admin_user
):
    history = [("+", "一月.xlsx")] * 3 + [("~", "二月.xlsx")]
    changed = replaced(sheet.rows(3), 2, sheet.column, sheet.values[1])
    sheet.assert_history_keeps_user_and_file(sheet.rows(3), changed, admin_user, history)


@pytest.mark.parametrize("sheet", SHEETS, ids=str)
def test_an_import_that_writes_bumps_the_data_version_and_an_unchanged_one_does_not(base, sheet):
    changed = replaced(sheet.rows(2), 1, sheet.column, sheet.values[1])
    sheet.assert_version_moves_only_on_a_write(sheet.rows(2), changed)


TOMORROW = "tomorrow"

BAD_ROWS = [
    ("项目节点", 3, "实际完成日期", TOMORROW, "实际完成日期不能晚于今天"),
    ("项目节点", 2, "项目编号", "XM-9999", "项目编号“XM-9999”不存在"),
    ("项目节点", 4, "计划完成日期", "", "不能为 null"),
    ("专项债券", 2, "项目编号", "XM-9999", "项目编号“XM-9999”不存在"),
    ("专项债券", 3, "批复金额(万元)", "-1", "负"),
    ("专项债券", 1, "年份", "1999", "年份"),
    ("调度会议", 2, "涉及项目", "XM-0001、XM-7777", "项目编号“XM-7777”不存在"),
    ("调度会议", 3, "会议类型", "茶话会", "茶话会"),
    ("项目问题", 2, "项目编号", "XM-9999", "项目编号“XM-9999”不存在"),
    ("项目问题", 3, "会议", "没开过的会", "会议“没开过的会”不存在"),
    ("土地供应", 2, "受让方", "谁也不是", "受让方“谁也不是”不存在"),
    ("土地供应", 4, "供地方式", "赠送", "赠送"),
    ("融资", 2, "企业", "不存在的公司", "企业“不存在的公司”不存在"),
    ("融资", 3, "金额(万元)", "", "不能为 null"),
]


@pytest.mark.parametrize(("name", "row", "column", "value", "message"), BAD_ROWS)
def test_a_bad_row_is_refused_in_chinese_at_its_row_and_column_and_nothing_is_written(
    base, name, row, column, value, message
):
    sheet = next(s for s in SHEETS if s.name == name)
    if value == TOMORROW:
        value = (timezone.localdate() + timedelta(days=1)).isoformat()
    # Two stored rows changed, two new ones, and one bad row among them.
    sheet.assert_refused(sheet.rows(2), sheet.changed(4), row, column, value, message)


@pytest.mark.parametrize("sheet", SHEETS, ids=str)
def test_importing_60_rows_takes_as_many_queries_as_20(base, sheet):
    stored = list(sheet.model.objects.values_list("pk", flat=True))
    sheet.assert_queries_do_not_grow(
        sheet.rows,
        sheet.changed,
        many=60,
        clear=lambda: sheet.model.objects.exclude(pk__in=stored).delete(),
    )


# ------------------------------------------------------------------ each door's own rules


def test_a_milestone_done_today_is_taken_and_one_done_tomorrow_is_refused(base):
    today = timezone.localdate()
    rows = replaced(milestones(2), 1, "实际完成日期", today.isoformat())
    MILESTONES.imported(rows, (2, 0, 0))
    assert Milestone.objects.get(name="节点1").actual_date == today

    rows = replaced(rows, 1, "实际完成日期", (today + timedelta(days=1)).isoformat())
    report, outcome = MILESTONES.run(rows)
    assert said(report) == ["工作表“项目节点”第2行“实际完成日期”列：实际完成日期不能晚于今天。"]
    assert (outcome.created, outcome.updated) == (0, 0)
    assert Milestone.objects.get(name="节点1").actual_date == today


def test_a_blank_bond_amount_is_none_received_yet(base):
    BONDS.imported(bonds(2), (2, 0, 0))
    assert SpecialBond.objects.get(project__code="XM-0001").amount == 0
    assert SpecialBond.objects.get(project__code="XM-0002").amount == D("60")


def test_a_meetings_projects_are_set_and_a_change_of_them_alone_is_an_update(base, admin_user):
    MEETINGS.imported(meetings(3), (3, 0, 0), user=admin_user)
    first = Meeting.objects.get(name="调度会1")
    assert sorted(first.projects.values_list("code", flat=True)) == ["XM-0001", "XM-0002"]

    rows = replaced(meetings(3), 1, "涉及项目", "XM-0002，XM-0005")
    MEETINGS.imported(rows, (0, 1, 2), user=admin_user, filename="改.xlsx")
    assert sorted(first.projects.values_list("code", flat=True)) == ["XM-0002", "XM-0005"]
    assert sorted(Meeting.objects.get(name="调度会2").projects.values_list("code", flat=True)) == [
        "XM-0002",
        "XM-0003",
    ]
    assert first.history.latest().history_change_reason == "导入：改.xlsx"

    MEETINGS.imported(replaced(rows, 1, "涉及项目", ""), (0, 1, 2))
    assert not first.projects.exists()


def test_a_meeting_sheet_without_the_projects_column_leaves_them_as_they_are(base):
    MEETINGS.imported(meetings(2), (2, 0, 0))
    without = [row[:4] for row in meetings(2)]
    MEETINGS.imported(replaced(without, 1, "主持领导", "李副县长"), (0, 1, 1))
    first = Meeting.objects.get(name="调度会1")
    assert first.chair == "李副县长"
    assert sorted(first.projects.values_list("code", flat=True)) == ["XM-0001", "XM-0002"]


def test_an_issue_is_known_by_its_code_and_points_to_its_meeting(base):
    ISSUES.imported(issues(2), (2, 0, 0))
    issue = ProjectIssue.objects.get(code="WT-0001")
    assert (issue.project.code, issue.meeting.name) == ("XM-0001", "月度调度会")
    assert ProjectIssue.objects.get(code="WT-0002").meeting is None
    # The same code with another project is the same issue, changed.
    ISSUES.imported(replaced(issues(2), 1, "项目编号", "XM-0007"), (0, 1, 1))
    assert ProjectIssue.objects.get(code="WT-0001").project.code == "XM-0007"
    assert ProjectIssue.objects.get(code="WT-0001").pk == issue.pk


def test_a_plot_goes_to_an_enterprise_or_a_lead_and_a_change_of_grantee_clears_the_other(base):
    PLOTS.imported(plots(2), (2, 0, 0))
    to_lead, to_enterprise = (
        LandPlot.objects.get(code="DK-0001"),
        LandPlot.objects.get(code="DK-0002"),
    )
    assert (to_lead.lead.code, to_lead.enterprise) == ("ZS-0001", None)
    assert (to_enterprise.enterprise.credit_code, to_enterprise.lead) == (CODE_A, None)
    PLOTS.imported(replaced(plots(2), 1, "受让方", CODE_B), (0, 1, 1))
    to_lead.refresh_from_db()
    assert (to_lead.enterprise.credit_code, to_lead.lead) == (CODE_B, None)


def test_a_workbook_writing_meetings_then_issues_finds_the_new_meetings(base):
    sheets = {"调度会议": meetings(2), "项目问题": replaced(issues(2), 2, "会议", "调度会2")}
    book_imported(sheets, filename="会议和问题.xlsx")
    assert ProjectIssue.objects.get(code="WT-0002").meeting == Meeting.objects.get(name="调度会2")
    assert Meeting.objects.get(name="调度会2").held_on == date(2026, 3, 10)
    assert Project.objects.get(code="XM-0002").meetings.count() == 2
