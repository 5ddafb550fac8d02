from decimal import Decimal as D

import pytest

from indicators.domain import (
    PeriodValue,
    comparable_growth,
    completion_rate,
    growth_rate,
    month_own_value,
    own_values,
    percentage_point_change,
    stock_period_value,
    time_progress,
    two_year_average_growth,
)
from parkportal.display import point_change_phrase

FULL_YEAR_START = {1: D("10"), 2: D("25"), 3: D("45.5")}
NO_JANUARY = {2: D("30"), 3: D("48"), 4: D("70")}


@pytest.mark.parametrize(
    ("cumulative", "month", "own"),
    [
        (FULL_YEAR_START, 1, D("10")),  # January's own value is its cumulative
        (FULL_YEAR_START, 2, D("15")),
        (FULL_YEAR_START, 3, D("20.5")),
        (NO_JANUARY, 2, None),  # February alone is unknown: only 1-2月 is
        (NO_JANUARY, 1, None),
        (NO_JANUARY, 3, D("18")),
        (NO_JANUARY, 4, D("22")),
        ({1: D("5"), 3: D("9")}, 3, None),  # a gap hides March's own value
        ({1: D("-5"), 2: D("-8")}, 2, D("-3")),  # a loss that grows
        ({}, 6, None),
    ],
)
def test_month_own_value_from_cumulative_figures(cumulative, month, own):
    assert month_own_value(cumulative, month) == own


def test_january_own_value_equals_its_cumulative():
    assert own_values({1: D("12.5")}) == [PeriodValue(1, 1, D("12.5"))]


def test_missing_january_makes_the_first_figure_cover_1_to_2():
    periods = own_values(NO_JANUARY)
    assert periods == [
        PeriodValue(1, 2, D("30")),
        PeriodValue(3, 3, D("18")),
        PeriodValue(4, 4, D("22")),
    ]
    assert [period.label for period in periods] == ["1-2月", "3月", "4月"]
    # the own values add back up to the year-to-date figure
    assert sum(period.value for period in periods) == NO_JANUARY[4]


def test_a_gap_inside_the_year_becomes_one_span():
    assert own_values({1: D("5"), 2: D("7"), 5: D("20")})[-1] == PeriodValue(3, 5, D("13"))


def test_own_values_reject_a_month_outside_the_year():
    with pytest.raises(ValueError):
        own_values({13: D("1")})


@pytest.mark.parametrize(
    ("by_month", "month", "value"),
    [
        ({1: D("120"), 2: D("130"), 3: D("128")}, 3, D("128")),  # latest, not a sum
        ({1: D("120"), 2: D("130")}, 5, D("130")),
        ({4: D("50")}, 3, None),
    ],
)
def test_stock_value_of_a_period_is_its_latest_month(by_month, month, value):
    assert stock_period_value(by_month, month) == value


@pytest.mark.parametrize(
    ("current", "base", "rate"),
    [
        (D("567559"), D("417567.6"), D("35.92")),
        (D("110"), D("100"), D("10.00")),
        (D("90"), D("100"), D("-10.00")),
        (D("100"), D("300"), D("-66.67")),
        (D("1"), D("3"), D("-66.67")),
        (D("100.005"), D("100"), D("0.01")),  # 0.005 rounds up
        (D("100"), D("0"), None),  # no base: no growth, never 0 or an error
        (D("100"), None, None),
        (None, D("100"), None),
        (D("50"), D("-20"), None),  # a loss last year: no meaningful growth
        (D("0"), D("100"), D("-100.00")),
    ],
)
def test_growth_rate_table(current, base, rate):
    assert growth_rate(current, base) == rate


def test_comparable_growth_leaves_out_enterprises_new_this_year():
    current = {"old": D("120"), "new": D("500")}
    base = {"old": D("100")}
    growth = comparable_growth(current, base)
    assert (growth.current, growth.base, growth.members, growth.rate) == (
        D("120"),
        D("100"),
        1,
        D("20.00"),
    )


def test_comparable_growth_leaves_out_enterprises_that_stopped_reporting():
    current = {"a": D("80"), "b": None}
    base = {"a": D("100"), "b": D("1000"), "c": D("50")}
    growth = comparable_growth(current, base)
    assert (growth.current, growth.base, growth.rate) == (D("80"), D("100"), D("-20.00"))


def test_comparable_growth_without_common_enterprises_has_no_rate():
    growth = comparable_growth({"a": D("10")}, {"b": D("10")})
    assert growth.rate is None
    assert growth.members == 0


def test_comparable_growth_with_a_zero_base_has_no_rate():
    assert comparable_growth({"a": D("10")}, {"a": D("0")}).rate is None


@pytest.mark.parametrize(
    ("current", "previous", "change", "text"),
    [
        (D("35.92"), D("35.12"), D("0.80"), "加快0.8个百分点"),
        (D("10.00"), D("11.25"), D("-1.25"), "回落1.25个百分点"),
        (D("8.00"), D("8.00"), D("0.00"), "持平"),
        (D("8.00"), D("3.00"), D("5.00"), "加快5个百分点"),
        (None, D("3.00"), None, ""),
    ],
)
def test_change_between_growth_rates_is_in_percentage_points(current, previous, change, text):
    assert percentage_point_change(current, previous) == change
    assert point_change_phrase(change) == text


@pytest.mark.parametrize(
    ("current", "two_years_ago", "rate"),
    [
        (D("121"), D("100"), D("10.00")),  # √1.21 = 1.1
        (D("100"), D("100"), D("0.00")),
        (D("81"), D("100"), D("-10.00")),
        (D("150"), D("100"), D("22.47")),  # √1.5 = 1.224744…
        (D("100"), D("0"), None),
        (None, D("100"), None),
    ],
)
def test_two_year_average_growth_is_the_geometric_mean(current, two_years_ago, rate):
    assert two_year_average_growth(current, two_years_ago) == rate


@pytest.mark.parametrize(
    ("month", "progress"),
    [(1, D("8.33")), (6, D("50.00")), (10, D("83.33")), (11, D("91.67")), (12, D("100.00"))],
)
def test_time_progress_after_month_n_is_n_twelfths(month, progress):
    assert time_progress(month) == progress


@pytest.mark.parametrize("month", [0, 13])
def test_time_progress_rejects_a_month_outside_the_year(month):
    with pytest.raises(ValueError):
        time_progress(month)


@pytest.mark.parametrize(
    ("ytd", "target", "rate"),
    [
        (D("567559"), D("646000"), D("87.86")),
        (D("50"), D("40"), D("125.00")),
        (D("50"), D("0"), None),
        (D("50"), None, None),
        (None, D("40"), None),
    ],
)
def test_completion_rate_against_the_annual_target(ytd, target, rate):
    assert completion_rate(ytd, target) == rate
