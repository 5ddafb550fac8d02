"""Writes of monthly figures that span many rows."""

import functools
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from parkportal import cells
from parkportal.bulk import staging_table, upsert_from
from parkportal.domain import plain_number
from parkportal.models import Enterprise
from parkportal.resources import Problem, SheetOutcome
from parkportal.roles import can_approve, editable_parks

from .choices import ChangeSource, PeriodAction, PeriodStatus
from .models import FigureChange, FigureNote, Indicator, MonthlyValue, PeriodEvent, PeriodSubmission
from .selectors import entry_enterprises, entry_sheet, locked_periods, period_locked

SHEET = "月度指标"
PROGRESS_EVERY = 5000  # rows between two progress reports


def _no_progress(fraction: float) -> None:
    pass


def monthly_sheet_import(
    *,
    headers: Sequence[str],
    rows: Sequence[Sequence],
    row_numbers: Sequence[int],
    user=None,
    reference: str = "",
    progress: Callable[[float], None] | None = None,
) -> SheetOutcome:
    """Check the wide monthly sheet column by column, then upsert its figures in bulk.

    Nothing is written when any problem is found; the caller's transaction holds
    the other sheets. A blank cell is "not reported": it writes nothing. Every
    value that changes is recorded (FigureChange) with `user` and `reference`,
    the import file's name. `progress`, when given, is told the share done (0 to 1).
    """
    progress = progress or _no_progress
    outcome = SheetOutcome(SHEET)
    problems = outcome.problems
    position = {header: i for i, header in enumerate(headers)}
    indicators = [
        (indicator, position[indicator.header])
        for indicator in Indicator.objects.all()
        if indicator.header in position
    ]
    register = Enterprise.objects.values_list("credit_code", "pk", "name", "park_id")
    enterprises = {code: (pk, name) for code, pk, name, _ in register}
    park_of = {pk: park_id for _, pk, _, park_id in register}
    name_column = position.get("企业名称")

    keys: list[tuple[int, int, int] | None] = []
    seen: dict[tuple[int, int, int], int] = {}
    for done, (row, number) in enumerate(zip(rows, row_numbers, strict=True), start=1):
        keys.append(_row_key(row, number, position, name_column, enterprises, seen, problems))
        if done % PROGRESS_EVERY == 0:
            progress(0.25 * done / len(rows))

    values: dict[tuple[int, int, int, int], Decimal] = {}
    for done, (indicator, column) in enumerate(indicators):
        progress(0.25 + 0.35 * done / len(indicators))
        for row, number, key in zip(rows, row_numbers, keys, strict=True):
            try:
                value = cells.parse_decimal(row[column], allow_negative=indicator.allows_negative)
            except cells.CellError as error:
                problems.append(Problem(SHEET, number, indicator.header, error.message))
                continue
            if value is not None and key is not None:
                values[(key[0], indicator.pk, key[1], key[2])] = value
    if problems:
        return outcome

    progress(0.6)
    existing = _existing_values(keys)
    _check_cumulative(values, existing, indicators, keys, row_numbers, problems)
    if problems:
        return outcome

    changed = {key: value for key, value in values.items() if existing.get(key) != value}
    _check_locked(changed, park_of, keys, row_numbers, problems)
    if problems:
        return outcome
    progress(0.7)
    _write(changed, user=user, reference=reference)
    bump_period_versions({(park_of[e], y, m) for (e, _, y, m) in changed})
    progress(1)
    changed_rows = {(e, y, m) for (e, _, y, m) in changed}
    existing_rows = {(e, y, m) for (e, _, y, m) in existing}
    for key in keys:
        if key not in changed_rows:
            outcome.unchanged += 1
        elif key in existing_rows:
            outcome.updated += 1
        else:
            outcome.created += 1
    return outcome


def _check_locked(changed, park_of, keys, row_numbers, problems) -> None:
    """Note every row that would change a figure of an approved, locked month."""
    locked = locked_periods(
        {park_of[e] for (e, _, _, _) in changed}, {y for (_, _, y, _) in changed}
    )
    if not locked:
        return
    row_of = {key: number for key, number in zip(keys, row_numbers, strict=True) if key}
    refused = sorted(
        {(e, y, m) for (e, _, y, m) in changed if (park_of[e], y, m) in locked},
        key=row_of.__getitem__,
    )
    for e, y, m in refused:
        problems.append(
            Problem(
                SHEET,
                row_of[(e, y, m)],
                "月份",
                f"该园区{y}年{m}月的数据已审核锁定，不能修改；请管理员先在月度填报中解锁",
            )
        )


