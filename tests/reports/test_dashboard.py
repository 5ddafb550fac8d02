"""The dashboard's builder: every card, chart and panel against figures worked out by hand.

The zone is tests/reports/small_zone.py (its docstring lists every figure) at 2026年1-3月,
time progress 25.00%, plus a little more so that every headline card has a figure:
  E1 工业总产值 2026-3 30000 / 2025-3 25000; E3 2026-3 12000.5 / 2025-3 15000;
  E2 固定资产投资 2026-3 5000 / 2025-3 0 (no base: no growth);
  zone targets 2026: 工业总产值 150000, 固定资产投资 60000.
"""

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from indicators import codes
from parkportal.choices import EnterpriseStatus
from parkportal.models import Enterprise
from projects.models import Project
from reports.dashboard import dashboard, monthly_series
from reports.figures import indicator_section
from reports.scope import ReportPeriod, report_scope
from reports.year_end import year_end_report
from tests.factories import MonthlyValueFactory, TargetFactory, indicator
from tests.helpers import count_as_official
from tests.reports.small_zone import build_small_zone

PERIOD = ReportPeriod(2026, 3)


def add_figures(enterprise, code, figures):
    for (year, month), value in figures.items():
        MonthlyValueFactory(
            enterprise=enterprise, indicator=indicator(code), year=year, month=month, value=D(value)
        )


@pytest.fixture
def small(db):
    small = build_small_zone()
    e1 = small.park_a.enterprises.get(name="涞源精密铸造有限公司")
    e2 = small.park_a.enterprises.get(name="涞源食品科技有限公司")
    e3 = small.park_b.enterprises.get(name="白合建材商贸有限公司")
    add_figures(e1, codes.INDUSTRIAL_OUTPUT, {(2026, 3): "30000", (2025, 3): "25000"})
    add_figures(e3, codes.INDUSTRIAL_OUTPUT, {(2026, 3): "12000.5", (2025, 3): "15000"})
    add_figures(e2, codes.FIXED_ASSET_INVESTMENT, {(2026, 3): "5000", (2025, 3): "0"})
    for code, value in [(codes.INDUSTRIAL_OUTPUT, 150000), (codes.FIXED_ASSET_INVESTMENT, 60000)]:
        TargetFactory(park=small.zone, indicator=indicator(code), year=2026, value=D(value))
    count_as_official()
    return small


@pytest.fixture
def board(small):
    return dashboard(report_scope(small.zone), PERIOD)


def card(board, code):
    return next(card for card in board.cards if card.figures.code == code)


# --- Headline cards -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "current", "value", "growth", "completion", "gap", "pace", "pace_label"),
    [
        # E1 40000 + E2 9000.1234 + E3 50000 + E5 7000 (E4 is not 入统); comparable E1-E3:
        # 99000.1234 / 82000 − 1 = 20.73%; target 500000: 21.20% against 25.00%.
        (
            codes.REVENUE,
            D("106000.1234"),
            "10.6亿元",
            D("20.73"),
            D("21.20"),
            D("-3.80"),
            "behind",
            "慢于时间进度3.80个百分点",
        ),
        # 30000 + 12000.5 = 42000.5 → 4.2001亿元 (4.20005 rounded half up);
        # 42000.5 / 40000 − 1 = 5.00%; 42000.5 / 150000 = 28.00%, 3.00 points ahead.
        (
            codes.INDUSTRIAL_OUTPUT,
            D("42000.5"),
            "4.2001亿元",
            D("5.00"),
            D("28.00"),
            D("3.00"),
            "ahead",
            "快于时间进度3.00个百分点",
        ),
        # E1 4000 + E3 2500 (E4's 9999 is outside the statistics); comparable E1 only.
        (codes.TAX, D("6500"), "6,500万元", D("25.00"), None, None, "", ""),
        # Last year's figure is 0: no base, no growth; 5000 / 60000 = 8.33%.
        (
            codes.FIXED_ASSET_INVESTMENT,
            D("5000"),
            "5,000万元",
            None,
            D("8.33"),
            D("-16.67"),
            "behind",
            "慢于时间进度16.67个百分点",
        ),
        # A loss, with nothing last year: −0.01205亿元 rounds half away from zero.
        (codes.TOTAL_PROFIT, D("-120.5"), "-120.5万元", None, None, None, "", ""),
        # A stock: March's headcount, 50 + 10; comparable 60 / 55 − 1 = 9.09%; no pace.
        (codes.EMPLOYEES, D("60"), "60人", D("9.09"), None, None, "", ""),
    ],
)
def test_every_card_shows_the_hand_computed_figures(
    board, code, current, value, growth, completion, gap, pace, pace_label
):
    shown = card(board, code)

    assert shown.figures.current == current
    assert shown.value == value
    assert shown.figures.growth.rate == growth
    assert shown.figures.completion == completion
    assert shown.time_progress == D("25.00")
    assert shown.gap == gap
    assert shown.pace == pace
    assert shown.pace_label == pace_label


