"""The import of the wide 月度指标 sheet (indicators.resources.MonthlyValueResource).

The sheet is the workbook's big one (60,000 rows for 5,000 enterprises): it is
checked column by column and written through the figures' door in one set-based
write, instead of django-import-export's row-by-row path (docs/workbook.md).

It also reads the sheets park offices keep (docs/workbook.md, "Clerks' sheets"):
`monthly_layout` makes sense of their headers (a two-row header, a header
without its unit, a 单位 line, a title that gives the year and month, names
instead of credit codes) before the rows are read.
"""

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from parkportal import cells
from parkportal.bulk import staging_table
from parkportal.domain import plain_number
from parkportal.models import Enterprise
from parkportal.resources import Problem, SheetOutcome

from .choices import ChangeSource
from .domain import ERROR
from .figures import FiguresInvalid, FiguresRefused, analyze, figures_write
from .models import MONEY_UNIT, Indicator, MonthlyValue
from .rules import rule_breaches
from .sums import official_sums_deferred

SHEET = "月度指标"
CREDIT_CODE, NAME, YEAR, MONTH = "统一社会信用代码", "企业名称", "年份", "月份"
KEY_HEADERS = (CREDIT_CODE, NAME, YEAR, MONTH)
_KEY_ATTRIBUTES = {CREDIT_CODE: "code", NAME: "name", YEAR: "year", MONTH: "month"}  # of the layout
PROGRESS_EVERY = 5000  # rows between two progress reports
BLOCK = 1000  # enterprises checked and written together (about 12,000 rows of a year)
ANALYZE_AFTER = 5000  # rows written, after which the figures' statistics are taken afresh

RowKey = tuple[int, int, int]  # (enterprise id, year, month)

# What the lower cell of a two-row header names under its indicator.
CUMULATIVE, LAST_YEAR, DERIVED, THIS_MONTH = "cumulative", "last_year", "derived", "this_month"
_CUMULATIVE_LABELS = frozenset({"本年累计", "累计", "本年累计数", "累计数"})
_LAST_YEAR_LABELS = frozenset({"上年同期", "去年同期", "上年同期数", "上年同期累计"})
_THIS_MONTH_LABELS = frozenset({"本月", "当月", "本月数", "当月数"})
_DERIVED_WORDS = ("同比", "增长", "增速", "增减")
_DASHES = "-—–－~～至到"
_MONTHS_RANGE = re.compile(rf"1[{_DASHES}]\d{{1,2}}月份?")
_TITLE_PERIOD = re.compile(rf"(\d{{4}})\s*年\s*(?:1\s*[{_DASHES}]\s*)?(\d{{1,2}})\s*月")
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*(亿元|万元|元)(?![\u4e00-\u9fff])")

# A unit a 单位 line may declare: the decimals a cell may have in it, its digits, and
# the factor to 万元 (the catalog's money unit).
_UNITS = {
    "万元": (4, 16, None),
    "亿元": (8, 16, Decimal(10000)),
    "元": (2, 18, Decimal("0.0001")),
}
_FOUR_PLACES = Decimal("0.0001")


def figure_kind(label: str) -> str | None:
    """Return what the lower cell of a two-row header names: the cumulative figure,
    last year's, this month's own, a derived one (growth), or None if it names none."""
    label = label.replace(" ", "")
    if not label:
        return None
    if label in _CUMULATIVE_LABELS or _MONTHS_RANGE.fullmatch(label):
        return CUMULATIVE
    if label in _LAST_YEAR_LABELS:
        return LAST_YEAR
    if label in _THIS_MONTH_LABELS:
        return THIS_MONTH
    if any(word in label for word in _DERIVED_WORDS):
        return DERIVED
    return None


@dataclass
class FigureColumn:
    """A column of the sheet that holds an indicator's figure, and how to read it."""

    index: int
    indicator: Indicator
    label: str  # as messages name the column
    unit: str = ""  # a unit other than the catalog's (亿元, 元), converted when read

    def read(self, raw) -> Decimal | None:
        if not self.unit:
            return cells.parse_decimal(raw, allow_negative=self.indicator.allows_negative)
        places, digits, factor = _UNITS[self.unit]
        value = cells.parse_decimal(
            raw,
            max_digits=digits,
            decimal_places=places,
            allow_negative=self.indicator.allows_negative,
        )
        if value is None or factor is None:
            return value
        return (value * factor).quantize(_FOUR_PLACES, ROUND_HALF_UP)


