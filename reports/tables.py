"""Tables as plain data, their columns declared by name (as NetBox's tables do).

A table declares its columns once: each has a name, its Chinese header and the kind of
value it holds. A row gives its values by column name, and a drill-down link attaches
to a column's name, never to a position. A cell holds the value, how it is shown ("—"
when there is none) and, for a figure that adds up rows, the drill-down query that
lists them, or, for a name, the page of the record it names (an enterprise's). The
HTML page, the xlsx workbook and the docx document render the same tables.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from parkportal import display


class Kind(StrEnum):
    """How a value is shown: each kind has one text form and one spreadsheet format."""

    TEXT = "text"
    MONEY = "money"  # 万元, 2 decimals
    PERCENT = "percent"  # %, 2 decimals; a growth across a loss is its word (由盈转亏)
    POINTS = "points"  # percentage points, 2 decimals
    COUNT = "count"  # enterprises, projects, persons
    AREA = "area"  # 亩, 2 decimals
    DATE = "date"
    FIGURE = "figure"  # a figure as stored, unrounded: a change of one, say


WRITERS = {
    Kind.MONEY: display.money,
    Kind.AREA: display.money,
    Kind.PERCENT: display.rate,
    Kind.POINTS: display.rate,
    Kind.COUNT: display.whole,
    Kind.DATE: display.day,
    Kind.FIGURE: display.figure,
}


def show(value, kind: Kind) -> str:
    """Return `value` as the tables show it (parkportal.display); "—" when there is no
    figure, "" when no figure belongs in the cell (a total line's date, say)."""
    if value == "":
        return ""
    if kind == Kind.TEXT:
        return "" if value is None else str(value)
    return WRITERS[kind](value)


def text_width(text: str) -> int:
    """Return the width of `text` in CJK-width units, as printed tables and sheets size
    their columns: a Chinese character (or any wide one) takes two, anything else one."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


@dataclass(frozen=True)
class Column:
    name: str  # how rows and links address the column
    header: str
    kind: Kind = Kind.TEXT


class Cell(NamedTuple):
    """One value of a table, with its text and, for a traceable figure, its drill-down query;
    for a name, the address of the record's page.

    A named tuple rather than a frozen dataclass, as immutable: a zone's year-end summary
    makes twenty thousand of them, and a tuple is made three times as fast.
    """

    column: str
    value: object
    kind: Kind
    text: str
    query: str = ""  # the drill-down's query string, "" when the cell is no figure
    href: str = ""  # the named record's page, "" when the reader may not open it

    @property
    def number(self):
        """Return the number a spreadsheet stores for the cell, None when it holds none:
        a growth (indicators.domain.Growth) is its rate, and across a loss only words."""
        return getattr(self.value, "rate", self.value)


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    is_total: bool = False
    level: int = 0  # 1 for a "其中" line under the one above

    def cell(self, name: str) -> Cell:
        """Return the cell of the column named `name`."""
        return next(cell for cell in self.cells if cell.column == name)


@dataclass(frozen=True)
class Table:
    key: str  # also the xlsx sheet's name
    title: str
    unit: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    empty: str = "无"  # what the table says when it has no rows


def table_row(
    columns: list[Column],
    values: dict[str, object],
    links: dict[str, str] | None = None,
    *,
    pages: dict[str, str] | None = None,
    **kw,
) -> Row:
    """Return a row of `values` (column name → value) shown by the columns' kinds.

    A column without a value is left blank; `links` maps a column's name to the query of
    its drill-down, `pages` to the address of the page of the record the cell names. A
    value given as (value, kind) is shown by that kind instead of the column's: an
    indicator's amount is money or a count of persons.
    """
    links, pages = links or {}, pages or {}
    unknown = (values.keys() | links.keys() | pages.keys()) - {column.name for column in columns}
    if unknown:
        raise KeyError(f"no such column: {', '.join(sorted(unknown))}")
    cells = []
    for column in columns:
        name, kind = column.name, column.kind
        value = values.get(name, "")
        if isinstance(value, tuple):
            value, kind = value
        cells.append(
            Cell(name, value, kind, show(value, kind), links.get(name, ""), pages.get(name, ""))
        )
    return Row(cells, **kw)


def line_values(columns: list[Column], line) -> dict:
    """Return a line's values for `columns`: each read from the line's attribute of the
    column's name."""
    return {column.name: getattr(line, column.name) for column in columns}


def line_row(columns: list[Column], line, **kw) -> Row:
    """Return the row of a line (a dataclass) whose attributes are named as `columns`."""
    return table_row(columns, line_values(columns, line), **kw)


def lines_table(
    columns: list[Column],
    lines: list,
    *,
    total: dict | None = None,
    total_links: dict[str, str] | None = None,
    **table,
) -> Table:
    """Return a table of `lines` (each a dataclass whose attributes are named as the
    columns) and, when it lists any, a total line of `total` (values by column name)
    with its drill-down links; `table` gives the Table's key, title, unit, note, empty."""
    rows = [line_row(columns, line) for line in lines]
    if rows and total is not None:
        rows.append(table_row(columns, total, total_links, is_total=True))
    return Table(columns=columns, rows=rows, **table)
