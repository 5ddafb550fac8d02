"""Who may call what: every endpoint of the API, read and write, for each kind of user.

Anonymous callers get 401; park staff read their own parks only (another park's record
is not found), leaders read everything and write nothing, admins do everything. A
refused write changes nothing in the database.
"""

from dataclasses import dataclass, field

import pytest

from indicators.models import FigureChange, MonthlyValue, PeriodSubmission
from investment.models import Lead, LeadStageChange
from projects.models import ProjectProgress
from tests.api.conftest import ADMIN, ANONYMOUS, LEADER, ROLES, STAFF_A, STAFF_B, YEAR

pytestmark = pytest.mark.django_db

# How many rows each list shows each reader (world: one record of each kind per park).
LISTS = {
    # endpoint: (staff of A, staff of B, leader, admin)
    "parks": (1, 1, 3, 3),
    "industries": (2, 2, 2, 2),
    "indicators": (6, 6, 6, 6),
    "enterprises": (1, 1, 2, 2),
    "targets": (1, 1, 2, 2),
    "periods": (1, 1, 2, 2),
    # staff and admins read drafts (park A's March) too; leaders the official B only
    "monthly-values": (1, 1, 1, 2),
    "projects": (1, 1, 2, 2),
    # progress counts as the figures do: leaders read park B's official March only
    "project-progress": (1, 1, 1, 2),
    "bonds": (1, 1, 2, 2),
    # leads without an intended park are the zone's: leaders and admins
    "leads": (1, 1, 3, 3),
    "events": (1, 1, 1, 1),
}


@pytest.mark.parametrize("endpoint", LISTS)
def test_each_list_shows_each_role_its_scope(endpoint, world, clients):
    for role, expected in zip([STAFF_A, STAFF_B, LEADER, ADMIN], LISTS[endpoint], strict=True):
        answer = clients[role].get(f"/api/{endpoint}/")
        assert answer.status_code == 200, (role, answer.content)
        assert answer.json()["count"] == expected, (endpoint, role)
    assert clients[ANONYMOUS].get(f"/api/{endpoint}/").status_code == 401


@dataclass
class Case:
    """One request and the answer each role gets."""

    name: str
    method: str
    url: object  # a function of the world
    answers: dict[str, int]
    data: object = field(default_factory=dict)  # a function of the world, or data


READ_A = {ANONYMOUS: 401, STAFF_A: 200, STAFF_B: 404, LEADER: 200, ADMIN: 200}
READ_ALL = {ANONYMOUS: 401, STAFF_A: 200, STAFF_B: 200, LEADER: 200, ADMIN: 200}


def figures(park_key, version, value="150"):
    def data(world):
        return {
            "park": world[park_key]["park"].code,
            "year": YEAR,
            "month": 3,
            "version": version,
            "values": [
                {
                    "enterprise": world[park_key]["enterprise"].credit_code,
                    "indicator": "revenue",
                    "value": value,
                }
            ],
        }

    return data


def progress(park_key: str, month: int):
    def data(world):
        return {
            "project": f"XM-{world[park_key]['park'].code}",
            "year": YEAR,
            "month": month,
            "completed_investment": "2000.5",
        }

    return data


