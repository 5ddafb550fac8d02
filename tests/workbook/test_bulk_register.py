"""The 企业 sheet is written the bulk way, through the register's bulk door
(`parkportal.services.enterprises_import`): a few statements whatever its rows, a
history row for each enterprise created or changed and none for the others, and an
unchanged re-import writes nothing, the data version included."""

import pytest

from parkportal.credit_code import with_check_character
from parkportal.data_version import data_version
from parkportal.models import Enterprise
from tests.workbook import books
from tests.workbook.books import xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db

BASE = {"园区": books.PARKS, "产业": books.INDUSTRIES}
HEADERS = books.ENTERPRISES[0]


def register(count: int, *, renamed: int | None = None) -> list[list]:
    rows = [
        [
            with_check_character(f"91130627MA{i:07d}"),
            f"河北第{i}号企业有限公司" + ("（新）" if i == renamed else ""),
            "CGC" if i % 2 else "白合工业园",
            "食品加工" if i % 3 else "",
            "是" if i % 2 else "否",
            "规上工业" if i % 2 else "",
            "2020-01-01" if i % 5 else "",
            "",
        ]
        for i in range(100, 100 + count)
    ]
    return [HEADERS, *rows]


def imported(rows, *, user=None, filename="名录.xlsx"):
    report = workbook_import(data=xlsx({"企业": rows}), filename=filename, user=user)
    assert report.accepted, [str(p) for p in report.problems]
    (outcome,) = report.sheets
    return outcome.created, outcome.updated, outcome.unchanged


@pytest.fixture
def parks_and_industries():
    assert workbook_import(data=xlsx(BASE), filename="基础.xlsx").accepted


@pytest.mark.parametrize("count", [2, 40])
def test_the_enterprise_sheet_is_written_in_as_many_queries_whatever_its_rows(
    count, parks_and_industries, django_assert_max_num_queries
):
    # The parks and industries read once, the register once; the new enterprises staged
    # (a temporary table, filled in one statement) and written with their history rows in
    # one statement each; nothing written when nothing changed.
    with django_assert_max_num_queries(20):
        assert imported(register(count)) == (count, 0, 0)
    with django_assert_max_num_queries(14):
        assert imported(register(count)) == (0, 0, count)
    with django_assert_max_num_queries(18):
        assert imported(register(count, renamed=101)) == (0, 1, count - 1)


def test_every_new_and_changed_enterprise_has_its_history_row_and_no_other(
    admin_user, parks_and_industries
):
    imported(register(40), user=admin_user, filename="年初.xlsx")
    history = Enterprise.history.all()
    assert history.count() == 40
    assert {(h.history_type, h.history_user, h.history_change_reason) for h in history} == {
        ("+", admin_user, "导入：年初.xlsx")
    }

    imported(register(40, renamed=107), user=admin_user, filename="更名.xlsx")

    changed = Enterprise.history.filter(history_type="~")
    assert [(h.name, h.history_user, h.history_change_reason) for h in changed] == [
        ("河北第107号企业有限公司（新）", admin_user, "导入：更名.xlsx")
    ]
    latest = Enterprise.objects.get(name="河北第107号企业有限公司（新）").history.latest()
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("name", "河北第107号企业有限公司", "河北第107号企业有限公司（新）")
    ]


def test_an_unchanged_re_import_leaves_the_data_version_as_it_was(parks_and_industries):
    imported(register(10))
    version = data_version()
    report = workbook_import(data=xlsx({**BASE, "企业": register(10)}), filename="again.xlsx")
    assert report.accepted
    assert data_version() == version
    imported(register(10, renamed=103))
    assert data_version() > version


def test_a_refused_row_writes_none_of_the_sheet(parks_and_industries):
    rows = register(10)
    rows[4][4] = "否"  # 规上工业 without 入统
    report = workbook_import(data=xlsx({"企业": rows}), filename="名录.xlsx")
    assert [str(p) for p in report.problems] == ["工作表“企业”第5行：四上企业必须是入统企业。"]
    assert not Enterprise.objects.exists()
