"""One harness for the tests of the workbook's bulk sheets.

A `Sheet` imports rows on their own and reads its outcome; its `assert_*` methods hold the
guarantees every bulk door keeps, so each sheet's test states only its rows and what its
own door adds: the change history keeps the user and the file, the data version moves only
when something is written, a bad row is refused at its row and column with nothing
written, and many rows ask as many queries as a few.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from parkportal.data_version import data_version
from parkportal.resources import SheetOutcome
from tests.workbook.books import replaced, xlsx
from workbook.importer import ImportReport, workbook_import

Rows = list[list]


def said(report: ImportReport) -> list[str]:
    """Return the report's problems as the user reads them (an assertion's message)."""
    return [str(p) for p in report.problems]


def book_imported(sheets: dict[str, Rows], filename: str = "register.xlsx") -> ImportReport:
    """Import a workbook of `sheets` (name → rows) and return its report, accepted."""
    report = workbook_import(data=xlsx(sheets), filename=filename)
    assert report.accepted, said(report)
    return report


def counts(outcome: SheetOutcome) -> tuple[int, int, int]:
    return outcome.created, outcome.updated, outcome.unchanged


def marked(rows: Rows, column: str, value) -> Rows:
    """Return `rows` with every data row's `column` set to `value`."""
    at = rows[0].index(column)
    return [rows[0]] + [[*row[:at], value, *row[at + 1 :]] for row in rows[1:]]


def stored(model: type[Model]) -> list[tuple]:
    """Return every record of `model` but its id, sorted: what two ways of importing the
    same rows must both store."""
    names = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
    return sorted(model.objects.values_list(*names), key=repr)


def records(model: type[Model]) -> list[str]:
    return sorted(map(repr, model.objects.values()))


def state(model: type[Model], *also: type[Model]) -> dict[str, object]:
    """Return the records of `model` with their ids, its history's length, the links of its
    many-to-many fields, and the records of `also`: what a refused import leaves as it was."""
    found = {"records": records(model), "history": model.history.count()}
    for link in model._meta.many_to_many:
        found[link.name] = records(link.remote_field.through)
    for other in also:
        found[other.__name__] = records(other)
    return found