CASES = [
    Case("park A", "GET", lambda w: f"/api/parks/{w['a']['park'].pk}/", READ_A),
    Case(
        "zone", "GET", lambda w: f"/api/parks/{w['a']['park'].parent_id}/", {**READ_A, STAFF_A: 404}
    ),
    Case(
        "industry",
        "GET",
        lambda w: f"/api/industries/{w['a']['enterprise'].industry_id}/",
        READ_ALL,
    ),
    Case("indicator", "GET", lambda w: f"/api/indicators/{w['revenue'].pk}/", READ_ALL),
    Case("enterprise A", "GET", lambda w: f"/api/enterprises/{w['a']['enterprise'].pk}/", READ_A),
    Case("target A", "GET", lambda w: f"/api/targets/{w['a']['target'].pk}/", READ_A),
    Case(
        "period A",
        "GET",
        lambda w: f"/api/periods/{PeriodSubmission.objects.get(park=w['a']['park']).pk}/",
        READ_A,
    ),
    # park A's March is a draft: leaders do not see it
    Case(
        "draft figure A",
        "GET",
        lambda w: (
            f"/api/monthly-values/{MonthlyValue.objects.get(enterprise=w['a']['enterprise']).pk}/"
        ),
        {**READ_A, LEADER: 404},
    ),
    Case(
        "official figure B",
        "GET",
        lambda w: (
            f"/api/monthly-values/{MonthlyValue.objects.get(enterprise=w['b']['enterprise']).pk}/"
        ),
        {**READ_A, STAFF_A: 404, STAFF_B: 200},
    ),
    Case("project A", "GET", lambda w: f"/api/projects/{w['a']['project'].pk}/", READ_A),
    # park A's March is a draft: its progress is not official, leaders do not read it
    Case(
        "progress A",
        "GET",
        lambda w: f"/api/project-progress/{w['a']['progress'].pk}/",
        {**READ_A, LEADER: 404},
    ),
    Case("bond A", "GET", lambda w: f"/api/bonds/{w['a']['bond'].pk}/", READ_A),
    Case("lead A", "GET", lambda w: f"/api/leads/{w['a']['lead'].pk}/", READ_A),
    Case(
        "zone's lead",
        "GET",
        lambda w: f"/api/leads/{w['zone_lead'].pk}/",
        {**READ_A, STAFF_A: 404},
    ),
    Case("event", "GET", lambda w: f"/api/events/{w['event'].pk}/", READ_ALL),
    # writes
    Case(
        "figures of A",
        "POST",
        lambda w: "/api/monthly-value-sets/",
        {ANONYMOUS: 401, STAFF_A: 200, STAFF_B: 403, LEADER: 403, ADMIN: 200},
        figures("a", 4),
    ),
    Case(
        "figures of submitted B",
        "POST",
        lambda w: "/api/monthly-value-sets/",
        {ANONYMOUS: 401, STAFF_A: 403, STAFF_B: 409, LEADER: 403, ADMIN: 409},
        figures("b", 2),
    ),
    Case(
        "progress of A",
        "POST",
        lambda w: "/api/project-progress/",
        {ANONYMOUS: 401, STAFF_A: 201, STAFF_B: 403, LEADER: 403, ADMIN: 201},
        progress("a", 4),
    ),
    Case(
        "progress of submitted B",
        "POST",
        lambda w: "/api/project-progress/",
        {ANONYMOUS: 401, STAFF_A: 403, STAFF_B: 409, LEADER: 403, ADMIN: 409},
        progress("b", 3),
    ),
    Case(
        "lead A signed",
        "POST",
        lambda w: f"/api/leads/{w['a']['lead'].pk}/stage/",
        {ANONYMOUS: 401, STAFF_A: 200, STAFF_B: 404, LEADER: 403, ADMIN: 200},
        {"stage": "signed", "on": "2026-04-01", "note": "签约仪式"},
    ),
    Case(
        "zone's lead signed",
        "POST",
        lambda w: f"/api/leads/{w['zone_lead'].pk}/stage/",
        {ANONYMOUS: 401, STAFF_A: 404, STAFF_B: 404, LEADER: 403, ADMIN: 200},
        {"stage": "negotiating"},
    ),
    # the registers are read-only through the API
    Case(
        "create a park",
        "POST",
        lambda w: "/api/parks/",
        {ANONYMOUS: 401, STAFF_A: 405, STAFF_B: 405, LEADER: 403, ADMIN: 405},
        {"code": "C", "name": "新园区"},
    ),
    Case(
        "delete an enterprise",
        "DELETE",
        lambda w: f"/api/enterprises/{w['a']['enterprise'].pk}/",
        {ANONYMOUS: 401, STAFF_A: 405, STAFF_B: 405, LEADER: 403, ADMIN: 405},
    ),
    Case(
        "change a figure",
        "PUT",
        lambda w: (
            f"/api/monthly-values/{MonthlyValue.objects.get(enterprise=w['a']['enterprise']).pk}/"
        ),
        {ANONYMOUS: 401, STAFF_A: 405, STAFF_B: 405, LEADER: 403, ADMIN: 405},
        {"value": "1"},
    ),
]


def snapshot():
    """Return what a refused request must leave as it was."""
    return {
        "figures": sorted(
            MonthlyValue.objects.values_list(
                "enterprise_id", "indicator_id", "year", "month", "value"
            )
        ),
        "changes": FigureChange.objects.count(),
        "periods": sorted(
            PeriodSubmission.objects.values_list("park__code", "year", "month", "status", "version")
        ),
        "progress": sorted(
            ProjectProgress.objects.values_list(
                "project_id", "year", "month", "completed_investment"
            )
        ),
        "progress history": ProjectProgress.history.count(),
        "leads": sorted(Lead.objects.values_list("code", "stage", "signed_on")),
        "stage changes": LeadStageChange.objects.count(),
    }


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
@pytest.mark.parametrize("role", ROLES)
def test_each_endpoint_answers_each_role(case, role, world, clients):
    data = case.data(world) if callable(case.data) else case.data
    before = snapshot()
    answer = clients[role].generic(
        case.method, case.url(world), data=_json(data), content_type="application/json"
    )
    assert answer.status_code == case.answers[role], answer.content.decode()
    if case.method != "GET" and answer.status_code >= 400:
        assert snapshot() == before
        assert answer.json()  # a JSON body that says why
    if case.method != "GET" and answer.status_code < 300:
        assert snapshot() != before


def _json(data) -> str:
    import json

    return json.dumps(data) if data else ""