@dataclass
class MonthlyLayout:
    """Where the monthly sheet keeps each thing, as its headers and the lines above say."""

    code: int | None = None
    name: int | None = None
    year: int | None = None
    month: int | None = None
    # The year and month of the whole sheet, from its title, when it has no such columns.
    sheet_year: int | None = None
    sheet_month: int | None = None
    figures: list[FigureColumn] = field(default_factory=list)
    last_year: list[FigureColumn] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # columns the portal derives itself
    notices: list[Problem] = field(default_factory=list)

    @property
    def summable(self) -> list[int]:
        """The columns a 合计 row's figures are checked in."""
        return [column.index for column in (*self.figures, *self.last_year)]


def monthly_layout(
    headers: Sequence[str],
    figures: Sequence[str],
    above: Sequence[tuple[int, str]],
    header_row: int,
) -> MonthlyLayout | Problem:
    """Read the sheet's headers: which column holds what, in which unit.

    `headers` are the header row's cells (normalised, "" for none), `figures` the
    cells under them when the header spans two rows ("" otherwise), `above` the
    texts of the rows above the header with their row numbers (a title, a 单位 line).
    """
    catalog = {}
    for indicator in Indicator.objects.all():
        catalog[indicator.header] = (indicator, False)
        catalog.setdefault(indicator.name, (indicator, True))  # without its unit
    unit, unit_row = _declared_unit(above)
    layout = MonthlyLayout()
    unknown, repeated, unitless = [], [], []
    ranges: list[tuple[str, int]] = []  # columns headed 1-N月, and their N
    seen_keys, seen_figures = set(), set()
    for index, (header, figure) in enumerate(zip(headers, figures, strict=True)):
        if not header:
            continue
        label = f"{header}/{figure}" if figure else header
        if header in KEY_HEADERS and not figure:
            if header in seen_keys:
                repeated.append(header)
            seen_keys.add(header)
            setattr(layout, _KEY_ATTRIBUTES[header], index)
            continue
        found = catalog.get(header)
        kind = figure_kind(figure) if figure else CUMULATIVE
        if found is None or kind is None:
            unknown.append(label)
            continue
        indicator, without_unit = found
        if kind == THIS_MONTH:
            kind = CUMULATIVE if not indicator.is_flow else DERIVED  # a stock's month is its figure
        if kind == DERIVED:
            layout.skipped.append(index)
            layout.notices.append(
                Problem(
                    SHEET,
                    header_row,
                    label,
                    "本月数、同比和增速由平台根据累计数计算，本列不导入",
                )
            )
            continue
        column = FigureColumn(index, indicator, label)
        if figure and _MONTHS_RANGE.fullmatch(figure.replace(" ", "")):
            ranges.append((label, int(re.findall(r"\d+", figure)[-1])))
        if without_unit:
            if header not in unitless:
                unitless.append(header)
            if indicator.is_money and unit and unit != MONEY_UNIT:
                column.unit = unit
        if (indicator.pk, kind) in seen_figures:
            repeated.append(label)
        seen_figures.add((indicator.pk, kind))
        (layout.figures if kind == CUMULATIVE else layout.last_year).append(column)
    problems = []
    if unknown:
        problems.append(f"不认识的列：{'、'.join(unknown)}")
    if repeated:
        problems.append(f"重复的列：{'、'.join(repeated)}")
    if layout.year is None or layout.month is None:
        period = _title_period(above)
        if period is None:
            missing = "、".join(
                h for h in (YEAR, MONTH) if getattr(layout, _KEY_ATTRIBUTES[h]) is None
            )
            problems.append(
                f"缺少必填列：{missing}（没有这两列时，从表格标题中的年月读取，"
                "如“2022年1-10月主要经济指标”，但标题中也没有年月）"
            )
        else:
            title_row, title, year, month = period
            given = []
            if layout.year is None:
                layout.sheet_year = year
                given.append(f"年份为{year}")
            if layout.month is None:
                layout.sheet_month = month
                given.append(f"月份为{month}")
            layout.notices.append(
                Problem(
                    SHEET,
                    title_row,
                    "",
                    f"表中没有“年份”“月份”列，按标题“{title}”取{'、'.join(given)}",
                )
            )
    if layout.sheet_month is not None:
        problems.extend(
            f"“{label}”的月份与标题的{layout.sheet_month}月不一致"
            for label, month in ranges
            if month != layout.sheet_month
        )
    if problems:
        return Problem(SHEET, header_row, "", "；".join(problems))
    if unitless:
        read_in = f"按第{unit_row}行“单位：{unit}”" if unit else "按指标目录的单位"
        converted = f"，换算为{MONEY_UNIT}导入" if unit and unit != MONEY_UNIT else ""
        layout.notices.append(
            Problem(
                SHEET,
                header_row,
                "",
                f"表头“{'”“'.join(unitless)}”没有写单位，金额{read_in}读取{converted}",
            )
        )
    if layout.code is None:
        layout.notices.append(
            Problem(
                SHEET,
                header_row,
                "",
                "表中没有“统一社会信用代码”列，按“企业名称”与企业名录中的名称完全一致匹配企业",
            )
        )
    return layout


