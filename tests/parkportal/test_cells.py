import datetime
from decimal import Decimal as D

import pytest
from django.core.validators import DecimalValidator

from investment.choices import Channel
from parkportal.cells import (
    CellError,
    choice_lookup,
    display,
    is_blank,
    parse_bool_label,
    parse_choice,
    parse_choice_with,
    parse_credit_code,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    safe_text_for_export,
)
from parkportal.choices import EnterpriseStatus

# ---------------------------------------------------------------- is_blank


@pytest.mark.parametrize(
    "raw", [None, "", " ", "   ", "\u3000", "\xa0", " \u3000\xa0\t\n", "\u200b", "\ufeff "]
)
def test_empty_and_space_only_cells_are_blank(raw):
    assert is_blank(raw)


@pytest.mark.parametrize("raw", ["0", 0, 0.0, D("0"), False, "-", "a", " 是 "])
def test_zero_and_text_are_not_blank(raw):
    assert not is_blank(raw)


# ---------------------------------------------------------------- parse_decimal


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.5", D("1234.5")),
        ("  56.7559 ", D("56.7559")),
        ("\u30001234\xa0", D("1234")),
        ("1,234.5", D("1234.5")),
        ("1,234,567.8901", D("1234567.8901")),
        ("１２３４．５", D("1234.5")),
        ("１，２３４", D("1234")),
        ("１２３，４５６．７", D("123456.7")),
        ("－５", D("-5")),
        ("＋５", D("5")),
        ("+12.5", D("12.5")),
        ("-1,234.50", D("-1234.50")),
        ("－１２３．４５", D("-123.45")),
        ("12。5", D("12.5")),  # the full stop a Chinese input method types
        ("\u22125", D("-5")),  # U+2212 minus sign
        (".5", D("0.5")),
        ("5.", D("5")),
        ("0", D("0")),
        ("-0", D("0")),
        ("007", D("7")),
        ("1.23450", D("1.2345")),  # trailing zeros are not extra decimals
        ("1E3", D("1000")),
        ("999999999999.9999", D("999999999999.9999")),  # 16 digits: the limit
        ("-999999999999.9999", D("-999999999999.9999")),
        ("000999999999999.9999", D("999999999999.9999")),
        (0, D("0")),
        (42, D("42")),
        (-5, D("-5")),
        (999_999_999_999, D("999999999999")),
        (1234.5, D("1234.5")),
        (0.1, D("0.1")),
        (101.0, D("101")),
        (-0.25, D("-0.25")),
        (0.1 + 0.2, D("0.3")),  # Excel's float noise: 0.30000000000000004
        (100 / 3, D("33.3333")),  # a formula's result is rounded to the column's places
        (2 / 3, D("0.6667")),
        (1.23456, D("1.2346")),
        (-0.2999999999999972, D("-0.3")),  # noise a subtraction leaves
        (1e-5, D("0")),
        (1.1 * 3, D("3.3")),  # 3.3000000000000003
        (sum([0.1] * 10), D("1")),  # 0.9999999999999999
        (-(0.1 + 0.2), D("-0.3")),
        (999999999999.9999, D("999999999999.9999")),
        (1e11, D("100000000000")),
        (D("12.5"), D("12.5")),
        (D("1.50000"), D("1.5")),
        (D("1E+2"), D("100")),
    ],
)
def test_decimal_is_read(raw, expected):
    value = parse_decimal(raw)
    assert value == expected
    assert isinstance(value, D)
    DecimalValidator(16, 4)(value)  # what MoneyField will accept


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\xa0"])
def test_blank_decimal_is_none_not_zero(raw):
    assert parse_decimal(raw) is None


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("一百", "不是数字"),
        ("一百", "阿拉伯数字"),
        ("壹万", "不是数字"),
        ("12%", "不能带百分号"),
        ("１２％", "不能带百分号"),
        ("12%", "请填写数值"),
        ("1e40", "数值过大"),
        ("1000000000000", "数值过大"),  # 13 integer digits
        ("1,000,000,000,000", "数值过大"),
        ("9999999999999999", "整数部分最多12位"),
        ("1.23456", "小数位数超过4位"),
        ("0.30000000000000004", "小数位数超过4位"),  # typed text is taken as typed
        ("NaN", "不是有效的数值"),
        ("inf", "不是有效的数值"),
        ("-Infinity", "不是有效的数值"),
        ("1,23", "千分位分隔符位置不对"),
        ("1,234,5", "千分位分隔符位置不对"),
        ("12,34.5", "千分位分隔符位置不对"),
        ("１，２３", "千分位分隔符位置不对"),
        ("--5", "“--5”不是数字"),
        ("5-", "“5-”不是数字"),
        ("+-5", "不是数字"),
        ("1.2.3", "不是数字"),
        (".", "不是数字"),
        ("+", "不是数字"),
        ("1 234", "不是数字"),
        ("abc", "“abc”不是数字"),
        ("100万元", "请去掉单位"),
        ("100万元", "“万元”"),
        ("100 元", "请去掉单位"),
        ("５０亩", "请去掉单位"),
        ("¥100", "请去掉单位"),
        ("约100", "请去掉单位"),
        ("#DIV/0!", "Excel错误值"),
        ("#N/A", "Excel错误值"),
        (True, "逻辑值"),
        (False, "逻辑值"),
        (float("nan"), "不是有效的数值"),
        (float("inf"), "不是有效的数值"),
        (1e40, "数值过大"),
        (1e12, "数值过大"),
        (10**12, "数值过大"),
        (D("NaN"), "不是有效的数值"),
        (D("1000000000000"), "数值过大"),
        (D("0.00001"), "小数位数超过4位"),
        (datetime.date(2022, 3, 1), "不是数字"),
    ],
)
def test_bad_decimal_is_refused(raw, message_part):
    with pytest.raises(CellError) as caught:
        parse_decimal(raw)
    assert message_part in caught.value.message
    assert str(caught.value) == caught.value.message


