"""No lost update on the month's 项目进度 grid, on PostgreSQL, with real concurrent users.

Six staff members of one park, each with a session of their own, keep saving the same
project's progress of the same month at once: open the grid, raise the project's
本年累计 to a value of their own, save; when the save is refused because someone saved
the row meanwhile ("在您填写期间"), open the grid again and retry. Afterwards the
progress' change history must hold exactly the saves that succeeded, each one written
over the value its user saw, and the last one must stand.
"""

import re
import threading
from collections import defaultdict
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from parkportal.choices import Role
from projects.models import ProjectPlan, ProjectProgress
from tests.conftest import make_user
from tests.factories import ProjectFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the race needs a database that several connections share: PostgreSQL",
    ),
]

USERS, SAVES, MAX_TRIES = 6, 8, 300
YEAR, MONTH = 2026, 3
FIELD = re.compile(r'name="(o?[cg]-\d+)" value="([^"]*)"')


def test_six_users_saving_one_projects_month_at_once_lose_no_update(park_a):
    project = ProjectFactory(
        code="A-1", name="科创园标准厂房", park=park_a, start_date=date(2025, 5, 1)
    )
    ProjectPlan.objects.create(project=project, year=YEAR, planned_investment=D("24000"))
    users = [make_user(f"staff_{n}", Role.STAFF, park_a) for n in range(USERS)]
    url = reverse("projects:progress_entry", args=[park_a.code, YEAR, MONTH])
    pk = project.pk
    saved: dict[int, list[D]] = defaultdict(list)
    seen_before: dict[D, D | None] = {}
    conflicts = defaultdict(int)
    failures: list[str] = []
    start = threading.Barrier(USERS)

    def work(number: int) -> None:
        client = Client()
        client.force_login(users[number])
        try:
            start.wait()
            for attempt in range(MAX_TRIES):
                if len(saved[number]) == SAVES:
                    return
                shown = dict(FIELD.findall(client.get(url).content.decode()))
                value = D(10000 + number * 1000 + attempt)
                data = dict(shown)
                data[f"c-{pk}"] = str(value)
                data[f"g-{pk}"] = "0"
                response = client.post(url, data)
                if response.status_code == 302:
                    saved[number].append(value)
                    seen_before[value] = D(shown[f"oc-{pk}"]) if shown[f"oc-{pk}"] else None
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

    history = list(
        ProjectProgress.history.filter(project_id=pk, year=YEAR, month=MONTH).order_by("history_id")
    )
    written = [record.completed_investment for record in history]
    # The history holds exactly the successful saves …
    assert sorted(written) == sorted(v for values in saved.values() for v in values)
    # … each written over the value its user saw (the one saved just before it) …
    assert [seen_before[value] for value in written] == [None, *written[:-1]]
    # … and the last one stands.
    stored = ProjectProgress.objects.get(project_id=pk, year=YEAR, month=MONTH)
    assert stored.completed_investment == written[-1]
    assert sum(conflicts.values()) > 0, "the users never got in each other's way: no race ran"
