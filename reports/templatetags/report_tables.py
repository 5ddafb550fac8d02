"""A report table's rows, drawn in Python: the year-end summary's lists run to thousands
of rows (a zone's bonds, signed and intended leads), and the template language, with a
loop and its tests per cell, spent more time on them than building the whole report.

Every text from the data is escaped as the template would escape it (`conditional_escape`):
the cell's text, the address of the record it names and its drill-down's query.
"""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from reports.tables import Kind, Table

register = template.Library()


@register.simple_tag
def table_rows(table: Table) -> SafeString:
    """Return the `<tr>`s of `table`'s body: the first cell of a row heads it (`<th>`),
    a figure is right-aligned (`num`), and a cell links to the record it names or to the
    rows its figure adds up."""
    rows_url = conditional_escape(reverse("reports:year_end_rows"))
    return mark_safe("".join(_row(row, rows_url) for row in table.rows))


def _row(row, rows_url: str) -> str:
    parts = ['<tr class="is-total">' if row.is_total else "<tr>"]
    for n, cell in enumerate(row.cells):
        if n == 0:
            parts += ['<th scope="row" class="is-sub">' if row.level else '<th scope="row">']
            parts += [_content(cell, rows_url), "</th>"]
        else:
            parts += ["<td>" if cell.kind == Kind.TEXT else '<td class="num">']
            parts += [_content(cell, rows_url), "</td>"]
    parts.append("</tr>")
    return "".join(parts)


def _content(cell, rows_url: str) -> str:
    text = conditional_escape(cell.text)
    if cell.href:
        return f'<a href="{conditional_escape(cell.href)}">{text}</a>'
    if cell.query:
        query = conditional_escape(cell.query)
        return f'<a class="figure-link" href="{rows_url}?{query}">{text}</a>'
    return text