def test_error_message_shows_the_value_as_typed():
    with pytest.raises(CellError, match="“１２％”"):
        parse_decimal(" １２％ ")


@pytest.mark.parametrize("raw", ["-5", "－５", -5, -0.5, D("-1"), "-1,234.50"])
def test_negative_is_refused_when_not_allowed(raw):
    with pytest.raises(CellError, match="不能为负数"):
        parse_decimal(raw, allow_negative=False)


@pytest.mark.parametrize("raw", ["0", "-0", 0, 5, "5"])
def test_zero_and_positive_pass_when_negative_is_not_allowed(raw):
    assert parse_decimal(raw, allow_negative=False) >= 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("9999999999.99", D("9999999999.99")), ("1.20", D("1.2")), (0.1 + 0.2, D("0.3"))],
)
def test_decimal_fits_a_narrower_field(raw, expected):
    assert parse_decimal(raw, max_digits=12, decimal_places=2) == expected


@pytest.mark.parametrize(
    ("raw", "decimal_places", "message_part"),
    [
        ("1.234", 2, "小数位数超过2位"),
        ("10000000000", 2, "整数部分最多10位"),
        ("1.5", 0, "应为整数"),
        (1.5, 0, "应为整数"),
    ],
)
def test_decimal_places_follow_the_field(raw, decimal_places, message_part):
    with pytest.raises(CellError, match=message_part):
        parse_decimal(raw, max_digits=12, decimal_places=decimal_places)


# ---------------------------------------------------------------- parse_int


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (3, 3),
        ("3", 3),
        (" 3 ", 3),
        ("3.0", 3),
        ("3.00", 3),
        (3.0, 3),
        ("１２", 12),
        ("１，２３４", 1234),
        ("1,234", 1234),
        ("+7", 7),
        ("-7", -7),
        ("－７", -7),
        (2.9999999999999996, 3),  # float noise
        (D("3.0"), 3),
        ("0", 0),
        (2022, 2022),
        (2022.0, 2022),
    ],
)
def test_int_is_read(raw, expected):
    value = parse_int(raw)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize("raw", [None, "", " ", "\u3000"])
