"""The year-end summary of a small zone, every figure worked out by hand (see small_zone.py)."""

from datetime import date
from decimal import Decimal as D

import pytest

from indicators.domain import ComparableGrowth, comparable_growth
from indicators.models import MonthlyValue
from projects.domain import year_status
from projects.selectors import carried_out_projects
from reports.figures import ChoiceCount, EnterpriseFigures
from reports.scope import ReportPeriod, default_period, report_scope
from reports.year_end import (
    BondLine,
    FaiStructure,
    UnknownFigure,
    figure_rows,
    narrative,
    report_tables,
    year_end_report,
)
from tests.reports.small_zone import MONTH, YEAR, build_small_zone

PERIOD = ReportPeriod(YEAR, MONTH)


@pytest.fixture
def small(zone, park_a, park_b):
    return build_small_zone(zone, park_a, park_b)


@pytest.fixture
def report(small):
    return year_end_report(report_scope(small.zone), PERIOD)


def by_code(lines):
    return {line.code: line for line in lines}


def test_period_labels_and_time_progress(report):
    assert report.period.label == "1-3月"
    assert report.period.previous_label == "1-2月"
    assert report.period.cut_off == date(2026, 3, 31)
    assert report.time_progress == D("25.00")
    assert report.title == "示范经济开发区2026年1-3月经济运行情况"
    assert report.has_figures


def test_default_period_is_the_latest_month_every_park_has_counted(small):
    assert default_period(report_scope(small.zone)) == ReportPeriod(2026, 3)
    assert default_period(report_scope(small.zone), 2025) == ReportPeriod(2025, 12)
    assert default_period(report_scope(small.zone), 2020) is None


def test_revenue_adds_up_statistical_enterprises_with_comparable_growth(report):
    revenue = by_code(report.indicators)["revenue"]

    # E1 40000 + E2 9000.1234 + E3 50000 + E5 7000; E4 is outside the statistics.
    assert revenue.current == D("106000.1234")
    # E1 32000 + E2 8000 + E3 42000 + E6 10000 (E6 reported last year only).
    assert revenue.last_year == D("92000.0000")
    assert revenue.reporters == 4
    # Comparable: E1, E2, E3 (E5 is new, E6 stopped): 99000.1234 against 82000.
    assert revenue.growth == ComparableGrowth(D("99000.1234"), D("82000.0000"), 3, D("20.73"))
    # 1-2月: E1 25000 + E2 6000 (its first figure of the year) + E3 30000 against 51000.
    assert revenue.previous_growth == ComparableGrowth(
        D("61000.0000"), D("51000.0000"), 3, D("19.61")
    )
    assert revenue.point_change == D("1.12")
    assert revenue.last_year_full == D("420000.0000")
    assert revenue.target == D("500000")
    assert revenue.forecast == D("480000")
    assert revenue.completion == D("21.20")
    assert revenue.forecast_growth == D("14.29")


def test_other_indicators_follow_the_same_rules(report):
    lines = by_code(report.indicators)

    tax = lines["tax"]
    assert (tax.current, tax.last_year) == (D("6500.0000"), D("3200.0000"))
    assert tax.growth == ComparableGrowth(D("4000.0000"), D("3200.0000"), 1, D("25.00"))
    assert tax.previous_growth.rate is None and tax.point_change is None
    assert tax.target is None and tax.completion is None

    profit = lines["total_profit"]
    assert profit.current == D("-120.5000")
    assert profit.last_year is None
    assert profit.growth.rate is None and profit.growth.members == 0

    employees = lines["employees"]
    assert (employees.current, employees.last_year) == (D("60"), D("55"))
    assert employees.growth.rate == D("9.09")
    assert employees.point_change == D("0.00")

    output = lines["industrial_output"]
    assert output.current is None and output.last_year is None and output.growth.rate is None


