"""Each list endpoint reads a page in a fixed number of queries, however many rows."""

from datetime import date
from decimal import Decimal as D

import pytest

from indicators import codes
from indicators.models import MonthlyValue, PeriodSubmission
from tests.api.conftest import ADMIN, LEADER, STAFF_A, YEAR
from tests.factories import (
    EnterpriseFactory,
    LeadFactory,
    ProjectFactory,
    ProjectProgressFactory,
    SpecialBondFactory,
    TargetFactory,
    indicator,
)

pytestmark = pytest.mark.django_db

# Authenticating the token (1), the user's role (1), counting the rows (1), the page (1).
QUERIES = 4
ENDPOINTS = [
    "parks", "industries", "indicators", "enterprises", "targets", "periods", "monthly-values",
    "projects", "project-progress", "bonds", "leads", "events",
]  # fmt: skip


@pytest.fixture
def many(world, park_a):
    """Ten more of each record kind in park A."""
    for month in range(1, 11):
        enterprise = EnterpriseFactory(park=park_a)
        for code in (codes.REVENUE, codes.TAX):
            MonthlyValue.objects.create(
                enterprise=enterprise,
                indicator=indicator(code),
                year=YEAR,
                month=month,
                value=D(month),
            )
        PeriodSubmission.objects.get_or_create(
            park=park_a, year=YEAR, month=month, defaults={"status": "approved"}
        )
        project = ProjectFactory(park=park_a, enterprise=enterprise)
        ProjectProgressFactory(project=project, year=YEAR, month=month)
        SpecialBondFactory(project=project, year=YEAR)
        LeadFactory(park=park_a, docked_on=date(YEAR, month, 1), project=project)
        TargetFactory(park=park_a, indicator=indicator(codes.TAX), year=2000 + month)
    return world


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", [STAFF_A, LEADER, ADMIN])
def test_a_list_page_takes_a_fixed_number_of_queries(
    endpoint, role, many, clients, django_assert_max_num_queries
):
    client = clients[role]
    client.get("/api/parks/")  # the token's first use notes its time, once
    with django_assert_max_num_queries(QUERIES):
        answer = client.get(f"/api/{endpoint}/", {"limit": 1000})
    assert answer.status_code == 200
    assert answer.json()["count"] >= 1
