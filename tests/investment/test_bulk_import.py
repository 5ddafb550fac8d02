"""The 招商项目 sheet imported the bulk way (investment.services.leads_import): every row
read onto its lead, then all checked and written at once, with their change history and
their stage history."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investment.models import Lead, LeadStageChange
from tests.workbook.books import INDUSTRIES, PARKS, replaced, xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db

HEADERS = ["线索编号", "项目名称", "投资方", "招商方式", "阶段", "对接日期", "签约日期", "意向园区"]


def leads(count: int, *, stage: str = "对接", name: str = "线索") -> list[list]:
    """Return a 招商项目 sheet of `count` leads, ZS-0001 …"""
    signed = "2026-03-01" if stage == "签约" else ""
    return [HEADERS] + [
        [f"ZS-{n:04d}", f"{name}{n}", "某集团", "以商招商", stage, "2026-01-10", signed, "CGC"]
        for n in range(1, count + 1)
    ]


@pytest.fixture
def register(db):
    assert workbook_import(
        data=xlsx({"园区": PARKS, "产业": INDUSTRIES}), filename="r.xlsx"
    ).accepted


def run(rows, user=None, filename="招商.xlsx"):
    report = workbook_import(data=xlsx({"招商项目": rows}), filename=filename, user=user)
    return report, next(s for s in report.sheets if s.sheet == "招商项目")


def test_the_sheet_creates_then_leaves_unchanged_then_updates_only_what_changed(register):
    report, sheet = run(leads(12))
    assert report.accepted, [str(p) for p in report.problems]
    assert (sheet.created, sheet.updated, sheet.unchanged) == (12, 0, 0)
    assert Lead.objects.get(code="ZS-0005").park.code == "CGC"
    _, sheet = run(leads(12))
    assert (sheet.created, sheet.updated, sheet.unchanged) == (0, 0, 12)
    _, sheet = run(replaced(leads(13), 2, "项目名称", "改名"))
    assert (sheet.created, sheet.updated, sheet.unchanged) == (1, 1, 11)
    assert Lead.objects.get(code="ZS-0002").name == "改名"


def test_new_and_changed_leads_keep_the_user_and_the_file_and_their_stage_history(
    register, admin_user
):
    run(leads(2), user=admin_user, filename="一月.xlsx")
    moved = replaced(replaced(leads(2), 1, "阶段", "签约"), 1, "签约日期", "2026-03-01")
    run(replaced(moved, 2, "项目名称", "改名"), user=admin_user, filename="三月.xlsx")
    history = Lead.history.order_by("history_id").values_list(
        "code", "stage", "history_type", "history_user", "history_change_reason"
    )
    assert list(history) == [
        ("ZS-0001", "docked", "+", admin_user.pk, "导入：一月.xlsx"),
        ("ZS-0002", "docked", "+", admin_user.pk, "导入：一月.xlsx"),
        ("ZS-0001", "signed", "~", admin_user.pk, "导入：三月.xlsx"),
        ("ZS-0002", "docked", "~", admin_user.pk, "导入：三月.xlsx"),
    ]
    changes = LeadStageChange.objects.order_by("id").values_list(
        "lead__code", "from_stage", "to_stage", "changed_on", "changed_by", "note"
    )
    # A new lead enters at its docking date, a signed one at its signing date.
    assert list(changes) == [
        ("ZS-0001", "", "docked", date(2026, 1, 10), admin_user.pk, "导入：一月.xlsx"),
        ("ZS-0002", "", "docked", date(2026, 1, 10), admin_user.pk, "导入：一月.xlsx"),
        ("ZS-0001", "docked", "signed", date(2026, 3, 1), admin_user.pk, "导入：三月.xlsx"),
    ]


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (2, "阶段", "终止", "终止原因"),
        (3, "签约日期", "2025-12-31", "签约日期不能早于对接日期"),
        (1, "意向园区", "XX", "园区“XX”不存在"),
    ],
)
def test_a_bad_row_is_refused_at_its_row_and_column_and_nothing_is_written(
    register, row, column, value, message
):
    run(leads(2, name="原名"))
    stored = sorted(Lead.objects.values_list("code", "name", "stage"))
    counts = (Lead.history.count(), LeadStageChange.objects.count())
    report, _ = run(replaced(leads(4, name="新名"), row, column, value))
    assert not report.accepted
    where = [(p.sheet, p.row, p.column) for p in report.problems]
    expected = "终止原因" if value == "终止" else column
    assert where == [("招商项目", row + 1, expected)], [str(p) for p in report.problems]
    assert message in str(report.problems[0])
    assert sorted(Lead.objects.values_list("code", "name", "stage")) == stored
    assert (Lead.history.count(), LeadStageChange.objects.count()) == counts


def queries_of(rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        report, _ = run(rows)
    assert report.accepted, [str(p) for p in report.problems]
    return len(queries)


def test_importing_many_leads_takes_as_many_queries_as_a_few(register):
    few = queries_of(leads(20))
    Lead.objects.all().delete()
    assert queries_of(leads(200)) == few
    # Every lead signed: changed, with a stage change each; 20 as 200.
    signed_many = queries_of(leads(200, stage="签约"))
    Lead.objects.filter(code__gt="ZS-0020").delete()
    Lead.objects.update(stage="docked", signed_on=None)
    assert queries_of(leads(20, stage="签约")) == signed_many
    assert few <= 40 and signed_many <= 40, (few, signed_many)


def test_an_unchanged_reimport_of_200_leads_takes_as_many_queries_as_one_of_20(register):
    run(leads(20))
    few = queries_of(leads(20))
    run(leads(200))
    assert queries_of(leads(200)) == few
