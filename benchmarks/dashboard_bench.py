"""Benchmark the leaders' dashboard on the large zone of the report benchmark, by hand.

Reuses report_bench's builder (5,000 enterprises × 3 years × 12 months × 6 indicators,
about 1.1 million monthly figures, every park-month approved, 2,000 projects, 5,000
leads), then requests the
dashboard through the views as a leader, for the zone and for one park, and the page
of one enterprise, and prints the median server time of each and its SQL queries:
warm (the reports' cache kept) and cold (every cache emptied before each request),
and the year-end summary's HTML, cold.

    .venv/bin/python benchmarks/dashboard_bench.py       # SQLite, var/bench/dashboard.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parkportal_bench_dash \
        .venv/bin/python benchmarks/dashboard_bench.py
    .venv/bin/python benchmarks/dashboard_bench.py --size 3   # about 3 million figures

`--size` 0.3, 1 or 3 (million figures) or `--enterprises N` sets the zone's size; on
SQLite each size has its own file (var/bench/dashboard-<enterprises>.sqlite3), on
PostgreSQL give each size its own DATABASE_URL.

The SQLite file and the PostgreSQL database keep the zone between runs (delete the
file or drop the database to build it anew). Goal: every page under 300 ms of server
time whatever the size (the reports read kept sums, indicators.sums), the year-end
HTML under 0.5 s, and a number of queries that does not depend on the size of the data
(tests/reports/test_dashboard_views.py pins it at two sizes).

`--build` only builds the zone; `--session` prints a session key of the benchmark
leader instead, for a load generator (benchmarks/load_dashboard.sh).
"""

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"0.3": 1430, "1": 4770, "3": 14300}  # million figures → enterprises
DEFAULT_ENTERPRISES = 5000


def enterprises_asked() -> int:
    """Return the size asked on the command line (read before Django is set up: the
    SQLite file is named after it)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--size", choices=sorted(SIZES))
    early.add_argument("--enterprises", type=int)
    known, _ = early.parse_known_args()
    return known.enterprises or SIZES.get(known.size, DEFAULT_ENTERPRISES)


# Caches of the benchmark's own, emptied before each cold request: never the portal's.
os.environ.setdefault("CACHE_DIR", tempfile.mkdtemp(prefix="dashboard-bench-cache-"))
if "DATABASE_URL" not in os.environ:
    # A file that outlives the run: building the zone takes minutes, a request milliseconds.
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    size = enterprises_asked()
    name = "dashboard.sqlite3" if size == DEFAULT_ENTERPRISES else f"dashboard-{size}.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench' / name}"
sys.path.insert(0, str(ROOT / "benchmarks"))

import report_bench  # noqa: E402  (sets Django up on DATABASE_URL)
from django.conf import settings  # noqa: E402
from django.contrib.auth import SESSION_KEY  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from parkportal.choices import Role  # noqa: E402
from parkportal.models import Enterprise, Park  # noqa: E402
from parkportal.services import user_save  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
GOAL = 0.3  # seconds of server time
YEAR_END_GOAL = 0.5
PAGES = {
    "zone dashboard": ("/", {"park": "BENCH", "year": 2026, "month": 12}),
    "zone, latest month": ("/", {}),
    "park dashboard": ("/", {"park": "BP1", "year": 2026, "month": 6}),
}


def ensure_zone(enterprises: int = DEFAULT_ENTERPRISES) -> None:
    """Build the report benchmark's zone unless this database holds it already."""
    call_command("migrate", verbosity=0)
    if Park.objects.filter(code="BENCH").exists():
        return
    start = time.perf_counter()
    with transaction.atomic():
        report_bench.build(enterprises)
    print(f"built the zone in {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:
        # What autovacuum would do soon after a large import: statistics for the planner
        # and, on PostgreSQL, the visibility map that lets index-only scans skip the table.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def leader():
    return user_save(username="bench_leader", role=Role.LEADER, password=None)


def empty_caches() -> None:
    """Empty every cache: the reports' kept data and fragments, and the default one."""
    for alias in settings.CACHES:
        caches[alias].clear()


def timed(client: Client, url: str, params: dict, *, cold: bool = False) -> tuple[float, int, int]:
    """Return the seconds, queries and bytes of one request (`cold`: caches emptied first)."""
    if cold:
        empty_caches()
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
        "--size",
        choices=sorted(SIZES),
        help="million figures of the zone when it is built: 0.3, 1 or 3",
    )
    parser.add_argument(
        "--enterprises", type=int, help="enterprises of the zone when built (~210 figures each)"
    )
    parser.add_argument(
        "--session", action="store_true", help="print a session key of the benchmark leader"
    )
    options = parser.parse_args()
    ensure_zone(enterprises_asked())
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
    year_end = ("/reports/year-end/", report_bench.REPORT)
    client.get(*year_end)
    gc.freeze()  # as parkportal/wsgi.py does once a server's worker has loaded the portal
    measured = [(f"{name}, warm", page, False, GOAL) for name, page in pages.items()]
    measured += [(f"{name}, cold", page, True, GOAL) for name, page in pages.items()]
    measured.append(("year-end HTML, cold", year_end, True, YEAR_END_GOAL))
    for name, (url, params), cold, goal in measured:
        runs = [timed(client, url, params, cold=cold) for _ in range(RUNS)]
        seconds = statistics.median(run[0] for run in runs)
        queries = "/".join(str(n) for n in sorted({run[1] for run in runs}))
        verdict = "ok" if seconds < goal else f"over the {goal * 1000:.0f} ms goal"
        print(
            f"  {name:28} median of {RUNS}: {seconds * 1000:6.1f} ms "
            f"(min {min(run[0] for run in runs) * 1000:.1f}, "
            f"max {max(run[0] for run in runs) * 1000:.1f}), "
            f"{queries} queries, {runs[0][2] / 1024:.0f} KB — {verdict}"
        )


if __name__ == "__main__":
    main()
