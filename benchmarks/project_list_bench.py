"""Benchmark the project list (/projects/) with 2,000 projects, by hand.

Builds a zone of 5 parks and 2,000 projects, each with a year's plan, monthly progress,
four milestones (some overdue) and an issue, then requests the list as a leader: the
first page, filtered by light (which computes every project's light), sorted red first,
searched, and the .xlsx download; prints the median server time of each and its queries.

    .venv/bin/python benchmarks/project_list_bench.py     # SQLite, var/bench/projects.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parkportal_bench_projects \
        .venv/bin/python benchmarks/project_list_bench.py

The database keeps the projects between runs (delete the file or drop the database to
build them anew). Goal: every page under 300 ms of server time, with a number of queries
that does not depend on the number of projects (tests/projects/test_views.py pins it).
"""

import os
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "DATABASE_URL" not in os.environ:
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench' / 'projects.sqlite3'}"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")  # the test client's host

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from indicators.choices import PeriodStatus  # noqa: E402
from indicators.models import PeriodSubmission  # noqa: E402
from parkportal.choices import ParkKind, Role  # noqa: E402
from parkportal.models import Park  # noqa: E402
from parkportal.services import user_save  # noqa: E402
from projects.models import (  # noqa: E402
    Milestone,
    Project,
    ProjectIssue,
    ProjectPlan,
    ProjectProgress,
)
from projects.selectors import light_month  # noqa: E402

PROJECTS = 2000
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
GOAL = 0.3  # seconds of server time
PAGES = {
    "first page": {},
    "red ones": {"light": "red"},
    "red first": {"sort": "-light"},
    "search": {"q": "项目1"},
    "one park": {"park": "PB1"},
}
CATEGORIES = ["industrial", "infrastructure", "public_service"]
STAGES = ["planning", "preparation", "construction", "construction", "completed", "production"]


def build() -> None:
    """Create the zone's parks and PROJECTS projects with their plans, progress,
    milestones and issues, in bulk."""
    today = timezone.localdate()
    year, month = light_month(today)
    zone = Park.objects.create(code="PBZ", name="项目基准开发区", kind=ParkKind.ZONE)
    parks = [
        Park.objects.create(code=f"PB{i}", name=f"基准园区{i}", parent=zone, kind=ParkKind.PARK)
        for i in range(1, 6)
    ]
    projects = Project.objects.bulk_create(
        Project(
            code=f"PB-{n:05d}",
            name=f"基准项目{n}",
            park=parks[n % len(parks)],
            category=CATEGORIES[n % 3],
            stage=STAGES[n % len(STAGES)],
            total_investment=Decimal(10000 + n),
            start_date=date(2020 + n % 7, 1 + n % 12, 1) if n % 5 else None,
            planned_start_date=today - timedelta(days=n % 200),
            key_level=["", "county", "city", "provincial"][n % 4],
        )
        for n in range(PROJECTS)
    )
    ProjectPlan.objects.bulk_create(
        ProjectPlan(project=p, year=year, planned_investment=Decimal(12000)) for p in projects
    )
    ProjectProgress.objects.bulk_create(
        ProjectProgress(
            project=p, year=year, month=m, completed_investment=Decimal(1000 * m - (i % 9) * 300)
        )
        for i, p in enumerate(projects)
        for m in range(1, month + 1)
        if 1000 * m - (i % 9) * 300 >= 0
    )
    # The parks' months are approved: leaders count progress of official months only.
    PeriodSubmission.objects.bulk_create(
        PeriodSubmission(park=park, year=year, month=m, status=PeriodStatus.APPROVED)
        for park in parks
        for m in range(1, month + 1)
    )
    Milestone.objects.bulk_create(
        Milestone(
            project=p,
            name=name,
            planned_date=today - timedelta(days=(i * 37 + k * 50) % 240 - 60),
            actual_date=today - timedelta(days=300) if (i + k) % 3 == 0 else None,
        )
        for i, p in enumerate(projects)
        for k, name in enumerate(["立项", "用地预审", "施工许可", "主体完工"])
    )
    ProjectIssue.objects.bulk_create(
        ProjectIssue(
            code=f"PBW-{i:05d}",
            project=p,
            raised_on=today - timedelta(days=40),
            description="基准问题",
            responsible_unit=f"单位{i % 7}",
            deadline=today - timedelta(days=i % 30 - 10),
        )
        for i, p in enumerate(projects)
    )


def ensure_projects() -> None:
    call_command("migrate", verbosity=0)
    if Park.objects.filter(code="PBZ").exists():
        return
    start = time.perf_counter()
    with transaction.atomic():
        build()
    print(f"built {PROJECTS} projects in {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def timed(client: Client, params: dict) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get("/projects/", params)
        seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"/projects/ {params}: HTTP {response.status_code}")
    return seconds, len(queries.captured_queries)


def main() -> None:
    ensure_projects()
    print(f"database: {connection.vendor}; {Project.objects.count():,} projects")
    client = Client()
    client.force_login(user_save(username="bench_projects", role=Role.LEADER, password=None))
    pages = {**PAGES, "xlsx download": {"format": "xlsx"}}
    for params in pages.values():
        client.get("/projects/", params)  # warm up
    for name, params in pages.items():
        runs = [timed(client, params) for _ in range(RUNS)]
        seconds = statistics.median(run[0] for run in runs)
        queries = "/".join(str(n) for n in sorted({run[1] for run in runs}))
        verdict = "ok" if seconds < GOAL or name == "xlsx download" else "over the goal"
        print(
            f"  {name:14} median of {RUNS}: {seconds * 1000:6.1f} ms "
            f"(min {min(r[0] for r in runs) * 1000:.1f}), {queries} queries — {verdict}"
        )


if __name__ == "__main__":
    main()