def test_blank_int_is_none(raw):
    assert parse_int(raw) is None


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        (3.5, "应为整数"),
        ("3.5", "应为整数"),
        ("3.50", "应为整数"),
        (D("3.5"), "应为整数"),
        ("三", "不是数字"),
        ("12%", "不能带百分号"),
        ("5个", "请去掉单位"),
        ("1,23", "千分位分隔符位置不对"),
        (True, "逻辑值"),
        (float("nan"), "不是有效的数值"),
    ],
)
def test_bad_int_is_refused(raw, message_part):
    with pytest.raises(CellError, match=message_part):
        parse_int(raw)


@pytest.mark.parametrize(("raw", "expected"), [(1, 1), ("12", 12), (6.0, 6)])
def test_month_within_range_is_read(raw, expected):
    assert parse_int(raw, minimum=1, maximum=12, label="月份") == expected


@pytest.mark.parametrize(
    ("raw", "kwargs", "message"),
    [
        (13, {"minimum": 1, "maximum": 12, "label": "月份"}, "月份应为1至12，“13”不在范围内"),
        ("0", {"minimum": 1, "maximum": 12, "label": "月份"}, "月份应为1至12，“0”不在范围内"),
        (1999, {"minimum": 2000, "label": "年份"}, "年份应不小于2000，“1999”不在范围内"),
        (-1, {"maximum": -2}, "数值应不大于-2，“-1”不在范围内"),
    ],
)
def test_int_out_of_range_names_the_range(raw, kwargs, message):
    with pytest.raises(CellError) as caught:
        parse_int(raw, **kwargs)
    assert caught.value.message == message


# ---------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-03-01", datetime.date(2022, 3, 1)),
        ("2022/3/1", datetime.date(2022, 3, 1)),
        ("2022.3.1", datetime.date(2022, 3, 1)),
        ("2022年3月1日", datetime.date(2022, 3, 1)),
        ("2022年03月01日", datetime.date(2022, 3, 1)),
        ("2022 年 3 月 1 日", datetime.date(2022, 3, 1)),
        ("2022年3月1号", datetime.date(2022, 3, 1)),
        ("２０２２年３月１日", datetime.date(2022, 3, 1)),
        ("２０２２－０３－０１", datetime.date(2022, 3, 1)),
        ("  2022-03-01\u3000", datetime.date(2022, 3, 1)),
        ("20220301", datetime.date(2022, 3, 1)),
        ("2022-03-01 10:30:00", datetime.date(2022, 3, 1)),
        ("2022-03-01T10:30", datetime.date(2022, 3, 1)),
        ("2024-02-29", datetime.date(2024, 2, 29)),
        (datetime.date(2022, 3, 1), datetime.date(2022, 3, 1)),
        (datetime.datetime(2022, 3, 1, 17, 45), datetime.date(2022, 3, 1)),
        (44621, datetime.date(2022, 3, 1)),  # Excel serial, 1900 date system
        (44621.0, datetime.date(2022, 3, 1)),
        (44621.75, datetime.date(2022, 3, 1)),  # the time of day is dropped
        (D("44621"), datetime.date(2022, 3, 1)),
        (1, datetime.date(1900, 1, 1)),
        (59, datetime.date(1900, 2, 28)),
        (61, datetime.date(1900, 3, 1)),  # Excel counts a 29 February 1900 that never was
        (20220301, datetime.date(2022, 3, 1)),  # yyyymmdd typed into a number cell
        (20220301.0, datetime.date(2022, 3, 1)),
    ],
)
def test_date_is_read(raw, expected):
    assert parse_date(raw) == expected
    assert type(parse_date(raw)) is datetime.date


