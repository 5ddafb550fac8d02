from datetime import date
from decimal import Decimal as D

import pytest

from projects.choices import Light, YearStatus
from projects.domain import (
    LightThresholds,
    OverdueMilestone,
    add_months,
    funding_gap,
    project_light,
    schedule_lag,
    schedule_target,
    year_status,
)


@pytest.mark.parametrize(
    ("start_date", "year", "status"),
    [
        (date(2022, 7, 1), 2022, YearStatus.NEW),  # 科创园: started July 2022
        (date(2022, 1, 1), 2022, YearStatus.NEW),
        (date(2022, 12, 31), 2022, YearStatus.NEW),
        (date(2021, 12, 31), 2022, YearStatus.CONTINUING),
        (date(2020, 5, 1), 2022, YearStatus.CONTINUING),
        (date(2023, 1, 1), 2022, None),  # not started in the report year
        (None, 2022, None),
    ],
)
def test_new_or_continuing_follows_the_start_date_and_report_year(start_date, year, status):
    assert year_status(start_date, year) == status


def test_the_same_project_is_new_one_year_and_continuing_the_next():
    started = date(2025, 4, 15)
    assert [year_status(started, y) for y in (2024, 2025, 2026)] == [
        None,
        YearStatus.NEW,
        YearStatus.CONTINUING,
    ]


# ---------------------------------------------------------------- 序时进度, 资金缺口, lights

TODAY = date(2026, 7, 15)


@pytest.mark.parametrize(
    ("planned", "month", "target"),
    [
        (D("24000"), 6, D("12000.0000")),  # half the year: half the plan
        (D("24000"), 12, D("24000.0000")),
        (D("1000"), 1, D("83.3333")),  # 1000 / 12
        (D("1000"), 5, D("416.6667")),  # 5000 / 12 = 416.666…, rounded half up
        (D("0"), 9, D("0.0000")),
        (None, 9, None),
    ],
)
def test_schedule_target_is_the_plan_times_time_progress(planned, month, target):
    assert schedule_target(planned, month) == target


@pytest.mark.parametrize(
    ("planned", "completed", "month", "lag"),
    [
        (D("24000"), D("12000"), 6, D("0.00")),  # 50.00 − 50.00
        (D("24000"), D("9000"), 6, D("12.50")),  # 50.00 − 37.50
        (D("24000"), D("3000"), 6, D("37.50")),  # 50.00 − 12.50
        (D("24000"), D("20000"), 6, D("-33.33")),  # 50.00 − 83.33: ahead
        (D("3000"), None, 3, D("25.00")),  # no report yet: nothing done
        (D("0"), D("100"), 6, None),  # no plan to be behind
        (None, D("100"), 6, None),
    ],
)
def test_schedule_lag_is_in_percentage_points(planned, completed, month, lag):
    assert schedule_lag(planned, completed, month) == lag


@pytest.mark.parametrize(
    ("budget", "bonds", "other", "social", "gap"),
    [
        (D("178000"), D("56300"), D("23800"), D("12000"), D("85900")),
        (D("44500"), D("30000"), None, None, D("14500")),
        (D("10000"), D("8000"), D("3000"), D("500"), D("0")),  # more than enough: no gap
        (D("10000"), None, None, None, D("10000")),
        (None, D("100"), D("0"), D("0"), None),  # no budget: no gap figure
    ],
)
def test_funding_gap_is_the_budget_less_what_is_secured_never_below_zero(
    budget, bonds, other, social, gap
):
    assert funding_gap(budget, bonds, other, social) == gap


def light(**given):
    facts = {
        "today": TODAY,
        "overdue": None,
        "planned_start": None,
        "started_on": date(2025, 3, 1),
        "planned": None,
        "completed": None,
        "month": 6,
    }
    return project_light(**(facts | given))


@pytest.mark.parametrize(
    ("facts", "expected", "reason"),
    [
        ({}, Light.GREEN, ""),
        # milestones: overdue → yellow; more than 90 days → red
        ({"overdue": OverdueMilestone("施工许可", date(2026, 7, 14))}, Light.YELLOW, "逾期1天"),
        ({"overdue": OverdueMilestone("施工许可", date(2026, 4, 16))}, Light.YELLOW, "逾期90天"),
        ({"overdue": OverdueMilestone("施工许可", date(2026, 4, 15))}, Light.RED, "逾期91天"),
        ({"overdue": OverdueMilestone("环评", date(2026, 7, 15))}, Light.GREEN, ""),  # due today
        ({"overdue": OverdueMilestone("环评", date(2026, 1, 1), 3)}, Light.RED, "共3个节点逾期"),
        # investment behind 序时进度 (plan 24000, 1-6月 → 12000): 10–30 points yellow, >30 red
        ({"planned": D("24000"), "completed": D("9700")}, Light.GREEN, ""),  # 50 − 40.42 = 9.58
        ({"planned": D("24000"), "completed": D("9600")}, Light.YELLOW, "落后序时进度10.00个"),
        ({"planned": D("24000"), "completed": D("4800")}, Light.YELLOW, "落后序时进度30.00个"),
        ({"planned": D("24000"), "completed": D("4700")}, Light.RED, "落后序时进度30.42个"),
        ({"planned": D("24000"), "completed": None}, Light.RED, "落后序时进度50.00个"),
        ({"planned": D("24000"), "completed": D("1"), "month": None}, Light.GREEN, ""),
        # planned start missed: yellow; by more than 3 months: red
        (
            {"started_on": None, "planned_start": date(2026, 7, 1)},
            Light.YELLOW,
            "计划2026-07-01开工，至今未开工",
        ),
        ({"started_on": None, "planned_start": date(2026, 4, 15)}, Light.YELLOW, "未开工"),
        ({"started_on": None, "planned_start": date(2026, 4, 14)}, Light.RED, "超过3个月"),
        ({"started_on": None, "planned_start": date(2026, 8, 1)}, Light.GREEN, ""),
        ({"started_on": date(2026, 7, 2), "planned_start": date(2026, 1, 1)}, Light.GREEN, ""),
    ],
)
def test_a_project_light_follows_its_rules(facts, expected, reason):
    verdict = light(**facts)
    assert verdict.light == expected
    assert reason in "；".join(verdict.reasons)
    assert bool(verdict.reasons) == (expected != Light.GREEN)


def test_the_worst_rule_gives_the_light_and_every_reason_is_listed():
    verdict = light(
        overdue=OverdueMilestone("立项", date(2026, 7, 1)),
        planned=D("24000"),
        completed=D("1000"),
    )
    assert verdict.light == Light.RED
    assert len(verdict.reasons) == 2


def test_thresholds_come_from_what_is_given():
    strict = LightThresholds(milestone_red_days=5)
    assert (
        light(overdue=OverdueMilestone("立项", date(2026, 7, 1)), thresholds=strict).light
        == Light.RED
    )


@pytest.mark.parametrize(
    ("day", "months", "moved"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 4, 14), 3, date(2026, 7, 14)),
    ],
)
def test_add_months_keeps_the_day_or_the_months_last(day, months, moved):
    assert add_months(day, months) == moved
