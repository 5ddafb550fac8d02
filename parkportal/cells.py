"""Turn one spreadsheet cell, as a reader gives it, into a clean Python value.

A reader (python-calamine, openpyxl) hands over str, int, float, bool, Decimal,
datetime.date/datetime/time/timedelta, "" or None. Each ``parse_*`` function
returns the clean value, None for a blank cell ("not given", never zero), or
raises :class:`CellError` whose Chinese message says what is wrong with the
value; the caller adds the sheet, row and column.

The functions are pure (no ORM, no request) and fast: they back import-export
widgets and a column-wise path over sheets of 60,000 rows: the common cells
(plain ASCII text, a float) are read with str methods alone; the rest goes
through one ``str.translate`` table and precompiled regexes.

Decisions on ambiguous input
----------------------------
- Full-width characters are read as their half-width twins (１２３４．５, －５,
  ＋, ，); so are U+2212 (−) and the ideographic full stop 。 typed by a Chinese
  input method in place of a decimal point. ``parse_text`` keeps text as written.
- A comma (either "," or "，") is only a thousands separator, and only where the
  grouping is valid ("1,234.5"); "1,23" is an error, never 1.23 or 123.
- Text must not carry more decimals than the column allows: "1.23456" in a
  4-decimal column is an error, never silently rounded. Trailing zeros do not
  count ("1.23450" is 1.2345).
- A float from the reader is taken at its shortest repr (0.1 stays 0.1). Excel
  keeps 15 significant digits, so when the repr has more decimals than allowed
  the float is read again at 15 significant digits, which removes binary noise
  such as 0.1+0.2 = 0.30000000000000004 → 0.3. If it still has too many
  decimals (a formula such as =100/3, or noise left by a subtraction) it is
  rounded half-up to the column's places, as Excel shows it: a number cell's
  digits beyond them are not something a person typed.
- Booleans are not numbers, dates or text; they are only read by
  ``parse_bool_label``.
- Dates are accepted from 1900 to 2100; a number in a date column is an Excel
  serial date (1900 date system) or, with eight digits, a yyyymmdd date.
"""

import datetime
import math
import numbers
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from parkportal.credit_code import normalize as normalize_credit_code
from parkportal.credit_code import problem as credit_code_problem

__all__ = [
    "CellError",
    "ChoiceLookup",
    "choice_lookup",
    "is_blank",
    "is_blank_mark",
    "parse_bool_label",
    "parse_choice",
    "parse_choice_with",
    "parse_credit_code",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_text",
    "safe_text_for_export",
    "totals_label",
]


class CellError(ValueError):
    """A cell whose value cannot be read; ``message`` says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Every character Python counts as whitespace (NBSP, U+3000 …) plus the invisible
# zero-width ones that come along when text is pasted from web pages.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + _ZERO_WIDTH
SPACES = _SPACES  # for str.strip: what a blank cell may hold

_half_width: dict[int, int | str | None] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_half_width.update(
    {
        0x3000: " ",  # ideographic space
        0x00A0: " ",  # no-break space
        0x2212: "-",  # minus sign
        0xFE63: "-",  # small hyphen-minus
        0x3002: ".",  # 。 typed for a decimal point by a Chinese input method
    }
)
_half_width.update(dict.fromkeys(map(ord, _ZERO_WIDTH)))
_TO_HALF_WIDTH = str.maketrans(_half_width)

_GROUPED_NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+)(?:\.(\d*))?", re.ASCII)
_SCIENTIFIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+", re.ASCII)
_DIGITS_AND_COMMAS = re.compile(r"[+-]?[\d,]*\d[\d,]*(?:\.\d*)?", re.ASCII)
_UNIT_AFTER = re.compile(r"[+-]?[\d,]*\d[\d,]*(?:\.\d*)?\s*([^\W\d_].*)")
_UNIT_BEFORE = re.compile(r"([^\d\s+\-.,][^\d]*?)\s*[+-]?[\d,]*\d[\d,]*(?:\.\d*)?")
_EXCEL_ERROR = re.compile(r"#(?:DIV/0!|N/A|NAME\?|NULL!|NUM!|REF!|VALUE!|SPILL!|CALC!)")
_NOT_FINITE = frozenset(
    sign + word for sign in ("", "+", "-") for word in ("nan", "inf", "infinity", "snan")
)
_CHINESE_NUMERALS = frozenset("〇零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟")

_TIME_SUFFIX = r"(?:(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_SEPARATED = re.compile(
    r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})" + _TIME_SUFFIX, re.ASCII
)
_DATE_CHINESE = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?" + _TIME_SUFFIX, re.ASCII
)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)

_MIN_YEAR, _MAX_YEAR = 1900, 2100
_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 61 and above count from here
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
_EXCEL_FAKE_LEAP_DAY = 60  # Excel's 1900-02-29, a day that never was

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BOOL_LABELS = {"是": True, "否": False}


def is_blank(raw: object) -> bool:
    """Return whether the cell is empty: None, "" or only (full-width, no-break) spaces."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip(_SPACES)
    return False


