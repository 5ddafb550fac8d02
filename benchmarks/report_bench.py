"""Benchmark the year-end summary at the size of a large zone, by hand.

Builds a zone of 5,000 enterprises (`--enterprises`) × 3 years × 12 months × 6
indicators (about 1.1 million monthly figures, staged in bulk as a whole zone's
imported history, every park-month approved, the reports' sums recounted once), 2,000
projects with two years of monthly progress, 5,000 leads with their stage history
and 100 outreach events. Then requests the
report through the views as a leader, as HTML, xlsx and docx, and prints the median
time of each and its number of SQL queries.

    .venv/bin/python benchmarks/report_bench.py     # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parkportal_bench_report \
        .venv/bin/python benchmarks/report_bench.py

The data are built once per database (PostgreSQL keeps them between runs; set
BENCH_REBUILD=1 to drop the database and build them anew). Goal: HTML under 1 s, xlsx and docx under
2 s, and a number of queries that does not depend on the size of the data (the
test suite pins it at two sizes).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # static files without collectstatic, as in runserver
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")  # the test client's host
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"


def ensure_postgres_database(url: str, *, anew: bool = False) -> None:
    """Create the benchmark's PostgreSQL database when it does not exist yet, or drop
    and create it `anew`."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres"
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        if anew:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


if os.environ["DATABASE_URL"].startswith("postgres"):
    ensure_postgres_database(
        os.environ["DATABASE_URL"],
        anew=os.environ.get("BENCH_REBUILD", "").strip() not in {"", "0"},
    )

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from indicators.choices import PeriodStatus  # noqa: E402
from indicators.figures import analyze  # noqa: E402
from indicators.models import Indicator, MonthlyValue, PeriodSubmission  # noqa: E402
from indicators.sums import official_sums_rebuild  # noqa: E402
from investment.choices import AssetType, Channel, EventKind, LeadStage  # noqa: E402
from investment.models import Lead, OutreachEvent  # noqa: E402
from parkportal.bulk import staging_table  # noqa: E402
from parkportal.choices import IndustryGroup, ParkKind, Role, ScaleCategory  # noqa: E402
from parkportal.credit_code import with_check_character  # noqa: E402
from parkportal.models import Enterprise, Industry, Park  # noqa: E402
from parkportal.services import user_save  # noqa: E402
from projects.choices import KeyLevel, ProjectCategory, ProjectStage  # noqa: E402
from projects.models import Project  # noqa: E402

ENTERPRISES = 5000
INDUSTRIES = 10  # the 5+5 industries; every seventh enterprise has none
FIGURE_CHUNK = 1000  # enterprises' figures staged at a time
PROJECTS = 2000
LEADS = 5000
EVENTS = 100
YEARS = (2024, 2025, 2026)
PARKS = 5
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
REPORT = {"park": "BENCH", "year": 2026, "month": 12}
GOALS = {"html": 1.0, "xlsx": 2.0, "docx": 2.0}


