"""Benchmark the monthly entry page of a 50-enterprise park, by hand.

Builds a park of 50 enterprises with two years of figures for every indicator, written
through the figures' door: last year and this January to August as an admin's import
(approved), September as the park's staff enter it (a draft, with its change log and
a few 说明). Then requests the entry page through the views as the park's staff: the
new month (October, untouched), the month being filled (September), and September as
its submission checks it; and saves September with every cell changed. Prints the
median server time of each and its SQL queries.

    .venv/bin/python benchmarks/entry_bench.py       # SQLite, var/bench/entry.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parkportal_bench_entry \
        .venv/bin/python benchmarks/entry_bench.py

The data are built once per database (delete the file, or set BENCH_REBUILD=1 on
PostgreSQL, to build them anew). Goal: every page under 150 ms of server time, and
as many queries as for a park of 5 (tests/indicators/test_entry_warnings.py pins it).
"""

import os
import re
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "DATABASE_URL" not in os.environ:
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench' / 'entry.sqlite3'}"
sys.path.insert(0, str(ROOT / "benchmarks"))

import report_bench  # noqa: E402, F401  (sets Django up on DATABASE_URL)
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from indicators.choices import ChangeSource  # noqa: E402
from indicators.figures import figures_write  # noqa: E402
from indicators.models import FigureNote, Indicator  # noqa: E402
from parkportal.choices import ParkKind, Role  # noqa: E402
from parkportal.credit_code import with_check_character  # noqa: E402
from parkportal.models import Enterprise, Park  # noqa: E402
from parkportal.services import user_save  # noqa: E402

ENTERPRISES = 50
YEAR, FILLED, NEW = 2026, 9, 10
PARK = "EB"
RUNS = int(os.environ.get("BENCH_RUNS", "9"))
GOAL = 0.15  # seconds of server time
PAGES = {
    "new month (untouched)": f"/entry/{PARK}/{YEAR}/{NEW}/",
    "month being filled": f"/entry/{PARK}/{YEAR}/{FILLED}/",
    "its submission check": f"/entry/{PARK}/{YEAR}/{FILLED}/?check=submit",
}


def figure(number: int, indicator: Indicator, year: int, month: int) -> Decimal:
    """Return an enterprise's figure: a cumulative growing month by month, or a headcount."""
    if not indicator.is_flow:
        return Decimal(100 + number)
    return Decimal((1000 + 10 * number) * month) / 10 * (Decimal("1.08") if year == YEAR else 1)


def build() -> None:
    """Write the park, its staff, and its figures through the figures' door."""
    zone = Park.objects.create(code="EBZ", name="填报基准开发区", kind=ParkKind.ZONE)
    park = Park.objects.create(code=PARK, name="填报基准园区", kind=ParkKind.PARK, parent=zone)
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=with_check_character(f"91130627MC{n:07d}"),
            name=f"填报基准{n:02d}号新材料科技有限公司",
            park=park,
        )
        for n in range(ENTERPRISES)
    )
    admin = user_save(username="bench_entry_admin", role=Role.ADMIN, password=None)
    staff = staff_user()
    indicators = list(Indicator.objects.active())

    def figures(year, months):
        return {
            (enterprise.pk, indicator.pk, year, month): figure(n, indicator, year, month)
            for n, enterprise in enumerate(enterprises)
            for indicator in indicators
            for month in months
        }

    imported = figures(YEAR - 1, range(1, 13)) | figures(YEAR, range(1, FILLED))
    figures_write(changes=imported, user=admin, source=ChangeSource.IMPORT, approve_new=True)
    figures_write(changes=figures(YEAR, [FILLED]), user=staff, source=ChangeSource.ENTRY)
    FigureNote.objects.bulk_create(
        FigureNote(
            enterprise=enterprise,
            indicator=indicators[0],
            year=YEAR,
            month=FILLED,
            text="新生产线投产",
            written_by=staff,
        )
        for enterprise in enterprises[:5]
    )
    if park.pk is None:  # pragma: no cover - bulk_create sets it
        raise SystemExit("the park was not saved")


def staff_user():
    return user_save(
        username="bench_entry_staff", role=Role.STAFF, park_codes=[PARK], password=None
    )


def ensure_park() -> None:
    call_command("migrate", verbosity=0)
    if Park.objects.filter(code=PARK).exists():
        return
    start = time.perf_counter()
    with transaction.atomic():
        build()
    print(f"built the park in {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def timed(request) -> tuple[float, float, int, int]:
    """Return the seconds (wall clock and this process's CPU), queries and bytes of one
    request. On a busy machine the CPU time tells the page's own cost."""
    with CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        response = request()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if response.status_code not in (200, 302):
        raise SystemExit(f"HTTP {response.status_code}")
    return seconds, cpu, len(queries.captured_queries), len(response.content)


def report(name: str, runs: list[tuple[float, float, int, int]], goal: float | None) -> None:
    seconds = statistics.median(run[0] for run in runs)
    cpu = statistics.median(run[1] for run in runs)
    queries = "/".join(str(n) for n in sorted({run[2] for run in runs}))
    verdict = (
        "" if goal is None else (" — ok" if seconds < goal else f" — over {goal * 1000:.0f} ms")
    )
    print(
        f"  {name:26} median of {len(runs)}: {seconds * 1000:6.1f} ms "
        f"(min {min(run[0] for run in runs) * 1000:.1f}, "
        f"max {max(run[0] for run in runs) * 1000:.1f}; CPU {cpu * 1000:.1f} ms), "
        f"{queries} queries, {runs[0][3] / 1024:.0f} KB{verdict}"
    )


def save_every_cell(client: Client, url: str, run: int):
    """Return a request that saves the month with every figure changed, as the page would:
    one up on even runs, one down on odd ones, so that the month stays what it was."""
    page = client.get(url).content.decode()
    fields = dict(re.findall(r'name="((?:o|on|n)-\d+-\d+)" value="([^"]*)"', page))
    step = 1 if run % 2 == 0 else -1
    for name, value in re.findall(r'name="(v-\d+-\d+)" value="([^"]*)"', page):
        fields[name] = str(Decimal(value) + step) if value else ""
    fields["action"] = "save"
    return lambda: client.post(url, fields)


def main() -> None:
    ensure_park()
    print(f"database: {connection.vendor}; a park of {ENTERPRISES} enterprises × 6 indicators")
    client = Client()
    client.force_login(staff_user())
    for url in PAGES.values():
        client.get(url)  # warm up: imports, templates, connections
    for name, url in PAGES.items():
        report(name, [timed(lambda url=url: client.get(url)) for _ in range(RUNS)], GOAL)
    url = PAGES["month being filled"]
    saves = [timed(save_every_cell(client, url, run)) for run in range(RUNS)]
    report("save of 300 changed cells", saves, None)


if __name__ == "__main__":
    main()
