"""Fields shared by every app."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# The places every figure (MoneyField, the indicators' values) is stored with.
STORED_PLACES = Decimal("0.0001")


def stored(value: Decimal | None) -> Decimal | None:
    """Return a sum read from the database at the precision its figures are stored with
    (SQLite adds decimals up in floating point)."""
    return None if value is None else Decimal(value).quantize(STORED_PLACES)


class MoneyField(models.DecimalField):
    """A sum of money in 万元, stored exactly; rounded only when shown."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(*args, **kwargs)


class AreaField(models.DecimalField):
    """An area of land in 亩."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class YearField(models.PositiveSmallIntegerField):
    """A calendar year of the portal's figures."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [MinValueValidator(2000), MaxValueValidator(2100)])
        super().__init__(*args, **kwargs)


class MonthField(models.PositiveSmallIntegerField):
    """A month of the year, 1 to 12."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [MinValueValidator(1), MaxValueValidator(12)])
        super().__init__(*args, **kwargs)
