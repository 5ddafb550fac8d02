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
