"""The 招商活动 and 招商跟进 sheets imported the bulk way (investment.services:
outreach_events_import, follow_ups_import): every row read onto its record, then all
checked and written at once, with their change history."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investment.models import FollowUp, Lead, OutreachEvent
from parkportal.data_version import data_version
from tests.workbook.books import INDUSTRIES, PARKS, replaced, xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db

EVENT_HEADERS = ["活动日期", "活动名称", "活动类型", "地点", "签约金额(万元)", "所属园区"]
FOLLOW_UP_HEADERS = ["线索编号", "日期", "方式", "内容", "下一步", "下次跟进日期", "跟进人"]
LEAD_HEADERS = ["线索编号", "项目名称", "招商方式", "阶段", "对接日期"]


def events(count: int, *, place: str = "北京") -> list[list]:
    """Return a 招商活动 sheet of `count` events of one day, 活动1 …"""
    return [EVENT_HEADERS] + [
        ["2026-03-05", f"活动{n}", "外出招商", place, f"{n}.5", "CGC" if n % 2 else ""]
        for n in range(1, count + 1)
    ]


def follow_ups(count: int, *, content: str = "商谈供地") -> list[list]:
    """Return a 招商跟进 sheet of `count` visits to five leads, a day apart."""
    start = date(2026, 1, 10)
    return [FOLLOW_UP_HEADERS] + [
        [
            f"ZS-{n % 5 + 1}",
            (start + timedelta(days=n)).isoformat(),
            "外出拜访",
            f"{content}{n}",
            "报送方案",
            (start + timedelta(days=n + 7)).isoformat(),
            "李四",
        ]
        for n in range(1, count + 1)
    ]


@pytest.fixture
def register(db):
    leads = [LEAD_HEADERS] + [
        [f"ZS-{n}", f"线索{n}", "以商招商", "对接", "2026-01-05"] for n in range(1, 6)
    ]
    report = workbook_import(
        data=xlsx({"园区": PARKS, "产业": INDUSTRIES, "招商项目": leads}), filename="r.xlsx"
    )
    assert report.accepted, [str(p) for p in report.problems]


def run(sheet: str, rows, user=None, filename="招商.xlsx"):
    report = workbook_import(data=xlsx({sheet: rows}), filename=filename, user=user)
    return report, next(s for s in report.sheets if s.sheet == sheet)


def counts(sheet):
    return sheet.created, sheet.updated, sheet.unchanged


# ------------------------------------------------------------------------- 招商活动


def test_the_event_sheet_creates_then_leaves_unchanged_then_updates_only_what_changed(register):
    report, sheet = run("招商活动", events(12))
    assert report.accepted, [str(p) for p in report.problems]
    assert counts(sheet) == (12, 0, 0)
    made = OutreachEvent.objects.get(name="活动3")
    assert (made.date, made.kind, made.park.code, str(made.signed_amount)) == (
        date(2026, 3, 5),
        "trip",
        "CGC",
        "3.5000",
    )
    _, sheet = run("招商活动", events(12))
    assert counts(sheet) == (0, 0, 12)
    report, sheet = run("招商活动", replaced(events(13), 4, "地点", "上海"))
    assert report.accepted, [str(p) for p in report.problems]
    assert counts(sheet) == (1, 1, 11)
    assert OutreachEvent.objects.get(name="活动4").place == "上海"
    assert OutreachEvent.objects.count() == 13


def test_new_and_changed_events_keep_the_user_and_the_file(register, admin_user):
    run("招商活动", events(2), user=admin_user, filename="三月.xlsx")
    run("招商活动", replaced(events(2), 2, "地点", "上海"), user=admin_user, filename="四月.xlsx")
    history = OutreachEvent.history.order_by("history_id").values_list(
        "name", "place", "history_type", "history_user", "history_change_reason"
    )
    assert list(history) == [
        ("活动1", "北京", "+", admin_user.pk, "导入：三月.xlsx"),
        ("活动2", "北京", "+", admin_user.pk, "导入：三月.xlsx"),
        ("活动2", "上海", "~", admin_user.pk, "导入：四月.xlsx"),
    ]
    assert OutreachEvent.history.filter(name="活动2").latest().instance.pk == (
        OutreachEvent.objects.get(name="活动2").pk
    )


def test_an_event_import_keeps_the_leads_docked_at_the_event(register):
    run("招商活动", events(1))
    event = OutreachEvent.objects.get()
    event.leads.set(Lead.objects.filter(code__in=["ZS-1", "ZS-2"]))
    report, sheet = run("招商活动", replaced(events(1), 1, "地点", "上海"))
    assert counts(sheet) == (0, 1, 0), [str(p) for p in report.problems]
    assert sorted(event.leads.values_list("code", flat=True)) == ["ZS-1", "ZS-2"]


def test_an_event_import_that_writes_bumps_the_data_version_and_an_unchanged_one_does_not(
    register,
):
    run("招商活动", events(2))
    before = data_version()
    run("招商活动", events(2))
    assert data_version() == before
    run("招商活动", replaced(events(2), 1, "地点", "上海"))
    assert data_version() != before


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (2, "签约金额(万元)", "-5", "负"),
        (3, "所属园区", "XX", "园区“XX”不存在"),
        (1, "活动类型", "吃饭", "可选"),
        (2, "活动日期", "", "不能为"),
    ],
)
def test_a_bad_event_row_is_refused_at_its_row_and_column_and_nothing_is_written(
    register, row, column, value, message
):
    run("招商活动", events(2, place="原地"))
    stored = sorted(OutreachEvent.objects.values_list("name", "place"))
    history = OutreachEvent.history.count()
    report, _ = run("招商活动", replaced(events(4, place="新地"), row, column, value))
    assert not report.accepted
    where = [(p.sheet, p.row, p.column) for p in report.problems]
    assert where == [("招商活动", row + 1, column)], [str(p) for p in report.problems]
    assert message in str(report.problems[0])
    assert sorted(OutreachEvent.objects.values_list("name", "place")) == stored
    assert OutreachEvent.history.count() == history


# ------------------------------------------------------------------------- 招商跟进


def test_the_follow_up_sheet_creates_then_leaves_unchanged_then_updates_only_what_changed(
    register,
):
    report, sheet = run("招商跟进", follow_ups(12))
    assert report.accepted, [str(p) for p in report.problems]
    assert counts(sheet) == (12, 0, 0)
    made = FollowUp.objects.get(lead__code="ZS-4", date=date(2026, 1, 13))
    assert (made.method, made.content, made.next_on, made.by) == (
        "visit",
        "商谈供地3",
        date(2026, 1, 20),
        "李四",
    )
    _, sheet = run("招商跟进", follow_ups(12))
    assert counts(sheet) == (0, 0, 12)
    report, sheet = run("招商跟进", replaced(follow_ups(13), 3, "内容", "签订意向书"))
    assert report.accepted, [str(p) for p in report.problems]
    assert counts(sheet) == (1, 1, 11)
    assert FollowUp.objects.get(lead__code="ZS-4", date=date(2026, 1, 13)).content == "签订意向书"
    assert FollowUp.objects.count() == 13


def test_a_new_follow_up_is_recorded_by_the_importing_user_and_a_changed_one_keeps_its_own(
    register, admin_user, django_user_model
):
    other = django_user_model.objects.create_user("zhang")
    run("招商跟进", follow_ups(2), user=admin_user, filename="一月.xlsx")
    changed = replaced(follow_ups(3), 2, "内容", "签订意向书")
    run("招商跟进", changed, user=other, filename="二月.xlsx")
    recorded = FollowUp.objects.order_by("date").values_list("content", "recorded_by")
    assert list(recorded) == [
        ("商谈供地1", admin_user.pk),
        ("签订意向书", admin_user.pk),
        ("商谈供地3", other.pk),
    ]
    history = FollowUp.history.order_by("history_id").values_list(
        "content", "recorded_by", "history_type", "history_user", "history_change_reason"
    )
    assert list(history) == [
        ("商谈供地1", admin_user.pk, "+", admin_user.pk, "导入：一月.xlsx"),
        ("商谈供地2", admin_user.pk, "+", admin_user.pk, "导入：一月.xlsx"),
        ("商谈供地3", other.pk, "+", other.pk, "导入：二月.xlsx"),
        ("签订意向书", admin_user.pk, "~", other.pk, "导入：二月.xlsx"),
    ]


def test_a_follow_up_imported_by_nobody_is_recorded_by_nobody(register):
    run("招商跟进", follow_ups(1))
    assert FollowUp.objects.get().recorded_by is None


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (2, "线索编号", "ZS-99", "线索编号“ZS-99”不存在"),
        (3, "方式", "写信", "可选"),
        (1, "内容", "", "不能为"),
        # A check of two columns speaks for the whole row.
        (2, "下次跟进日期", "2026-01-01", "下次跟进日期不能早于本次跟进日期"),
    ],
)
def test_a_bad_follow_up_row_is_refused_at_its_row_and_column_and_nothing_is_written(
    register, row, column, value, message
):
    run("招商跟进", follow_ups(2, content="原"))
    stored = sorted(FollowUp.objects.values_list("lead__code", "date", "content"))
    history = FollowUp.history.count()
    report, _ = run("招商跟进", replaced(follow_ups(4, content="新"), row, column, value))
    assert not report.accepted
    where = [(p.sheet, p.row, p.column) for p in report.problems]
    expected = "" if column == "下次跟进日期" else column
    assert where == [("招商跟进", row + 1, expected)], [str(p) for p in report.problems]
    assert message in str(report.problems[0])
    assert sorted(FollowUp.objects.values_list("lead__code", "date", "content")) == stored
    assert FollowUp.history.count() == history


# ------------------------------------------------------------------------- queries


def queries_of(sheet: str, rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        report, _ = run(sheet, rows)
    assert report.accepted, [str(p) for p in report.problems]
    return len(queries)


@pytest.mark.parametrize(
    ("sheet", "rows", "model", "changed"),
    [
        ("招商活动", events, OutreachEvent, ("地点", "上海")),
        ("招商跟进", follow_ups, FollowUp, ("跟进人", "王五")),
    ],
)
def test_importing_many_rows_takes_as_many_queries_as_a_few(register, sheet, rows, model, changed):
    few = queries_of(sheet, rows(20))
    model.objects.all().delete()
    assert queries_of(sheet, rows(200)) == few  # every row created
    unchanged = queries_of(sheet, rows(200))
    assert queries_of(sheet, rows(20)) == unchanged

    def all_changed(count):
        table = rows(count)
        column = table[0].index(changed[0])
        return [table[0]] + [[*r[:column], changed[1], *r[column + 1 :]] for r in table[1:]]

    many = queries_of(sheet, all_changed(200))
    model.objects.all().delete()
    run(sheet, rows(20))
    assert queries_of(sheet, all_changed(20)) == many  # every row changed
    assert max(few, unchanged, many) <= 40, (few, unchanged, many)
