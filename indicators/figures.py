"""The one door through which every enterprise's monthly figure is written.

The entry page, the admin site (save and delete), the workbook import, management
commands and the demo all call `figures_write`; nothing else in the portal writes,
updates or deletes a `MonthlyValue` (docs/domain.md, "One door per write"). In one
transaction it:

1. locks the workflow records of the park-months it touches (creating missing ones),
   so two writers of one month take turns;
2. reads the stored figures under that lock;
3. refuses, writing nothing, figures that someone changed since the caller read them
   (`expected`), figures the caller's own checks reject (`validate`), and changes
   to approved (locked) months;
4. writes the figures that change, set-based (a staging table and one upsert), logs
   every change with its user, source and reference, and bumps the version of every
   park-month that changed.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from parkportal.bulk import staging_table, upsert_from
from parkportal.data_version import data_version_bump
from parkportal.models import Enterprise

from .choices import ChangeSource, PeriodAction, PeriodStatus
from .models import FigureChange, MonthlyValue, PeriodEvent, PeriodSubmission
from .sums import cells_of_figures, official_sums_refresh

FigureKey = tuple[int, int, int, int]  # (enterprise id, indicator id, year, month)
Period = tuple[int, int, int]  # (park id, year, month)
READ_CHUNK = 2000  # enterprises per query when reading stored figures
DELETE_CHUNK = 500  # figures per DELETE statement


class FiguresRefused(Exception):
    """Changes to approved, locked months: nothing was written. `keys` are the refused
    figures, `periods` their months; `message` says which, in Chinese."""

    def __init__(self, keys: list[FigureKey], periods: list[Period], message: str):
        super().__init__(message)
        self.keys = keys
        self.periods = periods
        self.message = message


class FiguresConflict(Exception):
    """Figures someone else changed since the caller read them: nothing was written.
    `current` maps each such figure to its value now (None: no figure)."""

    def __init__(self, current: dict[FigureKey, Decimal | None]):
        super().__init__(f"{len(current)} figures changed meanwhile")
        self.current = current


class FiguresInvalid(Exception):
    """The caller's checks (`validate`) found problems: nothing was written."""

    def __init__(self, problems: list):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass
