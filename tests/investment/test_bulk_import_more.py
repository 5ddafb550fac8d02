"""The 招商活动 and 招商跟进 sheets imported the bulk way (investment.services:
outreach_events_import, follow_ups_import): every row read onto its record, then all
checked and written at once, with their change history."""

from datetime import date, timedelta

import pytest

from investment.models import FollowUp, Lead, OutreachEvent
from tests.workbook.books import INDUSTRIES, PARKS, replaced
from tests.workbook_sheets import Sheet, book_imported, marked

pytestmark = pytest.mark.django_db

EVENTS = Sheet("招商活动", OutreachEvent, filename="招商.xlsx")
FOLLOW_UPS = Sheet("招商跟进", FollowUp, filename="招商.xlsx")

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
    book_imported({"园区": PARKS, "产业": INDUSTRIES, "招商项目": leads}, filename="r.xlsx")


# ------------------------------------------------------------------------- 招商活动


def test_the_event_sheet_creates_then_leaves_unchanged_then_updates_only_what_changed(register):
    EVENTS.imported(events(12), (12, 0, 0))
    made = OutreachEvent.objects.get(name="活动3")
    assert (made.date, made.kind, made.park.code, str(made.signed_amount)) == (
        date(2026, 3, 5),
        "trip",
        "CGC",
        "3.5000",
    )
    EVENTS.imported(events(12), (0, 0, 12))
    EVENTS.imported(replaced(events(13), 4, "地点", "上海"), (1, 1, 11))
    assert OutreachEvent.objects.get(name="活动4").place == "上海"
    assert OutreachEvent.objects.count() == 13


def test_new_and_changed_events_keep_the_user_and_the_file(register, admin_user):
    history = [("活动1", "北京", "+", "一月.xlsx"), ("活动2", "北京", "+", "一月.xlsx")]
    history += [("活动2", "上海", "~", "二月.xlsx")]
    changed = replaced(events(2), 2, "地点", "上海")
    EVENTS.assert_history_keeps_user_and_file(
        events(2), changed, admin_user, history, ("name", "place")
    )


def test_an_event_import_keeps_the_leads_docked_at_the_event(register):
    EVENTS.imported(events(1), (1, 0, 0))
    event = OutreachEvent.objects.get()
    event.leads.set(Lead.objects.filter(code__in=["ZS-1", "ZS-2"]))
    EVENTS.imported(replaced(events(1), 1, "地点", "上海"), (0, 1, 0))
    assert sorted(event.leads.values_list("code", flat=True)) == ["ZS-1", "ZS-2"]


def test_an_event_import_that_writes_bumps_the_data_version_and_an_unchanged_one_does_not(
    register,
):
    EVENTS.assert_version_moves_only_on_a_write(events(2), replaced(events(2), 1, "地点", "上海"))


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
    EVENTS.assert_refused(
        events(2, place="原地"), events(4, place="新地"), row, column, value, message
    )


# ------------------------------------------------------------------------- 招商跟进


def test_the_follow_up_sheet_creates_then_leaves_unchanged_then_updates_only_what_changed(
    register,
):
    FOLLOW_UPS.imported(follow_ups(12), (12, 0, 0))
    made = FollowUp.objects.get(lead__code="ZS-4", date=date(2026, 1, 13))
    assert (made.method, made.content, made.next_on, made.by) == (
        "visit",
        "商谈供地3",
        date(2026, 1, 20),
        "李四",
    )
    FOLLOW_UPS.imported(follow_ups(12), (0, 0, 12))
    FOLLOW_UPS.imported(replaced(follow_ups(13), 3, "内容", "签订意向书"), (1, 1, 11))
    assert FollowUp.objects.get(lead__code="ZS-4", date=date(2026, 1, 13)).content == "签订意向书"
    assert FollowUp.objects.count() == 13


def test_a_new_follow_up_is_recorded_by_the_importing_user_and_a_changed_one_keeps_its_own(
    register, admin_user, django_user_model
):
    other = django_user_model.objects.create_user("zhang")
    FOLLOW_UPS.imported(follow_ups(2), (2, 0, 0), user=admin_user, filename="一月.xlsx")
    changed = replaced(follow_ups(3), 2, "内容", "签订意向书")
    FOLLOW_UPS.imported(changed, (1, 1, 1), user=other, filename="二月.xlsx")
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
    FOLLOW_UPS.imported(follow_ups(1), (1, 0, 0))
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
    at = "" if column == "下次跟进日期" else column
    first, then = follow_ups(2, content="原"), follow_ups(4, content="新")
    FOLLOW_UPS.assert_refused(first, then, row, column, value, message, at=at)


# ------------------------------------------------------------------------- queries


@pytest.mark.parametrize(
    ("sheet", "rows", "changed"),
    [(EVENTS, events, ("地点", "上海")), (FOLLOW_UPS, follow_ups, ("跟进人", "王五"))],
    ids=["招商活动", "招商跟进"],
)
def test_importing_many_rows_takes_as_many_queries_as_a_few(register, sheet, rows, changed):
    sheet.assert_queries_do_not_grow(rows, lambda n: marked(rows(n), *changed))
