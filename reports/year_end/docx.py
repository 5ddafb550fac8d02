"""Write the year-end summary as a .docx document, the one the county office circulates.

A4 portrait: the title, the period, the narrative in the documents' style; then the
tables on A4 landscape pages, each with its title and unit line, headers repeated
on every page. Every number is the text the tables module made, so the document
shows what the page and the workbook show.

It prints as it reads: each table's columns are as wide as their longest cell (fixed
layout, so Word and LibreOffice lay it out alike), so no figure, code or name breaks
inside itself; a table too wide for the page is set in a smaller type. Every page carries the
zone's name at its head and its number at its foot; the file's properties name the
zone as its author and the moment it was made.
"""

import io
import math
from datetime import UTC, datetime

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor
from lxml.etree import SubElement

from ..tables import Kind, Table
from .builder import YearEndReport
from .narrative import narrative
from .tables import report_tables

W_PPR, W_JC, W_VAL = qn("w:pPr"), qn("w:jc"), qn("w:val")
W_R, W_RPR, W_B, W_T = qn("w:r"), qn("w:rPr"), qn("w:b"), qn("w:t")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
BODY_FONT = "仿宋"
TITLE_FONT = "黑体"
TABLE_FONT = "宋体"
RIGHT_ALIGNED = set(Kind) - {Kind.TEXT}
W_TCW, W_W, W_TYPE, W_SZ = qn("w:tcW"), qn("w:w"), qn("w:type"), qn("w:sz")
W_NOWRAP = qn("w:noWrap")

TABLE_PT = 9  # the tables' type size (the Normal style)
SMALLEST_PT = 6.5  # a table never gets smaller type than this
TWIPS_PER_PT = 20
# Twips of a cell's left and right padding together (Word's default 0.19 cm each side),
# and some air.
CELL_PADDING = 2 * 108 + 80
# Widths in em of the type the document meets: a CJK character is one em (two CJK-width
# units); Latin letters and digits are measured for the widest font a reader may set them
# in (DejaVu Sans, LibreOffice's stand-in for 宋体's Latin letters: digits 0.64 em, capitals
# up to 0.77), bold a tenth wider.
CJK_EM, CAPITAL_EM, LATIN_EM = 1.0, 0.76, 0.66
BOLD = 1.1
HEADER_LINES = 2  # a header may wrap over two lines, a cell never does


def year_end_docx(report: YearEndReport) -> bytes:
    """Return the report as a .docx file."""
    document = Document()
    _page(document.sections[0], landscape=False)
    _fonts(document)
    _properties(document, report)
    _head_and_foot(document.sections[0], report.park_name)

    title = document.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(report.title)
    period = document.add_paragraph(style="Subtitle")
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period.add_run(f"（截至{report.period.year}年{report.period.month}月末）")
    if report.incomplete:
        warning = document.add_paragraph()
        warning.alignment = WD_ALIGN_PARAGRAPH.CENTER
        warning.add_run(report.incomplete).bold = True

    document.add_paragraph("一、总体情况", style="Heading 1")
    for text in narrative(report):
        document.add_paragraph(text, style="Body Text")

    tables = report_tables(report)
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    document.add_paragraph("二、附表", style="Heading 1")
    width = Length(section.page_width - section.left_margin - section.right_margin).twips
    for table in tables:
        _table(document, table, width)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _properties(document, report: YearEndReport) -> None:
    """Name the zone (or park) as the file's author and the moment it was made as its
    creation and last change: python-docx's template says "python-docx", 2013."""
    properties = document.core_properties
    now = datetime.now(UTC).replace(microsecond=0)
    properties.title = report.title
    properties.subject = "年度建设发展情况总结"
    properties.author = properties.last_modified_by = report.park_name
    properties.created = properties.modified = now
    properties.revision = 1
    properties.keywords = properties.comments = ""


def _head_and_foot(section, name: str) -> None:
    """Put the zone's name at the head of every page and the page's number at its foot
    ("第 3 页，共 12 页", Word fields). Later sections inherit both."""
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.add_run(name).font.size = Pt(9)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Text, then a field Word and LibreOffice fill in: PAGE, NUMPAGES.
    for text, field in (("第 ", "PAGE"), (" 页，共 ", "NUMPAGES"), (" 页", None)):
        foot.add_run(text).font.size = Pt(9)
        if field:
            _field(foot, field)


