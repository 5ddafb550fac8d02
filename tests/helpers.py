"""Small helpers shared by the tests."""

import pytest
from django.db import IntegrityError


def violates(constraint_name: str, sqlite_columns: str = ""):
    """Expect the database to refuse a write by the named constraint.

    PostgreSQL names the constraint; SQLite names check constraints but gives the
    columns of a unique one, so those are matched too.
    """
    pattern = constraint_name + (f"|{sqlite_columns}" if sqlite_columns else "")
    return pytest.raises(IntegrityError, match=pattern)


def count_as_official(status: str = "approved", *, parks=None) -> int:
    """Put every park-month that has figures (of `parks`, or all) into `status`, so the
    reports count its figures (indicators.official); return how many park-months.

    Tests that build figures directly stand for a zone whose months went through the
    workflow; a test about drafts leaves its months out or sets them back.
    """
    from indicators.models import MonthlyValue, PeriodSubmission

    figures = MonthlyValue.objects.all()
    if parks is not None:
        figures = figures.filter(enterprise__park__in=parks)
    periods = set(figures.values_list("enterprise__park_id", "year", "month").distinct())
    for park_id, year, month in periods:
        PeriodSubmission.objects.update_or_create(
            park_id=park_id, year=year, month=month, defaults={"status": status}
        )
    return len(periods)


def unlock_all() -> int:
    """Put every approved park-month back into draft, as an admin's 解锁 does, so a test
    may correct figures an import approved; return how many."""
    from indicators.models import PeriodSubmission

    return PeriodSubmission.objects.filter(status="approved").update(status="draft")
