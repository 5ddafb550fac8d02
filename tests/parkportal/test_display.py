"""Numbers as people read them: 亿元 and 万元, percentages, 个百分点, a change across a loss
and "—" (parkportal.display)."""

from datetime import date
from decimal import Decimal as D

import pytest

from indicators.domain import Growth, Turn
from parkportal.display import (
    amount,
    area,
    cell,
    chart_amount,
    chart_unit,
    day,
    figure,
    growth,
    growth_phrase,
    in_unit,
    money,
    money_number,
    money_text,
    money_unit,
    percent,
    point_change_phrase,
    points,
    rate,
    wan,
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
    ("value", "text"),
    [
        (D("567559"), "56.7559亿元"),  # the summary's 1-10月 revenue
        (D("80500"), "8.05亿元"),  # no trailing zeros
        (D("56300"), "5.63亿元"),
        (D("182300"), "18.23亿元"),
        (D("10000"), "1亿元"),
        (D("9999.996"), "1亿元"),  # rounds to 10,000.00万元: 1亿元
        (D("9999.99"), "9,999.99万元"),  # under 1亿元: in 万元
        (D("4344"), "4,344万元"),  # a park's revenue, not 0.4344亿元
        (D("1565.7000"), "1,565.7万元"),
        (D("1879.126"), "1,879.13万元"),  # at most 2 decimals in 万元
        (D("0"), "0万元"),
        (D("-120.5"), "-120.5万元"),
        (D("-25000"), "-2.5亿元"),
        (D("123456789.12"), "12,345.6789亿元"),
        (None, "—"),
    ],
)
def test_a_sum_in_a_sentence_is_in_yi_from_one_yi_up_and_in_wan_below(value, text):
    assert money_text(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("4344"), "4,344"),
        (D("1565.70"), "1,565.7"),
        (D("1985.474"), "1,985.47"),
        (D("1879"), "1,879"),
        (D("-0.005"), "-0.01"),
        (None, "—"),
    ],
)
def test_wan_in_a_sentence_has_separators_and_no_trailing_zeros(value, text):
    assert wan(value) == text


@pytest.mark.parametrize(
    ("rate", "text"),
    [(D("35.92"), "35.92%"), (D("35.915"), "35.92%"), (D("-3.5"), "-3.50%"), (None, "—")],
)
def test_percent_has_two_decimals_and_a_dash_for_none(rate, text):
    assert percent(rate) == text


@pytest.mark.parametrize(
    ("value", "unit", "is_money", "text"),
    [
        (D("106000.1234"), "万元", True, "10.6亿元"),
        (D("4344"), "万元", True, "4,344万元"),
        (D("-120.5"), "万元", True, "-120.5万元"),
        (D("60"), "人", False, "60人"),
        (D("3856.4"), "人", False, "3856人"),  # whole, as the documents write it
        (None, "人", False, "—"),
        (None, "万元", True, "—"),
    ],
)
def test_an_indicators_total_is_written_in_yi_or_its_own_unit(value, unit, is_money, text):
    assert amount(value, unit, is_money=is_money) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("567559"), "56.7559"),
        (D("182300"), "18.23"),
        (D("4344"), "0.4344"),
        (D("1234567890"), "123,456.789"),
        (D("0"), "0"),
        (None, "—"),
    ],
)
def test_totals_in_yi_without_the_unit_have_no_trailing_zeros(value, text):
    assert yi(value) == text


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


@pytest.mark.parametrize(
    ("change", "shown", "cell", "phrase"),
    [
        (Growth(rate=D("35.92")), "+35.92%", "35.92", "增长35.92%"),
        (Growth(rate=D("-5")), "-5.00%", "-5.00", "下降5.00%"),
        (Growth(turn=Turn.TO_LOSS), "由盈转亏", "由盈转亏", "由盈转亏"),
        (Growth(turn=Turn.TO_PROFIT), "由亏转盈", "由亏转盈", "由亏转盈"),
        (Growth(turn=Turn.LOSS_NARROWED), "减亏", "减亏", "减亏"),
        (Growth(turn=Turn.LOSS_WIDENED), "增亏", "增亏", "增亏"),
        (Growth(), "—", "—", "上年同期无可比数据"),
    ],
)
def test_a_change_across_a_loss_is_written_as_its_word_never_a_percentage(
    change, shown, cell, phrase
):
    assert growth(change) == shown
    assert rate(change) == cell
    assert growth_phrase(change) == phrase


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (D("1149.1"), "万元", "1,149.10"),  # the decimals of a 万元 column line up
        (D("1985.47"), "万元", "1,985.47"),
        (D("0"), "万元", "0.00"),
        (D("5648"), "人", "5,648"),
        (None, "万元", "—"),
    ],
)
def test_an_indicators_figure_in_a_table_cell_is_written_in_its_units_form(value, unit, text):
    assert cell(value, unit) == text


@pytest.mark.parametrize(
    ("value", "number", "unit"),
    [
        (D("567559"), "56.7559", "亿元"),
        (D("4344"), "4,344", "万元"),
        (D("9999.996"), "1", "亿元"),
        (None, "—", ""),
    ],
)
def test_a_sums_number_and_unit_apart_make_its_sentence_form(value, number, unit):
    assert (money_number(value), money_unit(value)) == (number, unit)
    assert money_text(value) == (number + unit if value is not None else "—")


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (D("9000.1234"), "万元", "9,000.12"),
        (D("40000"), "万元", "40,000"),
        (D("5648"), "人", "5,648"),
        (None, "人", "—"),
    ],
)
def test_an_indicators_figure_on_a_card_is_written_in_its_own_unit(value, unit, text):
    assert in_unit(value, unit) == text
