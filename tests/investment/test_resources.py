"""The investment sheets: 招商项目 with its new columns, 招商活动 with its park, 招商跟进."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from investment.models import FollowUp, Lead, LeadStageChange, OutreachEvent
from tests.workbook.books import ALL_SHEETS, EVENTS, LEADS, replaced, xlsx
from workbook.importer import SHEETS, workbook_import
from workbook.writer import workbook_bytes

pytestmark = pytest.mark.django_db

NEW_LEAD_COLUMNS = ["终止原因", "摘牌日期", "承诺开工日期"]
LEADS_NOW = [
    LEADS[0] + NEW_LEAD_COLUMNS,
    LEADS[1] + ["", "2026-05-10", "2026-09-01"],
    LEADS[2] + ["", "", ""],
    [
        "ZS-3",
        "冷链食品加工",
        "某食品公司",
        "自主招商",
        "食品加工",
        "5000",
        "",
        "轻资产",
        "终止",
        "2026-01-05",
        "",
        "",
        "CGC",
        "",
        "王五",
        "投资方调整投资计划",
        "",
        "",
    ],
]
EVENTS_NOW = [EVENTS[0] + ["所属园区"], EVENTS[1] + ["BH"]]
FOLLOW_UPS = [
    ["线索编号", "日期", "方式", "内容", "下一步", "下次跟进日期", "跟进人"],
    ["ZS-1", "2026-04-20", "外出拜访", "赴企业总部商谈供地", "报送用地方案", "2026-05-06", "李四"],
    ["ZS-2", "2026-03-02", "电话微信", "询问厂房面积", "", "", ""],
]


def sheets(**changed):
    return {
        **ALL_SHEETS,
        "招商项目": changed.get("leads", LEADS_NOW),
        "招商活动": EVENTS_NOW,
        "招商跟进": changed.get("follow_ups", FOLLOW_UPS),
    }


def state():
    return {
        model.__name__: sorted(
            model.objects.values_list(
                *[f.attname for f in model._meta.concrete_fields if f.name != "id"]
            ),
            key=repr,
        )
        for model in (Lead, OutreachEvent, FollowUp, LeadStageChange)
    }


def problems(report):
    return [(p.sheet, p.row, p.column) for p in report.problems]


def test_the_new_columns_and_the_follow_up_sheet_are_imported():
    report = workbook_import(data=xlsx(sheets()), filename="in.xlsx")
    assert report.accepted, [str(p) for p in report.problems]
    signed = Lead.objects.get(code="ZS-1")
    assert (signed.delisted_on, signed.promised_start_on) == (date(2026, 5, 10), date(2026, 9, 1))
    assert Lead.objects.get(code="ZS-3").drop_reason == "投资方调整投资计划"
    assert OutreachEvent.objects.get().park.code == "BH"
    visit = FollowUp.objects.get(lead__code="ZS-1")
    assert (visit.method, visit.next_step, visit.next_on, visit.by) == (
        "visit",
        "报送用地方案",
        date(2026, 5, 6),
        "李四",
    )


def test_an_export_imported_back_changes_nothing():
    assert workbook_import(data=xlsx(sheets()), filename="in.xlsx").accepted
    before = state()
    report = workbook_import(data=workbook_bytes(SHEETS, with_data=True), filename="out.xlsx")
    assert report.accepted, [str(p) for p in report.problems]
    ours = {s.sheet: s for s in report.sheets if s.sheet in ("招商项目", "招商活动", "招商跟进")}
    assert all(s.created == 0 and s.updated == 0 for s in ours.values()), ours
    assert state() == before


def test_a_workbook_of_the_first_release_still_imports():
    report = workbook_import(data=xlsx(ALL_SHEETS), filename="old.xlsx")
    assert report.accepted, [str(p) for p in report.problems]


def test_the_template_has_the_new_columns_and_sheet():
    book = load_workbook(io.BytesIO(workbook_bytes(SHEETS, with_data=False)))
    headers = [c.value for c in book["招商项目"][1]]
    assert [h.rstrip("*") for h in headers[-3:]] == NEW_LEAD_COLUMNS
    assert [c.value.rstrip("*") for c in book["招商跟进"][1]] == FOLLOW_UPS[0]
    assert [c.value for c in book["招商活动"][1]][-1] == "所属园区"


@pytest.mark.parametrize(
    ("changed", "where"),
    [
        (
            {"leads": replaced(LEADS_NOW, 3, "终止原因", "")},
            ("招商项目", 4, "终止原因"),
        ),
        (
            {"follow_ups": replaced(FOLLOW_UPS, 2, "线索编号", "ZS-9")},
            ("招商跟进", 3, "线索编号"),
        ),
        (
            {"leads": replaced(LEADS_NOW, 1, "签约日期", "2025-12-31")},
            ("招商项目", 2, "签约日期"),
        ),
        (
            {"leads": replaced(LEADS_NOW, 1, "摘牌日期", "2026-03-31")},
            ("招商项目", 2, "摘牌日期"),
        ),
    ],
    ids=[
        "dropped-without-reason",
        "unknown-lead",
        "signed-before-docked",
        "delisted-before-signed",
    ],
)
def test_a_refused_row_is_named_by_sheet_row_and_column_and_nothing_is_written(changed, where):
    report = workbook_import(data=xlsx(sheets(**changed)), filename="bad.xlsx")
    assert not report.accepted
    assert where in problems(report), [str(p) for p in report.problems]
    assert not Lead.objects.exists() and not FollowUp.objects.exists()
