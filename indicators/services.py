"""Writes of monthly figures that span many rows."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from parkportal import cells
from parkportal.bulk import staging_table, upsert_from
from parkportal.models import Enterprise
from parkportal.resources import Problem, SheetOutcome

from .choices import ChangeSource
from .models import FigureChange, Indicator, MonthlyValue

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
    enterprises = {
        code: (pk, name)
        for code, pk, name in Enterprise.objects.values_list("credit_code", "pk", "name")
    }
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
    progress(0.7)
    _write(changed, user=user, reference=reference)
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
        code = cells.parse_credit_code(row[position["统一社会信用代码"]])
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
                        f"本年累计数{value}小于{previous_month}月的累计数{previous}，累计数不能减少",
                    )
                )
            elif previous is not None and value < previous and (e, y, previous_month) in row_of:
                problems.append(
                    Problem(
                        SHEET,
                        row_of[(e, y, previous_month)],
                        falling[i].header,
                        f"本年累计数{previous}大于{month}月已有的累计数{value}，累计数不能减少",
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
    value.save()
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
