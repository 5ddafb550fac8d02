"""The monthly sheet is checked and written in blocks of enterprises (BLOCK), so that a
zone's whole year is never held in Python at once. Cut into blocks of one enterprise,
a sheet imports exactly as it does whole: the same figures, counts and approvals, and
the same refusals, with nothing written."""

from decimal import Decimal as D

import pytest

from indicators.models import FigureChange, MonthlyValue, PeriodSubmission
from parkportal.data_version import data_version
from tests.helpers import unlock_all
from tests.workbook import books
from tests.workbook.books import CODE_A, CODE_B, xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db

# Both enterprises in 长古城工业园: their March is one park-month, written by two blocks.
ENTERPRISES = books.replaced(books.ENTERPRISES, 2, "所属园区", "CGC")
SHEETS = {"园区": books.PARKS, "产业": books.INDUSTRIES, "企业": ENTERPRISES}


@pytest.fixture(params=[1, 2000], ids=["one-enterprise-blocks", "whole"])
def block(request, monkeypatch):
    monkeypatch.setattr("indicators.monthly_sheet.BLOCK", request.param)
    return request.param


def run(monthly):
    return workbook_import(data=xlsx({**SHEETS, "月度指标": monthly}), filename="月报.xlsx")


def stored():
    return set(
        MonthlyValue.objects.values_list(
            "enterprise__credit_code", "indicator__name", "year", "month", "value"
        )
    )


def test_a_park_month_two_blocks_fill_is_approved_once_and_takes_both(block):
    report = run(books.MONTHLY)

    assert report.accepted, [str(p) for p in report.problems]
    assert [(s.created, s.updated, s.unchanged) for s in report.sheets][-1] == (3, 0, 0)
    march = PeriodSubmission.objects.get(park__code="CGC", year=2026, month=3)
    assert march.status == "approved"
    assert stored() == {
        (CODE_A, "利润总额", 2026, 2, D("-5")),
        (CODE_A, "利润总额", 2026, 3, D("-8")),
        (CODE_A, "从业人员", 2026, 2, D("120")),
        (CODE_A, "从业人员", 2026, 3, D("118")),
        (CODE_A, "税收收入", 2026, 2, D("30")),
        (CODE_A, "营业收入", 2026, 2, D("1200.5")),
        (CODE_A, "营业收入", 2026, 3, D("2000")),
        (CODE_B, "利润总额", 2026, 3, D("2")),
        (CODE_B, "从业人员", 2026, 3, D("40")),
        (CODE_B, "税收收入", 2026, 3, D("10")),
        (CODE_B, "营业收入", 2026, 3, D("500")),
    }
    again = run(books.MONTHLY)
    assert [(s.created, s.updated, s.unchanged) for s in again.sheets][-1] == (0, 0, 3)


def test_a_cell_unreadable_in_a_later_block_refuses_the_sheet_alone(block):
    monthly = books.replaced(books.MONTHLY, 3, "营业收入(万元)", "五百")  # CODE_B, the last block

    report = run(monthly)

    assert [(p.row, p.column) for p in report.problems] == [(4, "营业收入(万元)")]
    assert not MonthlyValue.objects.exists()
    assert not PeriodSubmission.objects.exists()


def test_a_cumulative_falling_in_one_block_is_refused_and_nothing_is_written(block):
    monthly = books.replaced(books.MONTHLY, 2, "营业收入(万元)", "1000")  # below February's

    report = run(monthly)

    assert [str(p) for p in report.problems] == [
        "工作表“月度指标”第3行“营业收入(万元)”列：本年累计数1000小于2月的累计数1200.5，累计数不能减少"
    ]
    assert not MonthlyValue.objects.exists()


def test_an_unchanged_re_import_writes_nothing_and_a_changed_figure_only_itself(block):
    assert run(books.MONTHLY).accepted
    logged, version = FigureChange.objects.count(), data_version()

    again = run(books.MONTHLY)

    assert [(s.created, s.updated, s.unchanged) for s in again.sheets][-1] == (0, 0, 3)
    assert (FigureChange.objects.count(), data_version()) == (logged, version)

    unlock_all()  # the first import approved its months
    changed = run(books.replaced(books.MONTHLY, 3, "税收收入(万元)", "12"))

    assert [(s.created, s.updated, s.unchanged) for s in changed.sheets][-1] == (0, 1, 2)
    assert list(FigureChange.objects.order_by("pk").values_list("old_value", "new_value"))[
        logged:
    ] == [(D("10"), D("12"))]


def test_the_reports_sums_are_recounted_once_for_every_block(block):
    from tests.reports.test_official_sums import kept, recount

    counted = books.replaced(ENTERPRISES, 2, "是否入统", "是")  # both counted in CGC
    sheets = {**SHEETS, "企业": counted, "月度指标": books.MONTHLY}
    report = workbook_import(data=xlsx(sheets), filename="月报.xlsx")

    assert report.accepted, [str(p) for p in report.problems]
    assert kept() == recount()
    assert len(kept()) > 0
