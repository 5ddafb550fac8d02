"""A report table's rows, drawn in Python: the year-end summary's lists run to thousands
of rows (a zone's bonds, signed and intended leads), and the template language, with a
loop and its tests per cell, spent more time on them than building the whole report.

Every text from the data is escaped as the template would escape it (`conditional_escape`):
the cell's text, the address of the record it names and its drill-down's query.
"""

import html

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from reports.tables import Kind, Table

register = template.Library()


def _escaped(text) -> str:
    """Return `text` escaped as django.utils.html.conditional_escape escapes it (markup
    already safe kept as it is), without its lazy-string wrapper: a table's cells call it
    by the ten thousand."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


@register.simple_tag
def table_rows(table: Table) -> SafeString:
    """Return the `<tr>`s of `table`'s body: the first cell of a row heads it (`<th>`),
    a figure is right-aligned (`num`), and a cell links to the record it names or to the
    rows its figure adds up."""
    rows_url = _escaped(reverse("reports:year_end_rows"))
    return mark_safe("".join([_row(row, rows_url) for row in table.rows]))


def _row(row, rows_url: str) -> str:
    first, *others = row.cells
    return "".join(
        [
            '<tr class="is-total">' if row.is_total else "<tr>",
            '<th scope="row" class="is-sub">' if row.level else '<th scope="row">',
            _content(first, rows_url),
            "</th>",
            *[
                f"<td>{_content(cell, rows_url)}</td>"
                if cell.kind == Kind.TEXT
                else f'<td class="num">{_content(cell, rows_url)}</td>'
                for cell in others
            ],
            "</tr>",
        ]
    )


def _content(cell, rows_url: str) -> str:
    text = _escaped(cell.text)
    if cell.href:
        return f'<a href="{_escaped(cell.href)}">{text}</a>'
    if cell.query:
        return f'<a class="figure-link" href="{rows_url}?{_escaped(cell.query)}">{text}</a>'
    return text