def _write(changed, *, user, reference) -> None:
    """Upsert the changed figures and log each change, in a few statements.

    The figures are staged in a temporary table; the log is written from it first,
    joined to the stored figures for the old values, then the figures are upserted.
    """
    key = ["enterprise_id", "indicator_id", "year", "month"]
    columns = [*key, "value"]
    quote = connection.ops.quote_name
    value_table = MonthlyValue._meta.db_table
    user_id = user.pk if user is not None and user.is_authenticated else None
    staged = ((e, i, y, m, value) for (e, i, y, m), value in changed.items())
    with staging_table(value_table, columns, staged) as staging:
        matches = " AND ".join(f"v.{quote(c)} = s.{quote(c)}" for c in key)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(FigureChange._meta.db_table)} "
                "(enterprise_id, indicator_id, year, month, old_value, new_value, "
                "changed_at, changed_by_id, source, reference) "
                "SELECT s.enterprise_id, s.indicator_id, s.year, s.month, v.value, s.value, "
                "%s, %s, %s, %s "
                f"FROM {staging} s LEFT JOIN {quote(value_table)} v ON {matches}",
                [timezone.now(), user_id, ChangeSource.IMPORT, reference[:255]],
            )
        upsert_from(staging, value_table, columns, conflict=key, update=["value"])


def _row_key(row, number, position, name_column, enterprises, seen, problems):
    """Return a row's (enterprise id, year, month), or None with its problems noted."""
    key_problems = []
    try:
        code = _credit_code(row[position["统一社会信用代码"]])
        if code is None:
            raise cells.CellError("不能为空")
        if code not in enterprises:
            raise cells.CellError(f"企业“{code}”不在企业名录中，请先导入“企业”工作表")
    except cells.CellError as error:
        key_problems.append(Problem(SHEET, number, "统一社会信用代码", error.message))
        code = None
    year = _int_cell(row, position, "年份", number, key_problems, 2000, 2100)
    month = _int_cell(row, position, "月份", number, key_problems, 1, 12)
    if code is not None and name_column is not None:
        given = cells.parse_text(row[name_column], max_length=200)
        if given and given != enterprises[code][1]:
            key_problems.append(
                Problem(
                    SHEET,
                    number,
                    "企业名称",
                    f"“{given}”与名录中该信用代码的企业名称“{enterprises[code][1]}”不一致",
                )
            )
    problems.extend(key_problems)
    if key_problems:
        return None
    key = (enterprises[code][0], year, month)
    if key in seen:
        problems.append(
            Problem(
                SHEET,
                number,
                "统一社会信用代码",
                f"{year}年{month}月的数据在第{seen[key]}行已经出现过，同一企业同一月份只能有一行",
            )
        )
        return None
    seen[key] = number
    return key


@functools.lru_cache(maxsize=20_000)
def _credit_code_or_error(raw) -> tuple[str | None, str | None]:
    try:
        return cells.parse_credit_code(raw), None
    except cells.CellError as error:
        return None, error.message


def _credit_code(raw) -> str | None:
    """Return the credit code of a cell, checking each distinct text once (an
    enterprise has twelve rows a year)."""
    if not isinstance(raw, str):
        return cells.parse_credit_code(raw)
    code, message = _credit_code_or_error(raw)
    if message is not None:
        raise cells.CellError(message)
    return code


def _int_cell(row, position, header, number, problems, minimum, maximum):
    try:
        value = cells.parse_int(
            row[position[header]], minimum=minimum, maximum=maximum, label=header
        )
        if value is None:
            raise cells.CellError("不能为空")
        return value
    except cells.CellError as error:
        problems.append(Problem(SHEET, number, header, error.message))
        return None


def _existing_values(keys) -> dict[tuple[int, int, int, int], Decimal]:
    """Return the stored figures of the enterprises and years the sheet touches."""
    enterprise_ids = {key[0] for key in keys if key}
    years = {key[1] for key in keys if key}
    existing = {}
    for chunk_start in range(0, len(enterprise_ids), 2000):
        chunk = sorted(enterprise_ids)[chunk_start : chunk_start + 2000]
        rows = MonthlyValue.objects.filter(enterprise_id__in=chunk, year__in=years).values_list(
            "enterprise_id", "indicator_id", "year", "month", "value"
        )
        for e, i, y, m, value in rows.iterator(chunk_size=5000):
            existing[(e, i, y, m)] = value
    return existing


