"""Benchmark the whole workbook's import at the size of a large zone, by hand.

Builds a workbook in the documented format with the sheets 园区 (a zone and three
parks), 产业 (ten industries), 企业 (`--enterprises`, 5,000 by default) and 月度指标
(12 months of each enterprise, six indicators), then, `--runs` times (3): empties the
database's zone, imports the file into it and imports it again unchanged. It prints
the openpyxl read-only read time of the same file, each import's time, their ratio to
the read and the peak memory (the process's resident size, sampled every 20 ms while
the import runs), and the medians.

    .venv/bin/python benchmarks/import_bench.py --enterprises 5000    # SQLite, a temporary file
    .venv/bin/python benchmarks/import_bench.py --enterprises 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_bench \\
        .venv/bin/python benchmarks/import_bench.py --enterprises 20000

Goal: on both databases, the whole workbook into an empty database and the unchanged
re-import each take at most 1× the openpyxl read-only read of the same file, and the
peak memory stays under 400 MB at 20,000 enterprises.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings")
# As the portal runs: without DEBUG, whose log of every query a long import would keep.
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "import-bench-only")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from indicators.resources import MonthlyValueResource  # noqa: E402
from parkportal.credit_code import with_check_character  # noqa: E402
from parkportal.resources import EnterpriseResource, IndustryResource, ParkResource  # noqa: E402
from workbook.importer import workbook_import  # noqa: E402

YEAR = 2030
SHEETS = [ParkResource, IndustryResource, EnterpriseResource, MonthlyValueResource]
PARKS = [
    ["KFQ", "基准开发区", "", "开发区"],
    ["P0", "基准园区0", "KFQ", "园区"],
    ["P1", "基准园区1", "KFQ", "园区"],
    ["P2", "基准园区2", "KFQ", "园区"],
]
INDUSTRIES = [[f"基准产业{i}", "传统产业" if i < 5 else "新兴产业"] for i in range(10)]


def whole_workbook(enterprises: int) -> bytes:
    """Return the workbook: 园区, 产业, 企业 and 月度指标, written as the portal exports."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("园区")
    sheet.write_row(0, 0, ["园区编码", "园区名称", "上级园区编码", "类型"])
    for number, row in enumerate(PARKS, start=1):
        sheet.write_row(number, 0, row)
    sheet = book.add_worksheet("产业")
    sheet.write_row(0, 0, ["产业名称", "产业类别"])
    for number, row in enumerate(INDUSTRIES, start=1):
        sheet.write_row(number, 0, row)
    codes = [with_check_character(f"91130627MA{i:07d}") for i in range(enterprises)]
    names = [f"基准企业{i:05d}有限公司" for i in range(enterprises)]
    sheet = book.add_worksheet("企业")
    headers = ["统一社会信用代码", "企业名称", "所属园区", "所属产业", "是否入统", "四上类别"]
    sheet.write_row(0, 0, headers)
    for i in range(enterprises):
        above = i % 4 == 0
        sheet.write_row(
            i + 1,
            0,
            [
                codes[i],
                names[i],
                f"P{i % 3}",
                INDUSTRIES[i % 10][0],
                "是" if above or i % 2 else "否",
                "规上工业" if above else "",
            ],
        )
    sheet = book.add_worksheet("月度指标")
    sheet.write_row(0, 0, MonthlyValueResource.headers())  # the format, from the catalog
    row = 1
    for i in range(enterprises):
        base = 100 + (i % 997)
        for month in range(1, 13):
            sheet.write_row(
                row,
                0,
                [
                    codes[i],
                    names[i],
                    YEAR,
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


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakMemory:
    """The process's largest resident size while the block runs, sampled every 20 ms."""

    def __enter__(self):
        self.peak = rss_mb()
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while self._running:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.02)

    def __exit__(self, *exc):
        self._running = False
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def timed_import(data: bytes) -> tuple[float, float, dict]:
    with PeakMemory() as memory:
        start = time.perf_counter()
        report = workbook_import(data=data, filename="bench.xlsx")
        seconds = time.perf_counter() - start
    if not report.accepted:
        raise SystemExit("import rejected: " + "; ".join(map(str, report.problems[:5])))
    return (
        seconds,
        memory.peak,
        {s.sheet: (s.created, s.updated, s.unchanged) for s in report.sheets},
    )


def empty_the_zone() -> None:
    """Delete what an import wrote, so that the next run imports into an empty database."""
    from django.apps import apps

    doomed = [
        "indicators.FigureChange",
        "indicators.FigureSum",
        "indicators.MonthlyValue",
        "indicators.PeriodEvent",
        "indicators.PeriodSubmission",
        "parkportal.Enterprise",
        "parkportal.Industry",
    ]
    with transaction.atomic():
        for label in doomed:
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            model.objects.all().delete()
            history = getattr(model, "history", None)
            if history is not None:
                history.all().delete()
        park = apps.get_model("parkportal.Park")
        park.objects.filter(parent__isnull=False).delete()
        park.objects.all().delete()
        park.history.all().delete()


def floor_seconds(data: bytes, enterprises: int) -> tuple[float, float]:
    """Return the time of a bare bulk write of the import's figures (COPY on PostgreSQL,
    executemany on SQLite, straight into the figures' table, its foreign keys checked)
    and of their change-log rows (one INSERT … SELECT from the figures): what no import
    of the same figures can beat here. The register is imported first; the figures are
    rolled back."""
    from django.utils import timezone

    from indicators.models import FigureChange, MonthlyValue
    from parkportal.models import Enterprise

    register = whole_workbook_register(enterprises)
    report = workbook_import(data=register, filename="register.xlsx")
    assert report.accepted, report.problems
    ids = list(Enterprise.objects.order_by("credit_code").values_list("pk", flat=True))
    indicators = [i.pk for i in MonthlyValueResource().indicators]
    now = timezone.now()

    def figures():
        for e in ids:
            for month in range(1, 13):
                for indicator in indicators:
                    yield (e, indicator, YEAR, month, f"{100 + e % 997}.2500")

    value_columns = ["enterprise_id", "indicator_id", "year", "month", "value"]
    times = []
    with transaction.atomic():
        start = time.perf_counter()
        _bare_write(MonthlyValue._meta.db_table, value_columns, figures())
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        with connection.cursor() as cursor:  # the log of what was just written, in SQL
            cursor.execute(
                f"INSERT INTO {FigureChange._meta.db_table} (enterprise_id, indicator_id, "
                "year, month, old_value, new_value, changed_at, changed_by_id, source, "
                "reference) SELECT enterprise_id, indicator_id, year, month, NULL, value, "
                f"%s, NULL, 'import', 'bench.xlsx' FROM {MonthlyValue._meta.db_table}",
                [now],
            )
        times.append(time.perf_counter() - start)
        transaction.set_rollback(True)
    return times[0], times[1]


def _bare_write(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            buffer.writelines(
                "\t".join("\\N" if v is None else str(v) for v in row) + "\n" for row in rows
            )
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the checks a commit would make
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def whole_workbook_register(enterprises: int) -> bytes:
    """Return the workbook's 园区, 产业 and 企业 sheets alone."""
    from openpyxl import Workbook

    whole = load_workbook(io.BytesIO(whole_workbook(enterprises)), read_only=True)
    book = Workbook()
    book.remove(book.active)
    for name in ("园区", "产业", "企业"):
        sheet = book.create_sheet(name)
        for row in whole[name].iter_rows(values_only=True):
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")))
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time a bare bulk write of the same figures and change-log rows",
    )
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    data = whole_workbook(options.enterprises)
    if options.floor:
        empty_the_zone()
        figures, changes = floor_seconds(data, options.enterprises)
        print(
            f"floor: a bare {'COPY' if connection.vendor == 'postgresql' else 'executemany'} "
            f"of the {options.enterprises * 72} figures {figures:.2f} s, of their change-log "
            f"rows {changes:.2f} s, together {figures + changes:.2f} s",
            flush=True,
        )
    rows = options.enterprises * 13 + len(PARKS) + len(INDUSTRIES)
    print(
        f"database: {connection.vendor}; workbook: {options.enterprises} enterprises, "
        f"{rows} rows ({options.enterprises * 12} monthly), {len(data) / 1e6:.1f} MB; "
        f"sheets {'、'.join(r.sheet for r in SHEETS)}"
    )
    reads, firsts, agains, peaks = [], [], [], []
    for run in range(options.runs):
        empty_the_zone()
        reads.append(read_only_seconds(data))
        first, peak_first, summary = timed_import(data)
        again, peak_again, summary_again = timed_import(data)
        firsts.append(first)
        agains.append(again)
        peaks.append(max(peak_first, peak_again))
        print(
            f"run {run + 1}: read-only {reads[-1]:.2f} s; import {first:.2f} s "
            f"({first / reads[-1]:.2f}×, peak {peak_first:.0f} MB) {summary}; "
            f"re-import {again:.2f} s ({again / reads[-1]:.2f}×, peak {peak_again:.0f} MB) "
            f"{summary_again}",
            flush=True,
        )
    read, first, again = map(statistics.median, (reads, firsts, agains))
    print(f"median of {options.runs}: openpyxl read-only read {read:.2f} s")
    print(f"  import into an empty database {first:.2f} s = {first / read:.2f}× the read")
    print(f"  re-import unchanged           {again:.2f} s = {again / read:.2f}× the read")
    print(f"  peak memory (resident, median of the runs' peaks) {statistics.median(peaks):.0f} MB")


if __name__ == "__main__":
    main()
