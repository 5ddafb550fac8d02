"""The unified social credit code (统一社会信用代码) of GB 32100-2015.

Eighteen characters from a 31-character alphabet (digits and capitals without
I, O, Z, S, V): registration authority, organisation type, a six-digit
administrative division code, a nine-character organisation code, and a check
character computed from the first seventeen.
"""

from django.core.exceptions import ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def normalize(code: str) -> str:
    """Return `code` without surrounding spaces, in capitals, full-width turned half-width."""
    halfwidth = "".join(
        chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch for ch in code.strip()
    )
    return halfwidth.upper()


def check_character(body: str) -> str:
    """Return the check character for the first seventeen characters `body`."""
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Return a Chinese description of what is wrong with `code`, or None when it is valid."""
    if len(code) != LENGTH:
        return f"统一社会信用代码应为18位，“{code}”为{len(code)}位"
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        return f"统一社会信用代码“{code}”含有不允许的字符：{'、'.join(bad)}"
    if not code[2:8].isdigit():
        return f"统一社会信用代码“{code}”第3至8位（登记管理机关行政区划码）应为数字"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码“{code}”校验位错误：第18位应为“{expected}”"
    return None


def validate_credit_code(value: str) -> None:
    """Raise ValidationError unless `value` is a valid unified social credit code."""
    message = problem(value)
    if message:
        raise ValidationError(message, code="invalid_credit_code")


def with_check_character(body: str) -> str:
    """Return the seventeen-character `body` completed with its check character."""
    if len(body) != LENGTH - 1:
        raise ValueError("body must have 17 characters")
    return body + check_character(body)
