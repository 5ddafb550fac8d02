"""The 招商项目 sheet imported the bulk way (investment.services.leads_import): every row
read onto its lead, then all checked and written at once, with their change history and
their stage history."""

from datetime import date

import pytest

from investment.models import Lead, LeadStageChange
from tests.workbook.books import INDUSTRIES, PARKS, replaced
from tests.workbook_sheets import Sheet, book_imported

pytestmark = pytest.mark.django_db

LEADS = Sheet("招商项目", Lead, filename="招商.xlsx")
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
    book_imported({"园区": PARKS, "产业": INDUSTRIES}, filename="r.xlsx")


def test_the_sheet_creates_then_leaves_unchanged_then_updates_only_what_changed(register):
    LEADS.imported(leads(12), (12, 0, 0))
    assert Lead.objects.get(code="ZS-0005").park.code == "CGC"
    LEADS.imported(leads(12), (0, 0, 12))
    LEADS.imported(replaced(leads(13), 2, "项目名称", "改名"), (1, 1, 11))
    assert Lead.objects.get(code="ZS-0002").name == "改名"


def test_new_and_changed_leads_keep_the_user_and_the_file_and_their_stage_history(
    register, admin_user
):
    moved = replaced(replaced(leads(2), 1, "阶段", "签约"), 1, "签约日期", "2026-03-01")
    changed = replaced(moved, 2, "项目名称", "改名")
    history = [("ZS-0001", "docked", "+", "一月.xlsx"), ("ZS-0002", "docked", "+", "一月.xlsx")]
    history += [("ZS-0001", "signed", "~", "二月.xlsx"), ("ZS-0002", "docked", "~", "二月.xlsx")]
    LEADS.assert_history_keeps_user_and_file(
        leads(2), changed, admin_user, history, ("code", "stage")
    )
    changes = LeadStageChange.objects.order_by("id").values_list(
        "lead__code", "from_stage", "to_stage", "changed_on", "changed_by", "note"
    )
    # A new lead enters at its docking date, a signed one at its signing date.
    assert list(changes) == [
        ("ZS-0001", "", "docked", date(2026, 1, 10), admin_user.pk, "导入：一月.xlsx"),
        ("ZS-0002", "", "docked", date(2026, 1, 10), admin_user.pk, "导入：一月.xlsx"),
        ("ZS-0001", "docked", "signed", date(2026, 3, 1), admin_user.pk, "导入：二月.xlsx"),
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
    at = "终止原因" if value == "终止" else column
    first, then = leads(2, name="原名"), leads(4, name="新名")
    LEADS.assert_refused(first, then, row, column, value, message, at=at, also=(LeadStageChange,))


def test_importing_many_leads_takes_as_many_queries_as_a_few(register):
    # Every lead signed: changed, with a stage change each; 20 as 200.
    LEADS.assert_queries_do_not_grow(leads, lambda n: leads(n, stage="签约"))


def test_an_unchanged_reimport_of_200_leads_takes_as_many_queries_as_one_of_20(register):
    LEADS.imported(leads(20), (20, 0, 0))
    few = LEADS.queries(leads(20), expected=(0, 0, 20))
    LEADS.imported(leads(200), (180, 0, 20))
    assert LEADS.queries(leads(200), expected=(0, 0, 200)) == few