def test_growth_in_sql_equals_the_domain_comparable_growth(report):
    """The comparable scope, paired in SQL, is indicators.domain.comparable_growth's."""
    values = MonthlyValue.objects.filter(
        indicator__code="revenue", enterprise__in_statistics=True, month=3
    )
    current = {v.enterprise_id: v.value for v in values if v.year == 2026}
    base = {v.enterprise_id: v.value for v in values if v.year == 2025}

    assert by_code(report.indicators)["revenue"].growth == comparable_growth(current, base)


def test_indicators_by_park(report):
    parks = {park.name: by_code(park.indicators)["revenue"] for park in report.by_park}

    assert list(parks) == ["长古城工业园", "白合工业园"]  # no 本级 line: nothing on the zone
    a, b = parks["长古城工业园"], parks["白合工业园"]
    assert (a.current, a.last_year, a.growth.rate) == (D("49000.1234"), D("50000.0000"), D("22.50"))
    assert (a.previous_growth.rate, a.point_change) == (D("24.00"), D("-1.50"))
    assert (a.target, a.completion, a.forecast, a.forecast_growth) == (
        D("200000"),
        D("24.50"),
        None,
        None,
    )
    assert (b.current, b.last_year, b.growth.rate) == (D("57000.0000"), D("42000.0000"), D("19.05"))
    assert (b.previous_growth.rate, b.point_change) == (D("15.38"), D("3.67"))
    assert b.target is None and b.completion is None
    # The parks add up to the zone.
    assert a.current + b.current == by_code(report.indicators)["revenue"].current


def test_enterprises(report):
    assert report.enterprises == EnterpriseFigures(
        registered=6,  # E7 is deregistered; E8 is established after the cut-off
        statistical=5,
        outside_statistics=1,
        above_scale=2,
        by_category=[
            ChoiceCount("industry", "规上工业", 1),
            ChoiceCount("trade", "限上批零住餐", 1),
            ChoiceCount("construction", "资质内建筑业", 0),
            ChoiceCount("real_estate", "房地产开发经营", 0),
            ChoiceCount("services", "规上服务业", 0),
        ],
        new=1,  # E5; E8 was established after the cut-off
        new_statistical=1,
    )


def test_projects_by_status(report):
    groups = {g.key: g for g in report.projects.total.groups}

    def figures(key):
        g = groups[key]
        return (g.count, g.total_investment, g.completed, g.government)

    assert figures("carried_out") == (3, D("150000"), D("40000"), D("13334"))
    assert figures("new") == (1, D("50000"), D("8000"), D("0"))
    assert figures("continuing") == (2, D("100000"), D("32000"), D("13334"))
    assert figures("completed") == (1, D("20000"), D("5000"), D("0"))
    assert figures("production") == (1, D("20000"), D("5000"), D("0"))

    categories = {c.category: c for c in report.projects.by_category}
    industrial = categories["industrial"]
    assert industrial.group("carried_out").count == 2
    assert industrial.group("carried_out").completed == D("13000")
    assert industrial.group("new").count == industrial.group("continuing").count == 1
    assert categories["infrastructure"].group("continuing").completed == D("27000")
    assert categories["public_service"].group("carried_out").count == 0


def test_year_status_in_sql_follows_the_domain_rule(small):
    for project in carried_out_projects(report_scope(small.zone).park_ids, PERIOD.cut_off):
        assert project.year_status == year_status(project.start_date, YEAR)


def test_key_projects_and_named_projects(report):
    assert [
        (p.code, p.key_level, p.year_status, p.completed) for p in report.projects.key_projects
    ] == [
        ("P2", "省重点", "续建", D("27000")),
        ("P1", "市重点", "新开工", D("8000")),
    ]
    named = {key: [line.code for line in lines] for key, lines in report.projects.named.items()}
    assert named == {
        ("industrial", "new"): ["P1"],
        ("industrial", "continuing"): ["P3"],
        ("infrastructure", "continuing"): ["P2"],
    }


def test_fai_shares_add_up_to_exactly_100(report):
    # 13334 / 40000 = 33.335%, 26666 / 40000 = 66.665%: each rounded alone, 100.01.
    assert report.fai == FaiStructure(
        total=D("40000"),
        government=D("13334"),
        social=D("26666"),
        government_share=D("33.34"),
        social_share=D("66.66"),
    )
    assert report.fai.government_share + report.fai.social_share == D("100.00")


