"""Reads of the monthly entry: a park's month as a grid, its workflow, its history."""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max, Q

from parkportal.choices import EnterpriseStatus
from parkportal.domain import plain_number
from parkportal.models import Enterprise, Park

from .choices import PeriodStatus
from .domain import (
    ERROR,
    WARNING,
    FigureCheck,
    average_month,
    figure_checks,
    growth_rate,
    month_own_value,
)
from .models import FigureChange, FigureNote, Indicator, MonthlyValue, PeriodEvent, PeriodSubmission
from .official import official_figure_q
from .rules import month_rule_checks

Key = tuple[int, int]  # (enterprise id, indicator id)


@dataclass
class EntryCell:
    """One enterprise's figure of one indicator in the month, with what surrounds it."""

    enterprise_id: int
    indicator: Indicator
    value: Decimal | None  # the figure checked: stored, or as just entered
    stored: Decimal | None
    raw: str | None  # the text as entered, when the page is shown again after a save
    previous: Decimal | None  # last month's figure (cumulative for a flow)
    own: Decimal | None  # the month's own value
    last_year: Decimal | None
    growth: Decimal | None
    checks: list[FigureCheck] = field(default_factory=list)
    missing: bool = False  # blank where last month had a figure (a warning on submitting)
    note: str = ""  # the explanation of the figure as it is now
    stale_note: str = ""  # an explanation written for a figure that has changed since
    last_change: FigureChange | None = None
    original: str = ""  # the value the page shows as its base (sent back as o-…)
    conflict: bool = False  # someone changed the stored figure since the page showed it
    note_original: str = ""  # the explanation the page shows as its base (on-…)

    def __getitem__(self, name: str):
        """Return the field or property `name`. A template tries `cell[name]` before
        `cell.name`: answering it spares a raised and caught TypeError per lookup (the list
        of cells to fix, the review page; the grid's cells are drawn by their own tag,
        indicators/templatetags/entry.py); an unknown name still fails as before."""
        return getattr(self, name)

    @property
    def name(self) -> str:
        return f"v-{self.enterprise_id}-{self.indicator.pk}"

    @property
    def note_name(self) -> str:
        return f"n-{self.enterprise_id}-{self.indicator.pk}"

    @property
    def original_name(self) -> str:
        return f"o-{self.enterprise_id}-{self.indicator.pk}"

    @property
    def note_original_name(self) -> str:
        return f"on-{self.enterprise_id}-{self.indicator.pk}"

    @property
    def explained(self) -> bool:
        return bool(self.note.strip())

    @property
    def explainable(self) -> bool:
        """Whether the cell keeps a 说明: it warns, or it is blank where last month was not."""
        return bool(self.warnings) or self.missing

    @property
    def state_class(self) -> str:
        """Return the cell's CSS modifier: an error, a warning to explain, or explained."""
        if self.errors:
            return " entry-cell--error"
        if self.warnings:
            return " entry-cell--explained" if self.explained else " entry-cell--warning"
        return ""

    @property
    def errors(self) -> list[str]:
        return [check.message for check in self.checks if check.level == ERROR]

    @property
    def warnings(self) -> list[str]:
        return [check.message for check in self.checks if check.level == WARNING]

    @property
    def shown(self) -> str:
        """Return the text of the cell's input."""
        if self.raw is not None:
            return self.raw
        return plain(self.stored)

    @property
    def changed_meanwhile(self) -> bool:
        """Whether someone changed the stored figure since the page showed it."""
        return self.conflict


@dataclass
class EntryRow:
    enterprise: Enterprise
    cells: list[EntryCell]


@dataclass
class EntrySheet:
    """A park's month on the entry page."""

    park: Park
    year: int
    month: int
    indicators: list[Indicator]
    rows: list[EntryRow]
    submission: PeriodSubmission
    events: list[PeriodEvent]
    entering: bool = False  # checked as a month being filled in: blank cells do not warn

    @property
    def cells(self):
        return (cell for row in self.rows for cell in row.cells)

    @property
    def error_count(self) -> int:
        return sum(1 for cell in self.cells if cell.errors)

    @property
    def unexplained(self) -> list[EntryCell]:
        """Return the cells whose warnings still need a 说明 before submitting."""
        return [cell for cell in self.cells if cell.warnings and not cell.explained]

    @property
    def missing(self) -> list[EntryCell]:
        """Return the blank cells that had a figure last month and have no 说明 yet: the
        submission asks for them, not the entering."""
        return [cell for cell in self.cells if cell.missing and not cell.explained]

    @property
    def flagged(self) -> list[tuple[Enterprise, EntryCell]]:
        """Return the cells with an error or a warning still to explain, with their
        enterprise, in the grid's order."""
        return [
            (row.enterprise, cell)
            for row in self.rows
            for cell in row.cells
            if cell.errors or (cell.warnings and not cell.explained)
        ]

    @property
    def warning_count(self) -> int:
        return sum(1 for cell in self.cells if cell.warnings)

    @property
    def conflicts(self) -> list[EntryCell]:
        """Return the cells someone changed since the page showed them."""
        return [cell for cell in self.cells if cell.conflict]


