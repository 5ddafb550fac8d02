"""The zone's workbook: every sheet in dependency order, checked, in one transaction.

django-import-export reads one sheet at a time; this layer reads the whole
workbook (python-calamine, after `safety.check_workbook`), hands each known
sheet to its resource as a tablib Dataset, and commits only when no sheet has
a problem. A dry run does the same and rolls back: the preview shows exactly
what the import will do.
"""

import contextlib
import ctypes
import gc
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from python_calamine import CalamineWorkbook

from indicators.monthly_sheet import (
    CREDIT_CODE,
    NAME,
    MonthlyLayout,
    figure_kind,
    monthly_layout,
    monthly_sheet_import,
)
from indicators.resources import MonthlyValueResource, TargetResource
from investment.resources import FollowUpResource, LeadResource, OutreachEventResource
from parkportal import cells
from parkportal.data_version import data_version_bump
from parkportal.domain import plain_number
from parkportal.history import import_reason
from parkportal.register_lock import registers_lock
from parkportal.resources import (
    EnterpriseResource,
    IndustryResource,
    ParkResource,
    Problem,
    SheetOutcome,
    SheetResource,
)
from planning.resources import PlanTaskResource
from projects.resources import (
    FinancingResource,
    LandPlotResource,
    MeetingResource,
    MilestoneResource,
    ProjectIssueResource,
    ProjectPlanResource,
    ProjectProgressResource,
    ProjectResource,
    SpecialBondResource,
)
from services.resources import ServiceCaseResource

from .safety import UncomputedFormulas, WorkbookRejected, check_workbook

# The dependency order of docs/workbook.md: a sheet only refers to sheets before it.
SHEETS: list[type[SheetResource]] = [
    ParkResource,
    IndustryResource,
    EnterpriseResource,
    TargetResource,
    MonthlyValueResource,
    ProjectResource,
    ProjectPlanResource,
    ProjectProgressResource,
    MilestoneResource,
    SpecialBondResource,
    MeetingResource,
    ProjectIssueResource,
    LeadResource,
    OutreachEventResource,
    FollowUpResource,
    ServiceCaseResource,
    LandPlotResource,
    FinancingResource,
    PlanTaskResource,
]
SHEETS_BY_NAME = {resource.sheet: resource for resource in SHEETS}
INSTRUCTIONS_SHEET = "填写说明"
WHOLE_FILE = "（整个文件）"
FIRST_ROWS = 5  # rows of each sheet the preview shows
MAX_PROBLEMS_KEPT = 1000  # problems kept with a batch; the count is kept in full


