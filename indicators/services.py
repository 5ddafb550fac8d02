"""The monthly entry's save: the cells a user changed, checked, through the figures' door.

The page sends, for every cell, what the user typed and the value the page showed
(`o-…`). Only the cells whose typed value differs from what was shown are
changes; each is written only if the stored figure is still the one shown, so a
save never reverts someone else's change (docs/domain.md, "No lost update").
"""

from decimal import Decimal
from functools import partial

from django.db import transaction

from parkportal import cells
from parkportal.services import RegisterImported, records_import

from .choices import ChangeSource
from .figures import FiguresConflict, figures_write
from .models import FigureNote, Indicator, Target
from .selectors import EntrySheet, entry_enterprises, entry_sheet
from .workflow import EntryRefused, period_for_update, refuse_unless_editable, refuse_unless_enters

Key = tuple[int, int]  # (enterprise id, indicator id)
NOTE_LENGTH = 500

__all__ = ["EntryConflict", "EntryInvalid", "EntryMalformed", "EntryRefused", "period_figures_save"]


class EntryMalformed(Exception):
    """A post the page's form did not send (a cell without the value it showed)."""


class EntryInvalid(Exception):
    """Figures that fail a check: nothing was stored; `sheet` shows them with their errors."""

    def __init__(self, sheet: EntrySheet):
        super().__init__(f"{sheet.error_count} figures with errors")
        self.sheet = sheet


class EntryConflict(Exception):
    """Cells someone else changed since the page showed them: nothing was stored;
    `sheet` shows their values now beside what was typed."""

    def __init__(self, sheet: EntrySheet):
        super().__init__("figures changed meanwhile")
        self.sheet = sheet


@transaction.atomic
def period_figures_save(
    *,
    park,
    year: int,
    month: int,
    user,
    typed: dict[Key, str],
    shown: dict[Key, str],
    notes: dict[Key, str],
    notes_shown: dict[Key, str],
    unreadable: dict[Key, str] | None = None,
    unreadable_notes: dict[Key, str] | None = None,
    submitting: bool = False,
) -> int:
    """Check and store the cells of the park's month that the user changed; return how
    many figures changed.

    `typed` and `notes` are what the user typed, `shown` and `notes_shown` what the
    page showed in the same cells; `unreadable` and `unreadable_notes` the figures and
    explanations whose text could not be taken as it was (with why).

    All or nothing: any error stores nothing (EntryInvalid); a changed cell whose
    stored figure is no longer the one shown stores nothing (EntryConflict). A blank
    cell clears a stored figure. Each change is logged by the figures' door;
    explanations (说明) are kept with their figure: one explains the figure it was
    written for, and a save that changes the figure without a new one reopens it.
    While `submitting` is false, the figures are checked as a draft being filled in:
    blank cells do not warn yet.
    """
    refuse_unless_enters(user, park)
    submission = period_for_update(park, year, month)
    refuse_unless_editable(submission)
    indicators = {i.pk: i for i in Indicator.objects.active()}
    enterprises = set(entry_enterprises(park).values_list("pk", flat=True))

    def in_grid(key: Key) -> bool:
        return key[0] in enterprises and key[1] in indicators

    if any(key not in shown for key in typed if in_grid(key)):
        raise EntryMalformed
    base = {key: _shown_value(text) for key, text in shown.items() if in_grid(key)}
    entered, raw, errors = {}, {}, dict(unreadable or {})
    for key, text in typed.items():
        if not in_grid(key) or key in errors:
            continue
        if text.strip() == shown[key].strip():
            continue  # untouched
        try:
            value = cells.parse_decimal(text, allow_negative=indicators[key[1]].allows_negative)
        except cells.CellError as error:
            errors[key], raw[key] = error.message, text
            continue
        if value != base[key]:
            entered[key], raw[key] = value, text
    for key in errors:
        raw.setdefault(key, typed.get(key, ""))
    changed_notes = {
        key: text.strip()[:NOTE_LENGTH]
        for key, text in notes.items()
        if in_grid(key) and text.strip() != notes_shown.get(key, "").strip()
    }
    checked = partial(
        entry_sheet,
        park,
        year,
        month,
        entered=entered,
        raw=raw,
        notes=changed_notes,
        parse_errors=errors,
        note_errors=unreadable_notes,
        base={key: base[key] for key in raw if key in base},
        entering=not submitting,
    )
    # A cell's checks read its own enterprise's figures alone: a draft's save checks the
    # rows it changes (and drops the 说明 of those rows that no longer need one); a
    # submission checks the whole month.
    rows = {e for e, _ in (*raw, *changed_notes, *(unreadable_notes or {}))}
    sheet = checked() if submitting else checked(only=rows)
    if sheet.conflicts or sheet.error_count:
        if not submitting:
            sheet = checked()  # shown again whole
        if sheet.conflicts:
            raise EntryConflict(sheet)
        raise EntryInvalid(sheet)
    try:
        written = figures_write(
            changes={(e, i, year, month): value for (e, i), value in entered.items()},
            expected={(e, i, year, month): base[(e, i)] for (e, i) in entered},
            user=user,
            source=ChangeSource.ENTRY,
        )
    except FiguresConflict:  # the month is locked above: only a bug gets here
        raise EntryConflict(sheet) from None
    _store_notes(sheet, changed_notes, year=year, month=month, user=user)
    return written.changed


def _shown_value(text: str) -> Decimal | None:
    """Return the value a cell showed; the page writes it, so anything else is malformed."""
    try:
        return cells.parse_decimal(text, allow_negative=True)
    except cells.CellError:
        raise EntryMalformed from None


def _store_notes(
    sheet: EntrySheet, changed: dict[Key, str], *, year: int, month: int, user
) -> None:
    """Write the explanations the user typed or cleared; drop those of figures that no
    longer need one. An explanation left as it was keeps its time, so it still tells
    whether it was written before or after its figure's last change."""
    cells = {(cell.enterprise_id, cell.indicator.pk): cell for cell in sheet.cells}
    notes = {
        (e, i): pk
        for pk, e, i in FigureNote.objects.filter(
            enterprise_id__in={key[0] for key in cells}, year=year, month=month
        ).values_list("pk", "enterprise_id", "indicator_id")
    }
    dropped = [
        pk
        for key, pk in notes.items()
        if key in cells and (not cells[key].explainable or changed.get(key) == "")
    ]
    FigureNote.objects.filter(pk__in=dropped).delete()
    FigureNote.objects.bulk_create(
        [
            FigureNote(
                enterprise_id=e, indicator_id=i, year=year, month=month, text=text, written_by=user
            )
            for (e, i), text in changed.items()
            if text and (e, i) in cells and cells[(e, i)].explainable
        ],
        update_conflicts=True,
        unique_fields=["enterprise", "indicator", "year", "month"],
        update_fields=["text", "written_by", "written_at"],
    )


def targets_import(
    *, targets: list[Target], errors=None, user=None, reason: str = ""
) -> RegisterImported:
    """Create or change many parks' targets and forecasts at once (the workbook's 目标
    sheet), each checked as its save would be, written with its change history in a few
    statements; targets equal to the stored ones write nothing (parkportal.services:
    `records_import`)."""
    return records_import(records=targets, errors=errors, user=user, reason=reason)