def bulk_insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert plain tuples the way the imports do: staged (COPY on PostgreSQL), then one
    INSERT … SELECT."""
    quote = connection.ops.quote_name
    column_list = ", ".join(map(quote, columns))
    with staging_table(table, columns, rows) as staging, connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({column_list}) SELECT {column_list} FROM {staging}"
        )


def build(enterprises: int = ENTERPRISES) -> None:
    """Write the benchmark zone: register, figures, targets, projects, leads and events.

    `enterprises` sets the size: each has about 210 figures (0.3 M figures for 1,430
    enterprises, 1 M for 4,770, 3 M for 14,300)."""
    rng = random.Random(2026)
    zone = Park.objects.create(code="BENCH", name="基准开发区", kind=ParkKind.ZONE)
    parks = [
        Park.objects.create(
            code=f"BP{n}", name=f"基准园区{n}", kind=ParkKind.PARK, parent=zone, sort_order=n
        )
        for n in range(PARKS)
    ]
    industries = [
        Industry.objects.create(
            name=f"基准产业{n}",
            group=IndustryGroup.TRADITIONAL if n < 5 else IndustryGroup.EMERGING,
            sort_order=n,
        )
        for n in range(INDUSTRIES)
    ]
    categories = [c.value for c in ScaleCategory]
    enterprises = Enterprise.objects.bulk_create(
        (
            Enterprise(
                credit_code=with_check_character(f"91130627MB{n:07d}"),
                name=f"基准企业{n:05d}有限公司",
                park=parks[n % PARKS],
                industry=industries[n % INDUSTRIES] if n % 7 else None,
                in_statistics=(statistical := rng.random() < 0.8),
                scale_category=rng.choice(categories) if statistical and rng.random() < 0.5 else "",
                established_on=date(2026, rng.randint(1, 12), 1)
                if n % 50 == 0
                else date(rng.randint(2000, 2023), 1, 1),
            )
            for n in range(enterprises)
        ),
        batch_size=2000,
    )
    _figures(rng, enterprises)
    _targets(zone, parks)
    _projects(rng, parks)
    _leads(rng, parks)
    _events(rng)


def _figures(rng: random.Random, enterprises: list[Enterprise]) -> None:
    """Write the figures as a whole zone's imported history: straight into the table in
    chunks (COPY on PostgreSQL, executemany on SQLite), every park-month approved, then
    the reports' sums recounted once (indicators.sums), as after a workbook's import."""
    indicators = list(Indicator.objects.order_by("sort_order"))
    columns = ["enterprise_id", "indicator_id", "year", "month", "value"]
    for start in range(0, len(enterprises), FIGURE_CHUNK):
        rows = []
        for enterprise in enterprises[start : start + FIGURE_CHUNK]:
            level = rng.uniform(50, 5000)
            skips_january = rng.random() < 1 / 3
            new = enterprise.established_on.year == 2026
            for year in YEARS:
                if new and year < 2026:
                    continue
                level *= rng.uniform(0.9, 1.3)
                for month in range(1, 13):
                    if month == 1 and skips_january:
                        continue
                    for indicator in indicators:
                        if indicator.is_flow:
                            value = Decimal(round(level * month * rng.uniform(0.95, 1.05), 2))
                        else:
                            value = Decimal(round(level / 20))
                        rows.append((enterprise.pk, indicator.pk, year, month, value))
        bulk_insert(MonthlyValue._meta.db_table, columns, rows)
    PeriodSubmission.objects.bulk_create(
        PeriodSubmission(park_id=park_id, year=year, month=month, status=PeriodStatus.APPROVED)
        for park_id in {enterprise.park_id for enterprise in enterprises}
        for year in YEARS
        for month in range(1, 13)
    )
    # The sums' recount is planned on the figures' statistics: on those of the empty table
    # it was building (uncommitted, so autovacuum has not seen them) it ran for hours at
    # 3 million figures on PostgreSQL.
    analyze(MonthlyValue)
    analyze(Enterprise)
    official_sums_rebuild(years=YEARS)


def _targets(zone: Park, parks: list[Park]) -> None:
    rows = []
    for indicator in Indicator.objects.filter(kind="flow"):
        for park in [zone, *parks]:
            for kind in ("target", "forecast"):
                rows.append((park.pk, indicator.pk, 2026, kind, Decimal(1_000_000)))
    bulk_insert("indicators_target", ["park_id", "indicator_id", "year", "kind", "value"], rows)


def _projects(rng: random.Random, parks: list[Park]) -> None:
    stages = [s.value for s in ProjectStage]
    levels = [KeyLevel.PROVINCIAL, KeyLevel.CITY, KeyLevel.COUNTY]
    projects = Project.objects.bulk_create(
        Project(
            code=f"BXM{n:05d}",
            name=f"基准项目{n:05d}",
            park=parks[n % PARKS],
            category=rng.choice([c.value for c in ProjectCategory]),
            stage=rng.choice(stages),
            total_investment=Decimal(rng.randint(1000, 200000)),
            start_date=(start := date(2023, 1, 1) + timedelta(days=rng.randint(0, 1400))),
            completion_date=start + timedelta(days=rng.randint(200, 1100)),
            key_level=rng.choice(levels) if rng.random() < 0.08 else "",
        )
        for n in range(PROJECTS)
    )
    progress, bonds = [], []
    for project in projects:
        for year in (2025, 2026):
            completed = government = Decimal(0)
            share = Decimal(rng.choice([0, 0, 30, 100])) / 100
            for month in range(1, 13):
                spent = Decimal(rng.randint(10, 2000))
                completed += spent
                government += (spent * share).quantize(Decimal("0.01"))
                progress.append((project.pk, year, month, completed, government))
            if share and rng.random() < 0.5:
                bonds.append((project.pk, year, Decimal(rng.randint(100, 20000))))
    bulk_insert(
        "projects_projectprogress",
        ["project_id", "year", "month", "completed_investment", "government_investment"],
        progress,
    )
    bulk_insert("projects_specialbond", ["project_id", "year", "amount"], bonds)


def _leads(rng: random.Random, parks: list[Park]) -> None:
    stages = [
        LeadStage.DOCKED,
        LeadStage.NEGOTIATING,
        LeadStage.INTENTION,
        LeadStage.SIGNED,
        LeadStage.DROPPED,
    ]
    leads = []
    for n in range(LEADS):
        docked = date(2024, 1, 1) + timedelta(days=rng.randint(0, 1090))
        stage = rng.choice(stages)
        signed = (
            docked + timedelta(days=rng.randint(10, 200)) if stage == LeadStage.SIGNED else None
        )
        leads.append(
            Lead(
                code=f"BZS{n:05d}",
                name=f"基准招商项目{n:05d}",
                channel=rng.choice([c.value for c in Channel]),
                park=parks[n % PARKS] if n % 10 else None,
                stage=stage,
                docked_on=docked,
                signed_on=signed,
                asset_type=rng.choice([AssetType.HEAVY, AssetType.LIGHT]),
                planned_investment=Decimal(rng.randint(500, 100000)),
                land_area_mu=Decimal(rng.randint(10, 300)),
            )
        )
    leads = Lead.objects.bulk_create(leads)
    now = timezone.now()
    changes = []
    for lead in leads:
        changes.append((lead.pk, "", LeadStage.DOCKED, lead.docked_on, "", now))
        if lead.stage != LeadStage.DOCKED:
            on = lead.signed_on or lead.docked_on + timedelta(days=30)
            changes.append((lead.pk, LeadStage.DOCKED, lead.stage, on, "", now))
    bulk_insert(
        "investment_leadstagechange",
        ["lead_id", "from_stage", "to_stage", "changed_on", "note", "recorded_at"],
        changes,
    )


def _events(rng: random.Random) -> None:
    OutreachEvent.objects.bulk_create(
        OutreachEvent(
            date=date(2024, 1, 1) + timedelta(days=n * 10),
            name=f"基准招商活动{n:03d}",
            kind=rng.choice([k.value for k in EventKind]),
            leads_docked=rng.randint(1, 10),
            contracts_signed=rng.randint(0, 3),
            signed_amount=Decimal(rng.randint(0, 50000)),
        )
        for n in range(EVENTS)
    )


def timed(client: Client, output: str) -> tuple[float, int, int]:
    """Return the seconds, queries and bytes of one request of the report."""
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get("/reports/year-end/", {**REPORT, "format": output})
        seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{output}: HTTP {response.status_code}")
    return seconds, len(queries.captured_queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--enterprises",
        type=int,
        default=ENTERPRISES,
        help="enterprises of the zone when it is built (about 210 figures each)",
    )
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Park.objects.filter(code="BENCH").exists():
        start = time.perf_counter()
        with transaction.atomic():
            build(options.enterprises)
        print(f"built the zone in {time.perf_counter() - start:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    print(
        f"database: {connection.vendor}; {Enterprise.objects.count()} enterprises, "
        f"{MonthlyValue.objects.count():,} monthly figures, {Project.objects.count()} projects, "
        f"{Lead.objects.count()} leads"
    )
    user = user_save(username="bench_leader", role=Role.LEADER, password=None)
    client = Client()
    client.force_login(user)
    client.get("/reports/year-end/", REPORT)  # warm up: imports, templates, connections

    results = {}
    for output in ("html", "xlsx", "docx"):
        runs = [timed(client, output) for _ in range(RUNS)]
        seconds = statistics.median(run[0] for run in runs)
        queries = {run[1] for run in runs}
        results[output] = seconds
        verdict = "ok" if seconds < GOALS[output] else f"over the {GOALS[output]:.0f} s goal"
        print(
            f"  {output:5} median of {RUNS}: {seconds:.3f} s "
            f"(runs {', '.join(f'{run[0]:.3f}' for run in runs)}), "
            f"{'/'.join(map(str, sorted(queries)))} queries, {runs[0][2] / 1024:.0f} KB — {verdict}"
        )


if __name__ == "__main__":
    main()