def test_cards_come_in_catalog_order(board):
    assert [card.figures.name for card in board.cards] == [
        "营业收入",
        "工业总产值",
        "税收收入",
        "固定资产投资",
        "利润总额",
        "从业人员",
    ]


def test_card_progress_bar_is_kept_within_the_card(board):
    assert card(board, codes.REVENUE).bar_width == D("21.20")
    assert card(board, codes.TAX).bar_width == D("0")  # no target


def test_cards_are_the_year_end_summary_figures(small, board):
    """One computation, not two: the cards are the year-end summary's indicator lines."""
    section = indicator_section(report_scope(small.zone), PERIOD)

    for line, shown in zip(section.totals, board.cards, strict=True):
        assert (shown.figures.current, shown.figures.growth, shown.figures.completion) == (
            line.current,
            line.growth,
            line.completion,
        )


def test_register_and_period(board):
    # E7 is deregistered; E8 is established in May, after the cut-off.
    assert (board.register.registered, board.register.statistical) == (6, 5)
    assert board.register.above_scale == 2
    assert board.period_label == "2026年1-3月"
    assert board.latest_label == "2026年3月"
    assert board.title == "示范经济开发区经济运行仪表盘"
    assert board.has_figures


# --- Charts -------------------------------------------------------------------------------------


def test_parks_side_by_side_with_their_growth(board):
    revenue = {
        park.name: next(line for line in park.indicators if line.code == codes.REVENUE)
        for park in board.by_park
    }

    assert list(revenue) == ["长古城工业园", "白合工业园"]
    # A: E1 40000 + E2 9000.1234, both comparable against 32000 + 8000; target 200000.
    assert revenue["长古城工业园"].current == D("49000.1234")
    assert revenue["长古城工业园"].growth.rate == D("22.50")
    assert revenue["长古城工业园"].completion == D("24.50")
    # B: E3 50000 + E5 7000 (new: outside the comparison); 50000 / 42000 − 1.
    assert revenue["白合工业园"].current == D("57000")
    assert revenue["白合工业园"].growth.rate == D("19.05")


def test_industries_add_up_their_enterprises(small, board):
    e1 = small.park_a.enterprises.get(name="涞源精密铸造有限公司")
    line = next(line for line in board.industries if line.name == e1.industry.name)
    revenue = next(figures for figures in line.indicators if figures.code == codes.REVENUE)

    assert (revenue.current, revenue.last_year, revenue.growth.rate) == (
        D("40000"),
        D("32000"),
        D("25.00"),
    )
    totals = sum(
        (
            f.current or 0
            for line in board.industries
            for f in line.indicators
            if f.code == "revenue"
        ),
        D(0),
    )
    assert totals == D("106000.1234")  # every statistical enterprise has an industry here


def test_monthly_series_of_revenue_this_year_and_last(board):
    series = board.series

    assert series.code == codes.REVENUE
    # 2026: m1 E1 10000; m2 25000 + 6000 + 30000 + 3000; m3 106000.1234. April on: none.
    assert series.cumulative[:4] == [D("10000"), D("64000"), D("106000.1234"), None]
    # 2025: m1 E2 2000; m2 20000 + 5000 + 26000 + 6000 (E6); m3 32000 + 8000 + 42000 + 10000;
    # m12 150000 + 40000 + 180000 + 50000.
    assert series.last_cumulative[:3] == [D("2000"), D("57000"), D("92000")]
    assert series.last_cumulative[11] == D("420000")
    assert series.own[:3] == [D("10000"), D("54000"), D("42000.1234")]
    assert series.own_labels[:3] == ["1月", "2月", "3月"]
    # Months 4-11 of 2025 have no figure: December's own value covers 4-12月.
    assert series.last_own[11] == D("328000")
    assert series.last_own_labels[11] == "4-12月"


def test_monthly_series_of_another_flow(small):
    series = monthly_series(report_scope(small.zone), PERIOD, indicator(codes.TAX))

    # No figure before March: March's own value is the whole of 1-3月.
    assert series.cumulative[:3] == [None, None, D("6500")]
    assert (series.own[2], series.own_labels[2]) == (D("6500"), "1-3月")
    assert series.last_cumulative[2] == D("3200")


