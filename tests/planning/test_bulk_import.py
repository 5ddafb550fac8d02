"""The 年度任务 sheet imported the bulk way (planning.services.plan_tasks_import): every
row read onto its task, then all checked as the task's door checks one and written at
once, with their change history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parkportal.data_version import data_version
from planning.models import PlanTask, subjects_known, task_problems
from planning.services import plan_task_mark_done, plan_task_save
from tests.workbook.books import ENTERPRISES, INDUSTRIES, PARKS, PROJECTS, replaced, xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db

HEADERS = ["任务编号", "年份", "任务", "责任单位", "完成时限", "衡量方式", "对象", "目标值"]
# Measures whose check asks nothing of the database: (衡量方式, 对象, 目标值).
PLAIN = [
    ("手工", "", ""),
    ("活动次数", "外出招商", "3"),
    ("签约项目数", "", "5"),
    ("签约金额(万元)", "", "38,000"),
    ("落地项目数", "", "2"),
]
# Measures whose check looks up the indicator or the projects that 对象 names.
LOOKED_UP = [("指标累计", "营业收入", "646000"), ("项目投产", "XM-1", "")]


def tasks(count: int, *, unit: str = "招商局", measures=PLAIN) -> list[list]:
    """Return a 年度任务 sheet of `count` tasks of 2026, 2026-001 …, by turns of `measures`."""
    return [HEADERS] + [
        [f"2026-{n:03d}", 2026, f"任务{n}", unit, "2026-12-31", *measures[n % len(measures)]]
        for n in range(1, count + 1)
    ]


@pytest.fixture
def register(db):
    book = {"园区": PARKS, "产业": INDUSTRIES, "企业": ENTERPRISES, "项目": PROJECTS}
    report = workbook_import(data=xlsx(book), filename="register.xlsx")
    assert report.accepted, [str(p) for p in report.problems]


def run(rows, user=None, filename="计划.xlsx"):
    report = workbook_import(data=xlsx({"年度任务": rows}), filename=filename, user=user)
    return report, next(s for s in report.sheets if s.sheet == "年度任务")


def counts(sheet):
    return sheet.created, sheet.updated, sheet.unchanged


def test_the_sheet_creates_then_leaves_unchanged_then_updates_only_what_changed(register):
    rows = tasks(12, measures=PLAIN + LOOKED_UP)
    report, sheet = run(rows)
    assert report.accepted, [str(p) for p in report.problems]
    assert counts(sheet) == (12, 0, 0)
    task = PlanTask.objects.get(code="2026-003")
    assert (task.year, task.measure, str(task.target), task.deadline) == (
        2026,
        "signed_amount",
        "38000.0000",
        date(2026, 12, 31),
    )
    assert PlanTask.objects.get(code="2026-005").subject == "营业收入"

    _, sheet = run(rows)
    assert counts(sheet) == (0, 0, 12)

    report, sheet = run(replaced(tasks(13, measures=PLAIN + LOOKED_UP), 3, "目标值", "8"))
    assert report.accepted, [str(p) for p in report.problems]
    assert counts(sheet) == (1, 1, 11)
    assert PlanTask.objects.get(code="2026-003").target == 8
    assert PlanTask.objects.count() == 13


def test_new_and_changed_tasks_keep_the_user_and_the_file(register, admin_user):
    run(tasks(2), user=admin_user, filename="一月.xlsx")
    run(replaced(tasks(2), 2, "责任单位", "项目办"), user=admin_user, filename="二月.xlsx")
    history = PlanTask.history.order_by("history_id").values_list(
        "code", "unit", "history_type", "history_user", "history_change_reason"
    )
    assert list(history) == [
        ("2026-001", "招商局", "+", admin_user.pk, "导入：一月.xlsx"),
        ("2026-002", "招商局", "+", admin_user.pk, "导入：一月.xlsx"),
        ("2026-002", "项目办", "~", admin_user.pk, "导入：二月.xlsx"),
    ]
    assert PlanTask.history.filter(code="2026-002").latest().instance.pk == (
        PlanTask.objects.get(code="2026-002").pk
    )


def test_a_task_marked_done_by_hand_stays_done_when_the_sheet_changes_it(register):
    run(tasks(5))
    manual = PlanTask.objects.get(code="2026-005")  # 手工
    plan_task_mark_done(task=manual, on=date(2026, 6, 30), note="已进入A类")
    report, sheet = run(replaced(tasks(5), 5, "任务", "确保进入A类"))
    assert counts(sheet) == (0, 1, 4), [str(p) for p in report.problems]
    manual.refresh_from_db()
    assert (manual.title, manual.done_on, manual.done_note) == (
        "确保进入A类",
        date(2026, 6, 30),
        "已进入A类",
    )


def test_an_import_that_writes_bumps_the_data_version_and_an_unchanged_one_does_not(register):
    run(tasks(2))
    before = data_version()
    run(tasks(2))
    assert data_version() == before
    run(replaced(tasks(2), 1, "责任单位", "项目办"))
    assert data_version() != before


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (2, "完成时限", "2027-01-31", "不在2026年内"),
        (3, "目标值", "", "必须填写目标值"),
        (4, "目标值", "-1", "负"),
        (1, "对象", "招商大会", "活动类型“招商大会”不存在"),
        (5, "衡量方式", "打分", "可选"),
        (1, "年份", "1999", "年份"),
    ],
)
def test_a_bad_row_is_refused_at_its_row_and_column_and_nothing_is_written(
    register, row, column, value, message
):
    run(tasks(5, unit="原单位"))
    stored = sorted(PlanTask.objects.values_list("code", "unit"))
    history = PlanTask.history.count()
    report, _ = run(replaced(tasks(6, unit="新单位"), row, column, value))
    assert not report.accepted
    where = [(p.sheet, p.row, p.column) for p in report.problems]
    assert where == [("年度任务", row + 1, column)], [str(p) for p in report.problems]
    assert message in str(report.problems[0])
    assert sorted(PlanTask.objects.values_list("code", "unit")) == stored
    assert PlanTask.history.count() == history


@pytest.mark.parametrize(
    ("measures", "subject", "message"),
    [
        (LOOKED_UP[:1], "年产值", "指标“年产值”不存在"),
        (LOOKED_UP[1:], "XM-1、XM-9", "项目编号“XM-9”不存在"),
    ],
)
def test_a_task_whose_object_names_nothing_the_portal_knows_is_refused(
    register, measures, subject, message
):
    report, _ = run(replaced(tasks(3, measures=measures), 2, "对象", subject))
    assert [(p.row, p.column) for p in report.problems] == [(3, "对象")]
    assert message in report.problems[0].message
    assert not PlanTask.objects.exists()


def queries_of(rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        report, _ = run(rows)
    assert report.accepted, [str(p) for p in report.problems]
    return len(queries)


def test_importing_many_tasks_takes_as_many_queries_as_a_few(register):
    few = queries_of(tasks(20))
    PlanTask.objects.all().delete()
    assert queries_of(tasks(200)) == few  # every task created
    unchanged = queries_of(tasks(200))
    assert queries_of(tasks(20)) == unchanged
    many = queries_of(tasks(200, unit="项目办"))
    PlanTask.objects.all().delete()
    run(tasks(20))
    assert queries_of(tasks(20, unit="项目办")) == many  # every task changed
    assert max(few, unchanged, many) <= 40, (few, unchanged, many)


def test_an_unchanged_sheet_of_looked_up_tasks_asks_no_more_queries_for_more_rows(register):
    run(tasks(200, measures=LOOKED_UP))
    unchanged = queries_of(tasks(200, measures=LOOKED_UP))
    assert queries_of(tasks(20, measures=LOOKED_UP)) == unchanged


def test_new_and_changed_tasks_whose_object_is_looked_up_ask_no_more_queries_for_more_rows(
    register,
):
    """The indicators and the projects the tasks' 对象 name are looked up once for the
    whole sheet, not once for each task the sheet writes."""
    few = queries_of(tasks(20, measures=LOOKED_UP))
    PlanTask.objects.all().delete()
    assert queries_of(tasks(200, measures=LOOKED_UP)) == few  # every task created
    many = queries_of(tasks(200, unit="项目办", measures=LOOKED_UP))  # every task changed
    PlanTask.objects.all().delete()
    run(tasks(20, measures=LOOKED_UP))
    assert queries_of(tasks(20, unit="项目办", measures=LOOKED_UP)) == many
    PlanTask.objects.all().delete()
    plain = queries_of(tasks(20))
    PlanTask.objects.all().delete()
    assert few <= plain + 2  # the indicators' query and the projects'
    assert max(few, many) <= 40, (few, many)


def test_a_refused_task_among_many_is_named_with_what_the_portal_lacks(register):
    rows = replaced(tasks(200, measures=LOOKED_UP), 150, "对象", "年产值")  # 指标累计
    rows = replaced(rows, 151, "对象", "XM-2、XM-404")  # 项目投产
    report, _ = run(rows)
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (151, "对象", "指标“年产值”不存在。"),
        (152, "对象", "项目编号“XM-404”不存在。"),
    ]
    assert not PlanTask.objects.exists()


def task_of(measure: str, subject: str, target=None) -> PlanTask:
    return PlanTask(
        code="2026-T",
        year=2026,
        title="任务",
        deadline=date(2026, 12, 31),
        measure=measure,
        subject=subject,
        target=target,
    )


@pytest.mark.parametrize(
    ("measure", "subject", "problem"),
    [
        ("indicator", "营业收入", None),
        ("indicator", " 年产值 ", "指标“年产值”不存在。"),
        ("indicator", "", "衡量方式为“指标累计”时对象须填写指标名称，如“工业总产值”。"),
        ("projects_producing", "XM-1，XM-9、XM-8", "项目编号“XM-9、XM-8”不存在。"),
        ("projects_started", "XM-1、XM-2", None),
        ("project_investment", "XM-404", "项目编号“XM-404”不存在。"),
        ("events", "外出招商", None),
    ],
)
def test_a_task_is_judged_alike_on_its_own_and_with_the_sheets_lookups(
    register, django_assert_num_queries, measure, subject, problem
):
    """The task's door (`plan_task_save`, the admin) looks up its own 对象; the sheet
    hands over what it looked up once; the verdict and the message are the same."""
    task = task_of(measure, subject, target=Decimal("1"))
    alone = task_problems(task)
    assert alone.get("subject") == problem
    sheet = [task_of("indicator", "营业收入"), task, task_of("project_investment", "XM-2")]
    known = subjects_known(sheet)
    with django_assert_num_queries(0):
        assert task_problems(task, known) == alone
    if problem:
        with pytest.raises(ValidationError) as refused:
            plan_task_save(task=task)
        assert refused.value.message_dict["subject"] == [problem]
        assert not PlanTask.objects.exists()
    else:
        assert plan_task_save(task=task).pk is not None
