"""With a read replica, the dashboard reads from it, except right after its user's own save.

The replica here is a second connection to the test database, set up as Django's test
MIRROR sets one up, with the router of settings.DATABASE_REPLICA_URL. The queries each
connection ran show which one served the page.
"""

import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import codes
from indicators.models import MonthlyValue
from parkportal.models import Enterprise
from parkportal.routers import PRIMARY, REPLICA
from tests.factories import indicator
from tests.reports.small_zone import build_small_zone

pytestmark = [
    # The replica's connection sees only what is committed, so the test commits; the
    # serialized rollback brings back the migrated catalog that the flush removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The figures, and the sums of them the reports read (indicators.sums).
FIGURES_TABLES = ('"indicators_monthlyvalue"', '"indicators_figuresum"')


@pytest.fixture
def replica(settings):
    """Add a `replica` connection that mirrors the test database, and route through it.

    Made here rather than in settings, so that the rest of the suite runs without a
    replica; set up as a TEST MIRROR is, on a connection of its own.
    """
    primary = connections[PRIMARY]
    mirror = primary.__class__({**primary.settings_dict}, alias=REPLICA)
    mirror.creation.set_as_test_mirror(primary.settings_dict)
    connections[REPLICA] = mirror
    settings.DATABASE_ROUTERS = ["parkportal.routers.ReplicaRouter"]
    settings.REPLICA_PIN_SECONDS = 60  # longer than any test takes
    yield mirror
    mirror.close()
    del connections[REPLICA]


def served(client, url) -> dict[str, list[str]]:
    """Return the SQL each database ran to answer a GET of `url`."""
    with (
        CaptureQueriesContext(connections[PRIMARY]) as on_primary,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        response = client.get(url)
    assert response.status_code == 200
    return {
        PRIMARY: [query["sql"] for query in on_primary.captured_queries],
        REPLICA: [query["sql"] for query in on_replica.captured_queries],
    }


def reads_figures(queries: list[str]) -> bool:
    return any(table in sql for sql in queries for table in FIGURES_TABLES)


@pytest.fixture
def small(zone, park_a, park_b):
    return build_small_zone(zone, park_a, park_b)


DASHBOARD_A = reverse("reports:home") + "?park=A&year=2026&month=3"
ENTRY_A_APRIL = reverse("indicators:entry", args=["A", 2026, 4])  # a draft month
FIELD = re.compile(r'name="(on?-\d+-\d+)" value="([^"]*)"')


def save_april_revenue(client, value: str):
    """Save park A's April revenue of 涞源精密铸造 on the entry page, as a browser would."""
    enterprise = Enterprise.objects.get(name="涞源精密铸造有限公司")
    shown = dict(FIELD.findall(client.get(ENTRY_A_APRIL).content.decode()))
    typed = {f"v-{enterprise.pk}-{indicator(codes.REVENUE).pk}": value}
    response = client.post(ENTRY_A_APRIL, {"action": "save"} | shown | typed)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = MonthlyValue.objects.get(
        enterprise=enterprise, indicator__code=codes.REVENUE, year=2026, month=4
    )
    assert saved.value == Decimal(value)


def test_the_dashboard_reads_the_replica_and_the_primary_right_after_the_users_save(
    replica, client, small, staff_a, settings
):
    client.force_login(staff_a)

    before = served(client, DASHBOARD_A)
    assert reads_figures(before[REPLICA])
    assert not reads_figures(before[PRIMARY])  # the primary: the session and the user only

    save_april_revenue(client, "52000")

    right_after = served(client, DASHBOARD_A)
    assert reads_figures(right_after[PRIMARY])
    assert right_after[REPLICA] == []

    settings.REPLICA_PIN_SECONDS = 0  # the pin has run out
    caches["default"].clear()  # where the builder reads, not what the cache kept
    later = served(client, DASHBOARD_A)
    assert reads_figures(later[REPLICA])
    assert not reads_figures(later[PRIMARY])


def test_another_users_dashboard_still_reads_the_replica_after_a_save(
    replica, client, small, staff_a, leader
):
    client.force_login(staff_a)
    save_april_revenue(client, "52000")

    client.force_login(leader)
    assert reads_figures(served(client, DASHBOARD_A)[REPLICA])


def test_the_other_report_pages_read_the_replica_too(replica, client, small, leader):
    client.force_login(leader)
    for url in [
        reverse("reports:year_end") + "?park=KFQ&year=2026&month=3",
        reverse("reports:directory") + "?year=2026&month=3",
    ]:
        queries = served(client, url)
        assert reads_figures(queries[REPLICA]), url
        assert not reads_figures(queries[PRIMARY]), url
