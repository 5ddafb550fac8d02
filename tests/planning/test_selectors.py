"""Each 衡量方式 measured from the data as of a day, against values worked out by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from planning.choices import TaskStatus
from planning.models import PlanTask
from planning.selectors import task_lines
from tests.factories import (
    EnterpriseFactory,
    LeadFactory,
    LeadStageChangeFactory,
    MonthlyValueFactory,
    OutreachEventFactory,
    ProjectFactory,
    ProjectProgressFactory,
    indicator,
)
from tests.helpers import count_as_official


@pytest.fixture
def world(park_a, park_b):
    """A zone's 2023 so far: events, leads, projects, their progress and official figures."""
    for day, kind in [
        (date(2022, 11, 1), "promotion"),  # last year: never counted
        (date(2023, 3, 1), "promotion"),
        (date(2023, 5, 1), "trip"),
        (date(2023, 6, 1), "promotion"),
        (date(2023, 9, 1), "promotion"),
    ]:
        OutreachEventFactory(date=day, kind=kind)
    LeadFactory(
        stage="signed",
        docked_on=date(2023, 1, 5),
        signed_on=date(2023, 2, 1),
        planned_investment=D("38000"),
        park=park_a,
    )
    LeadFactory(
        stage="landed",
        docked_on=date(2023, 1, 5),
        signed_on=date(2023, 1, 10),
        landed_on=date(2023, 5, 20),
        planned_investment=D("10500"),
    )
    LeadFactory(
        stage="signed",
        docked_on=date(2022, 10, 1),
        signed_on=date(2022, 12, 1),
        planned_investment=D("9999"),
        park=park_b,
    )
    dropped = LeadFactory(
        stage="dropped",
        docked_on=date(2023, 3, 1),
        signed_on=date(2023, 4, 1),
        planned_investment=D("7000"),
        drop_reason="投资方撤回",
    )
    LeadStageChangeFactory(lead=dropped, to_stage="signed", changed_on=date(2023, 4, 1))
    LeadStageChangeFactory(lead=dropped, to_stage="dropped", changed_on=date(2023, 5, 1))
    p1 = ProjectFactory(
        code="XM-1", park=park_a, start_date=date(2022, 7, 1), production_date=date(2023, 6, 15)
    )
    p2 = ProjectFactory(code="XM-2", park=park_a, start_date=date(2023, 3, 1))
    ProjectFactory(code="XM-3", park=park_b, start_date=date(2023, 4, 10))
    for project, month, value in [
        (p1, 3, "5000"),
        (p1, 5, "12000"),
        (p1, 7, "20000"),
        (p2, 5, "3000"),
    ]:
        ProjectProgressFactory(
            project=project, year=2023, month=month, completed_investment=D(value)
        )
    ProjectProgressFactory(project=p1, year=2022, month=12, completed_investment=D("99999"))
    output = indicator("industrial_output")
    counted = EnterpriseFactory(park=park_a, in_statistics=True)
    outside = EnterpriseFactory(park=park_a, in_statistics=False)
    for month, value in [(3, "4000"), (5, "9000")]:
        MonthlyValueFactory(
            enterprise=counted, indicator=output, year=2023, month=month, value=D(value)
        )
    MonthlyValueFactory(enterprise=outside, indicator=output, year=2023, month=5, value=D("5000"))
    count_as_official(parks=[park_a])
    draft = EnterpriseFactory(park=park_b, in_statistics=True)  # its month is not submitted
    MonthlyValueFactory(enterprise=draft, indicator=output, year=2023, month=5, value=D("3000"))


def task(measure, subject="", target=None, deadline=date(2023, 12, 31), **extra):
    return PlanTask.objects.create(
        code=f"T{PlanTask.objects.count()}",
        year=2023,
        title="任务",
        deadline=deadline,
        measure=measure,
        subject=subject,
        target=None if target is None else D(target),
        **extra,
    )