@pytest.mark.parametrize("raw", [None, "", "  ", "\u3000"])
def test_blank_date_is_none(raw):
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("2022-02-30", "日期不存在：2022年2月30日"),
        ("2023年2月29日", "日期不存在：2023年2月29日"),
        ("2022-13-01", "日期不存在：2022年13月1日"),
        ("20221301", "日期不存在"),
        ("2022-04-31", "日期不存在：2022年4月31日"),
        ("0022-03-01", "年份22不合理"),
        ("hello", "无法识别的日期“hello”，请使用 2022-03-01 或 2022年3月1日 的格式"),
        ("22-3-1", "无法识别的日期"),
        ("3月1日", "无法识别的日期"),
        ("2022-03", "无法识别的日期"),
        ("44621", "无法识别的日期"),
        (0, "不是有效的Excel日期序号"),
        (0.5, "不是有效的Excel日期序号"),
        (-1, "不是有效的Excel日期序号"),
        (2958466, "不是有效的Excel日期序号"),
        (2958465, "不合理"),  # 9999-12-31 is an Excel date but no date of this portal
        (60, "日期不存在：1900年2月29日"),
        (float("nan"), "不是日期"),
        (True, "逻辑值"),
        (datetime.time(10, 30), "只有时间，没有日期"),
        (datetime.timedelta(hours=3), "只有时间，没有日期"),
    ],
)
def test_bad_date_is_refused(raw, message_part):
    with pytest.raises(CellError) as caught:
        parse_date(raw)
    assert message_part in caught.value.message


# ---------------------------------------------------------------- choices


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("委托招商", Channel.AGENCY),
        (" 委托招商\u3000", Channel.AGENCY),
        ("资源+招商", Channel.RESOURCE_PLUS),
        ("资源＋招商", Channel.RESOURCE_PLUS),
        ("资源 + 招商", Channel.RESOURCE_PLUS),
        ("第三方代理", Channel.THIRD_PARTY),
    ],
)
def test_choice_is_read_by_its_label(raw, expected):
    assert parse_choice(raw, Channel) == expected


@pytest.mark.parametrize("raw", [None, "", "\u3000"])
def test_blank_choice_is_none(raw):
    assert parse_choice(raw, Channel) is None


def test_unknown_choice_lists_the_labels():
    with pytest.raises(CellError) as caught:
        parse_choice("停业", EnterpriseStatus)
    assert caught.value.message == "“停业”不在可选项中，可选：在营、停产、注销"


def test_stored_value_is_not_a_label():
    with pytest.raises(CellError, match="不在可选项中"):
        parse_choice("agency", Channel)


def test_choices_may_be_pairs():
    pairs = [("target", "目标"), ("forecast", "预计")]
    assert parse_choice("预计", pairs) == "forecast"
    with pytest.raises(CellError, match="可选：目标、预计"):
        parse_choice("计划", pairs)


def test_a_column_precomputes_its_lookup():
    lookup = choice_lookup(Channel)
    assert parse_choice_with(lookup, "以商招商") == Channel.REFERRAL
    assert parse_choice_with(lookup, "") is None
    assert parse_choice(" 以商招商 ", lookup) == Channel.REFERRAL
    assert lookup.labels == tuple(Channel.labels)


def test_labels_that_read_the_same_are_a_programming_error():
    with pytest.raises(ValueError, match="share the label"):
        choice_lookup([("a", "资源+招商"), ("b", "资源＋招商")])


# ---------------------------------------------------------------- parse_bool_label


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("是", True), ("否", False), (" 是\u3000", True), (True, True), (False, False)],
)
def test_yes_no_label_is_read(raw, expected):
    assert parse_bool_label(raw) is expected


@pytest.mark.parametrize("raw", [None, "", " "])
def test_blank_yes_no_is_none(raw):
    assert parse_bool_label(raw) is None


@pytest.mark.parametrize("raw", ["Y", "N", "√", "×", "1", 1, 0, "对", "是的"])
def test_other_yes_no_spellings_are_refused(raw):
    with pytest.raises(CellError, match="应填写“是”或“否”"):
        parse_bool_label(raw)