def _check_cumulative(values, existing, indicators, keys, row_numbers, problems):
    """Note every cumulative figure that falls below an earlier month's of the same year."""
    falling = {
        indicator.pk: indicator
        for indicator, _ in indicators
        if indicator.is_flow and not indicator.allows_negative
    }
    series: dict[tuple[int, int, int], dict[int, Decimal]] = defaultdict(dict)
    for (e, i, y, m), value in existing.items():
        if i in falling:
            series[(e, i, y)][m] = value
    for (e, i, y, m), value in values.items():
        if i in falling:
            series[(e, i, y)][m] = value
    row_of = {key: number for key, number in zip(keys, row_numbers, strict=True) if key}
    for (e, i, y), by_month in series.items():
        previous_month, previous = None, None
        for month in sorted(by_month):
            value = by_month[month]
            if previous is not None and value < previous and (e, y, month) in row_of:
                problems.append(
                    Problem(
                        SHEET,
                        row_of[(e, y, month)],
                        falling[i].header,
                        f"本年累计数{plain_number(value)}小于{previous_month}月的累计数"
                        f"{plain_number(previous)}，累计数不能减少",
                    )
                )
            elif previous is not None and value < previous and (e, y, previous_month) in row_of:
                problems.append(
                    Problem(
                        SHEET,
                        row_of[(e, y, previous_month)],
                        falling[i].header,
                        f"本年累计数{plain_number(previous)}大于{month}月已有的累计数"
                        f"{plain_number(value)}，累计数不能减少",
                    )
                )
            previous_month, previous = month, value


@transaction.atomic
def monthly_value_save(*, value: MonthlyValue, user, source: str, reference: str = "") -> None:
    """Save one figure and record its change, if it changed."""
    old = (
        MonthlyValue.objects.filter(pk=value.pk).values_list("value", flat=True).first()
        if value.pk
        else None
    )
    value.full_clean()
    park_id = Enterprise.objects.values_list("park_id", flat=True).get(pk=value.enterprise_id)
    if period_locked(park_id, value.year, value.month):
        raise EntryRefused(f"该园区{value.year}年{value.month}月的数据已审核锁定，不能修改。")
    value.save()
    bump_period_versions({(park_id, value.year, value.month)})
    if old != value.value:
        FigureChange.objects.create(
            enterprise_id=value.enterprise_id,
            indicator_id=value.indicator_id,
            year=value.year,
            month=value.month,
            old_value=old,
            new_value=value.value,
            changed_by=user if user is not None and user.is_authenticated else None,
            source=source,
            reference=reference,
        )


@transaction.atomic
def monthly_values_delete(*, values: QuerySet[MonthlyValue], user, source: str) -> int:
    """Delete the figures and record each deletion; return how many of a locked month
    were left as they are."""
    values = list(values.select_related("enterprise"))
    periods = {(v.enterprise.park_id, v.year, v.month) for v in values}
    locked = locked_periods({p for p, _, _ in periods}, {y for _, y, _ in periods})
    deleted = [v for v in values if (v.enterprise.park_id, v.year, v.month) not in locked]
    FigureChange.objects.bulk_create(
        FigureChange(
            enterprise_id=v.enterprise_id,
            indicator_id=v.indicator_id,
            year=v.year,
            month=v.month,
            old_value=v.value,
            new_value=None,
            changed_by=user if user is not None and user.is_authenticated else None,
            source=source,
        )
        for v in deleted
    )
    MonthlyValue.objects.filter(pk__in=[v.pk for v in deleted]).delete()
    bump_period_versions({(v.enterprise.park_id, v.year, v.month) for v in deleted})
    return len(values) - len(deleted)


# ---------------------------------------------------------------- the monthly entry


