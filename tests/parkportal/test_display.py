"""Numbers as people read them: 亿元, percentages, 个百分点 and "—" (parkportal.display)."""

from datetime import date
from decimal import Decimal as D

import pytest

from parkportal.display import (
    amount,
    area,
    chart_amount,
    chart_unit,
    day,
    figure,
    format_yi,
    growth,
    growth_phrase,
    money,
    percent,
    point_change_phrase,
    points,
    rate,
    wan_to_yi,
    whole,
    yi,
)


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
def test_percent_has_two_decimals_and_a_dash_for_none(rate, text):
    assert percent(rate) == text


@pytest.mark.parametrize(
    ("value", "unit", "is_money", "text"),
    [
        (D("106000.1234"), "万元", True, "10.6000亿元"),
        (D("-120.5"), "万元", True, "-0.0121亿元"),  # half away from zero
        (D("60"), "人", False, "60人"),
        (D("3856.4"), "人", False, "3856人"),  # whole, as the documents write it
        (None, "人", False, "—"),
        (None, "万元", True, "—"),
    ],
)
def test_an_indicators_total_is_written_in_yi_or_its_own_unit(value, unit, is_money, text):
    assert amount(value, unit, is_money=is_money) == text


def test_totals_in_yi_without_the_unit():
    assert yi(D("567559")) == "56.7559"
    assert yi(None) == "—"


@pytest.mark.parametrize(
    ("value", "is_money", "shown", "unit"),
    [(D("106000.1234"), True, D("10.6000"), "亿元"), (D("60"), False, D("60"), "人")],
)
def test_charts_show_money_in_yi_and_the_rest_as_stored(value, is_money, shown, unit):
    assert chart_amount(value, is_money=is_money) == shown
    assert chart_amount(None, is_money=is_money) is None
    assert chart_unit("人" if not is_money else "万元", is_money=is_money) == unit


@pytest.mark.parametrize(
    ("write", "value", "text"),
    [
        (money, D("106000.1234"), "106,000.12"),
        (money, D("-120.5"), "-120.50"),
        (money, None, "—"),
        (whole, 3, "3"),
        (whole, D("1599.5"), "1,600"),
        (whole, None, "—"),
        (figure, D("1200.5000"), "1,200.5"),
        (figure, D("40000"), "40,000"),
        (figure, None, "—"),
        (rate, D("20.725"), "20.73"),
        (rate, None, "—"),
        (growth, D("35.92"), "+35.92%"),
        (growth, D("-3.1"), "-3.10%"),
        (growth, D("0"), "0.00%"),
        (growth, None, "—"),
        (area, D("130"), "130亩"),
        (area, D("12.50"), "12.5亩"),
        (day, date(2026, 3, 31), "2026-03-31"),
        (day, None, "—"),
    ],
)
def test_each_kind_of_number_has_one_written_form(write, value, text):
    assert write(value) == text


@pytest.mark.parametrize(
    ("rate_", "phrase"),
    [
        (D("35.92"), "增长35.92%"),
        (D("-5.00"), "下降5.00%"),
        (D("0.00"), "与上年同期持平"),
        (None, "上年同期无可比数据"),
    ],
)
def test_growth_as_the_documents_say_it(rate_, phrase):
    assert growth_phrase(rate_) == phrase


@pytest.mark.parametrize(
    ("change", "shown", "trimmed", "phrase"),
    [
        (D("0.80"), "0.80个百分点", "0.8个百分点", "加快0.8个百分点"),
        (D("-1.25"), "1.25个百分点", "1.25个百分点", "回落1.25个百分点"),
        (D("3.8"), "3.80个百分点", "3.8个百分点", "加快3.8个百分点"),
        (D("0"), "0.00个百分点", "0个百分点", "持平"),
        (None, "—", "—", ""),
    ],
)
def test_a_change_of_growth_is_in_percentage_points(change, shown, trimmed, phrase):
    assert points(change) == shown
    assert points(change, trimmed=True) == trimmed
    assert point_change_phrase(change) == phrase