def test_special_bonds(report):
    assert report.bonds.lines == [
        BondLine("P5", "净水厂工程", "长古城工业园", D("0"), D("5000")),
        BondLine("P2", "北区主干路工程", "白合工业园", D("10000"), D("30000")),
    ]
    assert (report.bonds.this_year, report.bonds.total) == (D("10000"), D("35000"))


def test_events(report):
    events = report.events
    assert events.count == 2
    assert events.by_kind == [
        ChoiceCount("trip", "外出招商", 1),
        ChoiceCount("promotion", "招商推介会", 1),
        ChoiceCount("forum", "座谈会", 0),
        ChoiceCount("reception", "来访接待", 0),
    ]
    assert (events.leads_docked, events.contracts_signed, events.signed_amount) == (
        13,
        3,
        D("55000"),
    )


def test_leads(report):
    leads = report.leads
    # L4 and L5 were docked last year; L6 and L8 were dropped later but docked this year.
    assert leads.docked == 6
    assert leads.by_channel == [
        ChoiceCount("agency", "委托招商", 3, D("50.00")),
        ChoiceCount("referral", "以商招商", 1, D("16.67")),
        ChoiceCount("self_led", "自主招商", 1, D("16.67")),
        ChoiceCount("resource_plus", "资源+招商", 0, D("0.00")),
        ChoiceCount("third_party", "第三方代理", 0, D("0.00")),
        ChoiceCount("co_build", "合作共建", 1, D("16.66")),
    ]
    assert sum(channel.share for channel in leads.by_channel) == D("100.00")
    # L8 signed and then dropped; L7 signed after the cut-off.
    assert (leads.signed, leads.signed_investment) == (2, D("48500"))
    assert [line.code for line in leads.signed_lines] == ["L5", "L1"]
    heavy, light = leads.intended
    assert (heavy.label, heavy.count, heavy.planned_investment, heavy.land_area_mu) == (
        "重资产",
        2,
        D("35000"),
        D("130"),
    )
    assert (light.label, light.count, light.planned_investment, light.land_area_mu) == (
        "轻资产",
        1,
        D("3000"),
        D("0"),
    )
    # L7 was at the intention stage at the cut-off, whatever it is today.
    assert [(line.code, line.stage) for line in leads.intended_lines] == [
        ("L7", "意向"),
        ("L2", "意向"),
        ("L4", "意向"),
    ]


NARRATIVE = [
    "截至2026年3月末，示范经济开发区有入统企业5家，其中四上企业2家（规上工业1家、限上批零住餐1家）；"
    "本年新设立企业1家，其中入统1家。2026年1-3月份，营业收入10.6亿元，增长20.73%，"
    "增速比1-2月加快1.12个百分点；税收收入6,500万元，增长25.00%；利润总额-120.5万元，"
    "上年同期无可比数据；从业人员60人，增长9.09%，增速与1-2月持平。",
    "营业收入年度目标50亿元，完成21.20%，时间进度为25.00%。"
    "预计全年完成营业收入48亿元，增长14.29%。",
    "2026年截至3月末，实施项目3个，总投资15亿元，本年完成投资4亿元；"
    "其中新开工项目1个，完成投资8,000万元，续建项目2个，完成投资3.2亿元。"
    "本年竣工项目1个，其中投产1个。"
    "产业项目：续建项目1个（食品加工二期项目完成投资5,000万元），"
    "新开工项目1个（精密铸造生产线项目完成投资8,000万元），本年完成投资1.3亿元。"
    "基础设施：续建项目1个（北区主干路工程完成投资2.7亿元），本年完成投资2.7亿元。",
    "本年实施项目完成固定资产投资4亿元，其中政府财政性投资1.3334亿元，占总投资33.34%，"
    "社会资本投资2.6666亿元，占66.66%。",
    "专项债券资金累计到位3.5亿元，其中2026年到位1亿元"
    "（北区主干路工程本年到位1亿元，累计到位3亿元）。",
    # Docked: 38000 + 15000 + 9000 + 20000 + 7000 (L3 has none) = 89000 → 8.9亿元.
    "2026年1-3月，“走出去”开展招商对接活动1次，共对接招商项目6个、总投资8.9亿元，"
    "其中签约落地项目2个、总投资4.85亿元"
    "（氢阳制氢项目计划投资1.05亿元；誉柯防水建材生产项目计划投资3.8亿元）。"
    "共开展各类招商活动2次（外出招商1次、招商推介会1次）。"
    "对接项目中，委托招商3个、以商招商1个、自主招商1个、合作共建1个。"
    "3月10日，成功举办绿色建材产业专题招商推介会，现场集中签约了总投资3.5亿元的2个项目。"
    "有意向入驻的重资产项目2个，计划投资3.5亿元，占地130亩"
    "（乾城绿色建材产业园项目计划投资2亿元，占地80亩；"
    "知行合一电器设备制造项目计划投资1.5亿元，占地50亩）；"
    "轻资产项目1个，计划投资3,000万元（国科智能光伏组件项目计划投资3,000万元）。",
]