# ---------------------------------------------------------------- parse_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("长古城工业园", "长古城工业园"),
        ("\u3000 长古城工业园\xa0 ", "长古城工业园"),
        ("张三  李四", "张三  李四"),  # inner spaces are kept
        ("（有限公司）", "（有限公司）"),  # full-width text is kept as typed
        ("A1\nB2", "A1\nB2"),
        (101, "101"),
        (101.0, "101"),  # a park code read as a number
        (12.5, "12.5"),
        (0.1 + 0.2, "0.3"),
        (D("101"), "101"),
        ("'=1+2", "=1+2"),  # the apostrophe safe_text_for_export adds
        ("'-5", "-5"),
        ("'abc", "'abc"),  # an apostrophe of the person's own stays
        (None, ""),
        ("", ""),
        ("   ", ""),
    ],
)
def test_text_is_read(raw, expected):
    assert parse_text(raw, max_length=20) == expected


def test_text_at_the_limit_is_read():
    assert parse_text("一" * 10, max_length=10) == "一" * 10


def test_too_long_text_is_refused():
    with pytest.raises(CellError) as caught:
        parse_text(" " + "一" * 11 + " ", max_length=10)
    assert "超过10个字符" in caught.value.message


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        (datetime.date(2022, 1, 1), "是日期或时间，不是文字"),
        (datetime.datetime(2022, 1, 1, 8, 0), "是日期或时间，不是文字"),
        (True, "逻辑值"),
        (float("inf"), "不是有效的数值"),
    ],
)
def test_non_text_values_are_refused_as_text(raw, message_part):
    with pytest.raises(CellError, match=message_part):
        parse_text(raw, max_length=20)


def test_exported_text_imports_back():
    for text in ["=1+2", "+86 138", "-5", "@SUM(A1)", "正常文本"]:
        assert parse_text(safe_text_for_export(text), max_length=20) == text


# ---------------------------------------------------------------- parse_credit_code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9144030071526726XG", "9144030071526726XG"),
        (" 9144030071526726xg ", "9144030071526726XG"),
        ("９１４４０３００７１５２６７２６ＸＧ", "9144030071526726XG"),
        ("\u300091330100799655058B", "91330100799655058B"),
    ],
)
def test_credit_code_is_read(raw, expected):
    assert parse_credit_code(raw) == expected


@pytest.mark.parametrize("raw", [None, "", " "])
def test_blank_credit_code_is_none(raw):
    assert parse_credit_code(raw) is None


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("9144030071526726XH", "校验位错误：第18位应为“G”"),
        ("9144030071526726X", "应为18位"),
        ("9144030071526726IG", "不允许的字符：I"),
        (914403007152672, "应为18位"),
    ],
)
def test_bad_credit_code_is_refused_with_the_standard_message(raw, message_part):
    with pytest.raises(CellError, match=message_part):
        parse_credit_code(raw)


# ---------------------------------------------------------------- safe_text_for_export


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+86", "'+86"),
        ("-5", "'-5"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
    ],
)
def test_formula_like_text_is_escaped(value, expected):
    assert safe_text_for_export(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        5,
        -5,
        D("-5"),
        D("1234.5"),
        -1.5,
        "正常文本",
        "a=b",
        "",
        None,
        True,
        datetime.date(2022, 3, 1),
    ],
)
def test_numbers_and_plain_text_are_unchanged(value):
    assert safe_text_for_export(value) is value


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (None, ""),
        ("  ", ""),
        (" 河北甲食品 ", "河北甲食品"),
        (1.0, "1"),
        (-9.600000000000001, "-9.6"),  # as Excel shows it
        (120, "120"),
        (datetime.datetime(2024, 1, 2), "2024-01-02"),
        (datetime.date(2024, 1, 3), "2024-01-03"),
        ("长" * 150, "长" * 100),
    ],
)
def test_display_shows_a_cell_as_the_preview_does(raw, shown):
    assert display(raw) == shown