def test_rankings_by_revenue_and_tax_among_statistical_enterprises(board):
    revenue, tax = board.rankings

    assert [line.name for line in revenue.lines] == [
        "白合建材商贸有限公司",
        "涞源精密铸造有限公司",
        "涞源食品科技有限公司",
        "新设光伏材料有限公司",
    ]
    first = revenue.lines[0]
    assert (first.rank, first.value, first.last_year, first.growth) == (
        1,
        D("50000"),
        D("42000"),
        D("19.05"),
    )
    # 50000 / 106000.1234 of the zone's revenue.
    assert first.share == D("47.17")
    assert revenue.lines[3].growth is None  # new this year
    # 白合园林 (9999) is outside the statistics.
    assert [(line.name, line.value) for line in tax.lines] == [
        ("涞源精密铸造有限公司", D("4000")),
        ("白合建材商贸有限公司", D("2500")),
    ]


# --- Projects and investment attraction ---------------------------------------------------------


def test_projects_by_stage_and_the_year_as_the_summary_counts_them(board):
    panel = board.projects

    stages = {stage.label: (stage.count, stage.total_investment) for stage in panel.by_stage}
    # As they stood at the end of March: P4 starts in May, so it was at most 前期手续.
    assert stages == {
        "谋划": (1, D("50000")),
        "签约": (0, D("0")),
        "前期手续": (1, D("50000")),
        "在建": (2, D("130000")),  # P1 and P2
        "竣工": (1, D("50000")),
        "投产": (1, D("20000")),
    }
    assert panel.count == 6
    groups = {group.key: (group.count, group.completed) for group in panel.year.groups}
    assert groups == {
        "carried_out": (3, D("40000")),
        "new": (1, D("8000")),
        "continuing": (2, D("32000")),
        "completed": (1, D("5000")),
        "production": (1, D("5000")),
    }
    # Against the year's fixed-asset investment target: 40000 / 60000.
    assert (panel.plan, panel.completion, panel.time_progress) == (
        D("60000"),
        D("66.67"),
        D("25.00"),
    )
    # P1 (16.00% invested, 8.80% of its time gone) and P2 (57000 / 80000 = 71.25% against
    # 699 of 974 days, 71.77%) keep to their schedules.
    assert panel.key_under_way == 2
    assert panel.behind == []


def test_lead_funnel_channels_and_signed_amount(board):
    leads = board.leads

    # Each stage counts the leads that reached it in 2026 by the cut-off. 对接: docked this
    # year, L1 L2 L3 L6 L7 L8. 洽谈 and 意向: entered 意向 or later this year, or signed
    # this year: L1 (signed 03-01), L2 (意向 03-15), L5 (signed 02-10, docked last year), L7
    # (意向 03-01); L8 signed but dropped by the cut-off. 签约: signed this year, L1 and L5.
    assert leads.docked == 6
    assert [(step.label, step.count) for step in leads.funnel] == [
        ("对接", 6),
        ("洽谈", 4),
        ("意向", 4),
        ("签约", 2),
        ("落地", 0),
    ]
    assert leads.dropped == 2
    assert [(line.label, line.count) for line in leads.by_channel if line.count] == [
        ("委托招商", 3),
        ("以商招商", 1),
        ("自主招商", 1),
        ("合作共建", 1),
    ]
    # Signed this year as the summary counts them: L5 (docked last year) and L1.
    assert (leads.signed, leads.signed_investment) == (2, D("48500"))


def test_a_park_dashboard_has_no_park_lines(small):
    board = dashboard(report_scope(small.park_a), PERIOD)

    assert board.by_park == []
    assert not board.is_zone
    assert card(board, codes.REVENUE).figures.current == D("49000.1234")
    assert board.leads.docked == 3  # L1, L7, L8


def test_a_month_without_figures_shows_no_figure_rather_than_zero(small):
    board = dashboard(report_scope(small.zone), ReportPeriod(2026, 7))

    assert not board.has_figures
    assert card(board, codes.REVENUE).value == "—"
    assert card(board, codes.REVENUE).figures.growth.rate is None
    assert board.rankings[0].lines == []


# --- One rule for every count ------------------------------------------------------------------


