"""The API's tests: a small zone with a record of each kind in two parks, and clients
that call the API with a token of each role."""

import uuid
from datetime import date
from decimal import Decimal as D

import pytest
from rest_framework.test import APIClient

from api.services import token_issue
from indicators import codes
from indicators.models import PeriodSubmission
from tests.factories import (
    EnterpriseFactory,
    LeadFactory,
    MonthlyValueFactory,
    OutreachEventFactory,
    ProjectFactory,
    ProjectProgressFactory,
    SpecialBondFactory,
    TargetFactory,
    indicator,
)

YEAR = 2026
STAFF_A, STAFF_B, LEADER, ADMIN, ANONYMOUS = "staff_a", "staff_b", "leader", "admin", "anonymous"
ROLES = [ANONYMOUS, STAFF_A, STAFF_B, LEADER, ADMIN]


@pytest.fixture(autouse=True)
def api_settings(settings):
    """Give each test a cache of its own (the rate limits count in it) and limits no
    test reaches unless it lowers them."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"api-{uuid.uuid4()}",
        }
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "100000/minute", "anon": "100000/minute"},
    }
    return settings


@pytest.fixture
def world(park_a, park_b):
    """In each park an enterprise with figures, a project with progress and a bond, a
    lead and a target; park A's March is a draft, park B's is submitted (official)."""
    revenue = indicator(codes.REVENUE)
    records = {"revenue": revenue}
    for key, park in (("a", park_a), ("b", park_b)):
        enterprise = EnterpriseFactory(park=park, name=f"{park.code}企业")
        MonthlyValueFactory(
            enterprise=enterprise, indicator=revenue, year=YEAR, month=3, value=D("100")
        )
        project = ProjectFactory(park=park, code=f"XM-{park.code}")
        records[key] = {
            "park": park,
            "enterprise": enterprise,
            "project": project,
            "progress": ProjectProgressFactory(project=project, year=YEAR, month=3),
            "bond": SpecialBondFactory(project=project, year=YEAR),
            "lead": LeadFactory(park=park, code=f"ZS-{park.code}", docked_on=date(YEAR, 1, 5)),
            "target": TargetFactory(park=park, indicator=revenue, year=YEAR),
        }
    PeriodSubmission.objects.create(park=park_a, year=YEAR, month=3, status="draft", version=4)
    PeriodSubmission.objects.create(park=park_b, year=YEAR, month=3, status="submitted", version=2)
    records["zone_lead"] = LeadFactory(park=None, code="ZS-ZONE", docked_on=date(YEAR, 1, 5))
    records["event"] = OutreachEventFactory(date=date(YEAR, 4, 1))
    return records


@pytest.fixture
def users(staff_a, staff_b, leader, admin_user):
    return {STAFF_A: staff_a, STAFF_B: staff_b, LEADER: leader, ADMIN: admin_user, ANONYMOUS: None}


def client_for(user) -> APIClient:
    """Return a client that sends `user`'s newly issued token (no token: anonymous)."""
    client = APIClient()
    if user is not None:
        _, key = token_issue(user=user, issued_by=None, name="测试")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def clients(users):
    return {role: client_for(user) for role, user in users.items()}