def plain(value: Decimal | None) -> str:
    """Return a figure as typed, blank when there is none."""
    return "" if value is None else plain_number(value)


@contextmanager
def consistent_reads():
    """Read everything inside as one snapshot of the database.

    On PostgreSQL a REPEATABLE READ transaction: the page's figures, notes and
    workflow state are as of one moment even while others save. SQLite's
    transactions here take the write lock at once (IMMEDIATE), so reads there run
    as they are; a save is safe either way, as it checks every changed cell against
    the value the page showed.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield  # inside a transaction already (a test's): its isolation holds
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def period_submission(park: Park, year: int, month: int) -> PeriodSubmission:
    """Return the park-month's workflow record, unsaved (a draft) when there is none yet."""
    submission = PeriodSubmission.objects.filter(park=park, year=year, month=month).first()
    return submission or PeriodSubmission(park=park, year=year, month=month)


def reopened_months(park: Park) -> list[tuple[int, int]]:
    """Return the park's months that were returned or unlocked and wait to be submitted
    again, newest first: a draft that has been through the workflow before."""
    return list(
        PeriodSubmission.objects.filter(park=park, status=PeriodStatus.DRAFT)
        .filter(events__isnull=False)
        .values_list("year", "month")
        .distinct()
        .order_by("-year", "-month")
    )


# What the entry page shows of a cell's latest change (the bar, a conflict's note).
LAST_CHANGE_FIELDS = (
    "enterprise_id",
    "indicator_id",
    "changed_at",
    "source",
    "changed_by__username",
    "changed_by__first_name",
    "changed_by__last_name",
)


def entry_enterprises(park: Park):
    """Return the enterprises of the park whose figures are entered: all but deregistered."""
    return (
        Enterprise.objects.filter(park=park)
        .exclude(status=EnterpriseStatus.DEREGISTERED)
        .order_by("name", "pk")
    )


def entry_sheet(
    park: Park,
    year: int,
    month: int,
    *,
    entered: dict[Key, Decimal | None] | None = None,
    raw: dict[Key, str] | None = None,
    notes: dict[Key, str] | None = None,
    parse_errors: dict[Key, str] | None = None,
    note_errors: dict[Key, str] | None = None,
    base: dict[Key, Decimal | None] | None = None,
    entering: bool = False,
    only: set[int] | None = None,
) -> EntrySheet:
    """Return the park's month as a grid, checked.

    `entered` (parsed) and `raw` (as typed) are the changed cells of a save being
    shown again, `base` the values the page had shown in them; `notes` the changed
    explanations; `parse_errors` the cells that were not numbers at all. The
    checks run on the entered figures where given, on the stored ones elsewhere.
    A cell whose stored figure is no longer its `base` is a conflict.

    `entering` checks a draft as it is being filled in (figure_checks): blank cells
    do not warn until the month is submitted. A 说明 explains the figure it was
    written for: once the figure changes (a later change in its log, or a new value
    entered now) it no longer counts, and is offered as `stale_note`. The office's
    validation rules add their checks to the cells of their left sides. Eight
    queries, whatever the park's size.

    `only` (enterprise ids) limits the sheet to those enterprises' rows: a cell's checks
    read its own enterprise's figures alone, so they come out the same.
    """
    indicators = list(Indicator.objects.active())
    listed = entry_enterprises(park)
    # The reads below, of the park's enterprises or of those `only` names.
    mine = Q(enterprise__park=park)
    if only is not None:
        listed = listed.filter(pk__in=only)
        mine &= Q(enterprise_id__in=only)
    enterprises = list(listed)
    series: dict[tuple[int, int, int], dict[int, Decimal]] = defaultdict(dict)
    # This year's months, and of last year the same month (growth) and December (the
    # average month; January's last month): all that the checks and the context read.
    stored_rows = MonthlyValue.objects.filter(
        Q(year=year) | Q(year=year - 1, month__in=[month, 12]), mine
    ).values_list("enterprise_id", "indicator_id", "year", "month", "value")
    for e, i, y, m, value in stored_rows:
        series[(e, i, y)][m] = value
    stored_notes = {
        (e, i): (text, written_at)
        for e, i, text, written_at in FigureNote.objects.filter(
            mine, year=year, month=month
        ).values_list("enterprise_id", "indicator_id", "text", "written_at")
    }
    # Each cell's latest change only, however long the month's log has grown: the log
    # is appended to, so the latest is the highest id. Of a change, what the page says:
    # when, by whom, from where.
    month_log = FigureChange.objects.filter(mine, year=year, month=month)
    latest = month_log.values("enterprise_id", "indicator_id").annotate(last=Max("pk"))
    last_changes: dict[Key, FigureChange] = {
        (change.enterprise_id, change.indicator_id): change
        for change in FigureChange.objects.filter(pk__in=latest.values("last"))
        .select_related("changed_by")
        .only(*LAST_CHANGE_FIELDS)
    }
    submission = period_submission(park, year, month)
    events = (
        list(submission.events.select_related("user")[:20]) if submission.pk is not None else []
    )
    entering = entering and submission.status == PeriodStatus.DRAFT

    entered = entered or {}
    raw = raw or {}
    parse_errors = parse_errors or {}
    # The office's rules (indicators.rules) on the month as entered; one query.
    rule_checks = month_rule_checks(
        enterprises,
        year,
        month,
        {(e, i): by_month.get(month) for (e, i, y), by_month in series.items() if y == year}
        | entered
        | dict.fromkeys(parse_errors),
    )
    base = base or {}
    notes = notes or {}
    note_errors = note_errors or {}
    rows = []
    for enterprise in enterprises:
        cells = []
        for indicator in indicators:
            key = (enterprise.pk, indicator.pk)
            this_year = series.get((enterprise.pk, indicator.pk, year), {})
            last_year = series.get((enterprise.pk, indicator.pk, year - 1), {})
            stored = this_year.get(month)
            if key in parse_errors:
                cell = _cell(
                    enterprise, indicator, month, None, stored, this_year, last_year, entering
                )
                cell["checks"] = [FigureCheck(ERROR, parse_errors[key])]
            else:
                value = entered.get(key, stored)
                cell = _cell(
                    enterprise, indicator, month, value, stored, this_year, last_year, entering
                )
            if key in rule_checks and key not in parse_errors:
                cell["checks"] = [*cell["checks"], *rule_checks[key]]
            if key in note_errors:
                cell["checks"] = [*cell["checks"], FigureCheck(ERROR, note_errors[key])]
            conflict = key in base and base[key] != stored
            shown = stored if conflict or key not in base else base[key]
            note, written_at = stored_notes.get(key, ("", None))
            change = last_changes.get(key)
            if note and (
                (key in entered and entered[key] != stored)
                or (change is not None and change.changed_at > written_at)
            ):
                stale_note, note = note, ""  # written for a figure that has changed since
            else:
                stale_note = ""
            cell |= {
                "raw": raw.get(key),
                "note": notes.get(key, note),
                "note_original": note,
                "stale_note": "" if notes.get(key) else stale_note,
                "last_change": change,
                "original": plain(shown),
                "conflict": conflict,
            }
            cells.append(cell)
        rows.append(EntryRow(enterprise, [EntryCell(**cell) for cell in cells]))
    return EntrySheet(park, year, month, indicators, rows, submission, events, entering)


