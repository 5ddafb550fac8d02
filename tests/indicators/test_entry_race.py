"""No lost update, on PostgreSQL, with real concurrent users.

Eight staff members of one park, each with a session of their own, keep saving the
same month's entry page at the same time: open the page, change one cell, save;
when the save is refused because someone changed that cell meanwhile, open the
page again and retry. After 25 successful saves each, every cell must hold the
value of the last successful save of that cell, and the change log must hold
exactly the saves that succeeded, each building on the value before it.
"""

import random
import re
import threading
from collections import defaultdict
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from indicators.models import FigureChange, Indicator, MonthlyValue
from parkportal.choices import Role
from tests.conftest import make_user
from tests.factories import EnterpriseFactory

pytestmark = [
    # The threads' connections see only what is committed, so the test commits; the
    # serialized rollback brings back the migrated catalog (indicators, role groups)
    # that the flush after a committing test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the race needs a database that several connections share: PostgreSQL",
    ),
]

USERS, SAVES, MAX_TRIES = 8, 25, 400
YEAR, MONTH = 2026, 3
FIELD = re.compile(r'name="(on?-\d+-\d+)" value="([^"]*)"')


def test_eight_users_saving_one_month_at_once_lose_no_update(park_a):
    enterprises = [EnterpriseFactory(park=park_a, name=f"企业{n}有限公司") for n in range(4)]
    cells = [
        f"{enterprise.pk}-{indicator.pk}"
        for enterprise in enterprises
        for indicator in Indicator.objects.active()
    ]
    users = [make_user(f"staff_{n}", Role.STAFF, park_a) for n in range(USERS)]
    url = reverse("indicators:entry", args=[park_a.code, YEAR, MONTH])
    saved: dict[int, list[tuple[str, D]]] = defaultdict(list)  # user → (cell, value) saved
    seen_before: dict[tuple[str, D], D | None] = {}  # what the page showed the saver
    conflicts = defaultdict(int)
    failures: list[str] = []
    start = threading.Barrier(USERS)

    def work(number: int) -> None:
        client = Client()
        client.force_login(users[number])
        pick = random.Random(number)
        try:
            start.wait()
            for attempt in range(MAX_TRIES):
                if len(saved[number]) == SAVES:
                    return
                shown = dict(FIELD.findall(client.get(url).content.decode()))
                cell = pick.choice(cells)
                value = D(number * 1000 + attempt + 1)
                typed = {f"v-{c}": shown[f"o-{c}"] for c in cells}  # a browser sends every cell
                typed[f"v-{cell}"] = str(value)
                response = client.post(url, {"action": "save"} | shown | typed)
                if response.status_code == 302:
                    saved[number].append((cell, value))
                    seen_before[(cell, value)] = (
                        D(shown[f"o-{cell}"]) if shown[f"o-{cell}"] else None
                    )
                elif "在您填写期间" in response.content.decode():
                    conflicts[number] += 1
                else:
                    failures.append(f"用户{number}：{response.status_code}")
                    return
            failures.append(f"用户{number}：{MAX_TRIES}次内未完成{SAVES}次保存")
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    assert [len(saved[number]) for number in range(USERS)] == [SAVES] * USERS

    # The log holds exactly the successful saves: nobody's save wrote another cell back.
    log = list(FigureChange.objects.filter(year=YEAR, month=MONTH).order_by("id"))
    written = sorted((f"{c.enterprise_id}-{c.indicator_id}", c.new_value) for c in log)
    assert written == sorted(save for saves in saved.values() for save in saves)
    # Every save overwrote the value its user saw, never one they had not seen.
    unseen = [
        c.pk
        for c in log
        if seen_before[(f"{c.enterprise_id}-{c.indicator_id}", c.new_value)] != c.old_value
    ]
    assert unseen == [], f"{len(unseen)} saves overwrote a value their user never saw"
    # Each change builds on the value before it, and the last one stands.
    by_cell: dict[str, list[FigureChange]] = defaultdict(list)
    for change in log:
        by_cell[f"{change.enterprise_id}-{change.indicator_id}"].append(change)
    stored = {
        f"{e}-{i}": value
        for e, i, value in MonthlyValue.objects.filter(year=YEAR, month=MONTH).values_list(
            "enterprise_id", "indicator_id", "value"
        )
    }
    lost = []
    for cell, changes in by_cell.items():
        olds = [change.old_value for change in changes]
        news = [None, *(change.new_value for change in changes[:-1])]
        if olds != news or stored.get(cell) != changes[-1].new_value:
            lost.append(cell)
    assert lost == [], f"{len(lost)} of {len(by_cell)} cells lost an update"
    assert sum(conflicts.values()) > 0, "the users never got in each other's way: no race ran"
