"""The plan's pure rules: a task's status, why it is late, and the full-year forecast."""

from datetime import date
from decimal import Decimal as D

import pytest

from planning.choices import TaskStatus
from planning.domain import difference, full_year_forecast, late_reason, task_status, year_share

DEADLINE = date(2023, 6, 30)


@pytest.mark.parametrize(
    ("measured", "target", "day", "status"),
    [
        (D("3"), D("3"), date(2023, 5, 1), TaskStatus.DONE),  # reached before the deadline
        (D("4"), D("3"), date(2023, 12, 1), TaskStatus.DONE),  # reached, deadline long past
        (D("2"), D("3"), date(2023, 6, 30), TaskStatus.ON_TRACK),  # the deadline's own day
        (D("2"), D("3"), date(2023, 7, 1), TaskStatus.LATE),  # a day past it
        (D("0"), D("3"), date(2023, 1, 1), TaskStatus.ON_TRACK),
        (None, D("3"), date(2023, 7, 1), TaskStatus.LATE),  # nothing measured yet
        (None, D("3"), date(2023, 3, 1), TaskStatus.ON_TRACK),
        (D("38000"), D("38000.0000"), date(2023, 12, 31), TaskStatus.DONE),
        (D("37999.9999"), D("38000"), date(2023, 12, 31), TaskStatus.LATE),
        (D("5"), None, date(2023, 7, 1), TaskStatus.LATE),  # no target: never reached
    ],
)
def test_task_status_table(measured, target, day, status):
    assert task_status(measured, target, DEADLINE, day) == status


def test_late_reason_says_the_day_what_was_done_and_the_target():
    assert late_reason(date(2023, 7, 1), "1次", "3次") == "截至2023年7月1日仅1次，目标3次"


@pytest.mark.parametrize(
    ("cumulatives", "month", "share"),
    [
        ({10: D("80"), 12: D("100")}, 10, D("0.8")),
        ({2: D("15"), 10: D("80"), 12: D("100")}, 2, D("0.15")),  # no January: 1-2月 as given
        ({10: D("80")}, 10, None),  # no December: not a full year
        ({12: D("100")}, 10, None),  # no 1-10月
        ({10: D("0"), 12: D("0")}, 10, None),  # a zero year has no share
    ],
)
def test_year_share_table(cumulatives, month, share):
    assert year_share(cumulatives, month) == share


HISTORY = {
    2019: {10: D("70"), 12: D("100")},  # 0.70 — a fourth year back: not used
    2020: {10: D("75"), 12: D("100")},  # 0.75
    2021: {10: D("80"), 12: D("100")},  # 0.80
    2022: {10: D("85"), 12: D("100")},  # 0.85
}


@pytest.mark.parametrize(
    ("current", "month", "history", "value", "years"),
    [
        # 0.80 average over 2022, 2021, 2020: 56 / 0.8 = 70
        (D("56"), 10, HISTORY, D("70.0000"), (2022, 2021, 2020)),
        # one full year only
        (D("85"), 10, {2022: {10: D("85"), 12: D("100")}}, D("100.0000"), (2022,)),
        # a previous year without December is skipped, the one before it is used
        (
            D("40"),
            10,
            {2022: {10: D("85")}, 2021: {10: D("80"), 12: D("100")}},
            D("50.0000"),
            (2021,),
        ),
        # this year's January missing: the 1-2月 cumulative is year-to-date all the same
        (D("30"), 2, {2022: {2: D("15"), 12: D("100")}}, D("200.0000"), (2022,)),
        # a year after the forecast's own is never used
        (
            D("56"),
            10,
            {2023: {10: D("1"), 12: D("1")}, 2022: {10: D("80"), 12: D("100")}},
            D("70.0000"),
            (2022,),
        ),
        # December: the year is known
        (D("123.4"), 12, {}, D("123.4"), ()),
    ],
)
def test_full_year_forecast_table(current, month, history, value, years):
    forecast = full_year_forecast(current, month, history, 2023)
    assert (forecast.value, forecast.years) == (value, years)


def test_a_park_without_a_full_previous_year_has_no_forecast_and_says_why():
    forecast = full_year_forecast(D("56"), 10, {2022: {10: D("50")}}, 2023)
    assert forecast.value is None
    assert "没有完整一年" in forecast.method


def test_no_figure_this_year_has_no_forecast():
    forecast = full_year_forecast(None, 10, HISTORY, 2023)
    assert forecast.value is None
    assert forecast.method == "2023年1-10月无数据，无法预计"


def test_the_method_names_the_years_and_the_average_share():
    forecast = full_year_forecast(D("56"), 10, HISTORY, 2023)
    assert (
        forecast.method == "本年累计 ÷ 前3年同期占全年比重的平均（2022年、2021年、2020年，80.00%）"
    )


@pytest.mark.parametrize(
    ("typed", "computed", "diff"),
    [(D("615000"), D("600000"), D("15000")), (None, D("1"), None), (D("1"), None, None)],
)
def test_difference_of_typed_and_computed_forecasts(typed, computed, diff):
    assert difference(typed, computed) == diff
