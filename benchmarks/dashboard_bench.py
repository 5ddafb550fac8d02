"""Benchmark the leaders' dashboard on the large zone of the report benchmark, by hand.

Reuses report_bench's builder (5,000 enterprises × 3 years × 12 months × 6 indicators,
about 1.1 million monthly figures, every park-month approved, 2,000 projects, 5,000
leads), then requests the
dashboard through the views as a leader, for the zone and for one park, and the page
of one enterprise, and prints the median server time of each and its SQL queries.

    .venv/bin/python benchmarks/dashboard_bench.py       # SQLite, var/bench/dashboard.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parkportal_bench_dash \
        .venv/bin/python benchmarks/dashboard_bench.py

The SQLite file and the PostgreSQL database keep the zone between runs (delete the
file or drop the database to build it anew). Goal: every page under 300 ms of server
time, and a number of queries that does not depend on the size of the data
(tests/reports/test_dashboard_views.py pins it at two sizes).

`--build` only builds the zone; `--session` prints a session key of the benchmark
leader instead, for a load generator (benchmarks/load_dashboard.sh).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "DATABASE_URL" not in os.environ:
    # A file that outlives the run: building the zone takes minutes, a request milliseconds.
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench' / 'dashboard.sqlite3'}"
sys.path.insert(0, str(ROOT / "benchmarks"))

import report_bench  # noqa: E402  (sets Django up on DATABASE_URL)
from django.contrib.auth import SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from parkportal.choices import Role  # noqa: E402
from parkportal.models import Enterprise, Park  # noqa: E402
from parkportal.services import user_save  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
GOAL = 0.3  # seconds of server time
PAGES = {
    "zone dashboard": ("/", {"park": "BENCH", "year": 2026, "month": 12}),
    "zone, latest month": ("/", {}),
    "park dashboard": ("/", {"park": "BP1", "year": 2026, "month": 6}),
}


def ensure_zone() -> None:
    """Build the report benchmark's zone unless this database holds it already."""
    call_command("migrate", verbosity=0)
    if Park.objects.filter(code="BENCH").exists():
        return
    start = time.perf_counter()
    with transaction.atomic():
        report_bench.build()
    print(f"built the zone in {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:
        # What autovacuum would do soon after a large import: statistics for the planner
        # and, on PostgreSQL, the visibility map that lets index-only scans skip the table.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def leader():
    return user_save(username="bench_leader", role=Role.LEADER, password=None)


def timed(client: Client, url: str, params: dict) -> tuple[float, int, int]:
    """Return the seconds, queries and bytes of one request."""
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url, params)
        seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{url} {params}: HTTP {response.status_code}")
    return seconds, len(queries.captured_queries), len(response.content)


def session_cookie() -> str:
    """Return a fresh session key of the benchmark leader, signed in."""
    from importlib import import_module

    from django.conf import settings

    user = leader()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--build", action="store_true", help="only build the zone")
    parser.add_argument(
        "--session", action="store_true", help="print a session key of the benchmark leader"
    )
    options = parser.parse_args()
    ensure_zone()
    if options.build:
        return
    if options.session:
        print(session_cookie())
        return
    enterprise = Enterprise.objects.filter(park__code="BP2").order_by("pk").first()
    pages = {**PAGES, "enterprise page": (f"/enterprises/{enterprise.pk}/", {})}
    print(
        f"database: {connection.vendor}; {Enterprise.objects.count()} enterprises, "
        f"{report_bench.MonthlyValue.objects.count():,} monthly figures"
    )
    client = Client()
    client.force_login(leader())
    for url, params in pages.values():
        client.get(url, params)  # warm up: imports, templates, connections, caches
    for name, (url, params) in pages.items():
        runs = [timed(client, url, params) for _ in range(RUNS)]
        seconds = statistics.median(run[0] for run in runs)
        queries = "/".join(str(n) for n in sorted({run[1] for run in runs}))
        verdict = "ok" if seconds < GOAL else f"over the {GOAL * 1000:.0f} ms goal"
        print(
            f"  {name:20} median of {RUNS}: {seconds * 1000:6.1f} ms "
            f"(min {min(run[0] for run in runs) * 1000:.1f}, "
            f"max {max(run[0] for run in runs) * 1000:.1f}), "
            f"{queries} queries, {runs[0][2] / 1024:.0f} KB — {verdict}"
        )


if __name__ == "__main__":
    main()
