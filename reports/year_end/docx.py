"""Write the year-end summary as a .docx document, the one the county office circulates.

A4 portrait: the title, the period, the narrative in the documents' style; then the
tables on A4 landscape pages, each with its title and unit line, headers repeated
on every page. Every number is the text the tables module made, so the document
shows what the page and the workbook show.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
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


def year_end_docx(report: YearEndReport) -> bytes:
    """Return the report as a .docx file."""
    document = Document()
    _page(document.sections[0], landscape=False)
    _fonts(document)
    document.core_properties.title = report.title
    document.core_properties.subject = "年度建设发展情况总结"

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
    for table in tables:
        _table(document, table)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


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


def _table(document, table: Table) -> None:
    heading = document.add_paragraph(table.title, style="Heading 2")
    heading.paragraph_format.keep_with_next = True
    unit = document.add_paragraph(table.unit)
    unit.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    unit.paragraph_format.keep_with_next = True
    if not table.rows:
        document.add_paragraph(table.empty)
        return
    grid = document.add_table(rows=len(table.rows) + 1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    _repeat_header(header)
    for cell, column in zip(header.cells, table.columns, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(column.header).bold = True
        _shade(cell, "DCE6F1")
    # Straight to the XML: python-docx's run objects cost more than the text they hold,
    # and a zone's lists run to thousands of cells. A new cell holds one empty w:p.
    for tr, line in zip(grid._tbl.tr_lst[1:], table.rows, strict=True):
        for tc, value in zip(tr.tc_lst, line.cells, strict=True):
            paragraph = tc.p_lst[0]
            if value.kind in RIGHT_ALIGNED:
                SubElement(SubElement(paragraph, W_PPR), W_JC, {W_VAL: "right"})
            run = SubElement(paragraph, W_R)
            if line.is_total:
                SubElement(SubElement(run, W_RPR), W_B)
            text = SubElement(run, W_T)
            text.text = value.text
            if value.text != value.text.strip():
                text.set(XML_SPACE, "preserve")
    if table.note:
        note = document.add_paragraph(f"注：{table.note}")
        note.paragraph_format.space_before = Pt(3)
    document.add_paragraph()


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
