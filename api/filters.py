"""The list endpoints' query parameters, read and checked in one place: a bad value is a
400 that names the parameter, never a database error."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from parkportal.text import has_control_characters

YEAR = (2000, 2100)
MONTH = (1, 12)


def _raw(request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value is None or value.strip() == "":
        return None
    if has_control_characters(value):
        raise ValidationError({name: "参数含有控制字符。"})
    return value.strip()


def query_text(request, name: str, max_length: int = 100) -> str | None:
    value = _raw(request, name)
    if value is not None and len(value) > max_length:
        raise ValidationError({name: f"参数过长（不超过{max_length}个字符）。"})
    return value


def query_int(request, name: str, bounds: tuple[int, int]) -> int | None:
    value = _raw(request, name)
    if value is None:
        return None
    low, high = bounds
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise ValidationError({name: f"应为{low}到{high}之间的整数。"})
    return int(value)


def query_bool(request, name: str) -> bool | None:
    value = _raw(request, name)
    if value is None:
        return None
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise ValidationError({name: "应为 true 或 false。"})


def query_choice(request, name: str, choices) -> str | None:
    value = _raw(request, name)
    if value is not None and value not in choices.values:
        raise ValidationError({name: "可选值：" + "、".join(choices.values)})
    return value


def text(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, description=description)


def number(name: str, description: str, bounds: tuple[int, int]) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        {"type": "integer", "minimum": bounds[0], "maximum": bounds[1]},
        description=description,
    )


def flag(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.BOOL, description=description)


def choice(name: str, description: str, choices) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, description=description, enum=choices.values)


PARK = text("park", "园区编码")
YEAR_PARAM = number("year", "年份", YEAR)
MONTH_PARAM = number("month", "月份", MONTH)