def _declared_unit(above: Sequence[tuple[int, str]]) -> tuple[str, int | None]:
    """Return the unit a 单位：万元 line above the header declares, and its row."""
    for row, text in above:
        match = _UNIT_LINE.search(text)
        if match:
            return match.group(1), row
    return "", None


def _title_period(above: Sequence[tuple[int, str]]) -> tuple[int, str, int, int] | None:
    """Return (row, title, year, month) of the first line above the header naming a
    year and month ("2022年1-10月…" → 2022, 10)."""
    for row, text in above:
        match = _TITLE_PERIOD.search(text.translate(_HALF_WIDTH_DIGITS))
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return row, text, year, month
    return None


_HALF_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _no_progress(fraction: float) -> None:
    pass


def monthly_sheet_import(
    *,
    headers: Sequence[str],
    rows: Sequence[Sequence],
    row_numbers: Sequence[int],
    layout: MonthlyLayout | None = None,
    user=None,
    reference: str = "",
    progress: Callable[[float], None] | None = None,
) -> SheetOutcome:
    """Check the wide monthly sheet column by column, then write its figures in bulk.

    Nothing is written when any problem is found; the caller's transaction holds
    the other sheets. A blank cell is "not reported": it writes nothing. Park-months
    with no workflow record yet become approved: a zone's history imported by an
    admin is official at once (docs/domain.md). `layout` says where the sheet keeps
    what (`monthly_layout`); without it the headers are the format's own.
    `progress`, when given, is told the share done (0 to 1).
    """
    progress = progress or _no_progress
    outcome = SheetOutcome(SHEET)
    problems = outcome.problems
    if layout is None:
        layout = monthly_layout(headers, [""] * len(headers), [], 1)
        if isinstance(layout, Problem):
            problems.append(layout)
            return outcome
    outcome.notices.extend(layout.notices)
    register = list(Enterprise.objects.values_list("credit_code", "pk", "name"))
    enterprises = {code: (pk, name) for code, pk, name in register}
    by_name: dict[str, list[int]] = defaultdict(list)
    for _, pk, name in register:
        by_name[name.strip(cells.SPACES)].append(pk)
    matcher = _RowKeys(layout, enterprises, by_name, problems)

    keys: list[RowKey | None] = []
    for done, (row, number) in enumerate(zip(rows, row_numbers, strict=True), start=1):
        keys.append(matcher.key(row, number))
        if done % PROGRESS_EVERY == 0:
            progress(0.25 * done / len(rows))
    # Forgotten now: cached across imports, their entries would keep the memory around
    # the sheet's rows from being given back once the rows are gone.
    _credit_code_or_error.cache_clear()
    _int_or_error.cache_clear()
    if matcher.by_name:
        outcome.notices.append(
            Problem(SHEET, None, NAME, f"{matcher.by_name}行按企业名称匹配到名录中的企业")
        )

    # Written in blocks of enterprises, so that neither the sheet's figures nor the stored
    # ones are held in Python all at once; the checks are an enterprise's own (its months,
    # its rules), so a block answers for itself.
    positions_of: dict[int, list[int]] = defaultdict(list)
    unkeyed = []
    for position, key in enumerate(keys):
        if key is None:
            unkeyed.append(position)
        else:
            positions_of[key[0]].append(position)
    enterprise_ids = list(positions_of)
    blocks = [
        sorted(p for e in enterprise_ids[i : i + BLOCK] for p in positions_of[e])
        for i in range(0, len(enterprise_ids), BLOCK)
    ]
    del positions_of, enterprise_ids
    if unkeyed:
        blocks.append(unkeyed)  # read for their cells' problems only

    before_writing = SheetOutcome(SHEET)  # the 上年同期 check, against the figures stored now
    if layout.last_year:
        _check_last_year(layout, rows, row_numbers, keys, before_writing)
    indicators = [(column.indicator, column.label) for column in layout.figures]
    row_of = matcher.seen  # each row's key → its number in Excel
    unreadable: list[tuple[int, int, Problem]] = []  # (column, position, problem)
    invalid: list[Problem] = []
    locked: list[Problem] = []
    approved: set = set()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    writing = not problems  # a row without its key: read the cells, write nothing
    # The reports' sums the blocks change are recounted once, after the last block (a
    # recount per block would read every earlier block's lines again), on the figures'
    # statistics taken afresh: planned on those of an empty table, the recount of a
    # first import takes minutes on PostgreSQL.
    with official_sums_deferred():
        for done, positions in enumerate(blocks):
            progress(0.25 + 0.75 * done / len(blocks))
            values = _block_values(layout, rows, row_numbers, keys, positions, unreadable)
            if unreadable:
                writing = False
            if writing:
                values = _changed_only(values)
            if not writing or not values:
                if writing:
                    counts["unchanged"] += len(positions)
                continue
            block_rows = [keys[p] for p in positions]
            stored_rows: set[RowKey] = set()

            def check(
                stored, values=values, stored_rows=stored_rows, block_rows=block_rows
            ) -> list[Problem]:
                stored_rows.update((e, y, m) for (e, _, y, m) in stored)
                problems = _cumulative_problems(values, stored, indicators, row_of)
                errors, warnings = _rule_problems(values, stored, indicators, row_of, block_rows)
                outcome.warnings.extend(warnings)
                return problems + errors

            try:
                written = figures_write(
                    changes=values,
                    user=user,
                    source=ChangeSource.IMPORT,
                    reference=reference,
                    validate=check,
                    approve_new=True,
                    approved=approved,
                )
            except FiguresInvalid as refused:
                invalid.extend(refused.problems)
                continue
            except FiguresRefused as refused:
                locked.extend(_locked_problems(refused, row_of))
                continue
            approved |= written.approved
            changed_rows = {(e, y, m) for (e, _, y, m) in written.keys}
            for key in block_rows:
                if key not in changed_rows:
                    counts["unchanged"] += 1
                elif key in stored_rows:
                    counts["updated"] += 1
                else:
                    counts["created"] += 1
        if counts["created"] + counts["updated"] >= ANALYZE_AFTER:
            analyze(MonthlyValue)
    if unreadable:
        problems.extend(problem for _, _, problem in sorted(unreadable, key=lambda u: u[:2]))
    if problems:
        outcome.warnings = []  # the checks of the blocks read before: their rows stand refused
        return outcome
    outcome.warnings[:0] = before_writing.warnings
    outcome.notices.extend(before_writing.notices)
    problems.extend(invalid or locked)
    if problems:
        return outcome
    progress(1)
    outcome.created, outcome.updated = counts["created"], counts["updated"]
    outcome.unchanged = counts["unchanged"]
    return outcome


