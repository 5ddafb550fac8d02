"""schemathesis runs every operation of the API's OpenAPI schema as an admin: no answer
is a server error, and every answer conforms to the schema (status, content type, body).

The examples are derandomized (the same ones every run) and few, so the run is bounded
and does not flake; they run in the app's own thread, inside the test's transaction,
so every write they make is rolled back.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiToken
from api.services import token_issue
from parkportal.wsgi import application
from projects.models import ProjectProgress

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def admin_key(world, admin_user):
    _, key = token_issue(user=admin_user, issued_by=None, name="schemathesis")
    return key


@pytest.fixture
def api_schema(db):
    # The app runs as a WSGI server would run it, but in the test's connection and
    # transaction: Django would close that connection at the end of each request (it is
    # not in autocommit), as the test client prevents for its own requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(case, admin_key):
    case.call_and_validate(headers={"Authorization": f"Token {admin_key}"}, checks=CHECKS)


def test_a_write_through_schemathesis_lands_in_the_tests_transaction(api_schema, admin_key):
    """The app answers schemathesis in the test's own thread and connection: its writes
    are the test's, which pytest-django rolls back (checked by the test below)."""
    case = api_schema["/api/project-progress/"]["POST"].Case(
        body={"project": "XM-A", "year": 2026, "month": 7, "completed_investment": "5000"},
        media_type="application/json",
    )
    response = case.call(headers={"Authorization": f"Token {admin_key}"})
    assert response.status_code == 201, response.text
    assert ProjectProgress.objects.filter(project__code="XM-A", month=7).exists()


def test_the_writes_of_the_tests_above_are_rolled_back(db):
    assert not ProjectProgress.objects.filter(project__code="XM-A", month=7).exists()
    assert not ApiToken.objects.exists()
