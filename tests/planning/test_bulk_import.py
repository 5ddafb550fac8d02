"""The 年度任务 sheet imported the bulk way (planning.services.plan_tasks_import): every
row read onto its task, then all checked as the task's door checks one and written at
once, with their change history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from planning.models import PlanTask, subjects_known, task_problems
from planning.services import plan_task_mark_done, plan_task_save
from tests.workbook.books import ENTERPRISES, INDUSTRIES, PARKS, PROJECTS, replaced
from tests.workbook_sheets import Sheet, book_imported

pytestmark = pytest.mark.django_db

TASKS = Sheet("年度任务", PlanTask, filename="计划.xlsx")
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
    book_imported({"园区": PARKS, "产业": INDUSTRIES, "企业": ENTERPRISES, "项目": PROJECTS})


def test_the_sheet_creates_then_leaves_unchanged_then_updates_only_what_changed(register):
    rows = tasks(12, measures=PLAIN + LOOKED_UP)
    TASKS.imported(rows, (12, 0, 0))
    task = PlanTask.objects.get(code="2026-003")
    assert (task.year, task.measure, str(task.target), task.deadline) == (
        2026,
        "signed_amount",
        "38000.0000",
        date(2026, 12, 31),
    )
    assert PlanTask.objects.get(code="2026-005").subject == "营业收入"

    TASKS.imported(rows, (0, 0, 12))
    TASKS.imported(replaced(tasks(13, measures=PLAIN + LOOKED_UP), 3, "目标值", "8"), (1, 1, 11))
    assert PlanTask.objects.get(code="2026-003").target == 8
    assert PlanTask.objects.count() == 13


def test_new_and_changed_tasks_keep_the_user_and_the_file(register, admin_user):
    history = [
        ("2026-001", "招商局", "+", "一月.xlsx"),
        ("2026-002", "招商局", "+", "一月.xlsx"),
        ("2026-002", "项目办", "~", "二月.xlsx"),
    ]
    changed = replaced(tasks(2), 2, "责任单位", "项目办")
    TASKS.assert_history_keeps_user_and_file(
        tasks(2), changed, admin_user, history, ("code", "unit")
    )


def test_a_task_marked_done_by_hand_stays_done_when_the_sheet_changes_it(register):
    TASKS.imported(tasks(5), (5, 0, 0))
    manual = PlanTask.objects.get(code="2026-005")  # 手工
    plan_task_mark_done(task=manual, on=date(2026, 6, 30), note="已进入A类")
    TASKS.imported(replaced(tasks(5), 5, "任务", "确保进入A类"), (0, 1, 4))
    manual.refresh_from_db()
    assert (manual.title, manual.done_on, manual.done_note) == (
        "确保进入A类",
        date(2026, 6, 30),
        "已进入A类",
    )


def test_an_import_that_writes_bumps_the_data_version_and_an_unchanged_one_does_not(register):
    TASKS.assert_version_moves_only_on_a_write(
        tasks(2), replaced(tasks(2), 1, "责任单位", "项目办")
    )


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
    TASKS.assert_refused(
        tasks(5, unit="原单位"), tasks(6, unit="新单位"), row, column, value, message
    )


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
    TASKS.assert_refused(None, tasks(3, measures=measures), 2, "对象", subject, message)
    assert not PlanTask.objects.exists()


def test_importing_many_tasks_takes_as_many_queries_as_a_few(register):
    TASKS.assert_queries_do_not_grow(tasks, lambda n: tasks(n, unit="项目办"))


def test_an_unchanged_sheet_of_looked_up_tasks_asks_no_more_queries_for_more_rows(register):
    TASKS.imported(tasks(200, measures=LOOKED_UP), (200, 0, 0))
    unchanged = TASKS.queries(tasks(200, measures=LOOKED_UP), expected=(0, 0, 200))
    assert TASKS.queries(tasks(20, measures=LOOKED_UP), expected=(0, 0, 20)) == unchanged


def test_new_and_changed_tasks_whose_object_is_looked_up_ask_no_more_queries_for_more_rows(
    register,
):
    """The indicators and the projects the tasks' 对象 name are looked up once for the
    whole sheet, not once for each task the sheet writes."""
    few, _, _ = TASKS.assert_queries_do_not_grow(
        lambda n: tasks(n, measures=LOOKED_UP),
        lambda n: tasks(n, unit="项目办", measures=LOOKED_UP),
    )
    PlanTask.objects.all().delete()
    plain = TASKS.queries(tasks(20), expected=(20, 0, 0))
    assert few <= plain + 2  # the indicators' query and the projects'


def test_a_refused_task_among_many_is_named_with_what_the_portal_lacks(register):
    rows = replaced(tasks(200, measures=LOOKED_UP), 150, "对象", "年产值")  # 指标累计
    rows = replaced(rows, 151, "对象", "XM-2、XM-404")  # 项目投产
    report, _ = TASKS.run(rows)
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