# What clerks write for "no figure": a dash, a slash, 无 (none) or 空 (empty), in either
# width. Such a cell is blank, like an empty one (docs/workbook.md).
BLANK_MARKS = frozenset({"—", "——", "–", "-", "--", "－", "/", "／", "无", "空"})
# The first text of a totals row: it is skipped and checked, never imported.
TOTALS_LABELS = frozenset({"合计", "小计", "总计"})


def is_blank_mark(raw: object) -> bool:
    """Return whether the cell holds only a clerk's "no figure" mark: —, -, /, 无 or 空."""
    return raw.__class__ is str and len(raw) < 16 and raw.strip(_SPACES) in BLANK_MARKS


def totals_label(raw: object) -> str | None:
    """Return 合计, 小计 or 总计 if the cell says so ("合  计" too), else None."""
    if raw.__class__ is not str or "计" not in raw:
        return None
    text = "".join(raw.split()).rstrip(":：")
    return text if text in TOTALS_LABELS else None


# ---------------------------------------------------------------- numbers


def parse_decimal(
    raw: object,
    *,
    max_digits: int = 16,
    decimal_places: int = 4,
    allow_negative: bool = True,
) -> Decimal | None:
    """Return the cell as a Decimal that fits ``max_digits``/``decimal_places``, or None if blank.

    The defaults are those of MoneyField (万元). See the module docstring for how
    floats, commas and surplus decimals are treated.
    """
    # The two common cells, plain ASCII text and a short float, are read inline with
    # str methods only: this function runs once per cell of 60,000-row sheets.
    kind = type(raw)
    if kind is str:
        text = raw.strip()
        if not text:
            return None
        if text.isascii():
            integer, _, fraction = (text[1:] if text[0] in "+-" else text).partition(".")
            if not (
                (integer.isdigit() or (not integer and fraction))
                and (fraction.isdigit() or not fraction)
            ):
                # ASCII text is never blank here, so this returns parts or raises.
                text, integer, fraction = _unusual_number_parts(raw, text)
        else:
            parts = _unusual_number_parts(raw, text)
            if parts is None:
                return None
            text, integer, fraction = parts
    elif kind is float:
        if raw.is_integer() and abs(raw) < 10 ** (max_digits - decimal_places):
            if raw < 0 and not allow_negative:
                raise CellError(f"不能为负数：“{_shown(raw)}”")
            return Decimal(int(raw))
        text = repr(raw)
        integer, _, fraction = text.partition(".")
        if not fraction or "e" in fraction or len(fraction) > decimal_places:
            text, integer, fraction = _float_parts(raw, decimal_places)
        elif text[0] == "-":
            integer = integer[1:]
    elif kind is int:
        return _int_within(raw, max_digits, decimal_places, allow_negative)
    else:
        parts = _other_number_parts(raw, decimal_places)
        if parts is None:
            return None
        text, integer, fraction = parts
    if len(fraction) > decimal_places:
        fraction = fraction.rstrip("0")
        if len(fraction) > decimal_places:
            raise CellError(_too_many_decimals(raw, decimal_places))
        text = f"{text[0] if text[0] in '+-' else ''}{integer or '0'}.{fraction}"
    if len(integer) > max_digits - decimal_places:
        integer = integer.lstrip("0")
        if len(integer) > max_digits - decimal_places:
            raise CellError(_too_large(raw, max_digits - decimal_places))
    value = Decimal(text)
    if text[0] == "-":
        if not value:
            return abs(value)
        if not allow_negative:
            raise CellError(f"不能为负数：“{_shown(raw)}”")
    return value


