"""The entry grid's cells, drawn in Python: a month of 50 enterprises is 300 cells, and
the template language spent more time on them than the rest of the page together.

Every text from the data is escaped (`escape`); the markup is the one the page's script
(static/indicators/entry.js) and the save read: each input's name before its value.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from parkportal import display

register = template.Library()


@register.simple_tag
def entry_cells(row, editable: bool) -> SafeString:
    """Return the row's cells (`<td>`s) of the entry grid: the figure's input, the value
    it showed, the messages, and the 说明 where it warns or has one."""
    enterprise = escape(row.enterprise.name)
    readonly = "" if editable else " readonly"
    return mark_safe(
        "".join(
            _cell(cell, column, enterprise, editable, readonly)
            for column, cell in enumerate(row.cells, start=1)
        )
    )


def _cell(cell, column: int, enterprise: str, editable: bool, readonly: str) -> str:
    name = cell.name
    indicator = escape(cell.indicator.name)
    flagged = bool(cell.checks or cell.conflict)
    described = f' aria-describedby="m-{name}"' if flagged else ""
    parts = [
        f'<td class="entry-cell{cell.state_class}'
        f'{" entry-cell--changed" if cell.conflict else ""}" data-column="{column}">'
        f'<label class="entry-cell__label" for="{name}">'
        f"{indicator}（{escape(cell.indicator.unit)}）</label>"
        f'<input class="entry-input" type="text" inputmode="decimal" autocomplete="off" '
        f'id="{name}" name="{name}" value="{escape(cell.shown)}" '
        f'aria-label="{enterprise} {indicator}"'
        f"{described}{readonly}>"
        f'<input type="hidden" name="{cell.original_name}" value="{escape(cell.original)}">'
    ]
    if flagged:
        parts.append(f'<span class="entry-messages" id="m-{name}">')
        if cell.conflict:
            who = ""
            if cell.last_change:
                who = f"（{escape(cell.last_change.changed_by or '系统')}修改）"
            now = escape(display.figure(cell.stored))
            parts.append(f'<span class="entry-now">现值：{now}{who}</span>')
        parts += [
            f'<span class="entry-message entry-message--error">{escape(message)}</span>'
            for message in cell.errors
        ]
        parts += [
            f'<span class="entry-message entry-message--warning">{escape(message)}</span>'
            for message in cell.warnings
        ]
        parts.append("</span>")
    if cell.warnings or cell.note:
        note_name = cell.note_name
        placeholder = ' placeholder="说明原因"' if editable else ""
        parts.append(
            f'<input class="entry-note" type="text" id="{note_name}" name="{note_name}" '
            f'value="{escape(cell.note)}" maxlength="500"{placeholder} aria-label="说明" '
            f'aria-describedby="m-{name}"{readonly}>'
            f'<input type="hidden" name="{cell.note_original_name}" '
            f'value="{escape(cell.note_original)}">'
        )
        if cell.stale_note:
            reuse = (
                f' <button type="button" class="entry-reuse" data-note="{note_name}">沿用</button>'
                if editable
                else ""
            )
            parts.append(
                '<span class="entry-stale">原说明（数值修改前）：'
                f'<q class="entry-stale__text">{escape(cell.stale_note)}</q>{reuse}</span>'
            )
    parts.append("</td>")
    return "".join(parts)