@dataclass
class ImportReport:
    """What an import did, sheet by sheet, or why it wrote nothing."""

    filename: str
    dry_run: bool
    sheets: list[SheetOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    # Shown, never refusing the file: what to check (warnings), what was done (notices).
    warnings: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        """Return the report as plain data, to keep with the import's record."""
        return {
            "sheets": [
                {
                    "sheet": s.sheet,
                    "created": s.created,
                    "updated": s.updated,
                    "unchanged": s.unchanged,
                    "errors": len(s.problems),
                    "warnings": len(s.warnings),
                    "notices": len(s.notices),
                    "headers": s.headers,
                    "first_rows": s.first_rows,
                }
                for s in self.sheets
            ],
            "problems": [str(problem) for problem in self.problems[:MAX_PROBLEMS_KEPT]],
            "problem_count": len(self.problems),
            "warnings": [str(warning) for warning in self.warnings[:MAX_PROBLEMS_KEPT]],
            "warning_count": len(self.warnings),
            "notices": [str(notice) for notice in self.notices[:MAX_PROBLEMS_KEPT]],
            "notice_count": len(self.notices),
            "ignored_sheets": self.ignored_sheets,
        }


@dataclass
class TotalsRow:
    """A 合计, 小计 or 总计 row: skipped, and checked against the rows it adds up."""

    number: int
    label: str
    values: list
    position: int  # how many data rows came before it


@dataclass
class SheetRows:
    """A sheet as read: its headers and data rows, with each row's number in Excel,
    and what was read around them (totals rows, cells marked "no figure")."""

    name: str
    headers: list[str]
    rows: list[list]
    row_numbers: list[int]
    layout: MonthlyLayout | None = None
    summable: list[int] = field(default_factory=list)  # columns whose totals are checked
    totals: list[TotalsRow] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


Progress = Callable[[str, float], None]
READ_SHARE = 0.1  # of a sheet's import time, roughly, goes into reading it


def workbook_import(
    *,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    user=None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every known sheet of the workbook `data`, all or nothing.

    `progress`, when given, is called now and then with what is being done and
    the share of the work done so far (0 to 1).
    """
    try:
        return _workbook_import(
            data=data, filename=filename, dry_run=dry_run, user=user, progress=progress
        )
    finally:
        memory_give_back()


def memory_give_back() -> None:
    """Hand the memory a large import freed back to the system: a worker runs import
    after import, and glibc's allocator would otherwise keep the freed pages, so that
    the next import's peak started where this one's ended."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _workbook_import(*, data, filename, dry_run, user, progress) -> ImportReport:
    report = ImportReport(filename=filename, dry_run=dry_run)
    progress = progress or _no_progress
    progress("检查文件", 0)
    try:
        facts = check_workbook(data, filename=filename)
    except WorkbookRejected as rejected:
        report.problems.append(Problem(WHOLE_FILE, None, "", rejected.message))
        return report

    known = [name for name in facts.sheet_names if name in SHEETS_BY_NAME]
    report.ignored_sheets = [
        name
        for name in facts.sheet_names
        if name not in SHEETS_BY_NAME and name != INSTRUCTIONS_SHEET
    ]
    if not known:
        report.problems.append(
            Problem(
                WHOLE_FILE,
                None,
                "",
                "没有可识别的工作表。工作表名称应为："
                + "、".join(SHEETS_BY_NAME)
                + f"；本文件的工作表为：{'、'.join(facts.sheet_names) or '无'}",
            )
        )
        return report
    uncomputed = [
        _uncomputed_formulas(name, facts.uncomputed_formulas[name])
        for name in known
        if name in facts.uncomputed_formulas
    ]
    if uncomputed:
        report.problems.extend(uncomputed)
        return report

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    resources = [r for r in SHEETS if r.sheet in known]
    # Each sheet's share of the work, by its rows as the file declares them.
    sizes = [max(facts.dimensions.get(r.sheet, (1, 1))[0], 1) for r in resources]
    total, done = sum(sizes), 0
    with transaction.atomic():
        # Before anything is read: no other import nor single save of a register record
        # writes meanwhile (parkportal/register_lock.py).
        registers_lock(alone=True)
        # One sheet at a time: read, imported, dropped before the next is read, so that
        # only the sheet at hand is held in memory.
        for resource_class, size in zip(resources, sizes, strict=True):
            start, share = done / total, size / total
            done += size
            progress(f"读取“{resource_class.sheet}”", start)
            sheet = read_sheet(book, resource_class)
            if isinstance(sheet, Problem):
                report.problems.append(sheet)
                continue
            stage = f"检查并写入“{sheet.name}”（{len(sheet.rows)}行）"

            def sheet_progress(fraction, stage=stage, start=start, share=share):
                progress(stage, start + share * (READ_SHARE + (1 - READ_SHARE) * fraction))

            sheet_progress(0)
            outcome = import_sheet(
                resource_class, sheet, user=user, reference=filename, progress=sheet_progress
            )
            # In the sheet's order: the title and header first, then row by row, then counts.
            outcome.warnings = sorted([*sheet.warnings, *outcome.warnings], key=_in_sheet_order)
            outcome.notices = sorted([*sheet.notices, *outcome.notices], key=_in_sheet_order)
            outcome.headers = sheet.headers
            outcome.first_rows = [
                [cells.display(value) for value in row] for row in sheet.rows[:FIRST_ROWS]
            ]
            del sheet
            report.sheets.append(outcome)
            report.problems.extend(outcome.problems)
            report.warnings.extend(outcome.warnings)
            report.notices.extend(outcome.notices)
        if report.problems or dry_run:
            transaction.set_rollback(True)
        elif any(outcome.created or outcome.updated for outcome in report.sheets):
            data_version_bump()  # the registers' sheets change what reports count
        progress("提交" if report.accepted and not dry_run else "结束检查", 1)
    return report


def _no_progress(stage: str, fraction: float) -> None:
    pass


def _in_sheet_order(finding: Problem) -> tuple[bool, int]:
    return finding.row is None, finding.row or 0


def _uncomputed_formulas(sheet: str, formulas: UncomputedFormulas) -> Problem:
    """Return the problem of a sheet whose formulas have no computed value (they read as blank)."""
    cells = "、".join(f"{sheet}!{reference}" for reference in formulas.cells)
    if formulas.count == 1 and cells:
        found = f"单元格{cells}的公式没有计算结果"
    else:
        found = f"有{formulas.count}个单元格的公式没有计算结果"
        if cells:
            found += f"（{cells}{'等' if formulas.count > len(formulas.cells) else ''}）"
    return Problem(
        sheet, None, "", f"{found}；请用Excel打开该文件并保存一次后再导入（公式需要计算出结果）"
    )


def normalize_header(raw) -> str:
    """Return a header as the format writes it: no spaces, half-width brackets, no *.

    A cell that is no header (a date, a logical value, a long text) gives "".
    """
    try:
        text = cells.parse_text(raw, max_length=100)
    except cells.CellError:
        return ""
    return "".join(text.translate(HEADER_TABLE).split())


HEADER_TABLE = str.maketrans({"（": "(", "）": ")", "＊": "", "*": ""})


def read_sheet(book: CalamineWorkbook, resource_class: type[SheetResource]) -> SheetRows | Problem:
    """Read a sheet's header row (the first with the key header) and the rows below it.

    Rows above the header are a title or a 单位 line; the monthly sheet's header may
    span two rows. Below it, a cell holding only —, -, /, 无 or 空 is blank, and a
    row whose first text is 合计, 小计 or 总计 is set aside to be checked.
    """
    name = resource_class.sheet
    rows = _sheet_rows(book, name)
    monthly = resource_class is MonthlyValueResource
    key_headers = (CREDIT_CODE, NAME) if monthly else (resource_class.required[0],)
    above_rows = []  # the rows above the header: a title, a 单位 line
    for row in rows:
        if not set(key_headers).isdisjoint(map(normalize_header, row)):
            header_row = row
            break
        above_rows.append(row)
    else:
        return Problem(name, None, "", f"找不到表头行：没有一行含有“{'”或“'.join(key_headers)}”列")
    index = len(above_rows)
    headers = [normalize_header(cell) for cell in header_row]
    header_row_number = index + 1
    figures = [""] * len(headers)
    first_data = index + 1
    if monthly:
        below = next(rows, None)
        figures = _figures_under(headers, below if below is not None else [])
        if any(figures):
            first_data = index + 2
        elif below is not None:
            rows = itertools.chain([below], rows)  # a data row: read with the others
        above = [
            (number, " ".join(filter(None, map(cells.display, row))))
            for number, row in enumerate(above_rows, start=1)
        ]
        layout = monthly_layout(headers, figures, above, header_row_number)
        if isinstance(layout, Problem):
            return layout
    else:
        layout = None
        problem = check_headers(resource_class, headers, header_row_number)
        if problem:
            return problem
    used = [i for i, header in enumerate(headers) if header]
    sheet = SheetRows(
        name,
        [f"{headers[i]}/{figures[i]}" if figures[i] else headers[i] for i in used],
        [],
        [],
        layout=layout,
    )
    unread = {used.index(i) for i in layout.skipped} if layout is not None else set()
    _read_rows(sheet, rows, first_data + 1, used, unread)
    if layout is not None:
        position = {index: column for column, index in enumerate(used)}
        sheet.summable = [position[index] for index in layout.summable]
    else:
        sheet.summable = _summable_columns(resource_class, sheet.headers)
    _check_totals(sheet)
    return sheet


SMALL = 10_000  # whole numbers below it are kept once each while a sheet is read


def _sheet_rows(book: CalamineWorkbook, name: str) -> Iterator[list]:
    """Yield a sheet's rows from its first (row 1), each from column A, one at a time:
    the sheet is held by the reader only, never as a list of rows as well."""
    sheet = book.get_sheet_by_name(name)
    start = sheet.start
    left = [""] * (start[1] if start else 0)  # calamine starts rows at the first used column
    for row in sheet.iter_rows():
        yield left + row if left else row


def _read_rows(sheet: SheetRows, rows, first_number: int, used, unread) -> None:
    """Add the data rows under the header to `sheet`, and set its totals rows aside.

    A cell holding only a "no figure" mark becomes blank; a notice counts them per
    column (`unread`: columns not imported, whose marks are not worth a notice).
    """
    marked: dict[int, list[int]] = {}  # column → rows of its cells marked "no figure"
    every = list(range(len(used))) == used  # each column read: the row is kept as it is
    # A text met again (an enterprise's code and name on each of its months' rows), or a
    # small whole number (a year, a month), is kept once: the reader gives every cell an
    # object of its own.
    texts: dict = {}
    for number, row in enumerate(rows, start=first_number):
        if every and len(row) == len(used):
            values = row
        else:
            values = [row[i] if i < len(row) else "" for i in used]
        for column, value in enumerate(values):
            if value.__class__ is str:
                if cells.is_blank_mark(value):
                    values[column] = ""
                    if column not in unread:
                        marked.setdefault(column, []).append(number)
                elif value:
                    values[column] = texts.setdefault(value, value)
            elif value.__class__ is float and value.is_integer() and 0 < value < SMALL:
                values[column] = texts.setdefault(value, value)
        if all(cells.is_blank(value) for value in values):
            continue
        first_text = next((v for v in values if v.__class__ is str and v.strip()), None)
        label = cells.totals_label(first_text)
        if label:
            sheet.totals.append(TotalsRow(number, label, values, len(sheet.rows)))
            continue
        sheet.rows.append(values)
        sheet.row_numbers.append(number)
    for column, numbers in marked.items():
        shown = "、".join(map(str, numbers[:5])) + ("等" if len(numbers) > 5 else "")
        sheet.notices.append(
            Problem(
                sheet.name,
                None,
                sheet.headers[column],
                f"第{shown}行共{len(numbers)}个单元格只填了“—”“-”“/”“无”或“空”，"
                "按空白（未填报）处理",
            )
        )


def _figures_under(headers: list[str], below: list) -> list[str]:
    """Return what the row under a two-row header names under each column (本年累计,
    上年同期 …), or "" everywhere when that row is data, not a header's second row.

    The upper cell of a merged header holds its indicator; the columns under the rest
    of the merge have an empty upper cell and take the indicator to their left.
    """
    labels = [normalize_header(cell) for cell in below[: len(headers)]]
    labels += [""] * (len(headers) - len(labels))
    keys = [label for header, label in zip(headers, labels, strict=True) if header in KEYS]
    if any(keys) or not any(figure_kind(label) for label in labels):
        return [""] * len(headers)  # a data row: it names an enterprise
    current = ""
    for i, (header, label) in enumerate(zip(headers, labels, strict=True)):
        if header:
            current = header if label else ""
        elif label and current:
            headers[i] = current
        elif label:
            headers[i] = label  # a figure under no indicator: reported as unknown
            labels[i] = ""
    return labels


KEYS = (CREDIT_CODE, NAME)


def _summable_columns(resource_class, headers: list[str]) -> list[int]:
    """Return the columns of a register sheet whose 合计 figures are checked (money, areas)."""
    widgets = {field.column_name: field.widget for field in resource_class().get_export_fields()}
    return [i for i, header in enumerate(headers) if getattr(widgets.get(header), "summable", 0)]


def _number(raw) -> Decimal | None:
    """Return a cell as a number for adding up, or None (blank, or not a number: the
    row's own import reports that)."""
    try:
        return cells.parse_decimal(raw, max_digits=30, decimal_places=12)
    except cells.CellError:
        return None


def _check_totals(sheet: SheetRows) -> None:
    """Compare each totals row with the rows it adds up: a difference is a warning.

    A 合计 or 总计 adds up the rows above it since the previous one, a 小计 those
    since the previous totals row; one that comes before any row (the 合计 that
    statistical forms put first) adds up the rows below it, to the next.
    """
    for total in sheet.totals:
        grand = total.label != "小计"
        # A 合计 counts from the previous 合计 or 总计; a 小计 from any totals row.
        counts_from = [t for t in sheet.totals if not grand or t.label != "小计"]
        start = max((t.position for t in counts_from if t.number < total.number), default=0)
        end = total.position
        if start == end:  # nothing above it: it adds up the rows below
            later = [t.position for t in counts_from if t.number > total.number]
            end = min(later, default=len(sheet.rows))
        if start == end:
            sheet.notices.append(Problem(sheet.name, total.number, "", f"{total.label}行已跳过"))
            continue
        first, last = sheet.row_numbers[start], sheet.row_numbers[end - 1]
        checked, differing = 0, 0
        for column in sheet.summable:
            stated = _number(total.values[column])
            if stated is None:
                continue
            parts = [_number(row[column]) for row in sheet.rows[start:end]]
            added = sum((part for part in parts if part is not None), Decimal(0))
            checked += 1
            # Each figure may be rounded to the column's places: allow that much.
            if abs(stated - added) <= ROUNDING * len(parts):
                continue
            differing += 1
            sheet.warnings.append(
                Problem(
                    sheet.name,
                    total.number,
                    sheet.headers[column],
                    f"{total.label}行的数值{plain_number(stated)}与第{first}至{last}行之和"
                    f"{plain_number(added)}不一致（相差{plain_number(stated - added)}）；"
                    f"{total.label}行不导入，请核对各行数据",
                )
            )
        if not differing:
            agreed = f"，{checked}列的合计与第{first}至{last}行之和相符" if checked else ""
            sheet.notices.append(
                Problem(sheet.name, total.number, "", f"{total.label}行已跳过（不导入）{agreed}")
            )


ROUNDING = Decimal("0.00005")


def check_headers(resource_class, headers: list[str], row_number: int) -> Problem | None:
    """Return the problem with a sheet's headers: unknown, missing or repeated ones."""
    name = resource_class.sheet
    resource = resource_class()
    known = (
        resource.known_headers() if hasattr(resource, "known_headers") else set(resource.headers())
    )
    present = [header for header in headers if header]
    unknown = [header for header in present if header not in known]
    missing = [header for header in resource_class.required if header not in present]
    repeated = sorted({header for header in present if present.count(header) > 1})
    messages = []
    if unknown:
        messages.append(f"不认识的列：{'、'.join(unknown)}")
    if missing:
        messages.append(f"缺少必填列：{'、'.join(missing)}")
    if repeated:
        messages.append(f"重复的列：{'、'.join(repeated)}")
    if not messages:
        return None
    messages.append(f"本表可用的列为：{'、'.join(resource_class.headers())}")
    return Problem(name, row_number, "", "；".join(messages))


def import_sheet(
    resource_class: type[SheetResource],
    sheet: SheetRows,
    *,
    user=None,
    reference: str = "",
    progress: Callable[[float], None] | None = None,
) -> SheetOutcome:
    """Import one sheet through its resource and say what happened to its rows."""
    if resource_class is MonthlyValueResource:
        return monthly_sheet_import(
            headers=sheet.headers,
            rows=sheet.rows,
            row_numbers=sheet.row_numbers,
            layout=sheet.layout,
            user=user,
            reference=reference,
            progress=progress,
        )
    resource = resource_class()
    if progress is not None:
        resource.progress = lambda done: progress(done / max(len(sheet.rows), 1))
    outcome = SheetOutcome(sheet.name)
    duplicates = duplicate_keys(resource, sheet)
    if duplicates:
        outcome.problems.extend(duplicates)
        return outcome
    if resource.bulk:
        return _bulk_sheet(resource, sheet, outcome, user=user, reference=reference)
    dataset = tablib.Dataset(*sheet.rows, headers=sheet.headers)
    result = resource.import_data(
        dataset, dry_run=False, use_transactions=False, user=user, reference=reference
    )
    for error in result.base_errors:
        outcome.problems.append(Problem(sheet.name, None, "", str(error.error)))
    for number, errors in result.row_errors():
        for error in errors:
            outcome.problems.append(
                Problem(sheet.name, sheet.row_numbers[number - 1], "", f"无法保存：{error.error}")
            )
    for invalid in result.invalid_rows:
        row_number = sheet.row_numbers[invalid.number - 1]
        for attribute, messages in invalid.error_dict.items():
            column = "" if attribute == NON_FIELD_ERRORS else resource.header_for(attribute)
            for message in messages:
                outcome.problems.append(Problem(sheet.name, row_number, column, str(message)))
    outcome.created = result.totals["new"]
    outcome.updated = result.totals["update"]
    outcome.unchanged = result.totals["skip"]
    return outcome


def _bulk_sheet(resource, sheet: SheetRows, outcome: SheetOutcome, *, user, reference):
    """Import a sheet the bulk way: every row read onto its record, then all of them
    checked and written at once by the door's bulk function (`resource.bulk_save`)."""
    instances, errors = resource.read_instances(sheet.headers, sheet.rows, resource.progress)
    written = resource.bulk_save(
        instances, errors, user=user, reason=import_reason(reference) if reference else ""
    )
    for position in sorted(written.errors):
        for attribute, messages in written.errors[position].items():
            column = "" if attribute == NON_FIELD_ERRORS else resource.header_for(attribute)
            for message in messages:
                outcome.problems.append(
                    Problem(sheet.name, sheet.row_numbers[position], column, message)
                )
    outcome.created, outcome.updated = written.created, written.updated
    outcome.unchanged = written.unchanged
    return outcome


def duplicate_keys(resource: SheetResource, sheet: SheetRows) -> list[Problem]:
    """Return a problem for every row whose natural key an earlier row of the sheet had."""
    key_fields = [resource.fields[name] for name in resource.get_import_id_fields()]
    seen: dict[tuple, int] = {}
    problems = []
    for row, number in zip(sheet.rows, sheet.row_numbers, strict=True):
        values = dict(zip(sheet.headers, row, strict=True))
        try:
            key = tuple(
                str(field.clean(values)) if field.column_name in values else ""
                for field in key_fields
            )
        except (ValueError, KeyError):
            continue  # the row's own errors are reported when it is imported
        if key in seen:
            columns = "、".join(field.column_name for field in key_fields)
            problems.append(
                Problem(
                    sheet.name,
                    number,
                    key_fields[0].column_name,
                    f"与第{seen[key]}行重复（{columns}相同），同一记录只能出现一次",
                )
            )
        else:
            seen[key] = number
    return problems