@pytest.mark.parametrize("month", [1, 2, 3, 4, 12])
def test_the_funnels_signed_step_is_the_cards_and_the_year_end_summarys(small, month):
    period = ReportPeriod(2026, month)
    board = dashboard(report_scope(small.zone), period)
    summary = year_end_report(report_scope(small.zone), period)

    signed = next(step for step in board.leads.funnel if step.value == "signed")
    # L5 was docked last year and signed in February: counted by both, as signed this year.
    assert signed.count == board.leads.signed == summary.leads.signed
    assert board.leads.funnel[0].count == board.leads.docked


@pytest.mark.parametrize(
    ("month", "signed"),
    [(1, 0), (2, 1), (3, 2), (4, 3), (12, 3)],  # L5 in Feb, L1 in March, L7 in April
)
def test_the_signed_count_follows_the_signing_date(small, month, signed):
    board = dashboard(report_scope(small.zone), ReportPeriod(2026, month))

    assert board.leads.signed == signed


def test_a_stage_nobody_reached_is_zero_not_a_full_step(board):
    landed = next(step for step in board.leads.funnel if step.value == "landed")

    assert landed.count == 0


def test_a_past_month_counts_the_register_as_it_stood_then(small):
    e3 = small.park_b.enterprises.get(name="白合建材商贸有限公司")  # 入统, 限上批零住餐
    # The register was imported in January 2026; E3 left the statistics and was deregistered
    # in June.
    Enterprise.history.filter(id=e3.pk).update(history_date=datetime(2026, 1, 5, 9, tzinfo=UTC))
    e3.in_statistics, e3.scale_category = False, ""
    e3.status = EnterpriseStatus.DEREGISTERED
    e3.save()
    Enterprise.history.filter(id=e3.pk, history_date__year__gt=2026 - 1).filter(
        status=EnterpriseStatus.DEREGISTERED
    ).update(history_date=datetime(2026, 6, 15, 9, tzinfo=UTC))

    march = dashboard(report_scope(small.zone), ReportPeriod(2026, 3)).register
    june = dashboard(report_scope(small.zone), ReportPeriod(2026, 6)).register

    # March: E1 E2 E3 E4 E5 E6 (E7 deregistered, E8 not yet established); E3 入统 and 限上.
    assert (march.registered, march.statistical, march.above_scale) == (6, 5, 2)
    # June: E8 established in May, E3 deregistered.
    assert (june.registered, june.statistical, june.above_scale) == (6, 4, 1)
    # Today's register differs from March's.
    today = Enterprise.objects.registered().filter(park__in=[small.park_a, small.park_b])
    assert today.filter(in_statistics=True).count() == 4


def test_an_enterprise_that_moved_counts_in_the_park_it_was_in(small):
    e2 = small.park_a.enterprises.get(name="涞源食品科技有限公司")
    Enterprise.history.filter(id=e2.pk).update(history_date=datetime(2026, 1, 5, tzinfo=UTC))
    e2.park = small.park_b
    e2.save()
    Enterprise.history.filter(id=e2.pk, park=small.park_b).update(
        history_date=datetime(2026, 8, 1, tzinfo=UTC)
    )

    march_a = dashboard(report_scope(small.park_a), ReportPeriod(2026, 3)).register
    september_a = dashboard(report_scope(small.park_a), ReportPeriod(2026, 9)).register

    # Park A in March: E1 E2 E6; in September E2 is in park B.
    assert march_a.registered == 3
    assert september_a.registered == 2


def test_projects_count_at_the_stage_they_had_at_the_months_end(small):
    p6 = Project.objects.get(code="P6")  # 谋划, recorded since January 2025
    Project.history.filter(id=p6.pk).update(history_date=datetime(2025, 1, 5, tzinfo=UTC))
    p6.stage = "preparation"
    p6.save()
    Project.history.filter(id=p6.pk, stage="preparation").update(
        history_date=datetime(2026, 6, 1, tzinfo=UTC)
    )

    def stages(year, month):
        board = dashboard(report_scope(small.zone), ReportPeriod(year, month))
        return {stage.value: stage.count for stage in board.projects.by_stage if stage.count}

    # December 2025: P1 (starts 2026-02) and P4 (2026-05) not yet started; P3 under way
    # (completed 2026-03-20); P5 completed in June 2025; P6 as its history records it.
    assert stages(2025, 12) == {
        "planning": 1,
        "preparation": 2,
        "construction": 2,
        "completed": 1,
    }
    # September 2026: P4 has started; P6 entered 前期手续 in June.
    assert stages(2026, 9) == {
        "preparation": 1,
        "construction": 3,  # P1, P2, P4
        "completed": 1,
        "production": 1,  # P3
    }