def _changed_only(values: dict) -> dict:
    """Return the figures of `values` that differ from the stored ones, compared in SQL
    (the block staged in a temporary table, joined to the stored figures), so that an
    unchanged re-import neither reads the stored figures into Python nor checks or
    writes anything. Only the enterprise-years a changed figure touches are checked
    then, as the figures' door reads them."""
    enterprises = {e for (e, _, _, _) in values}
    years = {y for (_, _, y, _) in values}
    stored = MonthlyValue.objects.filter(enterprise_id__in=enterprises, year__in=years)
    if not stored.exists():
        return values
    key = ["enterprise_id", "indicator_id", "year", "month"]
    quote = connection.ops.quote_name
    table = MonthlyValue._meta.db_table
    staged = ((e, i, y, m, value) for (e, i, y, m), value in values.items())
    with staging_table(table, [*key, "value"], staged, numbers=True) as staging:
        matches = " AND ".join(f"v.{quote(c)} = s.{quote(c)}" for c in key)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.enterprise_id, s.indicator_id, s.year, s.month FROM {staging} s "
                f"LEFT JOIN {quote(table)} v ON {matches} "
                "WHERE v.value IS NULL OR v.value <> s.value"
            )
            return {tuple(key): values[tuple(key)] for key in cursor.fetchall()}


