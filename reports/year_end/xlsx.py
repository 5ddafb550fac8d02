"""Write the year-end summary as an .xlsx workbook: the narrative, then a sheet per table
(reports.xlsx writes each table)."""

from ..xlsx import HEADER_ROW, TITLE_ROW, UNIT_ROW, Book
from .builder import YearEndReport
from .narrative import narrative
from .tables import report_tables

NARRATIVE_SHEET = "综述"


def year_end_xlsx(report: YearEndReport) -> bytes:
    """Return the report as an .xlsx file."""
    book = Book(report.title, "年度建设发展情况总结")
    _narrative_sheet(book, report)
    for table in report_tables(report):
        book.table_sheet(table)
    return book.close()


def _narrative_sheet(book: Book, report: YearEndReport) -> None:
    styles = book.styles
    sheet = book.book.add_worksheet(NARRATIVE_SHEET)
    sheet.set_column(0, 0, 120)
    sheet.write_string(TITLE_ROW, 0, report.title, styles["title"])
    sheet.write_string(UNIT_ROW, 0, "金额单位：亿元（保留4位小数）", styles["unit"])
    first = HEADER_ROW
    if report.incomplete:
        sheet.write_string(first, 0, report.incomplete, styles["warning"])
        first += 1
    for row, paragraph in enumerate(narrative(report), start=first):
        sheet.write_string(row, 0, paragraph, styles["paragraph"])
        # XlsxWriter does not size wrapped rows: about 60 Chinese characters fit a line.
        sheet.set_row(row, 15 * (len(paragraph) // 60 + 1))
