import pytest
from django.core.exceptions import ValidationError

from parkportal.credit_code import (
    check_character,
    normalize,
    problem,
    validate_credit_code,
    with_check_character,
)

# Published codes of well-known enterprises: the standard's check digit holds for each.
REAL_CODES = [
    "9144030071526726XG",
    "91330100799655058B",
    "91110000600037341L",
    "91110108551385082Q",
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_credit_codes_are_valid(code):
    assert problem(code) is None
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "message_part"),
    [
        ("9144030071526726XH", "校验位错误：第18位应为“G”"),
        ("91330100799655058A", "第18位应为“B”"),
        ("9144030071526726X", "应为18位"),
        ("9144030071526726XGG", "应为18位"),
        ("9144030071526726IG", "不允许的字符：I"),
        ("91440300715267260O", "不允许的字符：O"),
        ("9144030071526726xg", "不允许的字符"),  # lower case is not normalised here
        ("91AB030071526726XG", "第3至8位"),
        ("", "应为18位"),
    ],
)
def test_invalid_credit_codes_are_explained_in_chinese(code, message_part):
    message = problem(code)
    assert message is not None
    assert message_part in message
    with pytest.raises(ValidationError):
        validate_credit_code(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_check_character_recomputes_the_published_one(code):
    assert check_character(code[:17]) == code[17]
    assert with_check_character(code[:17]) == code


def test_check_character_zero_when_the_sum_is_a_multiple_of_31():
    assert check_character("0" * 17) == "0"


def test_every_changed_character_breaks_the_check():
    code = REAL_CODES[0]
    for position in range(17):
        replacement = "1" if code[position] != "1" else "2"
        changed = code[:position] + replacement + code[position + 1 :]
        assert problem(changed) is not None, position


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (" 9144030071526726xg ", "9144030071526726XG"),
        ("９１４４０３００７１５２６７２６ＸＧ", "9144030071526726XG"),
    ],
)
def test_normalize_trims_upcases_and_turns_full_width_half_width(raw, clean):
    assert normalize(raw) == clean


def test_with_check_character_needs_seventeen_characters():
    with pytest.raises(ValueError):
        with_check_character("123")