class EntryRefused(Exception):
    """A change the month's state or the user's role does not allow; says why in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EntryInvalid(Exception):
    """Figures that fail a check: nothing was stored; `sheet` shows them with their errors."""

    def __init__(self, sheet):
        super().__init__(f"{sheet.error_count} figures with errors")
        self.sheet = sheet


class EntryConflict(Exception):
    """Someone saved the month since the page was opened: nothing was stored; `sheet` shows
    the figures as they are now beside what was entered."""

    def __init__(self, sheet):
        super().__init__("the month changed meanwhile")
        self.sheet = sheet


def _period_for_update(park, year: int, month: int) -> PeriodSubmission:
    """Return the park-month's workflow record, created if missing, locked for this transaction."""
    PeriodSubmission.objects.bulk_create(
        [PeriodSubmission(park=park, year=year, month=month)], ignore_conflicts=True
    )
    return PeriodSubmission.objects.select_for_update().get(park=park, year=year, month=month)


def _refuse_unless_editable(submission: PeriodSubmission) -> None:
    if submission.status == PeriodStatus.APPROVED:
        raise EntryRefused(
            f"{submission.park.name}{submission.year}年{submission.month}月的数据已审核锁定，"
            "不能修改；如需更正，请管理员先解锁。"
        )
    if submission.status == PeriodStatus.SUBMITTED:
        raise EntryRefused(
            f"{submission.park.name}{submission.year}年{submission.month}月的数据已上报，"
            "等待审核；如需修改，请先撤回。"
        )


def _refuse_unless_enters(user, park) -> None:
    if not editable_parks(user).filter(pk=park.pk).exists():
        raise EntryRefused(f"您没有填报{park.name}数据的权限。")


@transaction.atomic
def period_figures_save(
    *,
    park,
    year: int,
    month: int,
    user,
    version: int,
    raw: dict[tuple[int, int], str],
    notes: dict[tuple[int, int], str],
) -> int:
    """Check and store the park's figures of the month as entered; return how many changed.

    All or nothing: any error stores nothing (EntryInvalid). A month saved by
    someone else since `version` was read is not overwritten (EntryConflict).
    Blank cells clear a stored figure. Each change is logged; explanations (说明)
    are kept with their figure.
    """
    _refuse_unless_enters(user, park)
    submission = _period_for_update(park, year, month)
    _refuse_unless_editable(submission)
    indicators = {i.pk: i for i in Indicator.objects.filter(is_active=True)}
    enterprises = set(entry_enterprises(park).values_list("pk", flat=True))
    raw = {key: text for key, text in raw.items() if key[0] in enterprises and key[1] in indicators}
    notes = {
        key: text.strip()[:500]
        for key, text in notes.items()
        if key[0] in enterprises and key[1] in indicators
    }
    entered, parse_errors = {}, {}
    for key, text in raw.items():
        try:
            entered[key] = cells.parse_decimal(
                text, allow_negative=indicators[key[1]].allows_negative
            )
        except cells.CellError as error:
            parse_errors[key] = error.message
    sheet = entry_sheet(
        park, year, month, entered=entered, raw=raw, notes=notes, parse_errors=parse_errors
    )
    if submission.version != version:
        raise EntryConflict(sheet)
    if sheet.error_count:
        raise EntryInvalid(sheet)

    changes = [
        (cell, entered[(cell.enterprise_id, cell.indicator.pk)])
        for cell in sheet.cells
        if (cell.enterprise_id, cell.indicator.pk) in entered
        and entered[(cell.enterprise_id, cell.indicator.pk)] != cell.stored
    ]
    _store_entered(changes, year=year, month=month, user=user)
    _store_notes(sheet, notes, year=year, month=month, user=user)
    submission.version += 1
    submission.updated_at = timezone.now()
    submission.updated_by = user
    submission.save(update_fields=["version", "updated_at", "updated_by"])
    return len(changes)


def _store_entered(changes, *, year: int, month: int, user) -> None:
    stored = [
        MonthlyValue(
            enterprise_id=cell.enterprise_id,
            indicator=cell.indicator,
            year=year,
            month=month,
            value=value,
        )
        for cell, value in changes
        if value is not None
    ]
    MonthlyValue.objects.bulk_create(
        stored,
        update_conflicts=True,
        unique_fields=["enterprise", "indicator", "year", "month"],
        update_fields=["value"],
    )
    for cell, value in changes:
        if value is None:
            MonthlyValue.objects.filter(
                enterprise_id=cell.enterprise_id, indicator=cell.indicator, year=year, month=month
            ).delete()
    FigureChange.objects.bulk_create(
        FigureChange(
            enterprise_id=cell.enterprise_id,
            indicator=cell.indicator,
            year=year,
            month=month,
            old_value=cell.stored,
            new_value=value,
            changed_by=user,
            source=ChangeSource.ENTRY,
        )
        for cell, value in changes
    )