def _block_values(layout, rows, row_numbers, keys, positions, unreadable) -> dict:
    """Read the figures of the rows at `positions`, column by column; a cell that cannot be
    read goes to `unreadable` with its column and position, for the sheet's order."""
    values: dict[tuple[int, int, int, int], Decimal | None] = {}
    for order, column in enumerate(layout.figures):
        indicator, index = column.indicator, column.index
        read = cells.parse_decimal if not column.unit else None
        for position in positions:
            try:
                if read is not None:
                    value = read(rows[position][index], allow_negative=indicator.allows_negative)
                else:
                    value = column.read(rows[position][index])
            except cells.CellError as error:
                problem = Problem(SHEET, row_numbers[position], column.label, error.message)
                unreadable.append((order, position, problem))
                continue
            key = keys[position]
            if value is not None and key is not None:
                values[(key[0], indicator.pk, key[1], key[2])] = value
    return values


def _check_last_year(layout, rows, row_numbers, keys, outcome) -> None:
    """Compare the 上年同期 columns with the figures stored for the same month of last
    year: a difference is a warning (the column is not imported), as is a figure the
    portal does not have."""
    given: dict[tuple[int, int, int, int], tuple[Decimal, int, str]] = {}
    for column in layout.last_year:
        for row, number, key in zip(rows, row_numbers, keys, strict=True):
            try:
                value = column.read(row[column.index])
            except cells.CellError as error:
                outcome.warnings.append(
                    Problem(SHEET, number, column.label, f"无法核对上年同期数：{error.message}")
                )
                continue
            if value is not None and key is not None:
                given[(key[0], column.indicator.pk, key[1] - 1, key[2])] = (
                    value,
                    number,
                    column.label,
                )
    stored = {
        (e, i, y, m): value
        for e, i, y, m, value in MonthlyValue.objects.filter(
            indicator__in=[column.indicator for column in layout.last_year],
            year__in={year for (_, _, year, _) in given},
        ).values_list("enterprise_id", "indicator_id", "year", "month", "value")
    }
    agreeing, missing = 0, 0
    for (e, i, y, m), (value, number, label) in sorted(given.items(), key=lambda g: g[1][1]):
        if (e, i, y, m) not in stored:
            missing += 1
        elif stored[(e, i, y, m)] == value:
            agreeing += 1
        else:
            have = stored[(e, i, y, m)]
            outcome.warnings.append(
                Problem(
                    SHEET,
                    number,
                    label,
                    f"上年同期数{plain_number(value)}与平台已有的{y}年{m}月数{plain_number(have)}"
                    f"不一致（相差{plain_number(value - have)}）；本列只用于核对，不导入",
                )
            )
    if agreeing:
        outcome.notices.append(
            Problem(SHEET, None, "", f"上年同期数有{agreeing}个与平台已有的上年数据一致")
        )
    if missing:
        outcome.notices.append(
            Problem(SHEET, None, "", f"上年同期数有{missing}个在平台中没有上年同月的数据，未能核对")
        )


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