class FiguresWritten:
    """What a write did: how many figures it created, updated, deleted or left alone,
    and the park-months whose figures changed."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    keys: set[FigureKey] = field(default_factory=set)  # the figures that changed
    periods: set[Period] = field(default_factory=set)
    approved: set[Period] = field(default_factory=set)  # approved by this (import) write

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


def user_or_none(user):
    return user if user is not None and user.is_authenticated else None


def months_text(periods: Iterable[Period], park_names: Mapping[int, str]) -> str:
    """Return park-months as people write them, e.g. "长古城工业园2026年10月、11月"."""
    by_park: dict[int, list[tuple[int, int]]] = {}
    for park_id, year, month in sorted(periods):
        by_park.setdefault(park_id, []).append((year, month))
    parts = []
    for park_id, months in by_park.items():
        shown, last_year = [], None
        for year, month in months:
            shown.append(f"{month}月" if year == last_year else f"{year}年{month}月")
            last_year = year
        parts.append(f"{park_names.get(park_id, '')}{'、'.join(shown)}")
    return "；".join(parts)


def locked_message(periods: Iterable[Period], park_names: Mapping[int, str]) -> str:
    """Return the Chinese refusal naming the approved months."""
    return (
        f"{months_text(periods, park_names)}的数据已审核锁定，不能修改；"
        "如需更正，请管理员先在月度填报中解锁。"
    )


def lock_periods(periods: Iterable[Period], *, approve_new: bool = False, user=None, reason=""):
    """Return the workflow records of `periods` (park id, year, month), locked for this
    transaction in a fixed order, creating the missing ones.

    Missing records are created as drafts, or approved when `approve_new` (an admin's
    import of months that have no workflow yet), with an approval logged for each.
    Returns (records by period, the periods created approved).
    """
    periods = set(periods)
    if not periods:
        return {}, set()
    existing = _periods_query(periods).values_list("park_id", "year", "month")
    missing = periods - set(existing)
    status = PeriodStatus.APPROVED if approve_new else PeriodStatus.DRAFT
    PeriodSubmission.objects.bulk_create(
        [PeriodSubmission(park_id=p, year=y, month=m, status=status) for p, y, m in missing],
        ignore_conflicts=True,
    )
    records = {
        (s.park_id, s.year, s.month): s
        for s in _periods_query(periods)
        .select_for_update(of=("self",))
        .order_by("park_id", "year", "month")
        .select_related("park")
    }
    approved = set()
    if approve_new and missing:
        # Another writer may have created some of them meanwhile: only ours are approved.
        approved = {key for key in missing if records[key].status == PeriodStatus.APPROVED}
        created = [records[key] for key in sorted(approved)]
        PeriodEvent.objects.bulk_create(
            PeriodEvent(submission=s, action=PeriodAction.APPROVE, user=user, reason=reason)
            for s in created
        )
    return records, approved


def _periods_query(periods: set[Period]):
    """Return the workflow records of `periods`, read by park and year, filtered exactly."""
    parks = {p for p, _, _ in periods}
    years = {y for _, y, _ in periods}
    months = {m for _, _, m in periods}
    rows = PeriodSubmission.objects.filter(park_id__in=parks, year__in=years, month__in=months)
    if len(parks) * len(years) * len(months) == len(periods):
        return rows
    exact = Q()
    for park_id, year, month in periods:
        exact |= Q(park_id=park_id, year=year, month=month)
    return rows.filter(exact)


def stored_figures(keys: Iterable[FigureKey]) -> dict[FigureKey, Decimal]:
    """Return the stored figures of the enterprises and years of `keys` (every month
    and indicator of them: checks compare a month with the others of its year)."""
    enterprise_ids = sorted({key[0] for key in keys})
    years = {key[2] for key in keys}
    stored = {}
    for start in range(0, len(enterprise_ids), READ_CHUNK):
        rows = MonthlyValue.objects.filter(
            enterprise_id__in=enterprise_ids[start : start + READ_CHUNK], year__in=years
        ).values_list("enterprise_id", "indicator_id", "year", "month", "value")
        for e, i, y, m, value in rows.iterator(chunk_size=5000):
            stored[(e, i, y, m)] = value
    return stored


@transaction.atomic
def figures_write(
    *,
    changes: Mapping[FigureKey, Decimal | None],
    user,
    source: ChangeSource,
    reference: str = "",
    expected: Mapping[FigureKey, Decimal | None] | None = None,
    validate: Callable[[dict[FigureKey, Decimal]], list] | None = None,
    approve_new: bool = False,
    approved: Iterable[Period] = (),
) -> FiguresWritten:
    """Write enterprises' monthly figures: `changes` maps a figure to its new value, None
    to delete it. Figures equal to the stored ones are left alone.

    `expected`, when given, holds the values the caller showed (None: no figure): a
    figure whose stored value differs is someone else's change, and FiguresConflict
    is raised. `validate` is called with the stored figures (read under the lock) and
    returns problems; any problem raises FiguresInvalid. A change to an approved
    month raises FiguresRefused. In each case nothing is written.

    `approve_new` (an admin's workbook import) makes the park-months with no workflow
    record yet approved, logged as approved by this write; `approved` are months that an
    earlier write of the same import approved so (one import written in blocks), which
    this write may fill too; such an import recounts the reports' sums once, in
    `indicators.sums.official_sums_deferred()`.
    """
    result = FiguresWritten()
    if not changes:
        return result
    approved = set(approved)
    register = Enterprise.objects.filter(pk__in={key[0] for key in changes})
    places = {
        pk: (park, industry, counted)
        for pk, park, industry, counted in register.values_list(
            "pk", "park_id", "industry_id", "in_statistics"
        )
    }
    park_of = {pk: place[0] for pk, place in places.items()}
    periods = {(park_of[e], y, m) for (e, _, y, m) in changes}
    user = user_or_none(user)
    records, result.approved = lock_periods(
        periods, approve_new=approve_new, user=user, reason=_approval_reason(reference)
    )
    stored = stored_figures(changes)

    if expected is not None:
        moved = {
            key: stored.get(key)
            for key, value in expected.items()
            if key in changes and stored.get(key) != value
        }
        if moved:
            raise FiguresConflict(moved)
    if validate is not None:
        problems = validate(stored)
        if problems:
            raise FiguresInvalid(problems)

    changed = {key: value for key, value in changes.items() if stored.get(key) != value}
    result.unchanged = len(changes) - len(changed)
    locked_periods = {
        period
        for period, record in records.items()
        if record.status == PeriodStatus.APPROVED
        and period not in result.approved
        and period not in approved
    }
    locked = (
        sorted(key for key in changed if (park_of[key[0]], key[2], key[3]) in locked_periods)
        if locked_periods
        else []
    )
    if locked:
        locked_periods = sorted({(park_of[e], y, m) for (e, _, y, m) in locked})
        names = {p[0]: records[p].park.name for p in locked_periods}
        raise FiguresRefused(locked, locked_periods, locked_message(locked_periods, names))

    upserts = {key: value for key, value in changed.items() if value is not None}
    deletes = [key for key, value in changed.items() if value is None]
    now = timezone.now()
    _upsert(upserts, stored, user=user, source=source, reference=reference, now=now)
    _delete(deletes, stored, user=user, source=source, reference=reference, now=now)
    result.created = sum(1 for key in upserts if key not in stored)
    result.updated = len(upserts) - result.created
    result.deleted = len(deletes)
    result.keys = set(changed)
    result.periods = {(park_of[e], y, m) for (e, _, y, m) in changed}
    _bump(result.periods, records, user=user, now=now)
    if changed or result.approved:  # approved months count as official
        data_version_bump()
    official_sums_refresh(cells_of_figures(changed, places))
    return result


def _approval_reason(reference: str) -> str:
    return f"导入时自动审核（{reference}）" if reference else "导入时自动审核"


def _upsert(upserts, stored, *, user, source, reference, now) -> None:
    """Write and log the figures that are new or changed, in a few statements.

    The figures are staged in a temporary table; the log is written from it first,
    joined to the stored figures for the old values, then the figures are upserted.
    When none of them is stored (`stored`, read under the months' lock, so no other
    writer adds one meanwhile), they are simply inserted and logged without old values:
    a first import's figures skip the conflict check of each row.
    """
    if not upserts:
        return
    key = ["enterprise_id", "indicator_id", "year", "month"]
    columns = [*key, "value"]
    quote = connection.ops.quote_name
    value_table = MonthlyValue._meta.db_table
    new = stored.keys().isdisjoint(upserts)
    staged = ((e, i, y, m, value) for (e, i, y, m), value in upserts.items())
    with staging_table(value_table, columns, staged, numbers=True) as staging:
        matches = " AND ".join(f"v.{quote(c)} = s.{quote(c)}" for c in key)
        old, joined = (
            ("NULL", "") if new else ("v.value", f"LEFT JOIN {quote(value_table)} v ON {matches}")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(FigureChange._meta.db_table)} "
                "(enterprise_id, indicator_id, year, month, old_value, new_value, "
                "changed_at, changed_by_id, source, reference) "
                f"SELECT s.enterprise_id, s.indicator_id, s.year, s.month, {old}, s.value, "
                f"%s, %s, %s, %s FROM {staging} s {joined}",
                [now, user.pk if user else None, source, reference[:255]],
            )
            if new:
                column_list = ", ".join(map(quote, columns))
                cursor.execute(
                    f"INSERT INTO {quote(value_table)} ({column_list}) "
                    f"SELECT {column_list} FROM {staging}"
                )
                return
        upsert_from(staging, value_table, columns, conflict=key, update=["value"])


def _delete(deletes, stored, *, user, source, reference, now) -> None:
    """Delete the figures and log each deletion (old value, no new value)."""
    if not deletes:
        return
    FigureChange.objects.bulk_create(
        FigureChange(
            enterprise_id=e,
            indicator_id=i,
            year=y,
            month=m,
            old_value=stored[(e, i, y, m)],
            new_value=None,
            changed_at=now,
            changed_by=user,
            source=source,
            reference=reference[:255],
        )
        for (e, i, y, m) in deletes
    )
    for start in range(0, len(deletes), DELETE_CHUNK):
        match = Q()
        for e, i, y, m in deletes[start : start + DELETE_CHUNK]:
            match |= Q(enterprise_id=e, indicator_id=i, year=y, month=m)
        MonthlyValue.objects.filter(match).delete()


def _bump(periods: set[Period], records, *, user, now) -> None:
    """Mark the park-months as changed: an entry page opened before is told so."""
    if not periods:
        return
    PeriodSubmission.objects.filter(pk__in=[records[p].pk for p in periods]).update(
        version=F("version") + 1, updated_at=now, updated_by=user
    )


def analyze(model) -> None:
    """Refresh the query planner's statistics of `model`'s table, inside the transaction
    (both databases allow it), after a bulk write changed its size many times over:
    queries planned on an empty table's statistics scan it row by row."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def mark_periods_changed(periods: Iterable[Period]) -> None:
    """Bump the version of the park-months that have a workflow record, in one statement,
    for a change that moves their figures without writing them (an enterprise's move)."""
    periods = set(periods)
    if periods:
        _periods_query(periods).update(version=F("version") + 1)
        data_version_bump()


def figures_refusal(keys: Iterable[FigureKey]) -> str | None:
    """Return why changing the figures `keys` would be refused now (their month is
    approved), or None; for forms that check before they save."""
    keys = list(keys)
    park_of = dict(
        Enterprise.objects.filter(pk__in={key[0] for key in keys}).values_list("pk", "park_id")
    )
    periods = {(park_of[e], y, m) for (e, _, y, m) in keys if e in park_of}
    if not periods:
        return None
    locked = list(
        _periods_query(periods)
        .filter(status=PeriodStatus.APPROVED)
        .values_list("park_id", "year", "month", "park__name")
    )
    if not locked:
        return None
    return locked_message([row[:3] for row in locked], {row[0]: row[3] for row in locked})