def _store_notes(sheet, notes, *, year: int, month: int, user) -> None:
    """Keep the explanations of the cells that warn; drop the others."""
    kept = {
        (cell.enterprise_id, cell.indicator.pk): notes[(cell.enterprise_id, cell.indicator.pk)]
        for cell in sheet.cells
        if cell.warnings and notes.get((cell.enterprise_id, cell.indicator.pk))
    }
    enterprise_ids = {row.enterprise.pk for row in sheet.rows}
    stored = FigureNote.objects.filter(enterprise_id__in=enterprise_ids, year=year, month=month)
    stale = [
        pk
        for pk, e, i in stored.values_list("pk", "enterprise_id", "indicator_id")
        if (e, i) not in kept
    ]
    FigureNote.objects.filter(pk__in=stale).delete()
    FigureNote.objects.bulk_create(
        [
            FigureNote(
                enterprise_id=e, indicator_id=i, year=year, month=month, text=text, written_by=user
            )
            for (e, i), text in kept.items()
        ],
        update_conflicts=True,
        unique_fields=["enterprise", "indicator", "year", "month"],
        update_fields=["text", "written_by", "written_at"],
    )


TRANSITIONS = {
    PeriodAction.SUBMIT: (PeriodStatus.DRAFT, PeriodStatus.SUBMITTED),
    PeriodAction.WITHDRAW: (PeriodStatus.SUBMITTED, PeriodStatus.DRAFT),
    PeriodAction.APPROVE: (PeriodStatus.SUBMITTED, PeriodStatus.APPROVED),
    PeriodAction.RETURN: (PeriodStatus.SUBMITTED, PeriodStatus.DRAFT),
    PeriodAction.UNLOCK: (PeriodStatus.APPROVED, PeriodStatus.DRAFT),
}
ADMIN_ACTIONS = {PeriodAction.APPROVE, PeriodAction.RETURN, PeriodAction.UNLOCK}
REASON_REQUIRED = {PeriodAction.RETURN, PeriodAction.UNLOCK}


@transaction.atomic
def period_transition(*, park, year: int, month: int, action: str, user, reason: str = ""):
    """Move the park-month through its workflow: draft → submitted → approved (locked),
    and back (withdraw, return, unlock). Refuses with a Chinese message when the
    month is not where the step starts, the user may not take it, a reason is
    missing, or, for a submission, a figure has an error or an unexplained warning."""
    action = PeriodAction(action)
    if action in ADMIN_ACTIONS:
        if not can_approve(user):
            raise EntryRefused(f"只有管理员可以{action.label}。")
    else:
        _refuse_unless_enters(user, park)
    reason = reason.strip()
    if action in REASON_REQUIRED and not reason:
        raise EntryRefused(f"请填写{action.label}的原因。")
    submission = _period_for_update(park, year, month)
    start, end = TRANSITIONS[action]
    if submission.status != start:
        raise EntryRefused(
            f"本月当前状态为“{submission.get_status_display()}”，不能{action.label}。"
        )
    if action == PeriodAction.SUBMIT:
        sheet = entry_sheet(park, year, month)
        if sheet.error_count:
            raise EntryRefused(f"有{sheet.error_count}处数据错误，请更正后再上报。")
        if sheet.unexplained:
            raise EntryRefused(
                f"有{len(sheet.unexplained)}处数据提示尚未填写说明，请填写说明并保存后再上报。"
            )
    submission.status = end
    submission.save(update_fields=["status"])
    PeriodEvent.objects.create(submission=submission, action=action, user=user, reason=reason)
    return submission


def bump_period_versions(periods) -> None:
    """Mark the (park id, year, month) periods as changed, so that an entry page opened
    before the change is told so when it saves."""
    periods = set(periods)
    PeriodSubmission.objects.bulk_create(
        [PeriodSubmission(park_id=p, year=y, month=m) for p, y, m in periods],
        ignore_conflicts=True,
    )
    for park_id, year, month in periods:
        PeriodSubmission.objects.filter(park_id=park_id, year=year, month=month).update(
            version=F("version") + 1
        )
