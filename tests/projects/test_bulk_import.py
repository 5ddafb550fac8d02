"""The 项目 sheet imported the bulk way (projects.services.projects_import): every row read
onto its project, then all checked and written at once, with their change history."""

from decimal import Decimal as D

import pytest

from indicators.choices import PeriodStatus
from indicators.models import PeriodSubmission
from projects.models import Project, ProjectPlan, ProjectProgress
from tests.workbook.books import CODE_A, ENTERPRISES, INDUSTRIES, PARKS, replaced
from tests.workbook_sheets import Sheet, book_imported

pytestmark = pytest.mark.django_db

PROJECTS = Sheet("项目", Project, filename="项目.xlsx")
PROGRESS = Sheet("项目进度", ProjectProgress, filename="进度.xlsx")
PLANS = Sheet("项目计划", ProjectPlan, filename="进度.xlsx")
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
    book_imported(REGISTER)


def test_the_sheet_creates_then_leaves_unchanged_then_updates_only_what_changed(register):
    PROJECTS.imported(projects(30), (30, 0, 0))
    made = Project.objects.get(code="XM-0003")
    assert (made.name, made.park.code, made.enterprise.credit_code) == ("项目3", "CGC", CODE_A)
    assert made.total_investment == D("1003.5")

    PROJECTS.imported(projects(30), (0, 0, 30))
    PROJECTS.imported(replaced(projects(31), 4, "项目阶段", "投产"), (1, 1, 29))
    assert Project.objects.get(code="XM-0004").stage == "production"
    assert Project.objects.count() == 31


def test_each_new_and_changed_project_gets_a_history_row_with_the_user_and_the_file(
    register, admin_user
):
    history = [(f"XM-000{n}", f"项目{n}", "+", "一月.xlsx") for n in (1, 2, 3)]
    history += [("XM-0002", "改名项目", "~", "二月.xlsx")]
    changed = replaced(projects(3), 2, "项目名称", "改名项目")
    PROJECTS.assert_history_keeps_user_and_file(
        projects(3), changed, admin_user, history, ("code", "name")
    )


def test_an_import_that_writes_bumps_the_data_version_and_an_unchanged_one_does_not(register):
    changed = replaced(projects(2), 1, "总投资(万元)", "9")
    PROJECTS.assert_version_moves_only_on_a_write(projects(2), changed)


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
    # A check constraint of several columns speaks for the whole row.
    at = "" if message.startswith("竣工日期") else column
    first, then = projects(2, name="原名"), projects(4, name="新名")
    PROJECTS.assert_refused(first, then, row, column, value, message, at=at)


def test_importing_many_projects_takes_as_many_queries_as_a_few(register):
    # Re-imported with every row changed: the same count for 20 rows and for 200.
    PROJECTS.assert_queries_do_not_grow(projects, lambda n: projects(n, name="改"))


def test_an_unchanged_reimport_of_200_projects_takes_as_many_queries_as_one_of_20(register):
    """Only the rows written are checked, as on the row path: an unchanged file asks
    nothing per row, however different its figures."""
    PROJECTS.imported(projects(20), (20, 0, 0))
    few = PROJECTS.queries(projects(20), expected=(0, 0, 20))
    PROJECTS.imported(projects(200), (180, 0, 20))
    assert PROJECTS.queries(projects(200), expected=(0, 0, 200)) == few
    assert few <= 30, few


def test_rows_with_repeated_values_cost_no_more_queries(register):
    """Rows whose constrained values repeat cost nothing more either."""

    def alike(count, name="项目"):
        header, *rows = projects(count, name=name)
        return [header] + [[*row[:6], "1000", "2025-03-01", ""] for row in rows]

    PROJECTS.assert_queries_do_not_grow(alike, lambda n: alike(n, name="改"))


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


def test_the_progress_sheet_writes_in_bulk_and_approves_the_months_with_no_workflow(
    register, admin_user
):
    PROJECTS.imported(projects(2), (2, 0, 0))
    cgc = Project.objects.get(code="XM-0001").park
    PeriodSubmission.objects.create(park=cgc, year=2026, month=2, status=PeriodStatus.DRAFT)
    PROGRESS.imported(progress_rows(3), (3, 0, 0), user=admin_user)
    statuses = dict(PeriodSubmission.objects.filter(park=cgc).values_list("month", "status"))
    assert statuses == {1: "approved", 2: "draft", 3: "approved"}
    # A blank 政府财政性投资 is none of it.
    assert ProjectProgress.objects.get(month=2).government_investment == 0
    assert set(
        ProjectProgress.history.values_list("history_type", "history_user", "history_change_reason")
    ) == {("+", admin_user.pk, "导入：进度.xlsx")}

    PROGRESS.imported(replaced(progress_rows(3), 2, "本年累计完成投资(万元)", "600"), (0, 1, 2))
    assert ProjectProgress.objects.get(month=2).completed_investment == D("600")


def test_a_progress_row_above_its_total_is_refused_and_nothing_is_written(register):
    PROJECTS.imported(projects(2), (2, 0, 0))
    PROGRESS.assert_refused(
        None,
        progress_rows(3),
        row=3,
        column="其中政府财政性投资(万元)",
        value="900",
        message="政府财政性投资不能超过本年累计完成投资",
        at="",
        also=(PeriodSubmission,),
    )
    assert not ProjectProgress.objects.exists()
    assert not PeriodSubmission.objects.exists()


def test_the_plan_sheet_writes_in_bulk(register, admin_user):
    PROJECTS.imported(projects(3), (3, 0, 0))
    plans = [["项目编号", "年份", "年度计划投资(万元)", "年度目标"]] + [
        [f"XM-{n:04d}", 2026, f"{n}000", "主体完工"] for n in (1, 2, 3)
    ]
    PLANS.imported(plans, (3, 0, 0), user=admin_user)
    assert ProjectPlan.objects.get(project__code="XM-0002").planned_investment == D("2000")
    PLANS.imported(replaced(plans, 1, "年度目标", "投产"), (0, 1, 2))
    assert ProjectPlan.history.filter(history_type="~").get().goal == "投产"


def test_a_new_progress_sheet_of_200_rows_takes_as_many_queries_as_one_of_20(register):
    PROJECTS.imported(projects(20), (20, 0, 0))
    few = PROGRESS.queries(progress_rows(20), expected=(20, 0, 0))
    ProjectProgress.objects.all().delete()
    PeriodSubmission.objects.all().delete()
    assert PROGRESS.queries(progress_rows(200), expected=(200, 0, 0)) == few


def test_an_unchanged_progress_sheet_of_200_rows_takes_as_many_queries_as_one_of_20(register):
    """The stored rows are loaded with the projects their key names, in one query."""
    PROJECTS.imported(projects(20), (20, 0, 0))
    PROGRESS.imported(progress_rows(20), (20, 0, 0))
    few = PROGRESS.queries(progress_rows(20), expected=(0, 0, 20))
    PROGRESS.imported(progress_rows(200), (180, 0, 20))
    assert PROGRESS.queries(progress_rows(200), expected=(0, 0, 200)) == few