def _cell(enterprise, indicator, month, value, stored, this_year, last_year, entering) -> dict:
    """Return the figures around one cell and its checks, as EntryCell's arguments."""
    earlier_months = [m for m in this_year if m < month]
    later_months = [m for m in this_year if m > month]
    earlier = (max(earlier_months), this_year[max(earlier_months)]) if earlier_months else None
    later = (min(later_months), this_year[min(later_months)]) if later_months else None
    if month > 1:
        previous = this_year.get(month - 1)
    else:
        previous = last_year.get(12) if not indicator.is_flow else None
    reported_last_month = (this_year if month > 1 else last_year).get(
        month - 1 if month > 1 else 12
    ) is not None
    last_year_value = last_year.get(month)
    if indicator.is_flow and value is not None:
        own = month_own_value({**this_year, month: value}, month)
    else:
        own = value
    checks = figure_checks(
        value=value,
        month=month,
        is_flow=indicator.is_flow,
        must_not_fall=indicator.is_flow and not indicator.allows_negative,
        earlier=earlier,
        later=later,
        last_year=last_year_value,
        average=average_month(last_year.get(12), earlier) if indicator.is_flow else None,
        reported_last_month=reported_last_month,
        entering=entering,
    )
    return {
        "enterprise_id": enterprise.pk,
        "indicator": indicator,
        "value": value,
        "stored": stored,
        "previous": previous,
        "own": own,
        "last_year": last_year_value,
        "growth": growth_rate(value, last_year_value),
        "checks": checks,
        "missing": value is None and reported_last_month,
    }


def enterprise_figure_history(enterprise: Enterprise, *, drafts: bool):
    """Return the changes of the enterprise's figures, newest first: of the months that
    count (indicators.official) only, unless the reader may see `drafts` (one who
    enters the park's figures)."""
    changes = FigureChange.objects.filter(enterprise=enterprise)
    if not drafts:
        changes = changes.filter(official_figure_q())
    return changes.select_related("indicator", "changed_by").order_by("-changed_at", "-pk")


def period_locked(park_id: int, year: int, month: int) -> bool:
    """Return whether the park's month is approved and locked."""
    return PeriodSubmission.objects.filter(
        park_id=park_id, year=year, month=month, status=PeriodStatus.APPROVED
    ).exists()
