"""The year-end .docx lays its tables out to print: columns fitted to their longest cell,
a fixed layout, smaller type for a table too wide, page numbers and the zone's name
(reports.year_end.docx). Runs without LibreOffice; test_print_render.py prints it."""

import io
import math
from decimal import Decimal as D

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from reports.tables import Column, Kind, table_row
from reports.tables import Table as ReportTable
from reports.year_end.docx import (
    CELL_PADDING,
    SMALLEST_PT,
    TABLE_PT,
    TWIPS_PER_PT,
    column_widths,
    ems,
)
from tests.reports.small_zone import build_small_zone

LANDSCAPE = 14570  # twips across an A4 landscape page within 2 cm margins


@pytest.mark.parametrize(
    ("text", "bold", "width"),
    [
        ("营业收入", False, 4.0),  # a CJK character is one em
        ("1,149.10", False, 8 * 0.66),
        ("XM", False, 2 * 0.76),  # capitals run wider
        ("开发区110千伏", False, 5 + 3 * 0.66),
        ("合计", True, 2 * 1.1),  # bold, a tenth wider
        ("", False, 0),
    ],
)
def test_a_texts_printed_width_is_measured_in_em(text, bold, width):
    assert ems(text, bold=bold) == pytest.approx(width)


def table_of(columns: int) -> ReportTable:
    """Return a table of one row of `columns` sums of 1,012,970.12万元."""
    spec = [Column(f"c{n}", f"列{n}", Kind.MONEY) for n in range(columns)]
    row = table_row(spec, {f"c{n}": D("1012970.12") for n in range(columns)})
    return ReportTable("t", "表", "", spec, [row])


@pytest.mark.parametrize(
    ("columns", "size"),
    [
        (4, TABLE_PT),  # fits at the tables' size
        (10, 7),  # ten 12-character figures: smaller type
        (30, SMALLEST_PT),  # never smaller than this, even if it still does not fit
    ],
)
def test_a_table_too_wide_for_the_page_gets_smaller_type(columns, size):
    chosen, widths = column_widths(table_of(columns), LANDSCAPE)

    assert chosen == size
    cell = math.ceil(ems("1,012,970.12") * chosen * TWIPS_PER_PT) + CELL_PADDING
    assert widths == [cell] * columns
    assert sum(widths) <= LANDSCAPE or chosen == SMALLEST_PT


@pytest.fixture
def document(client, leader, zone, park_a, park_b):
    build_small_zone(zone, park_a, park_b)
    client.force_login(leader)
    response = client.get(
        reverse("reports:year_end"), {"park": "KFQ", "year": 2026, "month": 3, "format": "docx"}
    )
    return Document(io.BytesIO(response.content))


def test_every_table_has_a_fixed_layout_of_fitted_columns(document):
    for table in document.tables:
        properties = table._tbl.tblPr
        layout = properties.find(qn("w:tblLayout"))
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.gridCol_lst]
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        assert int(properties.find(qn("w:tblW")).get(qn("w:w"))) == sum(grid) <= LANDSCAPE
        for row in table.rows:
            widths = [int(cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for cell in row.cells]
            assert widths == grid


def test_every_page_has_the_zones_name_at_its_head_and_its_number_at_its_foot(document):
    section = document.sections[0]
    fields = [
        field.get(qn("w:instr")).strip()
        for field in section.footer._element.iter(qn("w:fldSimple"))
    ]

    assert section.header.paragraphs[0].text == "示范经济开发区"
    assert fields == ["PAGE", "NUMPAGES"]
    assert section.footer.paragraphs[0].text.startswith("第 ")
    assert all(later.header.is_linked_to_previous for later in document.sections[1:])
    assert all(later.footer.is_linked_to_previous for later in document.sections[1:])


def test_the_file_names_the_zone_as_its_author(document):
    properties = document.core_properties

    assert properties.author == "示范经济开发区"
    assert properties.created is not None and properties.created.year >= 2026
