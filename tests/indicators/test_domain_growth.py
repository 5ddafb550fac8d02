"""Growth of a figure that may be a loss (利润总额): a rate, or the documents' word for a
turn across a loss, never a percentage of a loss (indicators.domain.growth_of)."""

from decimal import Decimal as D

import pytest

from indicators.domain import (
    WARNING,
    ComparableGrowth,
    Growth,
    Turn,
    comparable_growth,
    figure_checks,
    growth_of,
    growth_rate,
)


@pytest.mark.parametrize(
    ("current", "base", "change"),
    [
        (D("120"), D("100"), Growth(rate=D("20.00"))),
        (D("0"), D("100"), Growth(rate=D("-100.00"))),  # profit to nothing: -100%, no turn
        (D("-146.23"), D("100"), Growth(turn=Turn.TO_LOSS)),  # was "-246.23%"
        (D("-0.01"), D("5000"), Growth(turn=Turn.TO_LOSS)),
        (D("50"), D("-20"), Growth(turn=Turn.TO_PROFIT)),
        (D("-5"), D("-20"), Growth(turn=Turn.LOSS_NARROWED)),
        (D("0"), D("-20"), Growth(turn=Turn.LOSS_NARROWED)),  # the loss is gone, no profit
        (D("-30"), D("-20"), Growth(turn=Turn.LOSS_WIDENED)),
        (D("-20"), D("-20"), Growth(rate=D("0.00"))),  # the same loss: 持平
        (D("-20"), D("0"), Growth()),  # no base
        (D("20"), D("0"), Growth()),
        (None, D("-20"), Growth()),
        (D("-20"), None, Growth()),
    ],
)
def test_growth_across_a_loss_is_a_turn_not_a_rate(current, base, change):
    assert growth_of(current, base) == change


@pytest.mark.parametrize(
    ("current", "base"),
    [(D("-146.23"), D("100")), (D("50"), D("-20")), (D("-5"), D("-20"))],
)
def test_growth_rate_has_no_percentage_across_a_loss(current, base):
    assert growth_rate(current, base) is None


@pytest.mark.parametrize(
    ("current", "base", "change"),
    [
        ({"a": D("-50"), "b": D("20")}, {"a": D("40"), "b": D("30")}, Growth(turn=Turn.TO_LOSS)),
        ({"a": D("120")}, {"a": D("100")}, Growth(rate=D("20.00"))),
        ({"a": D("-10")}, {"b": D("-20")}, Growth()),  # nothing comparable
    ],
)
def test_comparable_growth_writes_its_change_on_the_comparable_sums(current, base, change):
    assert comparable_growth(current, base).change == change


def test_a_comparable_growth_without_members_has_no_change():
    assert ComparableGrowth(D("0"), D("0"), 0, None).change == Growth()


@pytest.mark.parametrize(
    ("value", "last_year", "messages"),
    [
        (D("-50"), D("100"), ["比上年同期由盈转亏"]),  # was "下降150.00%"
        (D("30"), D("-20"), ["比上年同期由亏转盈"]),  # had no warning at all
        (D("-30"), D("-20"), []),  # a larger loss: no rate, no turn of sign
        (D("-10"), D("-20"), []),
        (D("160"), D("100"), ["比上年同期增长60.00%，超过±50%"]),
        (D("120"), D("100"), []),
    ],
)
def test_a_profit_that_changes_sign_against_last_year_warns_on_entry(value, last_year, messages):
    checks = figure_checks(
        value=value,
        month=3,
        is_flow=True,
        must_not_fall=False,
        earlier=None,
        later=None,
        last_year=last_year,
        average=None,
        reported_last_month=False,
    )

    assert [check.message for check in checks] == messages
    assert all(check.level == WARNING for check in checks)
