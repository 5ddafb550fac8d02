from decimal import Decimal as D

import pytest

from parkportal.domain import round_half_up, shares


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(D("0.125"), D("0.13")), (D("-0.125"), D("-0.13")), (D("2.675"), D("2.68"))],
)
def test_rounding_is_half_away_from_zero(value, rounded):
    assert round_half_up(value) == rounded


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        # section 二.五 of the year-end summary: government and social capital
        ([D("59917"), D("30942")], [D("65.95"), D("34.05")]),
        ([D("1"), D("1"), D("1")], [D("33.34"), D("33.33"), D("33.33")]),
        ([D("2"), D("1")], [D("66.67"), D("33.33")]),
        ([D("1"), D("1"), D("1"), D("1"), D("1"), D("1")], [D("16.67")] * 4 + [D("16.66")] * 2),
        ([D("100"), D("0")], [D("100.00"), D("0.00")]),
        ([D("0.0001"), D("99999.9999")], [D("0.00"), D("100.00")]),
        ([D("5")], [D("100.00")]),
    ],
)
def test_shares_have_two_decimals_and_add_up_to_exactly_100(parts, expected):
    result = shares(parts)
    assert result == expected
    assert sum(result) == D("100.00")


def test_shares_of_a_zero_total_do_not_exist():
    assert shares([D("0"), D("0")]) == [None, None]
    assert shares([]) == []


def test_shares_refuse_negative_parts():
    with pytest.raises(ValueError):
        shares([D("10"), D("-1")])
