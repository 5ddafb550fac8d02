"""The dashboard's attention list and its key projects behind schedule: each rule at its edges.

A zone of two parks at 2026年1-3月 (annualised revenue = 1-3月 × 4), with figures chosen
to sit on either side of each rule's bound.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from indicators import codes
from indicators.choices import PeriodStatus
from indicators.models import PeriodSubmission
from parkportal.choices import EnterpriseStatus, ScaleCategory
from reports.dashboard import dashboard
from reports.scope import ReportPeriod, report_scope
from tests.factories import (
    EnterpriseFactory,
    MonthlyValueFactory,
    ProjectFactory,
    ProjectProgressFactory,
    indicator,
)
from tests.helpers import count_as_official

PERIOD = ReportPeriod(2026, 3)
ABOVE = ScaleCategory.INDUSTRY  # above-scale: outside the 规上 candidates


def enterprise(park, name, revenue=None, last_year=None, **fields):
    company = EnterpriseFactory(park=park, name=name, **fields)
    for year, value in [(2026, revenue), (2025, last_year)]:
        if value is not None:
            MonthlyValueFactory(
                enterprise=company,
                indicator=indicator(codes.REVENUE),
                year=year,
                month=3,
                value=D(value),
            )
    return company


@pytest.fixture
def figures(zone, park_a, park_b):
    # Revenue against last year's 1-3月: a fall of more than 20% needs attention.
    enterprise(park_a, "下降略超两成公司", "7999.9999", "10000", scale_category=ABOVE)
    enterprise(park_a, "下降正好两成公司", "8000", "10000", scale_category=ABOVE)
    enterprise(park_b, "上年为零公司", "100", "0")
    enterprise(park_b, "大幅下降公司", "3000", "10000", scale_category=ABOVE)
    # Annualised revenue near the 2,000万元 threshold (1-3月 375 = 1,500 a year).
    enterprise(park_a, "年化正好一千五公司", "375")
    enterprise(park_a, "年化差一点公司", "374.9999")
    enterprise(park_b, "年化将近两千公司", "499.9999")
    enterprise(park_b, "年化正好两千公司", "500")
    enterprise(park_a, "已是规上公司", "450", scale_category=ABOVE)
    enterprise(park_a, "已注销公司", "450", status=EnterpriseStatus.DEREGISTERED)
    enterprise(park_b, "未入统接近公司", "400", in_statistics=False)
    # Reporting: any figure of the month counts; February's does not.
    silent = enterprise(park_a, "二月后未报公司")
    MonthlyValueFactory(enterprise=silent, year=2026, month=2)
    tax_only = enterprise(park_b, "只报税收公司")
    MonthlyValueFactory(enterprise=tax_only, indicator=indicator(codes.TAX), year=2026, month=3)
    enterprise(park_b, "注销未报公司", status=EnterpriseStatus.DEREGISTERED)
    # Both parks submitted every month with figures: all of them count.
    count_as_official(PeriodStatus.SUBMITTED)


@pytest.fixture
def attention(figures, zone):
    return dashboard(report_scope(zone), PERIOD).attention


def names(flagged):
    return [line.name for line in flagged.lines]


def test_revenue_falling_by_more_than_a_fifth(attention):
    # 8000 is exactly −20%: not more than. No base (0) gives no growth at all.
    assert names(attention.falling) == ["大幅下降公司", "下降略超两成公司"]
    assert attention.falling.count == 2
    worst = attention.falling.lines[0]
    assert (worst.value, worst.base, worst.growth, worst.park) == (
        D("3000"),
        D("10000"),
        D("-70.00"),
        "白合工业园",
    )
    # −20.000001% shows as −20.00% but is more than a fifth.
    assert attention.falling.lines[1].growth == D("-20.00")


def test_near_the_above_scale_threshold(attention):
    # Annualised: 1,999.9996 / 1,600 (not 入统 yet, still a candidate) / 1,500 exactly.
    assert names(attention.near_threshold) == [
        "年化将近两千公司",
        "未入统接近公司",
        "年化正好一千五公司",
    ]
    assert [line.annualised for line in attention.near_threshold.lines] == [
        D("1999.9996"),
        D("1600"),
        D("1500"),
    ]


def test_at_or_above_the_threshold_without_being_above_scale(attention):
    # 500 a quarter is 2,000 a year; 上年为零公司 (100) is far below.
    assert names(attention.reached_threshold) == ["年化正好两千公司"]
    assert attention.reached_threshold.lines[0].annualised == D("2000")


def test_enterprises_that_have_not_reported_the_month(attention):
    assert names(attention.not_reported) == ["二月后未报公司"]
    assert attention.not_reported.count == 1


def test_parks_that_have_not_reported_the_month(figures, zone, park_a, park_b):
    # Park B approved February, but has not submitted March: its March is a draft.
    PeriodSubmission.objects.filter(park=park_b, year=2026, month=3).delete()
    PeriodSubmission.objects.filter(park=park_b, year=2026, month=2).update(
        status=PeriodStatus.APPROVED
    )

    attention = dashboard(report_scope(zone), PERIOD).attention

    parks = {park.name: park for park in attention.parks}
    assert parks["长古城工业园"].has_reported
    assert parks["长古城工业园"].status_label == "已上报"
    assert (parks["长古城工业园"].missing, parks["长古城工业园"].enterprises) == (1, 6)
    # February's approval does not cover March.
    assert not parks["白合工业园"].has_reported
    assert parks["白合工业园"].status_label == "填报中"
    assert [park.name for park in attention.parks_not_reported] == ["白合工业园"]
    # A draft month's figures are not official: none of park B's enterprises has
    # reported, and none of its figures is looked at for the other lists.
    assert (parks["白合工业园"].missing, parks["白合工业园"].enterprises) == (6, 6)
    assert attention.not_reported.count == 1 + 6
    assert names(attention.falling) == ["下降略超两成公司"]
    assert names(attention.near_threshold) == ["年化正好一千五公司"]
    assert names(attention.reached_threshold) == []
    assert attention.count == 1 + 7 + 1 + 1 + 0


def test_lists_name_twenty_and_count_all(zone, park_a):
    for n in range(23):
        enterprise(park_a, f"未报企业{n:02d}")

    flagged = dashboard(report_scope(zone), PERIOD).attention.not_reported

    assert flagged.count == 23
    assert len(flagged.lines) == 20
    assert flagged.more == 3
    assert flagged.lines[0].name == "未报企业00"


# --- Key projects behind schedule ---------------------------------------------------------------


def progress(project, *reports):
    for year, month, amount in reports:
        ProjectProgressFactory(
            project=project, year=year, month=month, completed_investment=D(amount)
        )


@pytest.fixture
def projects(zone, park_a):
    overdue = ProjectFactory(
        code="K1",
        name="逾期未竣工项目",
        park=park_a,
        key_level="county",
        start_date=date(2025, 1, 1),
        completion_date=date(2026, 2, 28),
        total_investment=D(10000),
    )
    progress(overdue, (2026, 3, "9000"))
    lagging = ProjectFactory(
        code="K2",
        name="投资滞后项目",
        park=park_a,
        key_level="city",
        start_date=date(2025, 4, 1),
        completion_date=date(2027, 3, 31),
        total_investment=D(100000),
    )
    # Each year counts with its latest report by the cut-off: 10000 + 5000 (April's is later).
    progress(lagging, (2025, 6, "4000"), (2025, 12, "10000"), (2026, 3, "5000"), (2026, 4, "9000"))
    on_time = ProjectFactory(
        code="K3",
        name="按期推进项目",
        park=park_a,
        key_level="provincial",
        start_date=date(2025, 4, 1),
        completion_date=date(2027, 3, 31),
        total_investment=D(100000),
    )
    progress(on_time, (2025, 12, "40000"), (2026, 3, "5000"))
    not_key = ProjectFactory(
        code="K4",
        name="非重点滞后项目",
        park=park_a,
        key_level="",
        start_date=date(2025, 1, 1),
        completion_date=date(2026, 1, 31),
    )
    progress(not_key, (2026, 3, "100"))
    ProjectFactory(
        code="K5",
        name="已竣工重点项目",
        park=park_a,
        key_level="city",
        stage="completed",
        start_date=date(2025, 1, 1),
        completion_date=date(2026, 1, 31),
    )
    ProjectFactory(
        code="K6",
        name="尚未开工重点项目",
        park=park_a,
        key_level="city",
        start_date=date(2026, 6, 1),
        completion_date=date(2027, 6, 1),
    )
    return dashboard(report_scope(zone), PERIOD).projects


def test_key_projects_behind_schedule(projects):
    assert projects.key_under_way == 3  # K1, K2, K3
    assert [(line.code, line.reason) for line in projects.behind] == [
        ("K1", "逾期未竣工"),
        # 15000 / 100000 = 15.00% invested; 364 of 729 days gone = 49.93%.
        ("K2", "投资进度落后时间进度34.93个百分点"),
    ]
    lagging = projects.behind[1]
    assert (lagging.to_date, lagging.investment_progress, lagging.time_elapsed) == (
        D("15000"),
        D("15.00"),
        D("49.93"),
    )
    overdue = projects.behind[0]
    assert (overdue.to_date, overdue.time_elapsed) == (D("9000"), D("100.00"))