def test_narrative(report):
    assert narrative(report) == NARRATIVE


def test_january_report_with_a_missing_january(small):
    report = year_end_report(report_scope(small.zone), ReportPeriod(2026, 1))
    revenue = by_code(report.indicators)["revenue"]

    # Only E1 reported January 2026 (E2's first figure is 1-2月); only E2 had January 2025.
    assert (revenue.current, revenue.last_year) == (D("10000.0000"), D("2000.0000"))
    assert revenue.growth.members == 0 and revenue.growth.rate is None
    assert revenue.previous_growth is None and revenue.point_change is None
    assert report.period.previous_label is None
    assert "营业收入1亿元，上年同期无可比数据" in narrative(report)[0]


def test_park_report_covers_the_park_only(small):
    report = year_end_report(report_scope(small.park_a), PERIOD)

    assert not report.is_zone
    # The events have no park: they are the zone's, not park A's.
    assert report.by_park == [] and report.events.count == 0
    assert by_code(report.indicators)["revenue"].current == D("49000.1234")
    assert report.enterprises.statistical == 3  # E1, E2, E6
    assert report.projects.total.group("carried_out").count == 2  # P1, P3
    assert report.fai.total == D("13000")
    assert [line.code for line in report.bonds.lines] == ["P5"]
    # L3 has no park: it belongs to the zone, not to park A.
    assert report.leads.docked == 3  # L1, L7, L8
    assert "招商活动" not in narrative(report)[-1]


def test_leads_without_a_park_count_only_when_the_zone_is_the_only_one(small):
    from tests.factories import ZoneFactory

    ZoneFactory(code="KFQ2", name="另一开发区")

    report = year_end_report(report_scope(small.zone), PERIOD)

    assert report.leads.docked == 5  # L3 (no park) no longer counts


def test_tables_show_the_figures_and_link_them(report):
    tables = {table.key: table for table in report_tables(report)}

    assert list(tables) == [
        "主要指标",
        "分园区指标",
        "企业",
        "项目",
        "重点项目",
        "投资结构",
        "专项债券",
        "招商引资",
        "招商活动",
        "对接项目",
        "签约项目",
        "意向项目",
        "意向项目清单",
        "预计全年",
    ]
    indicators = tables["主要指标"]
    assert [c.header for c in indicators.columns][:5] == [
        "指标",
        "单位",
        "本年1-3月",
        "上年1-3月",
        "同比增长(%)",
    ]
    revenue = [cell.text for cell in indicators.rows[0].cells]
    assert revenue == [
        "营业收入",
        "万元",
        "106,000.12",
        "92,000.00",
        "20.73",
        "3",
        "500,000.00",
        "21.20",
        "25.00",
        "480,000.00",
        "14.29",
    ]
    profit = [cell.text for cell in indicators.rows[4].cells]
    assert profit[2:5] == ["-120.50", "—", "—"]
    assert indicators.rows[5].cells[2].text == "60"  # persons, not money
    assert indicators.rows[0].cells[2].query == (
        "park=KFQ&year=2026&month=3&figure=indicator.revenue"
    )
    fai = [[cell.text for cell in row.cells] for row in tables["投资结构"].rows]
    assert fai == [
        ["政府财政性投资", "13,334.00", "33.34"],
        ["社会资本投资", "26,666.00", "66.66"],
        ["合计", "40,000.00", "100.00"],
    ]
    by_park = tables["分园区指标"].rows[0]
    assert by_park.cells[3].query == "park=A&year=2026&month=3&figure=indicator.revenue"
    assert indicators.title == "表1 主要经济指标"