@dataclass(frozen=True)
class Sheet:
    """A workbook sheet imported on its own: its name, the model its rows become, and the
    file's name its imports give unless told another."""

    name: str
    model: type[Model]
    filename: str = field(default="导入.xlsx", kw_only=True)

    def __str__(self) -> str:
        return self.name

    def run(self, rows: Rows, *, user=None, filename=None) -> tuple[ImportReport, SheetOutcome]:
        """Import a workbook of this sheet alone; return its report and the sheet's outcome."""
        report = workbook_import(
            data=xlsx({self.name: rows}), filename=filename or self.filename, user=user
        )
        return report, next(s for s in report.sheets if s.sheet == self.name)

    def imported(self, rows: Rows, expected: tuple[int, int, int], **run) -> SheetOutcome:
        """Import `rows`: accepted, with `expected` rows (created, updated, unchanged)."""
        report, outcome = self.run(rows, **run)
        assert report.accepted, said(report)
        assert counts(outcome) == expected, (counts(outcome), said(report))
        return outcome

    def queries(self, rows: Rows, *, user=None, expected=None) -> int:
        """Import `rows`, accepted (with `expected` counts if given); return its queries."""
        with CaptureQueriesContext(connection) as captured:
            report, outcome = self.run(rows, user=user)
        assert report.accepted, said(report)
        if expected is not None:
            assert counts(outcome) == expected, (counts(outcome), said(report))
        return len(captured)

    def assert_history_keeps_user_and_file(
        self, first: Rows, second: Rows, user, expected: list[tuple], fields=()
    ) -> None:
        """Import `first` as 一月.xlsx, then `second` as 二月.xlsx and again as 三月.xlsx, all
        by `user`: the history rows written are `expected`, each (*`fields`' values,
        history type, file), all by `user` with the file as their reason, and the
        unchanged third import writes none. Each row carries its record's id, and each
        record's latest row its stored values."""
        model = self.model
        before = model.history.count()
        self.run(first, user=user, filename="一月.xlsx")
        self.run(second, user=user, filename="二月.xlsx")
        self.run(second, user=user, filename="三月.xlsx")
        written = model.history.order_by("history_id")
        history = written.values_list(
            *fields, "history_type", "history_user", "history_change_reason"
        )[before:]
        assert list(history) == [
            (*values, kind, user.pk, f"导入：{filename}") for *values, kind, filename in expected
        ]
        latest = {row[0]: row[1:] for row in written.values_list("id", *fields)[before:]}
        now = model.objects.filter(pk__in=latest).values_list("id", *fields)
        assert latest == {row[0]: row[1:] for row in now}

    def assert_version_moves_only_on_a_write(self, rows: Rows, changed: Rows) -> None:
        """Import `rows`; importing them again leaves the data version, importing `changed`
        (the same rows, one of them changed) moves it."""
        assert self.run(rows)[0].accepted
        before = data_version()
        assert self.run(rows)[0].accepted
        assert data_version() == before
        assert self.run(changed)[0].accepted
        assert data_version() != before

    def assert_refused(
        self,
        first: Rows | None,
        then: Rows,
        row: int,
        column: str,
        value,
        message: str,
        *,
        at: str | None = None,
        alone: bool = True,
        also: tuple[type[Model], ...] = (),
    ) -> ImportReport:
        """Import `first` (if any), then `then` with data row `row`'s `column` set to
        `value`: refused, told at that row and at column `at` (`column` unless told; "" for
        a check of several columns, which speaks for the whole row) with `message`, the
        only problem (or, not `alone`, the first of that row's), and nothing written: the
        sheet's records, their history and links, and the records of `also`, as they
        were. Return the report."""
        if first is not None:
            assert self.run(first)[0].accepted
        before = state(self.model, *also)
        report, _ = self.run(replaced(then, row, column, value))
        assert not report.accepted
        where = [(p.sheet, p.row, p.column) for p in report.problems]
        told = (self.name, row + 1, column if at is None else at)
        if alone:
            assert where == [told], said(report)
        else:
            assert where[0] == told, said(report)
            assert {r for _, r, _ in where} == {row + 1}, said(report)
        problem = report.problems[0]
        assert message in problem.message, said(report)
        place = f"工作表“{self.name}”第{row + 1}行" + (f"“{told[2]}”列" if told[2] else "")
        assert str(problem).startswith(f"{place}："), said(report)
        assert state(self.model, *also) == before
        return report

    def assert_queries_do_not_grow(
        self,
        rows: Callable[[int], Rows],
        changed: Callable[[int], Rows],
        *,
        few: int = 20,
        many: int = 200,
        most: int = 40,
        clear: Callable[[], object] | None = None,
    ) -> tuple[int, int, int]:
        """Importing `many` rows asks as many queries as `few`, and no more than `most`:
        every row new, every row as stored, every row changed (`changed(count)` is
        `rows(count)` with every row changed), and those changed rows as stored. `clear`
        deletes what the sheet wrote (by default every record of its model). Return the
        queries (created, unchanged, updated)."""
        clear = clear or (lambda: self.model.objects.all().delete())
        created = self.queries(rows(few), expected=(few, 0, 0))
        clear()
        assert self.queries(rows(many), expected=(many, 0, 0)) == created
        unchanged = self.queries(rows(many), expected=(0, 0, many))
        assert self.queries(rows(few), expected=(0, 0, few)) == unchanged
        updated = self.queries(changed(many), expected=(0, many, 0))
        assert self.queries(changed(many), expected=(0, 0, many)) == unchanged
        clear()
        self.imported(rows(few), (few, 0, 0))
        assert self.queries(changed(few), expected=(0, few, 0)) == updated
        assert self.queries(changed(few), expected=(0, 0, few)) == unchanged
        assert max(created, unchanged, updated) <= most, (created, unchanged, updated)
        return created, unchanged, updated
