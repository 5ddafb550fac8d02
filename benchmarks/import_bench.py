"""Benchmark the workbook import at the size of a large zone, by hand.

Builds a workbook of 5,000 enterprises × 12 months (60,000 rows × 6 indicators)
in the documented format, imports it into a year with no figures yet, imports it
again unchanged (each run a year of its own), and prints: the openpyxl read-only
read time of the same file, the full import time, their ratio, rows per second and
the peak memory.

    .venv/bin/python benchmarks/import_bench.py     # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_bench \
        .venv/bin/python benchmarks/import_bench.py

Goal: the import (parse, check, write) and the unchanged re-import each take at
most 3× the read-only read time; peak memory under 500 MB.
"""

import io
import os
import resource
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
from django.db import connection  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from indicators.resources import MonthlyValueResource  # noqa: E402
from parkportal.credit_code import with_check_character  # noqa: E402
from parkportal.models import Enterprise, Park  # noqa: E402
from workbook.importer import workbook_import  # noqa: E402
from workbook.writer import workbook_bytes  # noqa: E402

ENTERPRISES = 5000
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
FIRST_YEAR = 2030


def build_register() -> None:
    zone = Park.objects.create(code="KFQ", name="基准开发区", kind="zone")
    parks = [
        Park.objects.create(code=f"P{i}", name=f"基准园区{i}", kind="park", parent=zone)
        for i in range(3)
    ]
    Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=with_check_character(f"91130627MA{i:07d}"),
            name=f"基准企业{i:05d}有限公司",
            park=parks[i % 3],
            in_statistics=True,
        )
        for i in range(ENTERPRISES)
    )


def monthly_workbook(year: int) -> bytes:
    import xlsxwriter

    headers = MonthlyValueResource.headers()  # the documented format, from the catalog
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("月度指标")
    sheet.write_row(0, 0, headers)
    row = 1
    for code, name in Enterprise.objects.order_by("credit_code").values_list("credit_code", "name"):
        base = 100 + (row % 997)
        for month in range(1, 13):
            sheet.write_row(
                row,
                0,
                [
                    code,
                    name,
                    year,
                    month,
                    base * month + 0.25,
                    base * month * 1.5,
                    base * month / 20,
                    base * month / 4,
                    base * month / 10 - 50,
                    50 + row % 300,
                ],
            )
            row += 1
    book.close()
    return buffer.getvalue()


def read_only_seconds(data: bytes) -> float:
    start = time.perf_counter()
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    book.close()
    return time.perf_counter() - start


def timed_import(data: bytes) -> tuple[float, dict]:
    start = time.perf_counter()
    report = workbook_import(data=data, filename="bench.xlsx")
    seconds = time.perf_counter() - start
    if not report.accepted:
        raise SystemExit("import rejected: " + "; ".join(map(str, report.problems[:5])))
    return seconds, {s.sheet: (s.created, s.updated, s.unchanged) for s in report.sheets}


def main() -> None:
    call_command("migrate", verbosity=0)
    if not Enterprise.objects.exists():
        build_register()
    rows = ENTERPRISES * 12
    print(f"database: {connection.vendor}; workbook: {rows} rows")

    reads, firsts, seconds_again = [], [], []
    for run in range(RUNS):
        # Each run imports a year of its own into the table: a first import of that year
        # (nothing of it stored, no month in the workflow), then the same file again.
        data = monthly_workbook(FIRST_YEAR + run)
        reads.append(read_only_seconds(data))
        first, summary = timed_import(data)
        again, summary_again = timed_import(data)
        firsts.append(first)
        seconds_again.append(again)
        print(
            f"run {run + 1}: read-only {reads[-1]:.2f} s, import {first:.2f} s {summary}, "
            f"re-import {again:.2f} s {summary_again}"
        )

    read = statistics.median(reads)
    first = statistics.median(firsts)
    again = statistics.median(seconds_again)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"median of {RUNS}: openpyxl read-only read {read:.2f} s")
    print(
        f"  import into an empty table {first:.2f} s = {first / read:.2f}× the read, "
        f"{rows / first:,.0f} rows/s"
    )
    print(
        f"  re-import unchanged        {again:.2f} s = {again / read:.2f}× the read, "
        f"{rows / again:,.0f} rows/s"
    )
    print(f"  peak memory (max RSS) {peak_mb:.0f} MB")
    print("  export of the sheet: ", end="")
    start = time.perf_counter()
    exported = workbook_bytes([MonthlyValueResource], with_data=True)
    print(f"{time.perf_counter() - start:.2f} s, {len(exported) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