FIGURE_TOTALS = [
    # figure key, row count, (column name, sum of that column)
    ("indicator.revenue", 5, ("current", D("106000.1234"))),
    ("indicator.tax", 2, ("current", D("6500"))),
    ("enterprises.registered", 6, None),
    ("enterprises.statistical", 5, None),
    ("enterprises.above_scale", 2, None),
    ("enterprises.category.industry", 1, None),
    ("enterprises.outside", 1, None),
    ("enterprises.new", 1, None),
    ("projects.carried_out", 3, ("completed", D("40000"))),
    ("projects.new", 1, ("completed", D("8000"))),
    ("projects.continuing.infrastructure", 1, ("total_investment", D("80000"))),
    ("projects.completed", 1, None),
    ("projects.production.industrial", 1, None),
    ("fai", 3, ("government", D("13334"))),
    ("bonds", 2, ("this_year", D("10000"))),
    ("events", 2, ("leads_docked", 13)),
    ("leads.docked", 6, None),
    ("leads.channel.agency", 3, None),
    ("leads.signed", 2, ("planned_investment", D("48500"))),
    ("leads.intended", 3, None),
    ("leads.intended.heavy", 2, ("land_area_mu", D("130"))),
    ("leads.intended.light", 1, None),
]


@pytest.mark.parametrize(("figure", "count", "column_sum"), FIGURE_TOTALS)
def test_drill_down_rows_add_up_to_the_figure(small, figure, count, column_sum):
    rows = figure_rows(report_scope(small.zone), PERIOD, figure)

    values = [rows.values(item) for item in rows.queryset]
    assert len(values) == count
    if column_sum:
        column, total = column_sum
        assert sum(row[column] or 0 for row in values) == total


def test_drill_down_of_revenue_marks_who_is_outside_the_growth_base(small):
    rows = figure_rows(report_scope(small.zone), PERIOD, "indicator.revenue")

    marks = {row["name"]: row["comparable"] for row in map(rows.values, rows.queryset)}
    assert marks == {
        "涞源精密铸造有限公司": "是",
        "涞源食品科技有限公司": "是",
        "停报机械制造有限公司": "否（不计入增速）",
        "白合建材商贸有限公司": "是",
        "新设光伏材料有限公司": "否（不计入增速）",
    }


@pytest.mark.parametrize(
    "figure",
    [
        "",
        "nothing",
        "indicator.nothing",
        "projects.gone",
        "leads.intended.gold",
        "fai.x",
        "enterprises.category.x",
        "projects.new.food",
    ],
)
def test_unknown_figures_are_refused(small, figure):
    with pytest.raises(UnknownFigure):
        figure_rows(report_scope(small.zone), PERIOD, figure)


def test_a_period_without_figures_shows_no_figure(small):
    report = year_end_report(report_scope(small.zone), ReportPeriod(2020, 6))

    assert not report.has_figures
    assert all(line.current is None and line.growth.rate is None for line in report.indicators)
    assert report.fai.government_share is None
    assert "暂无入统企业的月度指标数据" in narrative(report)[0]