@pytest.mark.parametrize(
    ("measure", "subject", "target", "deadline", "day", "measured", "status"),
    [
        ("events", "招商推介会", "3", date(2023, 12, 31), date(2023, 6, 30), "2", "on_track"),
        ("events", "招商推介会", "3", date(2023, 12, 31), date(2023, 12, 31), "3", "done"),
        ("events", "", "4", date(2023, 12, 31), date(2023, 6, 30), "3", "on_track"),
        ("events", "招商推介会", "3", date(2023, 12, 31), date(2024, 3, 1), "3", "done"),
        ("events", "招商推介会", "1", date(2023, 12, 31), date(2022, 12, 31), "0", "on_track"),
        ("signed_count", "", "5", date(2023, 12, 31), date(2023, 4, 30), "3", "on_track"),
        ("signed_count", "", "2", date(2023, 6, 30), date(2023, 6, 30), "2", "done"),
        ("signed_amount", "", "50000", date(2023, 6, 30), date(2023, 4, 30), "55500", "done"),
        ("signed_amount", "", "50000", date(2023, 6, 30), date(2023, 7, 1), "48500", "late"),
        ("landed_count", "", "5", date(2023, 6, 30), date(2023, 7, 1), "1", "late"),
        (
            "project_investment",
            "XM-1",
            "38000",
            date(2023, 12, 31),
            date(2023, 6, 30),
            "12000",
            "on_track",
        ),
        ("project_investment", "", "15000", date(2023, 12, 31), date(2023, 6, 30), "15000", "done"),
        ("project_investment", "", "15000", date(2023, 12, 31), date(2023, 2, 28), "0", "on_track"),
        (
            "projects_started",
            "XM-2、XM-3",
            None,
            date(2023, 3, 31),
            date(2023, 3, 31),
            "1",
            "on_track",
        ),
        ("projects_started", "XM-2、XM-3", None, date(2023, 3, 31), date(2023, 4, 1), "1", "late"),
        ("projects_started", "XM-2、XM-3", None, date(2023, 3, 31), date(2023, 4, 10), "2", "done"),
        ("projects_started", "", "2", date(2023, 6, 30), date(2023, 6, 30), "2", "done"),
        ("projects_producing", "XM-1", None, date(2023, 6, 30), date(2023, 6, 30), "1", "done"),
        (
            "projects_producing",
            "XM-1、XM-2",
            None,
            date(2023, 6, 30),
            date(2023, 7, 1),
            "1",
            "late",
        ),
        (
            "indicator",
            "工业总产值",
            "10000",
            date(2023, 12, 31),
            date(2023, 6, 30),
            "9000",
            "on_track",
        ),
        (
            "indicator",
            "工业总产值",
            "9000",
            date(2023, 12, 31),
            date(2023, 4, 30),
            "4000",
            "on_track",
        ),
        ("indicator", "工业总产值", "9000", date(2023, 12, 31), date(2023, 5, 31), "9000", "done"),
    ],
)
def test_each_measure_against_hand_computed_values(
    world, measure, subject, target, deadline, day, measured, status
):
    [line] = task_lines([task(measure, subject, target, deadline)], day)
    assert (line.measured, line.status) == (D(measured), TaskStatus(status))


def test_a_blank_target_of_project_starts_means_all_of_its_projects(world):
    [line] = task_lines(
        [task("projects_started", "XM-2、XM-3", deadline=date(2023, 3, 31))], date(2023, 4, 1)
    )
    assert line.target == 2
    assert line.reason == "截至2023年4月1日仅开工1个，目标2个"


def test_a_late_task_says_why_in_the_documents_units(world):
    [events, amount] = task_lines(
        [
            task("events", "招商推介会", "3", date(2023, 6, 30)),
            task("signed_amount", "", "50000", date(2023, 6, 30)),
        ],
        date(2023, 7, 1),
    )
    assert events.reason == "截至2023年7月1日仅2次，目标3次"
    assert amount.reason == "截至2023年7月1日仅4.85亿元，目标5亿元"


@pytest.mark.parametrize(
    ("day", "status"),
    [(date(2023, 4, 30), "on_track"), (date(2023, 5, 1), "done"), (date(2024, 1, 1), "done")],
)
def test_a_task_marked_done_by_hand_counts_from_its_day(world, day, status):
    [line] = task_lines([task("manual", done_on=date(2023, 5, 1), done_note="已进入A类")], day)
    assert line.status == TaskStatus(status)


def test_an_unmarked_manual_task_is_late_after_its_deadline(world):
    [line] = task_lines([task("manual", deadline=date(2023, 6, 30))], date(2023, 7, 1))
    assert line.status == TaskStatus.LATE
    assert line.reason == "截至2023年7月1日尚未确认完成"


def test_a_plan_is_measured_in_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    tasks = [
        task("events", "招商推介会", "3"),
        task("signed_count", "", "5"),
        task("signed_amount", "", "5"),
        task("landed_count", "", "5"),
        task("project_investment", "XM-1", "5"),
        task("projects_started", "XM-2、XM-3"),
        task("projects_producing", "XM-1"),
        task("indicator", "工业总产值", "5"),
        task("manual"),
    ]
    with django_assert_max_num_queries(14):
        task_lines(PlanTask.objects.filter(pk__in=[t.pk for t in tasks]), date(2023, 6, 30))


def test_the_forecast_counts_an_enterprise_new_this_year_and_one_without_january(park_a, park_b):
    """Park A's revenue: the old enterprise's 2025 was 30 by March of 100 for the year
    (a share of 0.3); in 2026 it reports 45 by March without a January, and an enterprise
    new this year 15. The forecast is (45 + 15) / 0.3 = 200, resting on 2025 alone."""
    from planning.selectors import forecast_lines

    revenue = indicator("revenue")
    old = EnterpriseFactory(park=park_a, in_statistics=True)
    new = EnterpriseFactory(park=park_a, in_statistics=True, established_on=date(2026, 1, 20))
    for enterprise, year, month, value in [
        (old, 2025, 3, "30"), (old, 2025, 12, "100"),
        (old, 2026, 2, "28"), (old, 2026, 3, "45"),  # no January in 2026
        (new, 2026, 3, "15"),
    ]:  # fmt: skip
        MonthlyValueFactory(
            enterprise=enterprise, indicator=revenue, year=year, month=month, value=D(value)
        )
    count_as_official()

    lines = forecast_lines(2026, 3, parks=[park_a.parent, park_a, park_b], indicators=[revenue])
    park_line = next(line for line in lines if line.code == park_a.code)

    assert park_line.current == D("60")
    assert park_line.computed.value == D("200")
    assert park_line.computed.years == (2025,)
    assert park_line.last_year == D("100")
