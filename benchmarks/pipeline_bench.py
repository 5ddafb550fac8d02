"""Benchmark the pipeline's board and list with 5,000 leads, by hand.

Builds a zone of three parks and 5,000 leads over three years, at every stage, each
with two to four follow-ups and its stage history, and an investment user bound to the
zone. Then requests the board, the list, the list of those needing attention, a
filtered board and a lead's page as that user through the views. Prints the median
server time of each and its SQL queries.

    .venv/bin/python benchmarks/pipeline_bench.py       # SQLite, var/bench/pipeline.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parkportal_bench_pipeline \
        .venv/bin/python benchmarks/pipeline_bench.py

The data are built once per database (delete the file to build them anew). Goal: the
board and the list under 300 ms of server time, with as many queries as for 3 leads
(tests/investment/test_views.py pins it).
"""

import os
import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "DATABASE_URL" not in os.environ:
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench' / 'pipeline.sqlite3'}"
sys.path.insert(0, str(ROOT / "benchmarks"))

import report_bench  # noqa: E402, F401  (sets Django up on DATABASE_URL)
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from entry_bench import report, timed  # noqa: E402

from investment.choices import AssetType, Channel, FollowUpMethod, LeadStage  # noqa: E402
from investment.models import FollowUp, Lead, LeadStageChange  # noqa: E402
from parkportal.choices import ParkKind, Role  # noqa: E402
from parkportal.models import Industry, Park  # noqa: E402
from parkportal.services import user_save  # noqa: E402

LEADS = 5000
ZONE = "PBZ"
RUNS = int(os.environ.get("BENCH_RUNS", "9"))
GOAL = 0.3  # seconds of server time
PATH = [
    LeadStage.DOCKED,
    LeadStage.NEGOTIATING,
    LeadStage.INTENTION,
    LeadStage.SIGNED,
    LeadStage.LANDED,
]
OWNERS = ["孙晓东", "李娜", "周建军", "王磊", "吴海燕", "赵鹏", "bench_pipeline"]


def build() -> None:
    """Write the zone, its parks, the leads, their stage history and follow-ups."""
    rng = random.Random(13)
    today = date.today()
    zone = Park.objects.create(code=ZONE, name="招商基准开发区", kind=ParkKind.ZONE)
    parks = [
        Park.objects.create(code=f"PB{n}", name=f"招商基准{n}园", kind=ParkKind.PARK, parent=zone)
        for n in range(3)
    ]
    industries = [
        Industry.objects.get_or_create(name=name, defaults={"group": "traditional"})[0]
        for name in ("装备制造", "食品加工", "绿色建材", "新能源新材料")
    ]
    leads, changes, follow_ups = [], [], []
    for n in range(LEADS):
        docked = today - timedelta(days=rng.randrange(5, 1000))
        dropped = rng.random() < 0.2
        reached = rng.randrange(len(PATH))
        stage = LeadStage.DROPPED if dropped else PATH[reached]
        signed = docked + timedelta(days=60) if reached >= 3 and not dropped else None
        leads.append(
            Lead(
                code=f"PB{n:05d}",
                name=f"基准招商项目{n}",
                investor=f"基准投资方{n % 4700}有限公司",
                channel=rng.choice(Channel.values),
                industry=rng.choice(industries),
                planned_investment=Decimal(rng.randrange(1000, 100000)),
                asset_type=rng.choice(AssetType.values),
                stage=stage,
                docked_on=docked,
                signed_on=signed,
                landed_on=signed + timedelta(days=30) if signed and reached == 4 else None,
                park=rng.choice([*parks, None]),
                owner=rng.choice(OWNERS),
                drop_reason="资金未落实" if dropped else "",
            )
        )
    leads = Lead.objects.bulk_create(leads)
    for lead in leads:
        previous = ""
        for step, stage in enumerate(
            PATH[: PATH.index(lead.stage) + 1] if lead.stage in PATH else PATH[:1]
        ):
            changes.append(
                LeadStageChange(
                    lead=lead,
                    from_stage=previous,
                    to_stage=stage,
                    changed_on=min(lead.docked_on + timedelta(days=10 * step), today),
                )
            )
            previous = stage
        for k in range(rng.randrange(2, 5)):
            on = min(lead.docked_on + timedelta(days=7 * (k + 1)), today)
            follow_ups.append(
                FollowUp(
                    lead=lead,
                    date=on,
                    method=FollowUpMethod.values[k],
                    content="电话沟通投资进度",
                    next_on=on + timedelta(days=14),
                )
            )
    LeadStageChange.objects.bulk_create(changes, batch_size=2000)
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)


def investor():
    return user_save(
        username="bench_pipeline", role=Role.INVESTMENT, park_codes=[ZONE], password=None
    )


def ensure_leads() -> None:
    call_command("migrate", verbosity=0)
    if Park.objects.filter(code=ZONE).exists():
        return
    with transaction.atomic():
        build()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main() -> None:
    ensure_leads()
    lead = Lead.objects.filter(code="PB00042").get()
    pages = {
        "board": "/investment/",
        "list": "/investment/list/",
        "list, needing attention": "/investment/list/?attention=on",
        "list, page 50": "/investment/list/?page=50",
        "board, one channel": "/investment/?channel=agency&asset_type=heavy",
        "my leads": "/investment/mine/",
        "a lead's page": f"/investment/leads/{lead.pk}/",
    }
    print(f"database: {connection.vendor}; {Lead.objects.count()} leads")
    client = Client()
    client.force_login(investor())
    for url in pages.values():
        client.get(url)  # warm up: imports, templates, connections
    for name, url in pages.items():
        report(name, [timed(lambda url=url: client.get(url)) for _ in range(RUNS)], GOAL)


if __name__ == "__main__":
    main()
