from decimal import Decimal as D

import pytest

from parkportal.domain import format_percent, format_yi, round_half_up, shares, wan_to_yi


@pytest.mark.parametrize(
    ("wan", "yi"),
    [
        (D("567559"), D("56.7559")),  # the summary's 1-10月 revenue
        (D("32061"), D("3.2061")),
        (D("205017"), D("20.5017")),
        (D("0.5"), D("0.0001")),  # half a cent of 亿 rounds up
        (D("0.49"), D("0.0000")),
        (D("-12345.67"), D("-1.2346")),
        (D("0"), D("0.0000")),
    ],
)
def test_wan_converts_to_yi_with_four_decimals(wan, yi):
    assert wan_to_yi(wan) == yi
    assert str(wan_to_yi(wan)) == str(yi)


@pytest.mark.parametrize(
    ("wan", "text"),
    [(D("567559"), "56.7559亿元"), (D("80500"), "8.0500亿元"), (None, "—")],
)
def test_format_yi_writes_the_documents_style(wan, text):
    assert format_yi(wan) == text


@pytest.mark.parametrize(
    ("rate", "text"),
    [(D("35.92"), "35.92%"), (D("35.915"), "35.92%"), (D("-3.5"), "-3.50%"), (None, "—")],
)
def test_format_percent_has_two_decimals_and_a_dash_for_none(rate, text):
    assert format_percent(rate) == text


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
