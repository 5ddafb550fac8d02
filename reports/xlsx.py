"""Tables (reports.tables) written as .xlsx sheets, for every download of the reports.

Each sheet has the table's title, its unit line and the headers, frozen above the rows,
and prints on A4 landscape one page wide, the headers on every page. Numbers stay
numbers with a number format per kind (万元 and 亩 with 2 decimals and thousands
separators, % with 2, counts whole), and a missing figure is the text "—".
"""

import io
from datetime import UTC, date, datetime

import xlsxwriter

from .tables import Kind, Table, text_width

NUMBER_FORMATS = {
    Kind.MONEY: "#,##0.00",
    Kind.AREA: "#,##0.00",
    Kind.PERCENT: "0.00",
    Kind.POINTS: "0.00",
    Kind.COUNT: "#,##0",
    Kind.DATE: "yyyy-mm-dd",
    Kind.FIGURE: "General",
}
TITLE_ROW, UNIT_ROW, HEADER_ROW = 0, 1, 2


class Book:
    """An .xlsx workbook being written: its sheets are added, then `close()` returns it."""

    def __init__(self, title: str, subject: str, author: str = ""):
        """Start a workbook whose properties name its `title`, `subject` and `author` (the
        zone or park it reports on), made now; `author` heads every printed page."""
        self._buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self._buffer,
            {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True},
        )
        self.book.set_properties(
            {
                "title": title,
                "subject": subject,
                "author": author,
                "created": datetime.now(UTC).replace(microsecond=0, tzinfo=None),
            }
        )
        self.author = author
        self.styles = _styles(self.book)

    def table_sheet(self, table: Table) -> None:
        """Add a sheet named by the table's key that holds the table."""
        styles = self.styles
        sheet = self.book.add_worksheet(table.key)
        last_column = len(table.columns) - 1
        sheet.write_string(TITLE_ROW, 0, table.title, styles["title"])
        sheet.write_string(UNIT_ROW, 0, table.unit, styles["unit"])
        widths = []
        for column, spec in enumerate(table.columns):
            sheet.write_string(HEADER_ROW, column, spec.header, styles["header"])
            widths.append(max(10, text_width(spec.header) + 2))
        sheet.freeze_panes(HEADER_ROW + 1, 1)
        row = HEADER_ROW
        for row, line in enumerate(table.rows, start=HEADER_ROW + 1):
            suffix = "_total" if line.is_total else ""
            for column, cell in enumerate(line.cells):
                _write_cell(sheet, row, column, cell.number, cell.kind, cell.text, styles, suffix)
                widths[column] = min(60, max(widths[column], text_width(cell.text) + 2))
        if not table.rows:
            row += 1
            sheet.write_string(row, 0, table.empty, styles["note"])
        if table.note:
            sheet.merge_range(row + 2, 0, row + 2, max(last_column, 3), table.note, styles["note"])
            sheet.set_row(row + 2, 30)
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        self.print_setup(sheet, landscape=True)
        sheet.repeat_rows(HEADER_ROW)

    def print_setup(self, sheet, *, landscape: bool) -> None:
        """Print a sheet as an office would: A4, one page wide, the zone's name at the head
        of every page and its number at the foot; a table sheet in landscape."""
        sheet.set_paper(9)  # A4
        if landscape:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
        if self.author:
            # "&" starts a header code: a name's own "&" is written "&&".
            sheet.set_header("&C" + self.author.replace("&", "&&"))
        sheet.set_footer("&C第 &P 页，共 &N 页")

    def close(self) -> bytes:
        """Finish the workbook and return the .xlsx file."""
        self.book.close()
        return self._buffer.getvalue()


def _styles(book) -> dict:
    base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
    styles = {
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
        "unit": book.add_format({**base, "font_color": "#5B6675"}),
        "header": book.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#DCE6F1",
                "border": 1,
                "text_wrap": True,
                "align": "center",
            }
        ),
        "text": book.add_format({**base, "border": 1}),
        "text_total": book.add_format({**base, "border": 1, "bold": True, "bg_color": "#F2F4F7"}),
        "missing": book.add_format({**base, "border": 1, "align": "right"}),
        "missing_total": book.add_format(
            {**base, "border": 1, "align": "right", "bold": True, "bg_color": "#F2F4F7"}
        ),
        "paragraph": book.add_format({**base, "font_size": 11, "text_wrap": True, "valign": "top"}),
        "note": book.add_format({**base, "font_color": "#5B6675", "text_wrap": True}),
        "warning": book.add_format(
            {**base, "font_size": 11, "bold": True, "font_color": "#9C5700", "text_wrap": True}
        ),
    }
    for kind, number_format in NUMBER_FORMATS.items():
        styles[kind] = book.add_format({**base, "border": 1, "num_format": number_format})
        styles[f"{kind}_total"] = book.add_format(
            {**base, "border": 1, "num_format": number_format, "bold": True, "bg_color": "#F2F4F7"}
        )
    return styles


def _write_cell(sheet, row, column, value, kind: Kind, text: str, styles, suffix: str) -> None:
    if kind == Kind.TEXT:
        # A string cell is never a formula, whatever it starts with.
        sheet.write_string(row, column, text, styles["text" + suffix])
    elif value is None or value == "":
        sheet.write_string(row, column, text, styles["missing" + suffix])
    elif kind == Kind.DATE and isinstance(value, date):
        sheet.write_datetime(row, column, value, styles[str(kind) + suffix])
    else:
        # Excel keeps numbers as binary doubles: the Decimal's exact digits (4 decimals at
        # most) survive the conversion; the number format rounds what is shown.
        sheet.write_number(row, column, float(value), styles[str(kind) + suffix])
