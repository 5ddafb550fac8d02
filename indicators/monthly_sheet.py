"""The import of the wide 月度指标 sheet (indicators.resources.MonthlyValueResource).

The sheet is the workbook's big one (60,000 rows for 5,000 enterprises): it is
checked column by column and written through the figures' door in one set-based
write, instead of django-import-export's row-by-row path (docs/workbook.md).
"""

import functools
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal

from parkportal import cells
from parkportal.domain import plain_number
from parkportal.models import Enterprise
from parkportal.resources import Problem, SheetOutcome

from .choices import ChangeSource
from .figures import FiguresInvalid, FiguresRefused, figures_write
from .models import Indicator

SHEET = "月度指标"
CREDIT_CODE, NAME, YEAR, MONTH = "统一社会信用代码", "企业名称", "年份", "月份"
KEY_HEADERS = (CREDIT_CODE, NAME, YEAR, MONTH)
PROGRESS_EVERY = 5000  # rows between two progress reports

RowKey = tuple[int, int, int]  # (enterprise id, year, month)


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
    """Check the wide monthly sheet column by column, then write its figures in bulk.

    Nothing is written when any problem is found; the caller's transaction holds
    the other sheets. A blank cell is "not reported": it writes nothing. Park-months
    with no workflow record yet become approved: a zone's history imported by an
    admin is official at once (docs/domain.md). `progress`, when given, is told the
    share done (0 to 1).
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
    register = Enterprise.objects.values_list("credit_code", "pk", "name")
    enterprises = {code: (pk, name) for code, pk, name in register}
    name_column = position.get(NAME)

    keys: list[RowKey | None] = []
    seen: dict[RowKey, int] = {}
    for done, (row, number) in enumerate(zip(rows, row_numbers, strict=True), start=1):
        keys.append(_row_key(row, number, position, name_column, enterprises, seen, problems))
        if done % PROGRESS_EVERY == 0:
            progress(0.25 * done / len(rows))

    values: dict[tuple[int, int, int, int], Decimal | None] = {}
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
    row_of = {key: number for key, number in zip(keys, row_numbers, strict=True) if key}
    stored_rows: set[RowKey] = set()

    def check(stored) -> list[Problem]:
        stored_rows.update((e, y, m) for (e, _, y, m) in stored)
        progress(0.7)
        return _cumulative_problems(values, stored, indicators, row_of)

    try:
        written = figures_write(
            changes=values,
            user=user,
            source=ChangeSource.IMPORT,
            reference=reference,
            validate=check,
            approve_new=True,
        )
    except FiguresInvalid as invalid:
        problems.extend(invalid.problems)
        return outcome
    except FiguresRefused as refused:
        problems.extend(_locked_problems(refused, row_of))
        return outcome
    progress(1)
    changed_rows = {(e, y, m) for (e, _, y, m) in written.keys}
    for key in keys:
        if key not in changed_rows:
            outcome.unchanged += 1
        elif key in stored_rows:
            outcome.updated += 1
        else:
            outcome.created += 1
    return outcome


def _locked_problems(refused: FiguresRefused, row_of: dict[RowKey, int]) -> list[Problem]:
    """Return a problem for every row that would change a figure of a locked month."""
    rows = sorted({(e, y, m) for (e, _, y, m) in refused.keys}, key=row_of.__getitem__)
    return [
        Problem(
            SHEET,
            row_of[(e, y, m)],
            MONTH,
            f"该园区{y}年{m}月的数据已审核锁定，不能修改；请管理员先在月度填报中解锁",
        )
        for e, y, m in rows
    ]


def _row_key(row, number, position, name_column, enterprises, seen, problems):
    """Return a row's (enterprise id, year, month), or None with its problems noted."""
    key_problems = []
    try:
        code = _credit_code(row[position[CREDIT_CODE]])
        if code is None:
            raise cells.CellError("不能为空")
        if code not in enterprises:
            raise cells.CellError(f"企业“{code}”不在企业名录中，请先导入“企业”工作表")
    except cells.CellError as error:
        key_problems.append(Problem(SHEET, number, CREDIT_CODE, error.message))
        code = None
    year = _int_cell(row, position, YEAR, number, key_problems, 2000, 2100)
    month = _int_cell(row, position, MONTH, number, key_problems, 1, 12)
    if code is not None and name_column is not None:
        given = cells.parse_text(row[name_column], max_length=200)
        if given and given != enterprises[code][1]:
            key_problems.append(
                Problem(
                    SHEET,
                    number,
                    NAME,
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
                CREDIT_CODE,
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


def _cumulative_problems(values, stored, indicators, row_of) -> list[Problem]:
    """Return a problem for every cumulative figure that falls below an earlier month's
    of the same year, the sheet's figures laid over the stored ones."""
    falling = {
        indicator.pk: indicator
        for indicator, _ in indicators
        if indicator.is_flow and not indicator.allows_negative
    }
    series: dict[tuple[int, int, int], dict[int, Decimal]] = defaultdict(dict)
    for (e, i, y, m), value in stored.items():
        if i in falling:
            series[(e, i, y)][m] = value
    for (e, i, y, m), value in values.items():
        if i in falling:
            series[(e, i, y)][m] = value
    problems = []
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
    return problems
