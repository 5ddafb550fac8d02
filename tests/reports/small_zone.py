"""A small zone whose every year-end figure for 2026年1-3月 is worked out by hand in the tests.

Every park-month with figures is approved (tests.helpers.count_as_official), so every
figure below is official.

Park A (长古城工业园) and park B (白合工业园) of 示范经济开发区; the report is
2026, cut-off March, so the previous cut-off is 1-2月 and time progress 25.00%.

Enterprises, with their revenue in 万元 (year-to-date at the month; m2 = 1-2月 …):
  E1  A  入统, 规上工业     2026 m1 10000, m2 25000, m3 40000; 2025 m2 20000, m3 32000, m12 150000
  E2  A  入统              2026 (no January) m2 6000, m3 9000.1234; 2025 m1 2000, m2 5000,
                          m3 8000, m12 40000
  E3  B  入统, 限上批零住餐  2026 m2 30000, m3 50000; 2025 m2 26000, m3 42000, m12 180000
  E4  B  not 入统          2026 m3 100000; 2025 m3 90000 (never in totals)
  E5  B  入统, new 2026-02-10: 2026 m2 3000, m3 7000 (outside the comparable base)
  E6  A  入统              2025 only: m2 6000, m3 10000, m12 50000 (last year's total only)
  E7  A  入统, 注销 (deregistered): not counted in the register
  E8  B  not 入统, established 2026-05-01 (after the cut-off: not new by March)
Tax: E1 2026-3 4000 / 2025-3 3200; E3 2026-3 2500 (no 2025); E4 9999 / 8888.
Profit: E1 2026-3 −120.5 (no 2025: no growth). Employees: E1 2026 2月 48, 3月 50 / 2025 2月 44,
3月 45; E2 2026-3 10 / 2025-3 10.
Targets 2026: zone revenue target 500000, forecast 480000; park A revenue target 200000.

Projects (cut-off 2026-03-31):
  P1  A  产业项目 市重点  start 2026-02-15 (新开工)  total 50000  2026: m2 3000, m3 8000
  P2  B  基础设施 省重点  start 2024-05-01 (续建)  total 80000
                         2026: m1 1000 (gov 1000), m3 27000 (gov 13334)
  P3  A  产业项目  start 2025-03-01 (续建), completed 2026-03-20, 投产  total 20000  2026 m2 5000
  P4  B  产业项目          start 2026-05-01 (after the cut-off: not carried out)
  P5  A  公共服务          completed 2025-06-30 (before the year: not carried out)
  P6  A  基础设施          no start date
  So 40000 completed: 13334 government (33.335%) and 26666 social (66.665%): shares
  rounded each on its own would add up to 100.01; the report must say 33.34 and 66.66.
Bonds: P2 2025 20000, 2026 10000; P5 2024 5000; P4 2027 3000 (after the year).

Events: 2026-02-20 trip (docked 5, signed 1, 20000), 2026-03-10 promotion (8, 2, 35000);
2026-04-15 and 2025-11-01 outside the period.
Leads:
  L1  agency, A, docked 2026-01-10, signed 2026-03-01, heavy, 38000, 100亩
  L2  referral, B, docked 2026-02-05, intention 2026-03-15, heavy, 15000, 50亩
  L3  self-led, no park, docked 2026-03-20 (no stage history)
  L4  agency, A, docked 2025-11-05 (last year), intention 2025-12-01, light, 3000
  L5  resource-plus, B, docked 2025-06-01, signed 2026-02-10, 10500
  L6  agency, B, docked 2026-01-15, dropped 2026-02-01
  L7  agency, A, docked 2026-02-01, intention 2026-03-01, signed 2026-04-10 (after the
      cut-off), heavy, 20000, 80亩
  L8  co-build, A, docked 2026-03-05, signed 2026-03-25, dropped 2026-03-30
  Docked in 2026: L1 L2 L3 L6 L7 L8 = 6 (agency 3, referral 1, self-led 1, co-build 1: shares
  50.00, 16.67, 16.67, 16.66, not 16.67 three times). Signed: L5, L1. Intended: L7, L2
  heavy; L4 light.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from indicators import codes
from parkportal.choices import EnterpriseStatus, ParkKind, ScaleCategory
from parkportal.models import Park
from tests.factories import (
    EnterpriseFactory,
    LeadFactory,
    LeadStageChangeFactory,
    MonthlyValueFactory,
    OutreachEventFactory,
    ParkFactory,
    ProjectFactory,
    ProjectProgressFactory,
    SpecialBondFactory,
    TargetFactory,
    ZoneFactory,
    indicator,
)
from tests.helpers import count_as_official

YEAR, MONTH = 2026, 3


@dataclass
class SmallZone:
    zone: Park
    park_a: Park
    park_b: Park


def _figures(enterprise, code: str, by_year: dict[int, dict[int, str]]) -> None:
    for year, months in by_year.items():
        for month, value in months.items():
            MonthlyValueFactory(
                enterprise=enterprise,
                indicator=indicator(code),
                year=year,
                month=month,
                value=Decimal(value),
            )


def _history(lead, *changes: tuple[str, str, date]) -> None:
    for from_stage, to_stage, on in changes:
        LeadStageChangeFactory(lead=lead, from_stage=from_stage, to_stage=to_stage, changed_on=on)


def build_small_zone(zone=None, park_a=None, park_b=None) -> SmallZone:
    """Write the small zone (using the given zone and parks when there are some)."""
    zone = zone or ZoneFactory(code="KFQ", name="示范经济开发区")
    assert zone.kind == ParkKind.ZONE
    park_a = park_a or ParkFactory(code="A", name="长古城工业园", parent=zone)
    park_b = park_b or ParkFactory(code="B", name="白合工业园", parent=zone)
    _enterprises(park_a, park_b)
    TargetFactory(
        park=zone,
        indicator=indicator(codes.REVENUE),
        year=YEAR,
        kind="target",
        value=Decimal(500000),
    )
    TargetFactory(
        park=zone,
        indicator=indicator(codes.REVENUE),
        year=YEAR,
        kind="forecast",
        value=Decimal(480000),
    )
    TargetFactory(
        park=park_a,
        indicator=indicator(codes.REVENUE),
        year=YEAR,
        kind="target",
        value=Decimal(200000),
    )
    _projects(park_a, park_b)
    _attraction(park_a, park_b)
    # Every month with figures has been through the workflow: the reports count it.
    count_as_official()
    return SmallZone(zone, park_a, park_b)


def _enterprises(park_a, park_b) -> None:
    e1 = EnterpriseFactory(
        park=park_a,
        name="涞源精密铸造有限公司",
        established_on=date(2015, 3, 1),
        scale_category=ScaleCategory.INDUSTRY,
    )
    e2 = EnterpriseFactory(
        park=park_a, name="涞源食品科技有限公司", established_on=date(2018, 6, 1)
    )
    e3 = EnterpriseFactory(
        park=park_b,
        name="白合建材商贸有限公司",
        established_on=date(2012, 1, 1),
        scale_category=ScaleCategory.TRADE,
    )
    e4 = EnterpriseFactory(
        park=park_b,
        name="白合园林工程有限公司",
        established_on=date(2019, 1, 1),
        in_statistics=False,
    )
    e5 = EnterpriseFactory(
        park=park_b, name="新设光伏材料有限公司", established_on=date(2026, 2, 10)
    )
    e6 = EnterpriseFactory(
        park=park_a, name="停报机械制造有限公司", established_on=date(2010, 1, 1)
    )
    EnterpriseFactory(
        park=park_a,
        name="已注销贸易有限公司",
        established_on=date(2011, 1, 1),
        status=EnterpriseStatus.DEREGISTERED,
    )
    EnterpriseFactory(
        park=park_b, name="五月新设有限公司", established_on=date(2026, 5, 1), in_statistics=False
    )

    _figures(
        e1,
        codes.REVENUE,
        {2026: {1: "10000", 2: "25000", 3: "40000"}, 2025: {2: "20000", 3: "32000", 12: "150000"}},
    )
    _figures(
        e2,
        codes.REVENUE,
        {2026: {2: "6000", 3: "9000.1234"}, 2025: {1: "2000", 2: "5000", 3: "8000", 12: "40000"}},
    )
    _figures(
        e3,
        codes.REVENUE,
        {2026: {2: "30000", 3: "50000"}, 2025: {2: "26000", 3: "42000", 12: "180000"}},
    )
    _figures(e4, codes.REVENUE, {2026: {3: "100000"}, 2025: {3: "90000"}})
    _figures(e5, codes.REVENUE, {2026: {2: "3000", 3: "7000"}})
    _figures(e6, codes.REVENUE, {2025: {2: "6000", 3: "10000", 12: "50000"}})

    _figures(e1, codes.TAX, {2026: {3: "4000"}, 2025: {3: "3200"}})
    _figures(e3, codes.TAX, {2026: {3: "2500"}})
    _figures(e4, codes.TAX, {2026: {3: "9999"}, 2025: {3: "8888"}})

    _figures(e1, codes.TOTAL_PROFIT, {2026: {3: "-120.5"}})

    _figures(e1, codes.EMPLOYEES, {2026: {2: "48", 3: "50"}, 2025: {2: "44", 3: "45"}})
    _figures(e2, codes.EMPLOYEES, {2026: {3: "10"}, 2025: {3: "10"}})


def _projects(park_a, park_b) -> None:
    p1 = ProjectFactory(
        code="P1",
        name="精密铸造生产线项目",
        park=park_a,
        category="industrial",
        stage="construction",
        key_level="city",
        total_investment=Decimal(50000),
        start_date=date(2026, 2, 15),
        completion_date=date(2027, 6, 30),
    )
    p2 = ProjectFactory(
        code="P2",
        name="北区主干路工程",
        park=park_b,
        category="infrastructure",
        stage="construction",
        key_level="provincial",
        total_investment=Decimal(80000),
        start_date=date(2024, 5, 1),
        completion_date=date(2026, 12, 31),
    )
    p3 = ProjectFactory(
        code="P3",
        name="食品加工二期项目",
        park=park_a,
        category="industrial",
        stage="production",
        total_investment=Decimal(20000),
        start_date=date(2025, 3, 1),
        completion_date=date(2026, 3, 20),
    )
    p4 = ProjectFactory(
        code="P4",
        name="五月开工项目",
        park=park_b,
        category="industrial",
        start_date=date(2026, 5, 1),
    )
    p5 = ProjectFactory(
        code="P5",
        name="净水厂工程",
        park=park_a,
        category="public_service",
        stage="completed",
        start_date=date(2023, 3, 1),
        completion_date=date(2025, 6, 30),
    )
    p6 = ProjectFactory(
        code="P6",
        name="谋划中的路网工程",
        park=park_a,
        category="infrastructure",
        stage="planning",
        start_date=None,
    )

    for project, year, month, completed, government in [
        (p1, 2026, 2, "3000", "0"),
        (p1, 2026, 3, "8000", "0"),
        (p2, 2025, 12, "30000", "30000"),
        (p2, 2026, 1, "1000", "1000"),
        (p2, 2026, 3, "27000", "13334"),
        (p3, 2026, 2, "5000", "0"),
        (p5, 2025, 6, "4000", "4000"),
    ]:
        ProjectProgressFactory(
            project=project,
            year=year,
            month=month,
            completed_investment=Decimal(completed),
            government_investment=Decimal(government),
        )
    for project, year, amount in [
        (p2, 2025, 20000),
        (p2, 2026, 10000),
        (p5, 2024, 5000),
        (p4, 2027, 3000),
    ]:
        SpecialBondFactory(project=project, year=year, amount=Decimal(amount))
    assert p6.start_date is None


def _attraction(park_a, park_b) -> None:
    for day, name, kind, docked, signed, amount in [
        (date(2026, 2, 20), "赴北京开展新能源产业招商", "trip", 5, 1, 20000),
        (date(2026, 3, 10), "绿色建材产业专题招商推介会", "promotion", 8, 2, 35000),
        (date(2026, 4, 15), "赴天津开展装备制造招商", "trip", 3, 0, 0),
        (date(2025, 11, 1), "县籍在京人士交流座谈会", "forum", 2, 0, 0),
    ]:
        OutreachEventFactory(
            date=day,
            name=name,
            kind=kind,
            place="北京",
            leader="县长",
            leads_docked=docked,
            contracts_signed=signed,
            signed_amount=Decimal(amount),
        )

    l1 = LeadFactory(
        code="L1",
        name="誉柯防水建材生产项目",
        investor="华能誉柯",
        channel="agency",
        park=park_a,
        stage="signed",
        docked_on=date(2026, 1, 10),
        signed_on=date(2026, 3, 1),
        asset_type="heavy",
        planned_investment=Decimal(38000),
        land_area_mu=Decimal(100),
    )
    _history(l1, ("", "docked", date(2026, 1, 10)), ("docked", "signed", date(2026, 3, 1)))
    l2 = LeadFactory(
        code="L2",
        name="知行合一电器设备制造项目",
        channel="referral",
        park=park_b,
        stage="intention",
        docked_on=date(2026, 2, 5),
        asset_type="heavy",
        planned_investment=Decimal(15000),
        land_area_mu=Decimal(50),
    )
    _history(l2, ("", "docked", date(2026, 2, 5)), ("docked", "intention", date(2026, 3, 15)))
    LeadFactory(
        code="L3",
        name="未定园区的对接项目",
        channel="self_led",
        park=None,
        stage="docked",
        docked_on=date(2026, 3, 20),
    )
    l4 = LeadFactory(
        code="L4",
        name="国科智能光伏组件项目",
        channel="agency",
        park=park_a,
        stage="intention",
        docked_on=date(2025, 11, 5),
        asset_type="light",
        planned_investment=Decimal(3000),
    )
    _history(l4, ("", "docked", date(2025, 11, 5)), ("docked", "intention", date(2025, 12, 1)))
    l5 = LeadFactory(
        code="L5",
        name="氢阳制氢项目",
        channel="resource_plus",
        park=park_b,
        stage="signed",
        docked_on=date(2025, 6, 1),
        signed_on=date(2026, 2, 10),
        asset_type="heavy",
        planned_investment=Decimal(10500),
    )
    _history(l5, ("", "docked", date(2025, 6, 1)), ("docked", "signed", date(2026, 2, 10)))
    l6 = LeadFactory(
        code="L6",
        name="已终止的家具项目",
        channel="agency",
        park=park_b,
        stage="dropped",
        docked_on=date(2026, 1, 15),
        asset_type="heavy",
        planned_investment=Decimal(9000),
    )
    _history(l6, ("", "docked", date(2026, 1, 15)), ("docked", "dropped", date(2026, 2, 1)))
    l7 = LeadFactory(
        code="L7",
        name="乾城绿色建材产业园项目",
        channel="agency",
        park=park_a,
        stage="signed",
        docked_on=date(2026, 2, 1),
        signed_on=date(2026, 4, 10),
        asset_type="heavy",
        planned_investment=Decimal(20000),
        land_area_mu=Decimal(80),
    )
    _history(
        l7,
        ("", "docked", date(2026, 2, 1)),
        ("docked", "intention", date(2026, 3, 1)),
        ("intention", "signed", date(2026, 4, 10)),
    )
    l8 = LeadFactory(
        code="L8",
        name="签约后终止的项目",
        channel="co_build",
        park=park_a,
        stage="dropped",
        docked_on=date(2026, 3, 5),
        signed_on=date(2026, 3, 25),
        asset_type="heavy",
        planned_investment=Decimal(7000),
    )
    _history(
        l8,
        ("", "docked", date(2026, 3, 5)),
        ("docked", "signed", date(2026, 3, 25)),
        ("signed", "dropped", date(2026, 3, 30)),
    )
