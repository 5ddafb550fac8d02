"""Benchmark the 项目 and 招商项目 sheets' import, the bulk way against the row path, by hand.

Builds a workbook with 园区 (a zone and three parks), 产业 (ten industries), 项目
(`--projects`, 2,000 by default) and 招商项目 (`--leads`, 5,000), then, `--runs` times
(3), for each way: empties the projects and leads, imports the file into them and
imports it again unchanged. "rows" is the row path (each row saved through
project_save / lead_save, as before the sheets went the bulk way), "bulk" the doors'
bulk functions (projects_import, leads_import). Prints each import's time and the
medians.

    .venv/bin/python benchmarks/register_import_bench.py              # SQLite, a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_bench \\
        .venv/bin/python benchmarks/register_import_bench.py

Measured on a busy 2-core machine (medians of 3; rows / bulk): SQLite, first import
111.7 s / 10.5 s, unchanged re-import 6.4 s / 1.0 s; PostgreSQL, 98.5 s / 9.7 s and
2.3 s / 0.9 s. Most of the bulk first import is the check constraints' queries, one
for each distinct value they read (parkportal.services._model_errors).
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from investment.models import Lead, LeadStageChange  # noqa: E402
from investment.resources import LeadResource  # noqa: E402
from projects.models import Project  # noqa: E402
from projects.resources import ProjectResource  # noqa: E402
from workbook.importer import workbook_import  # noqa: E402

PARKS = [
    ["KFQ", "基准开发区", "", "开发区"],
    ["P0", "基准园区0", "KFQ", "园区"],
    ["P1", "基准园区1", "KFQ", "园区"],
    ["P2", "基准园区2", "KFQ", "园区"],
]
INDUSTRIES = [[f"基准产业{i}", "传统产业" if i < 5 else "新兴产业"] for i in range(10)]
PROJECT_HEADERS = [
    "项目编号",
    "项目名称",
    "所属园区",
    "项目类别",
    "项目阶段",
    "总投资(万元)",
    "占地(亩)",
    "开工日期",
    "竣工日期",
    "重点级别",
    "包联领导",
]
LEAD_HEADERS = [
    "线索编号",
    "项目名称",
    "投资方",
    "招商方式",
    "所属产业",
    "计划投资(万元)",
    "阶段",
    "对接日期",
    "签约日期",
    "意向园区",
    "负责人",
]


def workbook(projects: int, leads: int) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})

    def sheet(name, headers, rows):
        worksheet = book.add_worksheet(name)
        worksheet.write_row(0, 0, headers)
        for number, row in enumerate(rows, start=1):
            worksheet.write_row(number, 0, row)

    sheet("园区", ["园区编码", "园区名称", "上级园区编码", "类型"], PARKS)
    sheet("产业", ["产业名称", "产业类别"], INDUSTRIES)
    sheet(
        "项目",
        PROJECT_HEADERS,
        (
            [
                f"BX-{i:05d}",
                f"基准项目{i}",
                f"P{i % 3}",
                "产业项目",
                "在建" if i % 2 else "前期手续",
                f"{1000 + i * 7}.5",
                f"{10 + i % 90}",
                "2029-03-01" if i % 2 else "",
                "",
                "市重点" if i % 10 == 0 else "",
                "张副县长" if i % 10 == 0 else "",
            ]
            for i in range(projects)
        ),
    )
    sheet(
        "招商项目",
        LEAD_HEADERS,
        (
            [
                f"BZ-{i:05d}",
                f"基准线索{i}",
                f"基准投资方{i}",
                "以商招商",
                INDUSTRIES[i % 10][0],
                f"{500 + i * 3}",
                "签约" if i % 4 == 0 else "对接",
                "2029-01-10",
                "2029-04-01" if i % 4 == 0 else "",
                f"P{i % 3}",
                "李四",
            ]
            for i in range(leads)
        ),
    )
    book.close()
    return buffer.getvalue()


def empty() -> None:
    with transaction.atomic():
        LeadStageChange.objects.all().delete()
        Lead.objects.all().delete()
        Lead.history.all().delete()
        Project.objects.all().delete()
        Project.history.all().delete()


def timed(data: bytes) -> tuple[float, dict]:
    start = time.perf_counter()
    report = workbook_import(data=data, filename="bench.xlsx")
    seconds = time.perf_counter() - start
    if not report.accepted:
        raise SystemExit("import rejected: " + "; ".join(map(str, report.problems[:5])))
    return seconds, {s.sheet: (s.created, s.updated, s.unchanged) for s in report.sheets}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--leads", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--ways", default="rows,bulk", help="rows, bulk or both (rows,bulk): which ways to time"
    )
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    data = workbook(options.projects, options.leads)
    print(f"{options.projects} projects, {options.leads} leads, {len(data) / 2**20:.1f} MB")
    results = {}
    ways = options.ways.split(",")
    for way, bulk in (("rows", False), ("bulk", True)):
        if way not in ways:
            continue
        ProjectResource.bulk = LeadResource.bulk = bulk
        firsts, agains = [], []
        for run in range(options.runs):
            empty()
            first, counts = timed(data)
            again, unchanged = timed(data)
            firsts.append(first)
            agains.append(again)
            print(
                f"{way} run {run + 1}: first import {first:.2f} s {counts.get('项目')} "
                f"{counts.get('招商项目')}; unchanged {again:.2f} s {unchanged.get('项目')} "
                f"{unchanged.get('招商项目')}"
            )
        results[way] = (statistics.median(firsts), statistics.median(agains))
    for way, (first, again) in results.items():
        print(f"median {way}: first import {first:.2f} s, unchanged re-import {again:.2f} s")
    if len(results) == 2:
        rows, bulk = results["rows"], results["bulk"]
        print(
            f"bulk against rows: first ×{rows[0] / bulk[0]:.1f}, unchanged ×{rows[1] / bulk[1]:.1f}"
        )


if __name__ == "__main__":
    main()
