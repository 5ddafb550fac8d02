"""The monthly entry's checks of one figure, as tables of Decimal literals."""

from decimal import Decimal as D

import pytest

from indicators.domain import ERROR, WARNING, average_month, figure_checks

REVENUE = {"is_flow": True, "must_not_fall": True}
PROFIT = {"is_flow": True, "must_not_fall": False}  # may fall: a loss this month
EMPLOYEES = {"is_flow": False, "must_not_fall": False}


def checks(value, month=3, *, kind=REVENUE, earlier=None, later=None, last_year=None,
           average=None, reported_last_month=False, entering=False):  # fmt: skip
    return [
        (check.level, check.message)
        for check in figure_checks(
            value=value,
            month=month,
            earlier=earlier,
            later=later,
            last_year=last_year,
            average=average,
            reported_last_month=reported_last_month,
            entering=entering,
            **kind,
        )
    ]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        # nothing unusual
        ({"value": D("300"), "earlier": (2, D("200")), "last_year": D("280")}, []),
        # a blank cell is "not reported", unless last month was
        ({"value": None}, []),
        (
            {"value": None, "reported_last_month": True},
            [(WARNING, "上月有数据，本月未填写")],
        ),
        # while the month is being filled in, a blank cell is only not filled in yet
        ({"value": None, "reported_last_month": True, "entering": True}, []),
        ({"value": None, "entering": True}, []),
        # entering or not, a figure is checked the same
        (
            {"value": D("151"), "earlier": (2, D("100")), "last_year": D("100"), "entering": True},
            [(WARNING, "比上年同期增长51.00%，超过±50%")],
        ),
        (
            {"value": D("190"), "earlier": (2, D("200")), "entering": True},
            [(ERROR, "本年累计数190小于2月的累计数200，不能减少")],
        ),
        # the cumulative must not fall below an earlier month's, nor rise above a later one's
        (
            {"value": D("190"), "earlier": (2, D("200"))},
            [(ERROR, "本年累计数190小于2月的累计数200，不能减少")],
        ),
        (
            {"value": D("500"), "earlier": (2, D("200")), "later": (4, D("450"))},
            [(ERROR, "本年累计数500大于4月已填的累计数450")],
        ),
        # January starts the year again: no earlier month to compare with
        ({"value": D("10"), "month": 1}, []),
        # a profit may fall (a loss)
        ({"value": D("-5"), "kind": PROFIT, "earlier": (2, D("20"))}, []),
        # growth beyond ±50% against the same month of last year
        (
            {"value": D("151"), "earlier": (2, D("100")), "last_year": D("100")},
            [(WARNING, "比上年同期增长51.00%，超过±50%")],
        ),
        ({"value": D("150"), "earlier": (2, D("100")), "last_year": D("100")}, []),
        (
            {"value": D("49"), "earlier": (2, D("40")), "last_year": D("100")},
            [(WARNING, "比上年同期下降51.00%，超过±50%")],
        ),
        # no base, no growth: a new enterprise is not warned about
        ({"value": D("49"), "last_year": D("0")}, []),
        # the month's own value against three times the average month
        (
            {"value": D("161"), "earlier": (2, D("100")), "average": D("20")},
            [(WARNING, "本月值61超过该企业月均值20.00的3倍")],
        ),
        ({"value": D("160"), "earlier": (2, D("100")), "average": D("20")}, []),
        # without last month's figure the own value is unknown: no spike warning
        ({"value": D("161"), "earlier": (1, D("100")), "average": D("20")}, []),
        # January's own value is its cumulative
        (
            {"value": D("70"), "month": 1, "average": D("20")},
            [(WARNING, "本月值70超过该企业月均值20.00的3倍")],
        ),
        # a stock (employees) is its own figure each month: it may fall, no spike check
        (
            {"value": D("40"), "kind": EMPLOYEES, "earlier": (2, D("120")), "average": D("1")},
            [],
        ),
    ],
)
def test_figure_checks(arguments, expected):
    assert checks(**arguments) == expected


@pytest.mark.parametrize(
    ("last_year_total", "earlier", "average"),
    [
        (D("1200"), (2, D("500")), D("100")),  # last year's total over 12 months first
        (None, (4, D("500")), D("125")),  # otherwise this year's months so far
        (D("0"), (4, D("500")), D("125")),
        (None, None, None),
        (None, (3, D("0")), None),
    ],
)
def test_average_month(last_year_total, earlier, average):
    assert average_month(last_year_total, earlier) == average
