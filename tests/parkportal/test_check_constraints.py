"""The bulk doors judge a model's check constraints in Python as the database would
(parkportal.services._check_messages): a table of conditions, each against the
database's own verdict (CheckConstraint.validate)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parkportal.services import _check_messages
from projects.models import Project, ProjectIssue, ProjectProgress


def constraint(model, name):
    return next(c for c in model._meta.constraints if c.name == name)


def database_says(model, check, instance) -> list[str]:
    try:
        check.validate(model, instance)
    except ValidationError as error:
        return error.messages
    return []


CASES = [
    # (model, constraint, values, holds)
    (ProjectProgress, "project_progress_month_range", {"month": 1}, True),
    (ProjectProgress, "project_progress_month_range", {"month": 12}, True),
    (ProjectProgress, "project_progress_month_range", {"month": 0}, False),
    (ProjectProgress, "project_progress_month_range", {"month": 13}, False),
    (
        ProjectProgress,
        "project_progress_not_negative",
        {"completed_investment": Decimal("0"), "government_investment": Decimal("0")},
        True,
    ),
    (
        ProjectProgress,
        "project_progress_not_negative",
        {"completed_investment": Decimal("-0.01"), "government_investment": Decimal("0")},
        False,
    ),
    (
        ProjectProgress,
        "project_progress_government_within_total",
        {"completed_investment": Decimal("10"), "government_investment": Decimal("10")},
        True,
    ),
    (
        ProjectProgress,
        "project_progress_government_within_total",
        {"completed_investment": Decimal("10"), "government_investment": Decimal("10.01")},
        False,
    ),
    # an unknown (NULL) comparison passes, as a CHECK does
    (
        ProjectIssue,
        "project_issue_solved_after_raised",
        {"raised_on": date(2026, 3, 1), "solved_on": None},
        True,
    ),
    (
        ProjectIssue,
        "project_issue_solved_after_raised",
        {"raised_on": date(2026, 3, 1), "solved_on": date(2026, 2, 28)},
        False,
    ),
    (
        ProjectIssue,
        "project_issue_solved_after_raised",
        {"raised_on": date(2026, 3, 1), "solved_on": date(2026, 3, 1)},
        True,
    ),
    (Project, "project_total_investment_not_negative", {"total_investment": Decimal("-1")}, False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "name", "values", "holds"), CASES)
def test_a_check_constraint_is_judged_as_the_database_judges_it(model, name, values, holds):
    check = constraint(model, name)
    instance = model(**values)
    with CaptureQueriesContext(connection) as queries:
        messages = _check_messages(check, model, instance)
    assert len(queries) == 0  # judged in Python
    assert messages == ([] if holds else [str(check.get_violation_error_message())])
    assert messages == database_says(model, check, instance)
