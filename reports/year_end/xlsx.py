"""Write the year-end summary as an .xlsx workbook: the narrative, then a sheet per table
(reports.xlsx writes each table). Every sheet prints on A4, one page wide: the narrative
in portrait, wrapped in a block as wide as the page with rows as tall as its lines."""

import math

from ..tables import text_width
from ..xlsx import HEADER_ROW, TITLE_ROW, UNIT_ROW, Book
from .builder import YearEndReport
from .narrative import narrative
from .tables import report_tables

NARRATIVE_SHEET = "综述"
MONEY_IN_TEXT = "金额：1亿元以上以亿元计，不足1亿元以万元计"


def year_end_xlsx(report: YearEndReport) -> bytes:
    """Return the report as an .xlsx file."""
    book = Book(report.title, "年度建设发展情况总结", author=report.park_name)
    _narrative_sheet(book, report)
    for table in report_tables(report):
        book.table_sheet(table)
    return book.close()


# The narrative prints on A4 portrait: each paragraph a block merged over NARRATIVE_COLUMNS
# columns of NARRATIVE_COLUMN_WIDTH, wrapped, its row as tall as its lines.
NARRATIVE_COLUMNS = 8
NARRATIVE_COLUMN_WIDTH = 11
# CJK-width units (reports.tables.text_width) a line of the block holds, with some air: a
# character of 11-pt type is a little wider than two of the column width's units.
LINE_UNITS = 84
LINE_HEIGHT = 16  # points, for 11-pt type
MAX_ROW_HEIGHT = 409  # what a spreadsheet row may be


def paragraph_height(text: str) -> int:
    """Return the height (points) of the row that shows `text` wrapped in the narrative's
    block: its lines, and half a line of air."""
    lines = math.ceil(text_width(text) / LINE_UNITS) or 1
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + LINE_HEIGHT // 2)


def _narrative_sheet(book: Book, report: YearEndReport) -> None:
    styles = book.styles
    sheet = book.book.add_worksheet(NARRATIVE_SHEET)
    last = NARRATIVE_COLUMNS - 1
    sheet.set_column(0, last, NARRATIVE_COLUMN_WIDTH)
    sheet.write_string(TITLE_ROW, 0, report.title, styles["title"])
    sheet.write_string(UNIT_ROW, 0, MONEY_IN_TEXT, styles["unit"])
    first = HEADER_ROW
    if report.incomplete:
        sheet.merge_range(first, 0, first, last, report.incomplete, styles["warning"])
        sheet.set_row(first, paragraph_height(report.incomplete))
        first += 1
    for row, paragraph in enumerate(narrative(report), start=first):
        sheet.merge_range(row, 0, row, last, paragraph, styles["paragraph"])
        sheet.set_row(row, paragraph_height(paragraph))
    book.print_setup(sheet, landscape=False)