EVERY_TABLE = {
    "企业": [
        ["登记企业", "6"],
        ["入统企业", "5"],
        ["其中：四上企业", "2"],
        ["　　规上工业", "1"],
        ["　　限上批零住餐", "1"],
        ["　　资质内建筑业", "0"],
        ["　　房地产开发经营", "0"],
        ["　　规上服务业", "0"],
        ["未入统企业", "1"],
        ["本年新设立企业", "1"],
        ["其中：入统", "1"],
    ],
    "项目": [
        ["全部项目", "本年实施项目", "3", "150,000.00", "40,000.00", "13,334.00"],
        ["全部项目", "其中：新开工", "1", "50,000.00", "8,000.00", "0.00"],
        ["全部项目", "续建", "2", "100,000.00", "32,000.00", "13,334.00"],
        ["全部项目", "本年竣工", "1", "20,000.00", "5,000.00", "0.00"],
        ["全部项目", "其中：投产", "1", "20,000.00", "5,000.00", "0.00"],
        ["产业项目", "本年实施项目", "2", "70,000.00", "13,000.00", "0.00"],
        ["产业项目", "其中：新开工", "1", "50,000.00", "8,000.00", "0.00"],
        ["产业项目", "续建", "1", "20,000.00", "5,000.00", "0.00"],
        ["产业项目", "本年竣工", "1", "20,000.00", "5,000.00", "0.00"],
        ["产业项目", "其中：投产", "1", "20,000.00", "5,000.00", "0.00"],
        ["基础设施", "本年实施项目", "1", "80,000.00", "27,000.00", "13,334.00"],
        ["基础设施", "其中：新开工", "0", "0.00", "0.00", "0.00"],
        ["基础设施", "续建", "1", "80,000.00", "27,000.00", "13,334.00"],
        ["基础设施", "本年竣工", "0", "0.00", "0.00", "0.00"],
        ["基础设施", "其中：投产", "0", "0.00", "0.00", "0.00"],
        ["公共服务", "本年实施项目", "0", "0.00", "0.00", "0.00"],
        ["公共服务", "其中：新开工", "0", "0.00", "0.00", "0.00"],
        ["公共服务", "续建", "0", "0.00", "0.00", "0.00"],
        ["公共服务", "本年竣工", "0", "0.00", "0.00", "0.00"],
        ["公共服务", "其中：投产", "0", "0.00", "0.00", "0.00"],
    ],
    "重点项目": [
        [
            "P2",
            "北区主干路工程",
            "白合工业园",
            "基础设施",
            "省重点",
            "续建",
            "在建",
            "2024-05-01",
            "2026-12-31",
            "80,000.00",
            "27,000.00",
        ],
        [
            "P1",
            "精密铸造生产线项目",
            "长古城工业园",
            "产业项目",
            "市重点",
            "新开工",
            "在建",
            "2026-02-15",
            "2027-06-30",
            "50,000.00",
            "8,000.00",
        ],
    ],
    "投资结构": [
        ["政府财政性投资", "13,334.00", "33.34"],
        ["社会资本投资", "26,666.00", "66.66"],
        ["合计", "40,000.00", "100.00"],
    ],
    "专项债券": [
        ["P5", "净水厂工程", "长古城工业园", "0.00", "5,000.00"],
        ["P2", "北区主干路工程", "白合工业园", "10,000.00", "30,000.00"],
        ["合计", "", "", "10,000.00", "35,000.00"],
    ],
    "招商活动": [
        [
            "2026-02-20",
            "赴北京开展新能源产业招商",
            "外出招商",
            "北京",
            "县长",
            "5",
            "1",
            "20,000.00",
        ],
        [
            "2026-03-10",
            "绿色建材产业专题招商推介会",
            "招商推介会",
            "北京",
            "县长",
            "8",
            "2",
            "35,000.00",
        ],
        ["", "合计 2 次", "", "", "", "13", "3", "55,000.00"],
    ],
    "对接项目": [
        ["委托招商", "3", "50.00"],
        ["以商招商", "1", "16.67"],
        ["自主招商", "1", "16.67"],
        ["资源+招商", "0", "0.00"],
        ["第三方代理", "0", "0.00"],
        ["合作共建", "1", "16.66"],
        ["合计", "6", "100.00"],
    ],
    "签约项目": [
        [
            "L5",
            "氢阳制氢项目",
            "",
            "资源+招商",
            "白合工业园",
            "重资产",
            "10,500.00",
            "—",
            "2025-06-01",
            "2026-02-10",
            "签约",
        ],
        [
            "L1",
            "誉柯防水建材生产项目",
            "华能誉柯",
            "委托招商",
            "长古城工业园",
            "重资产",
            "38,000.00",
            "100.00",
            "2026-01-10",
            "2026-03-01",
            "签约",
        ],
        ["", "合计 2 个", "", "", "", "", "48,500.00", "", "", "", ""],
    ],
    "意向项目": [
        ["重资产", "2", "35,000.00", "130.00"],
        ["轻资产", "1", "3,000.00", "0.00"],
    ],
    "意向项目清单": [
        # L7 signed in April, after the cut-off: at the cut-off it had no signing date.
        [
            "L7",
            "乾城绿色建材产业园项目",
            "",
            "委托招商",
            "长古城工业园",
            "重资产",
            "20,000.00",
            "80.00",
            "2026-02-01",
            "—",
            "意向",
        ],
        [
            "L2",
            "知行合一电器设备制造项目",
            "",
            "以商招商",
            "白合工业园",
            "重资产",
            "15,000.00",
            "50.00",
            "2026-02-05",
            "—",
            "意向",
        ],
        [
            "L4",
            "国科智能光伏组件项目",
            "",
            "委托招商",
            "长古城工业园",
            "轻资产",
            "3,000.00",
            "—",
            "2025-11-05",
            "—",
            "意向",
        ],
    ],
}
INDICATOR_ROWS = [
    [
        "营业收入",
        "万元",
        "106,000.12",
        "92,000.00",
        "20.73",
        "3",
        "500,000.00",
        "21.20",
        "25.00",
        "480,000.00",
        "14.29",
    ],
    ["工业总产值", "万元", "—", "—", "—", "0", "—", "—", "—", "—", "—"],
    ["税收收入", "万元", "6,500.00", "3,200.00", "25.00", "1", "—", "—", "—", "—", "—"],
    ["固定资产投资", "万元", "—", "—", "—", "0", "—", "—", "—", "—", "—"],
    ["利润总额", "万元", "-120.50", "—", "—", "0", "—", "—", "—", "—", "—"],
    ["从业人员", "人", "60", "55", "9.09", "2", "—", "—", "—", "—", "—"],
]
BY_PARK_ROWS = [
    [
        "长古城工业园",
        "营业收入",
        "万元",
        "49,000.12",
        "50,000.00",
        "22.50",
        "2",
        "200,000.00",
        "24.50",
        "25.00",
        "—",
        "—",
    ],
    [
        "长古城工业园",
        "税收收入",
        "万元",
        "4,000.00",
        "3,200.00",
        "25.00",
        "1",
        "—",
        "—",
        "—",
        "—",
        "—",
    ],
    ["长古城工业园", "利润总额", "万元", "-120.50", "—", "—", "0", "—", "—", "—", "—", "—"],
    ["长古城工业园", "从业人员", "人", "60", "55", "9.09", "2", "—", "—", "—", "—", "—"],
    [
        "白合工业园",
        "营业收入",
        "万元",
        "57,000.00",
        "42,000.00",
        "19.05",
        "1",
        "—",
        "—",
        "—",
        "—",
        "—",
    ],
    ["白合工业园", "税收收入", "万元", "2,500.00", "—", "—", "0", "—", "—", "—", "—", "—"],
]


def test_every_table_shows_the_hand_computed_figures(report):
    tables = {
        table.key: [[cell.text for cell in row.cells] for row in table.rows]
        for table in report_tables(report)
    }

    assert tables["主要指标"] == INDICATOR_ROWS
    reported = [row for row in tables["分园区指标"] if row[3] != "—"]
    assert reported == BY_PARK_ROWS
    for key, rows in EVERY_TABLE.items():
        assert tables[key] == rows, key