def _field(paragraph, instruction: str) -> None:
    """Append a simple field (PAGE, NUMPAGES) whose shown text Word and LibreOffice update."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = SubElement(field, W_R)
    SubElement(SubElement(run, W_RPR), W_SZ, {W_VAL: "18"})
    SubElement(run, W_T).text = "1"
    paragraph._p.append(field)


def _page(section, *, landscape: bool) -> None:
    """Set an A4 page, portrait or landscape, with the margins of official documents."""
    short, long = Cm(21), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin = section.bottom_margin = Cm(2.5 if not landscape else 2)
    section.left_margin = section.right_margin = Cm(2.6 if not landscape else 2)


def _east_asian(style, font: str) -> None:
    """Give a style a Chinese font (Word takes East Asian text from w:eastAsia)."""
    style.font.name = font
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def _fonts(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    _east_asian(normal, TABLE_FONT)
    normal.font.size = Pt(9)
    normal.paragraph_format.space_after = Pt(0)

    body = styles["Body Text"]
    _east_asian(body, BODY_FONT)
    body.font.size = Pt(14)
    body.paragraph_format.first_line_indent = Pt(28)  # two characters
    body.paragraph_format.line_spacing = Pt(26)
    body.paragraph_format.space_after = Pt(0)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    for name, size in (("Title", 20), ("Subtitle", 14), ("Heading 1", 14), ("Heading 2", 11)):
        style = styles[name]
        _east_asian(style, TITLE_FONT if name != "Subtitle" else BODY_FONT)
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(6)
    # The Title style's bottom border is Word's flourish, not the documents' style.
    border = styles["Title"].element.find(qn("w:pPr") + "/" + qn("w:pBdr"))
    if border is not None:
        border.getparent().remove(border)


def _table(document, table: Table, width: int) -> None:
    heading = document.add_paragraph(table.title, style="Heading 2")
    heading.paragraph_format.keep_with_next = True
    unit = document.add_paragraph(table.unit)
    unit.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    unit.paragraph_format.keep_with_next = True
    if not table.rows:
        document.add_paragraph(table.empty)
        return
    size, widths = column_widths(table, width)
    grid = document.add_table(rows=len(table.rows) + 1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(grid, widths)
    half_points = {W_VAL: str(round(size * 2))}
    header = grid.rows[0]
    _repeat_header(header)
    for cell, column, twips in zip(header.cells, table.columns, widths, strict=True):
        _cell_width(cell._tc, twips)
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(column.header)
        run.bold = True
        run.font.size = Pt(size)
        _shade(cell, "DCE6F1")
    # Straight to the XML: python-docx's run objects cost more than the text they hold,
    # and a zone's lists run to thousands of cells. A new cell holds one empty w:p.
    for tr, line in zip(grid._tbl.tr_lst[1:], table.rows, strict=True):
        for tc, value, twips in zip(tr.tc_lst, line.cells, widths, strict=True):
            SubElement(_cell_width(tc, twips), W_NOWRAP)
            paragraph = tc.p_lst[0]
            if value.kind in RIGHT_ALIGNED:
                SubElement(SubElement(paragraph, W_PPR), W_JC, {W_VAL: "right"})
            run = SubElement(paragraph, W_R)
            properties = SubElement(run, W_RPR)
            if line.is_total:
                SubElement(properties, W_B)
            SubElement(properties, W_SZ, half_points)
            text = SubElement(run, W_T)
            text.text = value.text
            if value.text != value.text.strip():
                text.set(XML_SPACE, "preserve")
    if table.note:
        note = document.add_paragraph(f"注：{table.note}")
        note.paragraph_format.space_before = Pt(3)
    document.add_paragraph()


def ems(text: str, *, bold: bool = False) -> float:
    """Return the printed width of `text` in em: a CJK character (two CJK-width units)
    one em, a capital letter CAPITAL_EM, any other character LATIN_EM."""
    width = sum(
        CJK_EM if ord(ch) > 0x2E80 else CAPITAL_EM if ch.isupper() else LATIN_EM for ch in text
    )
    return width * BOLD if bold else width


def column_widths(table: Table, width: int) -> tuple[float, list[int]]:
    """Return the type size (pt) and the columns' widths (twips) that lay `table` out
    within `width` twips: each column as wide as its longest cell (`ems`), its header
    over at most two lines; a table wider than the page gets a smaller type, down to
    SMALLEST_PT."""
    columns = []
    for index, column in enumerate(table.columns):
        cells = max(ems(row.cells[index].text, bold=row.is_total) for row in table.rows)
        header = ems(column.header, bold=True) / HEADER_LINES
        columns.append(max(cells, header, 2 * CJK_EM))
    size = TABLE_PT
    while True:
        em = size * TWIPS_PER_PT
        widths = [math.ceil(count * em) + CELL_PADDING for count in columns]
        if sum(widths) <= width or size <= SMALLEST_PT:
            return size, widths
        size -= 0.5


def _fixed_layout(grid, widths: list[int]) -> None:
    """Give the table a fixed layout of the columns' widths: autofit off, each grid
    column and the table's own width set, so no reader recomputes them."""
    grid.autofit = False
    properties = grid._tbl.tblPr
    for name in ("w:tblW", "w:tblLayout"):
        for old in properties.findall(qn(name)):
            properties.remove(old)
    table_width = OxmlElement("w:tblW")
    table_width.set(W_W, str(sum(widths)))
    table_width.set(W_TYPE, "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(W_TYPE, "fixed")
    # CT_TblPr keeps its children in the schema's order: style, jc, width, layout…
    properties.append(table_width)
    properties.append(layout)
    _order(properties)
    for column, twips in zip(grid._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.set(W_W, str(twips))


TBLPR_ORDER = [
    qn(f"w:{name}")
    for name in (
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
    )
]


def _order(properties) -> None:
    """Sort a w:tblPr's children into the order the schema requires."""
    children = sorted(properties, key=lambda child: TBLPR_ORDER.index(child.tag))
    for child in children:
        properties.append(child)


def _cell_width(tc, twips: int):
    """Set a cell's width (w:tcW, the first of its properties); return its w:tcPr."""
    properties = tc.get_or_add_tcPr()
    for old in properties.findall(W_TCW):
        properties.remove(old)
    cell_width = OxmlElement("w:tcW")
    cell_width.set(W_W, str(twips))
    cell_width.set(W_TYPE, "dxa")
    properties.insert(0, cell_width)
    return properties


def _repeat_header(row) -> None:
    """Repeat the header row at the top of every page the table runs over."""
    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)
