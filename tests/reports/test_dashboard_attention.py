"""The dashboard's attention list and its key projects behind schedule: each rule at its edges.

A zone of two parks at 2026年1-3月 (annualised revenue = 1-3月 × 4), with figures chosen
to sit on either side of each rule's bound.
"""

from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal as D
from unittest import mock

import pytest
from django.urls import reverse

from indicators import codes
from indicators.choices import PeriodStatus
from indicators.models import PeriodSubmission
from investment.models import Lead
from parkportal.choices import EnterpriseStatus, ScaleCategory
from projects.models import Project, ProjectIssue
from reports.cache import cached_dashboard
from reports.dashboard import dashboard
from reports.scope import ReportPeriod, report_scope
from tests.factories import (
    EnterpriseFactory,
    LeadFactory,
    MonthlyValueFactory,
    ProjectFactory,
    ProjectProgressFactory,
    indicator,
)
from tests.helpers import count_as_official

PERIOD = ReportPeriod(2026, 3)


@contextmanager
def freeze_today(day: date):
    """Make the local date `day` for the whole request."""
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        yield


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


def test_each_rule_counts_the_enterprises_it_names(attention):
    # The counts come from one pass over the month's revenue, the lines from their own
    # queries: both apply the same rule.
    for flagged in (
        attention.falling,
        attention.near_threshold,
        attention.reached_threshold,
        attention.not_reported,
    ):
        assert flagged.count == len(flagged.lines)
        assert flagged.more == 0


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


def test_revenue_lists_name_twenty_and_count_all(zone, park_a, park_b):
    # Falling by 50% to 26%, the largest fall first; near the threshold, the largest first.
    for n in range(23):
        enterprise(park_a if n % 2 else park_b, f"下降企业{n:02d}", 500 + 10 * n, "1000")
        enterprise(park_a, f"接近企业{n:02d}", D(400) + n, scale_category="")
    count_as_official(PeriodStatus.SUBMITTED)

    attention = dashboard(report_scope(zone), PERIOD).attention

    falling, near = attention.falling, attention.near_threshold
    assert (falling.count, len(falling.lines), falling.more) == (23, 20, 3)
    assert names(falling) == [f"下降企业{n:02d}" for n in range(20)]
    assert (near.count, len(near.lines), near.more) == (23, 20, 3)
    assert names(near) == [f"接近企业{n:02d}" for n in range(22, 2, -1)]


def test_the_zones_own_enterprises_count_among_those_not_reported(zone, park_a):
    enterprise(park_a, "园区已报公司", "100")
    enterprise(zone, "本级未报公司")
    count_as_official(PeriodStatus.SUBMITTED)

    flagged = dashboard(report_scope(zone), PERIOD).attention.not_reported

    assert names(flagged) == ["本级未报公司"]
    assert flagged.count == 1


# --- Key projects behind schedule ---------------------------------------------------------------


def progress(project, *reports):
    for year, month, amount in reports:
        ProjectProgressFactory(
            project=project, year=year, month=month, completed_investment=D(amount)
        )


@pytest.fixture
def projects(zone, park_a):
    # Progress counts once its park's month is official, as figures do.
    for year, month in [(2025, 6), (2025, 12), (2026, 3), (2026, 4)]:
        PeriodSubmission.objects.create(park=park_a, year=year, month=month, status="submitted")
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


# --- Red projects, overdue issues and broken promises, as of a day ------------------------------

TODAY = date(2026, 4, 15)


@pytest.fixture
def as_of_today(zone, park_a, park_b):
    # Lights: a planned start passed by more than 3 months is red, by less yellow.
    ProjectFactory(
        code="R1",
        name="开工严重滞后项目",
        park=park_a,
        start_date=None,
        planned_start_date=date(2026, 1, 14),
    )
    ProjectFactory(
        code="Y1",
        name="开工稍有滞后项目",
        park=park_a,
        start_date=None,
        planned_start_date=date(2026, 3, 1),
    )
    ProjectFactory(code="G1", name="按期开工项目", park=park_a, start_date=date(2026, 3, 1))
    ProjectFactory(
        code="C1",
        name="已竣工项目",
        park=park_a,
        stage="completed",
        start_date=None,
        planned_start_date=date(2025, 1, 1),
    )
    other_red = ProjectFactory(
        code="R2",
        name="白合红灯项目",
        park=park_b,
        start_date=None,
        planned_start_date=date(2025, 6, 1),
    )
    # Issues: open past its 办结时限 is overdue; due today, solved, or without a limit is not.
    for code, unit, deadline, solved_on, project in [
        ("W1", "县住建局", date(2026, 4, 1), None, other_red),
        ("W2", "县自然资源局", date(2026, 4, 14), None, other_red),
        ("W3", "县住建局", date(2026, 4, 10), None, other_red),
        ("W4", "县住建局", date(2026, 4, 15), None, other_red),
        ("W5", "县住建局", date(2026, 3, 1), date(2026, 4, 2), other_red),
        ("W6", "县住建局", None, None, other_red),
    ]:
        ProjectIssue.objects.create(
            code=code,
            project=project,
            raised_on=date(2026, 2, 1),
            description=f"问题{code}",
            responsible_unit=unit,
            deadline=deadline,
            solved_on=solved_on,
            solution="已解决" if solved_on else "",
        )
    ProjectIssue.objects.create(
        code="W7",
        project=ProjectFactory(code="G2", park=park_a),
        raised_on=date(2026, 2, 1),
        description="长古城的逾期问题",
        responsible_unit="县发改局",
        deadline=date(2026, 3, 31),
    )
    # Promises: a signed lead past its promised start with no start is broken.
    signed = {"stage": "signed", "docked_on": date(2026, 1, 5), "signed_on": date(2026, 1, 20)}
    LeadFactory(
        code="P1", name="未开工签约项目", park=park_a, promised_start_on=date(2026, 3, 1), **signed
    )
    LeadFactory(
        code="P2",
        name="已开工签约项目",
        park=park_a,
        promised_start_on=date(2026, 3, 1),
        project=ProjectFactory(code="S1", park=park_a, start_date=date(2026, 4, 1)),
        **signed,
    )
    LeadFactory(code="P3", name="今天承诺开工项目", park=park_a, promised_start_on=TODAY, **signed)
    LeadFactory(
        code="P4",
        name="关联项目未开工项目",
        park=park_b,
        promised_start_on=date(2026, 4, 5),
        project=ProjectFactory(code="S2", park=park_b, start_date=None),
        **signed,
    )
    LeadFactory(code="P5", name="洽谈中项目", park=park_a, promised_start_on=date(2026, 1, 1))


