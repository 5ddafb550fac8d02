"""The year-end report prints: its .docx and .xlsx of the demo zone, rendered to PDF by
LibreOffice as an office's printer would, keep every table cell on one line, number
every page and head it with the zone's name, and print the narrative whole.

Needs LibreOffice (`soffice`) and poppler's pdfinfo and pdftotext; without soffice the
tests are skipped, saying so (.ci/run installs them).
"""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from docx import Document
from openpyxl import load_workbook

from parkportal.models import Park
from reports.scope import default_period, report_scope
from reports.year_end import narrative, report_tables, year_end_docx, year_end_report, year_end_xlsx

SOFFICE = shutil.which("soffice")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice (soffice) is not installed: the documents' print test needs it "
        "(apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils)",
    ),
]
SPACE = re.compile(r"\s+")


@pytest.fixture(autouse=True)
def fast_password_hashing():
    """Keep the real hasher: the demo's accounts are hashed once, module-wide."""


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed the demo zone, write its report as .docx and .xlsx, and render both to PDF
    with one LibreOffice run on a profile of its own; roll the demo back afterwards."""
    out = tmp_path_factory.mktemp("print")
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        scope = report_scope(Park.objects.get(kind="zone"))
        report = year_end_report(scope, default_period(scope))
        (out / "document.docx").write_bytes(year_end_docx(report))
        (out / "workbook.xlsx").write_bytes(year_end_xlsx(report))
        transaction.set_rollback(True)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{out / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(out / "document.docx"),
            str(out / "workbook.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return {"report": report, "out": out}


def pdf_pages(path: Path) -> list[str]:
    """Return the text of each page of a PDF, laid out as printed (pdftotext -layout)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)$", info.stdout, re.MULTILINE).group(1))


def squeezed(text: str) -> str:
    """Return `text` without white space: pdftotext spaces Latin figures from Chinese."""
    return SPACE.sub("", text)


def rows_broken_over_lines(tables, pages: list[str]) -> list[str]:
    """Return the rows of `tables` whose cells do not come out, in order, on one printed
    line: a row one of whose cells wraps spans two lines."""
    lines = {squeezed(line) for page in pages for line in page.splitlines()}
    broken = []
    for table in tables:
        for row in table.rows:
            cells = squeezed("".join(cell.text for cell in row.cells))
            if not any(cells in line for line in lines):
                broken.append(f"{table.title}: {' | '.join(cell.text for cell in row.cells)}")
    return broken


def test_the_word_report_keeps_every_table_cell_on_one_line(rendered):
    pages = pdf_pages(rendered["out"] / "document.pdf")
    tables = [table for table in report_tables(rendered["report"]) if table.rows]

    assert rows_broken_over_lines(tables, pages) == []


def test_the_word_report_numbers_its_pages_and_heads_them_with_the_zones_name(rendered):
    path = rendered["out"] / "document.pdf"
    pages = pdf_pages(path)
    count = page_count(path)

    # The narrative on A4 portrait, twelve tables on landscape pages: a handful of pages,
    # not one per table.
    assert len(pages) == count and 4 <= count <= 10
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页，共{count}页" in squeezed(page)
        assert page.lstrip().startswith("示范经济开发区")


def test_the_word_reports_properties_name_the_zone_and_the_moment_it_was_made(rendered):
    properties = Document(rendered["out"] / "document.docx").core_properties

    assert properties.author == properties.last_modified_by == "示范经济开发区"
    assert properties.title == rendered["report"].title
    assert properties.created.year >= 2026 and properties.created == properties.modified


def test_the_workbook_prints_each_sheet_on_one_page_wide_with_the_narrative_whole(rendered):
    path = rendered["out"] / "workbook.xlsx"
    pdf = path.with_suffix(".pdf")
    sheets = load_workbook(path).sheetnames
    pages = pdf_pages(pdf)

    # The demo's narrative and each of its tables fit one A4 page each.
    assert page_count(pdf) == len(sheets) == 15  # the narrative and 14 tables
    first = squeezed(pages[0])
    for paragraph in narrative(rendered["report"]):
        assert squeezed(paragraph) in first
    assert f"第1页，共{len(sheets)}页" in first
    tables = [table for table in report_tables(rendered["report"]) if table.rows]
    assert rows_broken_over_lines(tables, pages[1:]) == []
    assert not any("###" in page for page in pages)  # no number too wide for its column
