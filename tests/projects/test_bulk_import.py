"""The 项目 sheet imported the bulk way (projects.services.projects_import): every row read
onto its project, then all checked and written at once, with their change history."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.choices import PeriodStatus
from indicators.models import PeriodSubmission
from parkportal.data_version import data_version
from projects.models import Project, ProjectPlan, ProjectProgress
from tests.workbook.books import CODE_A, ENTERPRISES, INDUSTRIES, PARKS, replaced, xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db

REGISTER = {"园区": PARKS, "产业": INDUSTRIES, "企业": ENTERPRISES}
HEADERS = [
    "项目编号",
    "项目名称",
    "所属园区",
    "建设单位",
    "项目类别",
    "项目阶段",
    "总投资(万元)",
    "开工日期",
    "竣工日期",
]


def projects(count: int, *, name: str = "项目") -> list[list]:
    """Return a 项目 sheet of `count` projects, XM-0001 …"""
    return [HEADERS] + [
        [
            f"XM-{n:04d}",
            f"{name}{n}",
            "CGC" if n % 2 else "BH",
            CODE_A if n % 3 == 0 else "",
            "产业项目",
            "在建",
            f"{1000 + n}.5",
            "2025-03-01",
            "",
        ]
        for n in range(1, count + 1)
    ]


@pytest.fixture
def register(db):
    report = workbook_import(data=xlsx(REGISTER), filename="register.xlsx")
    assert report.accepted, [str(p) for p in report.problems]


def run(rows, user=None, filename="项目.xlsx"):
    report = workbook_import(data=xlsx({"项目": rows}), filename=filename, user=user)
    return report, next(s for s in report.sheets if s.sheet == "项目")


def counts(sheet):
    return sheet.created, sheet.updated, sheet.unchanged


def test_the_sheet_creates_then_leaves_unchanged_then_updates_only_what_changed(register):
    report, sheet = run(projects(30))
    assert report.accepted, [str(p) for p in report.problems]
    assert counts(sheet) == (30, 0, 0)
    made = Project.objects.get(code="XM-0003")
    assert (made.name, made.park.code, made.enterprise.credit_code) == ("项目3", "CGC", CODE_A)
    assert made.total_investment == D("1003.5")

    report, sheet = run(projects(30))
    assert counts(sheet) == (0, 0, 30)

    changed = replaced(projects(31), 4, "项目阶段", "投产")
    report, sheet = run(changed)
    assert report.accepted, [str(p) for p in report.problems]
    assert counts(sheet) == (1, 1, 29)
    assert Project.objects.get(code="XM-0004").stage == "production"
    assert Project.objects.count() == 31


def test_each_new_and_changed_project_gets_a_history_row_with_the_user_and_the_file(
    register, admin_user
):
    run(projects(3), user=admin_user, filename="一月.xlsx")
    run(replaced(projects(3), 2, "项目名称", "改名项目"), user=admin_user, filename="二月.xlsx")
    history = Project.history.order_by("history_id").values_list(
        "code", "name", "history_type", "history_user", "history_change_reason"
    )
    assert list(history) == [
        ("XM-0001", "项目1", "+", admin_user.pk, "导入：一月.xlsx"),
        ("XM-0002", "项目2", "+", admin_user.pk, "导入：一月.xlsx"),
        ("XM-0003", "项目3", "+", admin_user.pk, "导入：一月.xlsx"),
        ("XM-0002", "改名项目", "~", admin_user.pk, "导入：二月.xlsx"),
    ]
    assert Project.history.filter(code="XM-0002").latest().instance.pk == (
        Project.objects.get(code="XM-0002").pk
    )


def test_an_import_that_writes_bumps_the_data_version_and_an_unchanged_one_does_not(register):
    run(projects(2))
    before = data_version()
    run(projects(2))
    assert data_version() == before
    run(replaced(projects(2), 1, "总投资(万元)", "9"))
    assert data_version() != before


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (2, "总投资(万元)", "-5", "负"),
        (3, "所属园区", "XX", "园区“XX”不存在"),
        (1, "项目阶段", "挖坑", ""),
        (2, "竣工日期", "2024-01-01", "竣工日期不能早于开工日期"),
    ],
)
def test_a_bad_row_is_refused_at_its_row_and_column_and_nothing_is_written(
    register, row, column, value, message
):
    run(projects(2, name="原名"))
    stored = sorted(Project.objects.values_list("code", "name", "stage"))
    history = Project.history.count()
    rows = replaced(projects(4, name="新名"), row, column, value)
    report, _ = run(rows)
    assert not report.accepted
    where = [(p.sheet, p.row, p.column) for p in report.problems]
    # A check constraint of several columns speaks for the whole row.
    expected_column = "" if message.startswith("竣工日期") else column
    assert where == [("项目", row + 1, expected_column)], [str(p) for p in report.problems]
    assert message in str(report.problems[0])
    assert sorted(Project.objects.values_list("code", "name", "stage")) == stored
    assert Project.history.count() == history


def queries_of(rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        report, _ = run(rows)
    assert report.accepted, [str(p) for p in report.problems]
    return len(queries)


def test_importing_many_projects_takes_as_many_queries_as_a_few(register):
    few = queries_of(projects(20))
    Project.objects.all().delete()
    assert queries_of(projects(200)) == few
    # Re-imported with every row changed: the same count for 20 rows and for 200.
    changed_many = queries_of(projects(200, name="改"))
    Project.objects.filter(code__gt="XM-0020").delete()
    Project.objects.update(name="旧")
    assert queries_of(projects(20, name="改")) == changed_many


def test_an_unchanged_reimport_of_200_projects_takes_as_many_queries_as_one_of_20(register):
    """Only the rows written are checked, as on the row path: an unchanged file asks
    nothing per row, however different its figures."""
    run(projects(20))
    few = queries_of(projects(20))
    run(projects(200))
    assert queries_of(projects(200)) == few
    assert few <= 30, few


def test_rows_with_repeated_values_cost_no_more_queries(register):
    """Rows whose constrained values repeat cost nothing more either."""

    def alike(count, name="项目"):
        header, *rows = projects(count, name=name)
        return [header] + [[*row[:6], "1000", "2025-03-01", ""] for row in rows]

    few = queries_of(alike(20))
    Project.objects.all().delete()
    assert queries_of(alike(200)) == few
    changed_many = queries_of(alike(200, name="改"))
    Project.objects.filter(code__gt="XM-0020").delete()
    Project.objects.update(name="旧")
    assert queries_of(alike(20, name="改")) == changed_many
    assert few <= 40 and changed_many <= 40, (few, changed_many)


PROGRESS_HEADERS = [
    "项目编号",
    "年份",
    "月份",
    "本年累计完成投资(万元)",
    "其中政府财政性投资(万元)",
]


def progress_rows(count: int, *, completed: str = "500") -> list[list]:
    """Return a 项目进度 sheet of the months of 2026 of XM-0001 … (12 a project)."""
    return [PROGRESS_HEADERS] + [
        [f"XM-{n // 12 + 1:04d}", 2026, n % 12 + 1, completed, "" if n % 2 else "100"]
        for n in range(count)
    ]


def run_sheet(name, rows, user=None, filename="进度.xlsx"):
    report = workbook_import(data=xlsx({name: rows}), filename=filename, user=user)
    return report, next(s for s in report.sheets if s.sheet == name)


def test_the_progress_sheet_writes_in_bulk_and_approves_the_months_with_no_workflow(
    register, admin_user
):
    run(projects(2))
    cgc = Project.objects.get(code="XM-0001").park
    PeriodSubmission.objects.create(park=cgc, year=2026, month=2, status=PeriodStatus.DRAFT)
    report, sheet = run_sheet("项目进度", progress_rows(3), user=admin_user)
    assert report.accepted, [str(p) for p in report.problems]
    assert (sheet.created, sheet.updated, sheet.unchanged) == (3, 0, 0)
    statuses = dict(PeriodSubmission.objects.filter(park=cgc).values_list("month", "status"))
    assert statuses == {1: "approved", 2: "draft", 3: "approved"}
    # A blank 政府财政性投资 is none of it.
    assert ProjectProgress.objects.get(month=2).government_investment == 0
    assert set(
        ProjectProgress.history.values_list("history_type", "history_user", "history_change_reason")
    ) == {("+", admin_user.pk, "导入：进度.xlsx")}

    _, sheet = run_sheet("项目进度", replaced(progress_rows(3), 2, "本年累计完成投资(万元)", "600"))
    assert (sheet.created, sheet.updated, sheet.unchanged) == (0, 1, 2)
    assert ProjectProgress.objects.get(month=2).completed_investment == D("600")


def test_a_progress_row_above_its_total_is_refused_and_nothing_is_written(register):
    run(projects(2))
    rows = replaced(progress_rows(3), 3, "其中政府财政性投资(万元)", "900")
    report, _ = run_sheet("项目进度", rows)
    assert [(p.sheet, p.row, p.column) for p in report.problems] == [("项目进度", 4, "")]
    assert "政府财政性投资不能超过本年累计完成投资" in str(report.problems[0])
    assert not ProjectProgress.objects.exists()
    assert not PeriodSubmission.objects.exists()


def test_the_plan_sheet_writes_in_bulk(register, admin_user):
    run(projects(3))
    plans = [["项目编号", "年份", "年度计划投资(万元)", "年度目标"]] + [
        [f"XM-{n:04d}", 2026, f"{n}000", "主体完工"] for n in (1, 2, 3)
    ]
    report, sheet = run_sheet("项目计划", plans, user=admin_user)
    assert report.accepted, [str(p) for p in report.problems]
    assert (sheet.created, sheet.updated, sheet.unchanged) == (3, 0, 0)
    assert ProjectPlan.objects.get(project__code="XM-0002").planned_investment == D("2000")
    _, sheet = run_sheet("项目计划", replaced(plans, 1, "年度目标", "投产"))
    assert (sheet.created, sheet.updated, sheet.unchanged) == (0, 1, 2)
    assert ProjectPlan.history.filter(history_type="~").get().goal == "投产"


def test_a_new_progress_sheet_of_200_rows_takes_as_many_queries_as_one_of_20(register):
    run(projects(20))

    def queries(count):
        with CaptureQueriesContext(connection) as captured:
            report, _ = run_sheet("项目进度", progress_rows(count))
        assert report.accepted, [str(p) for p in report.problems]
        return len(captured)

    few = queries(20)
    ProjectProgress.objects.all().delete()
    PeriodSubmission.objects.all().delete()
    assert queries(200) == few


def test_an_unchanged_progress_sheet_of_200_rows_takes_as_many_queries_as_one_of_20(register):
    """The stored rows are loaded with the projects their key names, in one query."""
    run(projects(20))

    def queries(count):
        with CaptureQueriesContext(connection) as captured:
            report, sheet = run_sheet("项目进度", progress_rows(count))
        assert report.accepted, [str(p) for p in report.problems]
        assert sheet.unchanged == count
        return len(captured)

    run_sheet("项目进度", progress_rows(20))
    few = queries(20)
    run_sheet("项目进度", progress_rows(200))
    assert queries(200) == few
