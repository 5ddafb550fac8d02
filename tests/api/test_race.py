"""No lost update through the API, on PostgreSQL, with real concurrent writers.

Six programs, each with a token of its own, keep writing one park-month's figures at
once, DHIS2-style: read the month's version, send a figure set at that version; when it
is refused (409: the month changed meanwhile), read the version again and retry. Each
write carries the value the program read for its cell, so the log shows what every
write overwrote: it must always be the value its writer read, never one it had not seen.
"""

import random
import threading
from collections import defaultdict
from decimal import Decimal as D

import pytest
from django.db import connection

from indicators.models import FigureChange, Indicator, PeriodSubmission
from parkportal.choices import Role
from tests.api.conftest import client_for
from tests.conftest import make_user
from tests.factories import EnterpriseFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the race needs a database that several connections share: PostgreSQL",
    ),
]

WRITERS, WRITES, MAX_TRIES = 6, 10, 300
YEAR, MONTH = 2026, 3


def test_six_programs_writing_one_month_at_once_lose_no_update(park_a):
    enterprises = [EnterpriseFactory(park=park_a) for _ in range(3)]
    indicators = list(Indicator.objects.active().filter(allows_negative=False))
    cells = [(e, i) for e in enterprises for i in indicators]
    writers = [make_user(f"sync_{n}", Role.STAFF, park_a) for n in range(WRITERS)]
    clients = [client_for(user) for user in writers]  # each with a token of its own
    saved: dict[int, list[tuple[tuple[int, int], D, D | None]]] = defaultdict(list)
    refused = defaultdict(int)
    failures: list[str] = []
    start = threading.Barrier(WRITERS)

    def work(number: int) -> None:
        client = clients[number]
        pick = random.Random(number)
        try:
            start.wait()
            for attempt in range(MAX_TRIES):
                if len(saved[number]) == WRITES:
                    return
                periods = client.get("/api/periods/", {"park": "A", "year": YEAR, "month": MONTH})
                rows = periods.json()["results"]
                version = rows[0]["version"] if rows else 0
                enterprise, indicator = pick.choice(cells)
                figures = client.get(
                    "/api/monthly-values/",
                    {"enterprise": enterprise.credit_code, "year": YEAR, "month": MONTH,
                     "indicator": indicator.code},
                ).json()["results"]  # fmt: skip
                seen = D(figures[0]["value"]) if figures else None
                value = D(number * 100_000 + attempt + 1)
                answer = client.post(
                    "/api/monthly-value-sets/",
                    {"park": "A", "year": YEAR, "month": MONTH, "version": version,
                     "values": [{"enterprise": enterprise.credit_code,
                                 "indicator": indicator.code, "value": str(value)}]},
                    format="json",
                )  # fmt: skip
                if answer.status_code == 200:
                    saved[number].append(((enterprise.pk, indicator.pk), value, seen))
                elif answer.status_code == 409:
                    refused[number] += 1
                else:
                    failures.append(f"写入方{number}：{answer.status_code} {answer.content!r}")
                    return
            failures.append(f"写入方{number}：{MAX_TRIES}次内未完成{WRITES}次写入")
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    assert [len(saved[n]) for n in range(WRITERS)] == [WRITES] * WRITERS

    log = list(FigureChange.objects.filter(year=YEAR, month=MONTH).order_by("id"))
    assert len(log) == WRITERS * WRITES, "every accepted write, and only those, is logged"
    seen = {(cell, value): before for saves in saved.values() for cell, value, before in saves}
    unseen = [
        c.pk for c in log if seen[((c.enterprise_id, c.indicator_id), c.new_value)] != c.old_value
    ]
    assert unseen == [], f"{len(unseen)} writes overwrote a value their writer never read"
    assert PeriodSubmission.objects.get(park=park_a, year=YEAR, month=MONTH).version == len(log)
    assert sum(refused.values()) > 0, "the writers never got in each other's way: no race ran"