class _RowKeys:
    """Find each row's (enterprise id, year, month), noting the problems of those it cannot."""

    def __init__(self, layout, enterprises, by_name, problems):
        self.layout = layout
        self.enterprises = enterprises  # credit code → (id, name)
        self.by_name = 0  # rows matched by the enterprise's name
        self.names = by_name  # name → ids of the enterprises of that name
        self.problems = problems
        self.seen: dict[RowKey, int] = {}

    def key(self, row, number) -> RowKey | None:
        layout, key_problems = self.layout, []
        code = None
        if layout.code is not None:
            try:
                code = _credit_code(row[layout.code])
                if code is not None and code not in self.enterprises:
                    raise cells.CellError(f"企业“{code}”不在企业名录中，请先导入“企业”工作表")
            except cells.CellError as error:
                key_problems.append(Problem(SHEET, number, CREDIT_CODE, error.message))
                code = None
        given = ""
        if layout.name is not None:
            try:
                given = cells.parse_text(row[layout.name], max_length=200)
            except cells.CellError as error:
                key_problems.append(Problem(SHEET, number, NAME, error.message))
        enterprise = None
        if code is not None:
            enterprise = self.enterprises[code][0]
            if given and given != self.enterprises[code][1]:
                key_problems.append(
                    Problem(
                        SHEET,
                        number,
                        NAME,
                        f"“{given}”与名录中该信用代码的企业名称“{self.enterprises[code][1]}”不一致",
                    )
                )
        elif not key_problems:
            enterprise = self._by_name(given, number, key_problems)
        year = layout.sheet_year or _int_cell(
            row, layout.year, YEAR, number, key_problems, 2000, 2100
        )
        month = layout.sheet_month or _int_cell(
            row, layout.month, MONTH, number, key_problems, 1, 12
        )
        self.problems.extend(key_problems)
        if key_problems:
            return None
        key = (enterprise, year, month)
        if key in self.seen:
            self.problems.append(
                Problem(
                    SHEET,
                    number,
                    CREDIT_CODE if layout.code is not None else NAME,
                    f"{year}年{month}月的数据在第{self.seen[key]}行已经出现过，同一企业同一月份只能有一行",
                )
            )
            return None
        self.seen[key] = number
        return key

    def _by_name(self, given, number, key_problems) -> int | None:
        """Return the enterprise of exactly this registered name, or None with a problem."""
        if not given:
            if self.layout.name is None:
                key_problems.append(Problem(SHEET, number, CREDIT_CODE, "不能为空"))
            elif self.layout.code is None:
                key_problems.append(Problem(SHEET, number, NAME, "不能为空"))
            else:
                message = "统一社会信用代码和企业名称不能都为空"
                key_problems.append(Problem(SHEET, number, CREDIT_CODE, message))
            return None
        found = self.names.get(given, [])
        if len(found) == 1:
            self.by_name += 1
            return found[0]
        if found:
            message = f"企业名录中有{len(found)}家企业名为“{given}”，请填写统一社会信用代码以区分"
        else:
            message = (
                f"企业名录中没有名为“{given}”的企业（名称须与名录完全一致），"
                "请先导入“企业”工作表或改填统一社会信用代码"
            )
        key_problems.append(Problem(SHEET, number, NAME, message))
        return None


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


def _int_cell(row, column, header, number, problems, minimum, maximum):
    value, message = _int_or_error(row[column], header, minimum, maximum)
    if message is not None:
        problems.append(Problem(SHEET, number, header, message))
    return value


@functools.lru_cache(maxsize=1000, typed=True)
def _int_or_error(raw, header, minimum, maximum) -> tuple[int | None, str | None]:
    """Return a year's or month's cell read, or its error: each distinct cell once (a
    sheet has a few years and twelve months)."""
    try:
        value = cells.parse_int(raw, minimum=minimum, maximum=maximum, label=header)
        if value is None:
            raise cells.CellError("不能为空")
        return value, None
    except cells.CellError as error:
        return None, error.message


def _cumulative_problems(values, stored, indicators, row_of) -> list[Problem]:
    """Return a problem for every cumulative figure that falls below an earlier month's
    of the same year, the sheet's figures laid over the stored ones."""
    falling = {
        indicator.pk: label
        for indicator, label in indicators
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
                        falling[i],
                        f"本年累计数{plain_number(value)}小于{previous_month}月的累计数"
                        f"{plain_number(previous)}，累计数不能减少",
                    )
                )
            elif previous is not None and value < previous and (e, y, previous_month) in row_of:
                problems.append(
                    Problem(
                        SHEET,
                        row_of[(e, y, previous_month)],
                        falling[i],
                        f"本年累计数{plain_number(previous)}大于{month}月已有的累计数"
                        f"{plain_number(value)}，累计数不能减少",
                    )
                )
            previous_month, previous = month, value
    return problems


def _rule_problems(
    values, stored, indicators, row_of, months
) -> tuple[list[Problem], list[Problem]]:
    """Return the office's validation rules (indicators.rules) that the sheet's rows
    `months` (a block's) break, the sheet's figures laid over the stored ones: an error
    rule's as problems, a warning rule's as warnings, each at its row and the column of
    the rule's left side. A rule on none of the sheet's columns is not the sheet's to
    answer for."""
    columns = {indicator.pk: label for indicator, label in indicators}
    breaches = rule_breaches(months, figures=stored, overlay=values)
    errors, warnings = [], []
    for breach in breaches:
        rule = breach.rule
        if rule.left not in columns and rule.right not in columns:
            continue
        label = columns.get(rule.left) or f"{rule.left_name}（表中无此列）"
        problem = Problem(
            SHEET, row_of[(breach.enterprise_id, breach.year, breach.month)], label, breach.text
        )
        (errors if breach.level == ERROR else warnings).append(problem)
    return errors, warnings