def test_red_projects_are_named_with_their_first_reason(as_of_today, zone):
    red = dashboard(report_scope(zone), PERIOD, today=TODAY).attention.red_projects

    # 2026-01-14 + 3 months = 2026-04-14, before today: red. 2026-03-01 is yellow; a
    # completed project has no light; a started one is green.
    assert [(line.code, line.reason) for line in red.lines] == [
        ("R1", "计划2026-01-14开工，至今未开工（超过3个月）"),
        ("R2", "计划2025-06-01开工，至今未开工（超过3个月）"),
    ]
    assert (red.count, red.yellow) == (2, 1)


def test_overdue_issues_by_the_unit_that_must_solve_them(as_of_today, zone):
    issues = dashboard(report_scope(zone), PERIOD, today=TODAY).attention.overdue_issues

    # Due today (W4), solved (W5) or without a limit (W6): not overdue.
    assert issues.count == 4
    assert [
        (unit.unit, unit.count, [(line.code, line.overdue_days) for line in unit.lines])
        for unit in issues.units
    ] == sorted(
        [
            ("县住建局", 2, [("W1", 14), ("W3", 5)]),
            ("县发改局", 1, [("W7", 15)]),
            ("县自然资源局", 1, [("W2", 1)]),
        ]
    )


def test_broken_promises_are_the_signed_leads_not_started(as_of_today, zone):
    promises = dashboard(report_scope(zone), PERIOD, today=TODAY).attention.broken_promises

    # Started (P2), promised today (P3) or not signed (P5): not broken.
    assert [(line.code, line.overdue_days) for line in promises.lines] == [("P1", 45), ("P4", 10)]
    assert promises.count == 2


def test_the_three_lists_count_in_the_attention_total(as_of_today, zone):
    attention = dashboard(report_scope(zone), PERIOD, today=TODAY).attention

    others = (
        len(attention.parks_not_reported)
        + attention.not_reported.count
        + attention.falling.count
        + attention.near_threshold.count
        + attention.reached_threshold.count
        + attention.forgotten_leads.count
    )
    assert attention.count == others + 2 + 4 + 2


def test_a_parks_dashboard_shows_only_its_parks(as_of_today, park_a, park_b):
    attention = dashboard(report_scope(park_a), PERIOD, today=TODAY).attention

    assert [line.code for line in attention.red_projects.lines] == ["R1"]
    assert attention.red_projects.yellow == 1
    assert [unit.unit for unit in attention.overdue_issues.units] == ["县发改局"]
    assert [line.code for line in attention.broken_promises.lines] == ["P1"]

    other = dashboard(report_scope(park_b), PERIOD, today=TODAY).attention
    assert [line.code for line in other.red_projects.lines] == ["R2"]
    assert other.overdue_issues.count == 3
    assert [line.code for line in other.broken_promises.lines] == ["P4"]


def test_the_page_links_each_item_and_the_full_lists(as_of_today, client, leader):
    client.force_login(leader)
    with freeze_today(TODAY):
        content = client.get(reverse("reports:home"), {"year": 2026, "month": 3}).content.decode()

    red = Project.objects.get(code="R1")
    broken = Lead.objects.get(code="P1")
    assert f'href="{reverse("projects:project", args=[red.pk])}"' in content
    assert "计划2026-01-14开工，至今未开工（超过3个月）" in content
    assert f'href="{reverse("projects:issues")}?state=overdue"' in content
    assert f'href="{reverse("investment:lead", args=[broken.pk])}"' in content
    assert "逾期45天" in content


def test_the_kept_dashboard_is_judged_anew_the_next_day(zone, park_a):
    LeadFactory(
        code="P9",
        name="明天逾期项目",
        park=park_a,
        stage="signed",
        docked_on=date(2026, 1, 5),
        signed_on=date(2026, 1, 20),
        promised_start_on=TODAY,
    )
    scope = report_scope(zone)

    with freeze_today(TODAY):
        board, _ = cached_dashboard(scope, PERIOD, codes.REVENUE)
    assert board.attention.broken_promises.count == 0
    # No write in between (the data version is the same): only the day has changed.
    with freeze_today(TODAY + timedelta(days=1)):
        board, _ = cached_dashboard(scope, PERIOD, codes.REVENUE)
    assert [line.code for line in board.attention.broken_promises.lines] == ["P9"]