def parse_int(
    raw: object,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    label: str = "数值",
) -> int | None:
    """Return the cell as an int within ``minimum``..``maximum``, or None if blank.

    "3", "3.0", 3.0 and "１，２３４" are read; 3.5 is an error. ``label`` names the
    value in the range message, e.g. ``parse_int(raw, minimum=1, maximum=12,
    label="月份")`` gives "月份应为1至12，“13”不在范围内".
    """
    kind = type(raw)
    if kind is int:
        value = raw
    else:
        if kind is str:
            parts = _number_parts(raw)
        elif kind is float:
            parts = _float_parts(raw, 0)
        else:
            parts = _other_number_parts(raw, 0)
        if parts is None:
            return None
        text, integer, fraction = parts
        if fraction.rstrip("0"):
            raise CellError(f"应为整数：“{_shown(raw)}”")
        value = int(integer or "0")
        if text[0] == "-":
            value = -value
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise CellError(_out_of_range(label, value, minimum, maximum))
    return value


def _out_of_range(label: str, value: int, minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        expected = f"应为{minimum}至{maximum}"
    elif minimum is not None:
        expected = f"应不小于{minimum}"
    else:
        expected = f"应不大于{maximum}"
    return f"{label}{expected}，“{value}”不在范围内"


def _number_parts(raw: str) -> tuple[str, str, str] | None:
    """Return (Decimal-ready text, integer digits, fraction digits) of a number typed as text."""
    text = raw.strip()
    if not text:
        return None
    if text.isascii():
        parts = _plain_parts(text)
        if parts is not None:
            return parts
    return _unusual_number_parts(raw, text)


def _plain_parts(text: str) -> tuple[str, str, str] | None:
    """Return the parts of ASCII text such as "-1234.5", or None if it is not that plain.

    str methods instead of a regex: this is the hot path (parse_decimal inlines it).
    """
    integer, _, fraction = (text[1:] if text[0] in "+-" else text).partition(".")
    if (integer.isdigit() or (not integer and fraction)) and (fraction.isdigit() or not fraction):
        return text, integer, fraction
    return None


def _unusual_number_parts(raw: str, text: str) -> tuple[str, str, str] | None:
    """Read full-width, grouped or scientific numbers, or raise the message that fits."""
    if not text.isascii():
        text = text.translate(_TO_HALF_WIDTH).strip()
        if not text:
            return None  # only zero-width characters
        if text.isascii():
            parts = _plain_parts(text)
            if parts is not None:
                return parts
    if "," in text:
        match = _GROUPED_NUMBER.fullmatch(text)
        if match is not None:
            sign, integer, fraction = match.groups()
            integer = integer.replace(",", "")
            return f"{sign}{integer}.{fraction or ''}", integer, fraction or ""
    shown = raw.strip(_SPACES)
    if _SCIENTIFIC.fullmatch(text):
        return _decimal_parts(Decimal(text), shown)
    if _EXCEL_ERROR.fullmatch(text.upper()):
        raise CellError(f"单元格是Excel错误值“{shown}”，请检查公式")
    if text.lower() in _NOT_FINITE:
        raise CellError(f"“{shown}”不是有效的数值")
    if text.endswith(("%", "‰")):
        raise CellError(f"“{shown}”不能带百分号，请填写数值")
    if _DIGITS_AND_COMMAS.fullmatch(text):
        raise CellError(f"“{shown}”的千分位分隔符位置不对，应每三位一个逗号，如 1,234.5")
    unit = _UNIT_AFTER.fullmatch(text) or _UNIT_BEFORE.fullmatch(text)
    if unit is not None:
        raise CellError(f"“{shown}”请去掉单位或文字“{unit.group(1).strip()}”，只填写数值")
    if not any("0" <= ch <= "9" for ch in text) and any(ch in _CHINESE_NUMERALS for ch in text):
        raise CellError(f"“{shown}”不是数字，请用阿拉伯数字填写，如 100")
    raise CellError(f"“{shown}”不是数字")


def _float_parts(raw: float, decimal_places: int) -> tuple[str, str, str]:
    """Return the parts of a float from the reader, without Excel's binary noise."""
    text = repr(raw)
    if "." not in text or "e" in text:  # nan, inf, 1e+20, 1.5e-05
        if not math.isfinite(raw):
            raise CellError(f"“{raw}”不是有效的数值")
        return _decimal_parts(Decimal(text), text, decimal_places=decimal_places, noise_of=raw)
    integer, _, fraction = text.partition(".")
    if len(fraction) > decimal_places and len(fraction.rstrip("0")) > decimal_places:
        return _excel_precision_parts(raw, text, integer, fraction, decimal_places)
    return text, integer.lstrip("-"), fraction


def _excel_precision_parts(
    raw: float, text: str, integer: str, fraction: str, decimal_places: int
) -> tuple[str, str, str]:
    """Return the float at Excel's 15 significant digits when that many decimals fit."""
    rounded = format(Decimal(f"{raw:.15g}"), "f")
    whole, _, decimals = rounded.partition(".")
    decimals = decimals.rstrip("0")
    if len(decimals) > decimal_places:
        if decimal_places == 0:  # a whole number was asked for: 3.5 is an error, not 4
            return text, integer.lstrip("-"), fraction
        rounded = format(
            Decimal(rounded).quantize(Decimal(1).scaleb(-decimal_places), ROUND_HALF_UP), "f"
        )
        whole, _, decimals = rounded.partition(".")
        decimals = decimals.rstrip("0")
    return f"{whole}.{decimals}", whole.lstrip("-"), decimals


def _decimal_parts(
    value: Decimal, shown: str, *, decimal_places: int = 0, noise_of: float | None = None
) -> tuple[str, str, str]:
    """Return the parts of a finite Decimal, refusing ones too far from a sane magnitude."""
    if not value:
        return "0", "0", ""
    if value.adjusted() > 40:
        raise CellError(f"数值过大：“{shown}”")
    if value.adjusted() < -40:
        raise CellError(f"“{shown}”太小，小数位数过多")
    text = format(value, "f")
    integer, _, fraction = text.partition(".")
    if noise_of is not None and len(fraction.rstrip("0")) > decimal_places:
        return _excel_precision_parts(noise_of, text, integer, fraction, decimal_places)
    return text, integer.lstrip("-"), fraction


def _other_number_parts(raw: object, decimal_places: int) -> tuple[str, str, str] | None:
    """Return the parts of a cell that is not exactly str, int or float, or None if blank.

    Subclasses and numpy scalars (registered with ``numbers``) land here too.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise CellError(f"“{'TRUE' if raw else 'FALSE'}”是逻辑值，不是数字")
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise CellError(f"“{raw}”不是有效的数值")
        return _decimal_parts(raw, str(raw))
    if isinstance(raw, str):
        return _number_parts(raw)
    if isinstance(raw, numbers.Integral):
        return _decimal_parts(Decimal(int(raw)), str(raw))
    if isinstance(raw, numbers.Real):
        return _float_parts(float(raw), decimal_places)
    raise CellError(f"“{raw}”不是数字")


def _int_within(raw: int, max_digits: int, decimal_places: int, allow_negative: bool) -> Decimal:
    if raw < 0 and not allow_negative:
        raise CellError(f"不能为负数：“{raw}”")
    if abs(raw) >= 10 ** (max_digits - decimal_places):
        raise CellError(_too_large(raw, max_digits - decimal_places))
    return Decimal(raw)


def _too_large(raw: object, integer_digits: int) -> str:
    return f"数值过大：“{_shown(raw)}”，整数部分最多{integer_digits}位"


def _too_many_decimals(raw: object, decimal_places: int) -> str:
    if decimal_places == 0:
        return f"应为整数：“{_shown(raw)}”"
    return f"小数位数超过{decimal_places}位：“{_shown(raw)}”，请在表格中保留{decimal_places}位小数"


def _shown(raw: object) -> str:
    """Return the cell as the person sees it, for a message."""
    if isinstance(raw, str):
        return raw.strip(_SPACES)
    if isinstance(raw, float):
        text = repr(raw)
        return text[:-2] if text.endswith(".0") else text
    return str(raw)


def display(raw: object) -> str:
    """Return a cell as a short text for a preview of the sheet."""
    if is_blank(raw):
        return ""
    if isinstance(raw, datetime.datetime) and raw.time() == datetime.time():
        return raw.date().isoformat()
    if isinstance(raw, datetime.date | datetime.time):
        return raw.isoformat()
    try:
        return _text_of(raw)[:100]  # numbers as Excel shows them: 15 significant digits
    except CellError:
        return _shown(raw)[:100]


# ---------------------------------------------------------------- dates


def parse_date(raw: object) -> datetime.date | None:
    """Return the cell as a date, or None if blank.

    Reads Excel dates (a datetime loses its time), Excel serial numbers (1900
    date system; 44621 is 2022-03-01), yyyymmdd numbers, and text such as
    2022-03-01, 2022/3/1, 2022.3.1, 20220301 and 2022年3月1日.
    """
    if isinstance(raw, datetime.datetime):
        return _within_years(raw.date(), raw)
    if isinstance(raw, datetime.date):
        return _within_years(raw, raw)
    if raw is None:
        return None
    if isinstance(raw, str):
        return _date_from_text(raw)
    if isinstance(raw, bool):
        raise CellError(f"“{'TRUE' if raw else 'FALSE'}”是逻辑值，不是日期")
    if isinstance(raw, int | float | Decimal):
        return _date_from_number(raw)
    if isinstance(raw, datetime.time | datetime.timedelta):
        raise CellError(f"“{raw}”只有时间，没有日期")
    raise CellError(f"“{raw}”不是日期")


def _date_from_text(raw: str) -> datetime.date | None:
    text = raw.strip(_SPACES)
    if not text:
        return None
    if not text.isascii():
        text = text.translate(_TO_HALF_WIDTH).strip()
    match = (
        _DATE_SEPARATED.fullmatch(text)
        or _DATE_COMPACT.fullmatch(text)
        or _DATE_CHINESE.fullmatch(text)
    )
    if match is None:
        raise CellError(f"无法识别的日期“{text}”，请使用 2022-03-01 或 2022年3月1日 的格式")
    year, month, day = map(int, match.groups())
    return _make_date(year, month, day, text)


def _date_from_number(raw: float | int | Decimal) -> datetime.date:
    if isinstance(raw, float) and not math.isfinite(raw):
        raise CellError(f"“{raw}”不是日期")
    serial = math.floor(raw)
    if 10_000_000 <= serial <= 99_999_999 and serial == raw:
        year, rest = divmod(serial, 10_000)
        return _make_date(year, *divmod(rest, 100), str(serial))
    if not 1 <= serial <= _EXCEL_MAX_SERIAL:
        raise CellError(f"“{_shown(raw)}”不是有效的Excel日期序号")
    if serial == _EXCEL_FAKE_LEAP_DAY:
        raise CellError("日期不存在：1900年2月29日")
    if serial < _EXCEL_FAKE_LEAP_DAY:
        serial += 1
    return _within_years(_EXCEL_EPOCH + datetime.timedelta(days=serial), raw)


def _make_date(year: int, month: int, day: int, shown: str) -> datetime.date:
    try:
        value = datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"日期不存在：{year}年{month}月{day}日") from None
    return _within_years(value, shown)


def _within_years(value: datetime.date, raw: object) -> datetime.date:
    if not _MIN_YEAR <= value.year <= _MAX_YEAR:
        raise CellError(
            f"日期“{_shown(raw)}”的年份{value.year}不合理，应在{_MIN_YEAR}至{_MAX_YEAR}之间"
        )
    return value


# ---------------------------------------------------------------- choices


@dataclass(frozen=True, slots=True)
class ChoiceLookup:
    """The labels of one choice column, precomputed: normalised label → stored value."""

    values: dict[str, str]
    labels: tuple[str, ...]


def choice_lookup(choices: object) -> ChoiceLookup:
    """Return the lookup of a TextChoices class or an iterable of (value, label) pairs."""
    pairs: Iterable = getattr(choices, "choices", choices)
    values: dict[str, str] = {}
    labels: list[str] = []
    for value, label in pairs:
        if isinstance(label, list | tuple):  # an option group
            for inner_value, inner_label in label:
                _add_choice(values, labels, inner_value, inner_label)
        else:
            _add_choice(values, labels, value, label)
    return ChoiceLookup(values=values, labels=tuple(labels))


def _add_choice(values: dict[str, str], labels: list[str], value: object, label: object) -> None:
    if value is None or value == "":
        return  # the blank option; a blank cell already means "not given"
    label = str(label)
    key = _choice_key(label)
    if key in values:
        raise ValueError(f"two choices share the label {label!r}")
    values[key] = value
    labels.append(label)


def _choice_key(text: str) -> str:
    return "".join(text.translate(_TO_HALF_WIDTH).split()).casefold()


def parse_choice_with(lookup: ChoiceLookup, raw: object) -> str | None:
    """Return the stored value whose Chinese label the cell holds, or None if blank."""
    if is_blank(raw):
        return None
    shown = _text_of(raw)
    value = lookup.values.get(_choice_key(shown))
    if value is None:
        raise CellError(f"“{shown}”不在可选项中，可选：{'、'.join(lookup.labels)}")
    return value


def parse_choice(raw: object, choices: object) -> str | None:
    """Return the stored value of the label in the cell, or None if blank.

    Only labels are read (users type what they see), compared without spaces and
    with full-width characters as half-width: "资源＋招商" matches "资源+招商".
    For a column, build ``choice_lookup(choices)`` once and call
    ``parse_choice_with``; TextChoices classes are cached here anyway.
    """
    if isinstance(choices, ChoiceLookup):
        lookup = choices
    elif isinstance(choices, type):
        lookup = _cached_lookup(choices)
    else:
        lookup = choice_lookup(choices)
    return parse_choice_with(lookup, raw)


@lru_cache(maxsize=128)
def _cached_lookup(choices: type) -> ChoiceLookup:
    return choice_lookup(choices)


def parse_bool_label(raw: object) -> bool | None:
    """Return True for 是, False for 否, None if blank.

    Only 是/否 are read, as the template and the export write them; Y/N, √/× and
    1/0 are errors, so that a column never means something the portal guessed.
    A TRUE/FALSE cell (Excel's own boolean) is read as it is.
    """
    if isinstance(raw, bool):
        return raw
    if is_blank(raw):
        return None
    shown = _text_of(raw)
    value = _BOOL_LABELS.get(shown)
    if value is None:
        raise CellError(f"“{shown}”应填写“是”或“否”")
    return value


# ---------------------------------------------------------------- text


def parse_text(raw: object, *, max_length: int) -> str:
    """Return the cell as text without surrounding spaces; "" if blank.

    A number that is really a code comes back as its digits (101.0 → "101").
    Full-width characters are kept as typed. A leading apostrophe that
    ``safe_text_for_export`` added is removed, so an export imports back.
    """
    if raw is None:
        return ""
    text = _text_of(raw)
    if text[:1] == "'" and text[1:2] in _FORMULA_STARTS:
        text = text[1:]
    if len(text) > max_length:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise CellError(f"“{shown}”超过{max_length}个字符（共{len(text)}个）")
    return text


def _text_of(raw: object) -> str:
    """Return the cell's text: stripped str, or a number written as Excel shows it."""
    if isinstance(raw, str):
        return raw.strip(_SPACES)
    if isinstance(raw, bool):
        raise CellError(f"“{'TRUE' if raw else 'FALSE'}”是逻辑值，不是文字")
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError(f"“{raw}”不是有效的数值")
        if raw.is_integer():
            return str(int(raw))
        text = format(Decimal(f"{raw:.15g}"), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(raw, Decimal):
        return format(raw, "f")
    if isinstance(raw, datetime.date | datetime.time | datetime.timedelta):
        raise CellError(f"“{raw}”是日期或时间，不是文字；请将单元格设为文本格式后重新填写")
    return str(raw).strip(_SPACES)


def parse_credit_code(raw: object) -> str | None:
    """Return the unified social credit code in capitals and half-width, or None if blank."""
    if is_blank(raw):
        return None
    code = normalize_credit_code(_text_of(raw))
    message = credit_code_problem(code)
    if message:
        raise CellError(message)
    return code


# ---------------------------------------------------------------- export


def safe_text_for_export(value: object) -> object:
    """Return ``value`` ready for a spreadsheet cell, with formula-like text defused.

    Text starting with = + - @, a tab or a carriage return would be run by Excel
    (and openpyxl writes "=…" as a formula), so it gets a leading apostrophe, as
    OWASP advises against CSV/formula injection: "=1+2" → "'=1+2". Only text is
    escaped: numbers, dates, None and booleans are returned unchanged, so numbers
    stay numbers and -5 as a number is still -5. ``parse_text`` removes the
    apostrophe again on import.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
