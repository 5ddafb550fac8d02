"""Build a believable demo zone: parks, enterprises, three years of figures, projects, leads.

The demo is planned first, as plain data, from the tables below and from
random.Random instances with fixed seeds, never from today's date; then it is
written through natural keys. Two runs therefore plan the same rows, and the
second run changes nothing.

The demo's world runs from January 2024 to October 2026 (`AS_OF`): figures for
2024 and 2025 are complete, 2026 has months 1–10. The demo fills every app, so it
lives in an app of its own that nothing imports.
"""

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from operator import mul
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction

from indicators import codes
from indicators.choices import TargetKind
from indicators.models import Indicator, MonthlyValue, Target
from investment.choices import AssetType, Channel, EventKind, LeadStage
from investment.models import Lead, LeadStageChange, OutreachEvent
from parkportal.choices import EnterpriseStatus, IndustryGroup, ParkKind, Role, ScaleCategory
from parkportal.credit_code import ALPHABET, with_check_character
from parkportal.models import Enterprise, Industry, Park
from parkportal.services import user_save
from projects.choices import KeyLevel, ProjectCategory, ProjectStage
from projects.models import Project, ProjectProgress, SpecialBond

SEED = 2026
YEARS = (2024, 2025, 2026)
LAST_MONTH = 10
AS_OF = date(2026, 10, 31)
FIRST_DAY = date(2024, 1, 1)
LOGIN_URL = "http://127.0.0.1:8000/"
# Registration authority 9 (market regulator), type 1 (company), division 130627.
CREDIT_CODE_PREFIX = "91130627MA"

# --- The zone and its parks --------------------------------------------------------------------

ZONE = {
    "code": "KFQ",
    "name": "示范经济开发区",
    "planned_area_mu": Decimal("8255.10"),
    "assessment_category": "重点生态功能区域",
}

INDUSTRIES = [
    # name, group
    ("仿古家具", IndustryGroup.TRADITIONAL),
    ("铜铸铜雕", IndustryGroup.TRADITIONAL),
    ("古建园林", IndustryGroup.TRADITIONAL),
    ("食品加工", IndustryGroup.TRADITIONAL),
    ("装备制造", IndustryGroup.TRADITIONAL),
    ("新能源新材料", IndustryGroup.EMERGING),
    ("绿色建材", IndustryGroup.EMERGING),
    ("医疗健康", IndustryGroup.EMERGING),
    ("现代农业", IndustryGroup.EMERGING),
    ("旅游康养", IndustryGroup.EMERGING),
]

PARKS = [
    # code, name, planned area (亩), focus industries
    ("CGC", "长古城工业园", "3260.50", ["装备制造", "新能源新材料", "食品加工", "铜铸铜雕"]),
    ("BH", "白合工业园", "2416.80", ["绿色建材", "古建园林", "仿古家具"]),
    ("TTH", "通天河产业园", "2577.80", ["医疗健康", "现代农业", "旅游康养"]),
]
PARK_OF_INDUSTRY = {industry: code for code, _, _, focus in PARKS for industry in focus}

# --- Enterprises -------------------------------------------------------------------------------

ENTERPRISE_COUNTS = {
    "装备制造": 9,
    "新能源新材料": 10,
    "食品加工": 9,
    "铜铸铜雕": 5,
    "仿古家具": 6,
    "古建园林": 5,
    "绿色建材": 10,
    "医疗健康": 7,
    "现代农业": 6,
    "旅游康养": 5,
}

# What the n-th enterprise of an industry does (cycling through the list): the end of its
# name, the 四上 category it has when above scale ("" for never), and whether it reports
# 工业总产值.
ARCHETYPES = {
    "装备制造": [
        ("精密铸造", ScaleCategory.INDUSTRY, True),
        ("装备制造", ScaleCategory.INDUSTRY, True),
        ("机械制造", ScaleCategory.INDUSTRY, True),
        ("钢结构工程", ScaleCategory.CONSTRUCTION, False),
    ],
    "新能源新材料": [
        ("新能源科技", ScaleCategory.INDUSTRY, True),
        ("储能技术", ScaleCategory.INDUSTRY, True),
        ("光伏材料", ScaleCategory.INDUSTRY, True),
        ("新材料科技", ScaleCategory.INDUSTRY, True),
    ],
    "食品加工": [
        ("食品", ScaleCategory.INDUSTRY, True),
        ("食品科技", ScaleCategory.INDUSTRY, True),
        ("食品商贸", ScaleCategory.TRADE, False),
        ("酒业", ScaleCategory.INDUSTRY, True),
    ],
    "铜铸铜雕": [
        ("铜雕工艺品", ScaleCategory.INDUSTRY, True),
        ("铸铜艺术品", ScaleCategory.INDUSTRY, True),
    ],
    "仿古家具": [
        ("仿古家具", ScaleCategory.INDUSTRY, True),
        ("红木家具", ScaleCategory.INDUSTRY, True),
        ("家居用品销售", ScaleCategory.TRADE, False),
    ],
    "古建园林": [
        ("古建园林工程", ScaleCategory.CONSTRUCTION, False),
        ("古建筑材料", ScaleCategory.INDUSTRY, True),
        ("园林绿化工程", ScaleCategory.CONSTRUCTION, False),
    ],
    "绿色建材": [
        ("绿色建材", ScaleCategory.INDUSTRY, True),
        ("新型建材", ScaleCategory.INDUSTRY, True),
        ("防水材料", ScaleCategory.INDUSTRY, True),
        ("装配式建筑科技", ScaleCategory.INDUSTRY, True),
        ("建材物流", ScaleCategory.SERVICES, False),
    ],
    "医疗健康": [
        ("医疗器械", ScaleCategory.INDUSTRY, True),
        ("生物科技", ScaleCategory.INDUSTRY, True),
        ("药业", ScaleCategory.INDUSTRY, True),
        ("健康管理", ScaleCategory.SERVICES, False),
    ],
    "现代农业": [
        ("农产品加工", ScaleCategory.INDUSTRY, True),
        ("农业开发", "", False),
        ("果蔬食品", ScaleCategory.INDUSTRY, True),
    ],
    "旅游康养": [
        ("文化旅游发展", ScaleCategory.SERVICES, False),
        ("酒店管理", ScaleCategory.TRADE, False),
        ("康养置业", ScaleCategory.REAL_ESTATE, False),
    ],
}

# Two of these make an enterprise's or an investor's brand, such as 盛琛.
BRAND_CHARACTERS = (
    "盛琛浩飞中达金瑞恒泰鑫宏华晟通源德汇博嘉润昌隆兴安康诚信丰禾鼎辰宇锦融元正和美天坤益峰远"
)
ENTERPRISE_PLACES = ["河北", "河北", "河北", "保定"]

# Share of the year's revenue made in each month, in thousandths of the year (sum 1160):
# the Spring Festival dip in February, the year-end peak in December.
SEASON = {
    1: 78, 2: 52, 3: 92, 4: 98, 5: 100, 6: 106, 7: 96, 8: 97, 9: 104, 10: 102, 11: 107, 12: 128,
}  # fmt: skip
SEASON_TOTAL = sum(SEASON.values())
# Building slows down in the northern winter.
BUILDING_SEASON = {
    1: 30, 2: 20, 3: 80, 4: 110, 5: 120, 6: 120, 7: 110, 8: 110, 9: 120, 10: 120, 11: 90, 12: 50,
}  # fmt: skip

# Enterprises that are new, or stopped production, in the demo's years.
NEW_ENTERPRISE_DATES = [date(2026, 3, 16), date(2026, 5, 8), date(2026, 7, 21)]
NEW_LAST_YEAR_DATES = [date(2025, 4, 9), date(2025, 8, 26)]
SUSPENSIONS = [(2025, 9), (2026, 4), (2026, 7)]

# --- Projects ----------------------------------------------------------------------------------


class ProjectRow(NamedTuple):
    """One row of the PROJECTS table."""

    code: str
    name: str  # {brand} stands for the builder's brand
    park: str
    category: str
    stage: str
    total_investment: int  # 万元
    land_area_mu: str | None
    start_date: date | None
    completion_date: date | None  # actual, or planned when after AS_OF
    key_level: str
    official_in_charge: str
    builder: tuple[str, int] | None  # (industry, n): the n-th demo enterprise of the industry
    government_percent: int  # the government-financed share of the money spent


# Short names keep each project of the table to two or three lines.
P, S, K = ProjectCategory, ProjectStage, KeyLevel
PROJECTS = [ProjectRow(*row) for row in [
    # The columns of ProjectRow, in order.
    ("XM-CGC-01", "{brand}精密铸造及机加工生产线项目", "CGC", P.INDUSTRIAL, S.IN_PRODUCTION,
     42000, "120", date(2023, 5, 10), date(2024, 10, 28), K.CITY, "王建国", ("装备制造", 0), 0),
    ("XM-CGC-02", "{brand}年产2万吨休闲食品生产项目", "CGC", P.INDUSTRIAL, S.IN_PRODUCTION,
     36000, "85", date(2024, 3, 20), date(2025, 6, 30), K.CITY, "刘志刚", ("食品加工", 0), 0),
    ("XM-CGC-03", "{brand}新能源装备制造基地一期项目", "CGC", P.INDUSTRIAL, S.COMPLETED,
     65000, "150", date(2024, 8, 16), date(2026, 6, 30), K.PROVINCIAL, "王建国", ("装备制造", 1),
     3),
    ("XM-CGC-04", "{brand}年产6GW光伏组件智能化生产线项目", "CGC", P.INDUSTRIAL,
     S.UNDER_CONSTRUCTION, 128000, "260", date(2025, 4, 18), date(2026, 12, 30), K.PROVINCIAL,
     "王建国", ("新能源新材料", 0), 0),
    ("XM-CGC-05", "{brand}铜雕艺术产业园项目", "CGC", P.INDUSTRIAL, S.COMPLETED,
     15000, "45", date(2025, 4, 10), date(2026, 8, 30), K.COUNTY, "张卫东", ("铜铸铜雕", 0), 0),
    ("XM-CGC-06", "{brand}锂离子电池储能系统生产项目", "CGC", P.INDUSTRIAL, S.UNDER_CONSTRUCTION,
     20000, "60", date(2026, 3, 28), date(2027, 6, 30), K.COUNTY, "刘志刚", ("新能源新材料", 1),
     0),
    ("XM-CGC-07", "{brand}光伏焊带及接线盒生产项目", "CGC", P.INDUSTRIAL, S.UNDER_CONSTRUCTION,
     12000, "35", date(2026, 5, 20), date(2027, 4, 30), K.COUNTY, "刘志刚", ("新能源新材料", 2),
     0),
    ("XM-CGC-08", "{brand}中央厨房及冷链配送项目", "CGC", P.INDUSTRIAL, S.SIGNED,
     12000, "40", None, None, "", "张卫东", ("食品加工", 1), 0),
    ("XM-CGC-09", "长古城工业园中小企业基地基础设施建设项目", "CGC", P.INFRASTRUCTURE,
     S.COMPLETED, 26000, "320", date(2024, 4, 15), date(2025, 10, 31), K.CITY, "王建国", None,
     92),
    ("XM-CGC-10", "开发区主干路北区段工程", "CGC", P.INFRASTRUCTURE, S.COMPLETED,
     38000, None, date(2023, 4, 10), date(2024, 11, 30), K.CITY, "陈立军", None, 100),
    ("XM-CGC-11", "标准化科创园项目", "CGC", P.PUBLIC_SERVICE, S.COMPLETED,
     56500, "120", date(2024, 7, 15), date(2026, 9, 30), K.PROVINCIAL, "陈立军", None, 90),
    ("XM-BH-01", "{brand}年产300万平方米珍珠岩复合保温外墙板项目", "BH", P.INDUSTRIAL,
     S.IN_PRODUCTION, 30000, "80", date(2023, 9, 12), date(2024, 10, 30), K.CITY, "李红梅",
     ("绿色建材", 1), 0),
    ("XM-BH-02", "{brand}绿色建材产业基地项目", "BH", P.INDUSTRIAL, S.UNDER_CONSTRUCTION,
     150000, "300", date(2024, 5, 8), date(2027, 5, 31), K.PROVINCIAL, "李红梅", ("绿色建材", 0),
     0),
    ("XM-BH-03", "{brand}仿古家具智能制造项目", "BH", P.INDUSTRIAL, S.IN_PRODUCTION,
     18000, "50", date(2025, 3, 18), date(2026, 5, 30), K.COUNTY, "赵永明", ("仿古家具", 0), 0),
    ("XM-BH-04", "{brand}防水材料生产项目", "BH", P.INDUSTRIAL, S.UNDER_CONSTRUCTION,
     38000, "90", date(2026, 4, 12), date(2027, 8, 31), K.CITY, "李红梅", ("绿色建材", 2), 0),
    ("XM-BH-05", "{brand}装配式建筑构件生产线项目", "BH", P.INDUSTRIAL, S.PREPARATION,
     45000, "150", None, None, K.CITY, "李红梅", ("绿色建材", 3), 0),
    ("XM-BH-06", "白合工业园净水厂及配套管网工程", "BH", P.INFRASTRUCTURE, S.COMPLETED,
     24000, "30", date(2023, 3, 20), date(2024, 9, 30), K.CITY, "陈立军", None, 100),
    ("XM-BH-07", "白合工业园纬三路西延及配套管网工程", "BH", P.INFRASTRUCTURE,
     S.UNDER_CONSTRUCTION, 27900, None, date(2025, 4, 1), date(2026, 11, 30), K.COUNTY,
     "陈立军", None, 100),
    ("XM-BH-08", "开发区110千伏变电站工程", "BH", P.INFRASTRUCTURE, S.UNDER_CONSTRUCTION,
     16000, "12", date(2026, 4, 20), date(2027, 6, 30), K.CITY, "赵永明", None, 85),
    ("XM-TTH-01", "{brand}医疗器械产业园项目", "TTH", P.INDUSTRIAL, S.IN_PRODUCTION,
     32000, "70", date(2024, 9, 10), date(2026, 4, 30), K.CITY, "张卫东", ("医疗健康", 0), 0),
    ("XM-TTH-02", "{brand}农副产品精深加工项目", "TTH", P.INDUSTRIAL, S.COMPLETED,
     16000, "55", date(2025, 6, 6), date(2026, 8, 31), K.COUNTY, "赵永明", ("现代农业", 0), 0),
    ("XM-TTH-03", "{brand}生物医药中试基地项目", "TTH", P.INDUSTRIAL, S.UNDER_CONSTRUCTION,
     22000, "40", date(2026, 6, 16), date(2027, 10, 31), K.COUNTY, "张卫东", ("医疗健康", 1), 0),
    ("XM-TTH-04", "{brand}康养文旅综合体项目", "TTH", P.INDUSTRIAL, S.UNDER_CONSTRUCTION,
     60000, "180", date(2025, 9, 20), date(2027, 12, 31), K.CITY, "刘志刚", ("旅游康养", 0), 0),
    ("XM-TTH-05", "通天河河道综合治理工程", "TTH", P.INFRASTRUCTURE, S.COMPLETED,
     23600, None, date(2024, 10, 15), date(2026, 6, 30), K.CITY, "陈立军", None, 100),
    ("XM-TTH-06", "通天河产业园人才公寓及配套服务中心项目", "TTH", P.PUBLIC_SERVICE,
     S.UNDER_CONSTRUCTION, 18000, "25", date(2026, 3, 15), date(2027, 9, 30), K.COUNTY,
     "赵永明", None, 80),
    ("XM-TTH-07", "{brand}现代农业示范园项目", "TTH", P.INDUSTRIAL, S.PLANNING,
     8000, "300", None, None, "", "赵永明", ("现代农业", 1), 0),
]]  # fmt: skip

# --- Investment attraction ---------------------------------------------------------------------

LEAD_COUNT = 96
# Agency, referral, self-led and resource-plus carry most leads, as in the 2022 summary.
CHANNEL_WEIGHTS = {
    Channel.AGENCY: 26,
    Channel.REFERRAL: 16,
    Channel.SELF_LED: 22,
    Channel.RESOURCE_PLUS: 22,
    Channel.THIRD_PARTY: 8,
    Channel.CO_BUILD: 6,
}
# Where a lead that is not tied to a project ends, and when such leads were first docked.
LEAD_OUTCOMES = [
    # final stage, weight, docked between
    (LeadStage.DOCKED, 16, (date(2026, 1, 5), date(2026, 10, 20))),
    (LeadStage.NEGOTIATING, 18, (date(2025, 7, 1), date(2026, 10, 10))),
    (LeadStage.INTENTION, 20, (date(2025, 1, 5), date(2026, 9, 30))),
    (LeadStage.SIGNED, 14, (FIRST_DAY, date(2026, 8, 31))),
    (LeadStage.DROPPED, 32, (FIRST_DAY, date(2026, 8, 31))),
]
LEAD_PATH = [
    LeadStage.DOCKED,
    LeadStage.NEGOTIATING,
    LeadStage.INTENTION,
    LeadStage.SIGNED,
    LeadStage.LANDED,
]
STAGE_NOTES = {
    LeadStage.DOCKED: "首次对接",
    LeadStage.NEGOTIATING: "进入实质性洽谈",
    LeadStage.INTENTION: "达成投资意向",
    LeadStage.SIGNED: "签订投资协议",
    LeadStage.LANDED: "项目落地开工",
}
DROP_REASONS = ["投资方调整投资计划", "用地条件不满足", "环评要求不符", "资金未落实", "选址他处"]
LEAD_PRODUCTS = {
    "装备制造": ["新能源装备制造", "智能输送装备生产", "精密零部件加工", "电器设备制造"],
    "新能源新材料": ["光伏组件生产线", "锂离子电池制造", "光伏制氢", "碳化硅衬底", "纳米新材料"],
    "食品加工": ["中央厨房", "休闲食品生产", "酒业灌装生产线", "冷链食品加工"],
    "铜铸铜雕": ["铜雕艺术品生产", "铸铜文创产品", "铜工艺品展销中心"],
    "仿古家具": ["现代家居制造", "红木家具生产", "仿古家具展销中心"],
    "古建园林": ["古建构件加工", "园林景观材料", "古建材料生产"],
    "绿色建材": ["防水建材生产", "超低能耗被动式建筑产业园", "装配式建筑构件", "固废综合利用"],
    "医疗健康": ["三叉神经治疗设备生产", "医疗器械生产", "生物医药研发", "康复辅具制造"],
    "现代农业": ["农副产品精深加工", "设施农业示范园", "中药材种植加工", "肉牛屠宰加工"],
    "旅游康养": ["康养小镇", "文旅综合体", "养老服务中心", "研学基地"],
}
INVESTOR_PLACES = ["北京", "天津", "雄安", "石家庄", "保定", "深圳", "上海", "杭州", "苏州", "泉州"]
INVESTOR_KINDS = ["科技有限公司", "集团有限公司", "实业有限公司", "投资有限公司", "股份有限公司"]
LEAD_OWNERS = {"CGC": ["孙晓东", "李娜"], "BH": ["周建军", "王磊"], "TTH": ["吴海燕", "赵鹏"]}

EVENT_CITIES = ["北京", "天津", "雄安新区", "石家庄", "深圳", "杭州", "苏州", "泉州", "厦门"]
EVENT_LEADERS = ["县委书记", "县长", "常务副县长", "分管副县长", "开发区管委会主任"]
FORUMS = [
    "县籍在京人士交流座谈会",
    "京津冀产业协同发展座谈会",
    "在外企业家恳谈会",
    "县籍在京学子交流座谈会",
    "民营企业家座谈会",
]
# How many of each kind of event a year holds.
EVENTS_PER_YEAR = [
    (EventKind.TRIP, 7),
    (EventKind.PROMOTION, 2),
    (EventKind.FORUM, 2),
    (EventKind.RECEPTION, 3),
]

# --- Targets and accounts ----------------------------------------------------------------------

FLOW_INDICATORS = [
    codes.REVENUE,
    codes.INDUSTRIAL_OUTPUT,
    codes.TAX,
    codes.FIXED_ASSET_INVESTMENT,
    codes.TOTAL_PROFIT,
]

DEMO_ACCOUNTS = [
    # username, role, parks, password (printed by seed_demo; for demonstration only)
    ("admin", Role.ADMIN, (), "Demo-admin-2026"),
    ("leader", Role.LEADER, (), "Demo-leader-2026"),
    ("staff_cgc", Role.STAFF, ("CGC",), "Demo-cgc-2026"),
    ("staff_bh", Role.STAFF, ("BH",), "Demo-bh-2026"),
]


# --- The plan: plain data ----------------------------------------------------------------------


@dataclass
class EnterprisePlan:
    """One demo enterprise and the traits its figures are drawn from."""

    credit_code: str
    name: str
    brand: str
    park: str
    industry: str
    in_statistics: bool
    scale_category: str
    established_on: date
    industrial: bool
    skips_january: bool
    revenue: float  # a year's revenue in 万元 at the level of 2024; later years add `growth`
    growth: dict[int, float]  # year → growth over the year before
    output_ratio: float
    margin: float
    tax_rate: float
    employees: int
    upgrade_investment: float  # a year's own equipment investment (技改) in 万元, 0 for none
    status: str = EnterpriseStatus.ACTIVE
    suspended_from: tuple[int, int] | None = None


@dataclass(frozen=True)
class ProjectPlan:
    """One demo project, with its builder's credit code if it has one."""

    code: str
    name: str
    park: str
    category: str
    stage: str
    total_investment: Decimal
    land_area_mu: Decimal | None
    start_date: date | None
    completion_date: date | None
    key_level: str
    official_in_charge: str
    builder: str | None
    builder_name: str
    government_percent: int


@dataclass(frozen=True)
class ProgressPlan:
    """A project's year-to-date completed investment and its government-financed part."""

    project: str
    year: int
    month: int
    completed: Decimal
    government: Decimal


@dataclass(frozen=True)
class FigurePlan:
    """An enterprise's figure for one indicator and month."""

    credit_code: str
    indicator: str
    year: int
    month: int
    value: Decimal


@dataclass(frozen=True)
class TargetPlan:
    """A park's annual target or forecast."""

    park: str
    indicator: str
    year: int
    kind: str
    value: Decimal


@dataclass
class LeadPlan:
    """One investment lead and the stages it went through."""

    name: str
    investor: str
    channel: str
    industry: str
    planned_investment: Decimal
    land_area_mu: Decimal | None
    asset_type: str
    park: str
    owner: str
    history: list[tuple[str, str, date, str]]  # (from stage, to stage, date, note)
    project: str | None = None
    code: str = ""

    @property
    def stage(self) -> str:
        return self.history[-1][1]

    @property
    def docked_on(self) -> date:
        return self.history[0][2]

    def reached_on(self, stage: str) -> date | None:
        """Return the date the lead reached `stage`, or None if it never did."""
        return next((on for _, to, on, _ in self.history if to == stage), None)


@dataclass(frozen=True)
class EventPlan:
    """One outreach event."""

    date: date
    name: str
    kind: str
    place: str
    leader: str
    leads_docked: int
    contracts_signed: int
    signed_amount: Decimal


@dataclass
class DemoPlan:
    """Everything the demo writes, as plain data."""

    enterprises: list[EnterprisePlan]
    figures: list[FigurePlan]
    targets: list[TargetPlan]
    projects: list[ProjectPlan]
    progress: list[ProgressPlan]
    bonds: list[tuple[str, int, Decimal]]  # (project code, year, amount)
    leads: list[LeadPlan]
    events: list[EventPlan]


@dataclass
class DemoSummary:
    """How much the demo holds, for the command to report."""

    zone: str
    parks: int
    enterprises: int
    in_statistics: int
    above_scale: int
    figures: int
    targets: int
    projects: int
    progress: int
    bonds: int
    leads: int
    events: int
    # (username, role, names of the parks bound to the user, password)
    accounts: list[tuple[str, Role, tuple[str, ...], str]] = field(default_factory=list)


# --- Small helpers -----------------------------------------------------------------------------


def _rng(part: str) -> random.Random:
    """Return the random generator of one part of the demo; string seeds hash stably."""
    return random.Random(f"{SEED}:{part}")


def _wan(hundredths: int) -> Decimal:
    """Return an amount given in hundredths of 万元 as Decimal 万元 with 2 decimals at most."""
    return Decimal(hundredths) / 100


def _hundredths(amount: float) -> int:
    return round(amount * 100)


def _round_to(amount: float, step: int) -> Decimal:
    """Return `amount` rounded to a whole multiple of `step`, as targets are set."""
    return Decimal(round(amount / step) * step)


def _months(year: int) -> range:
    return range(1, (LAST_MONTH if year == YEARS[-1] else 12) + 1)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _brands(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """Return `count` two-character brands not yet in `taken`, adding them to it."""
    brands = []
    while len(brands) < count:
        first, second = rng.sample(BRAND_CHARACTERS, 2)
        if first + second not in taken:
            taken.add(first + second)
            brands.append(first + second)
    return brands


def _builder_counts() -> dict[str, int]:
    """Return, per industry, how many of its first enterprises build a demo project."""
    counts: dict[str, int] = defaultdict(int)
    for row in PROJECTS:
        if row.builder:
            industry, n = row.builder
            counts[industry] = max(counts[industry], n + 1)
    return counts


# --- Planning, one function per part -----------------------------------------------------------


def plan_enterprises() -> list[EnterprisePlan]:
    """Return the demo's enterprises, industry by industry, builders of projects first."""
    rng = _rng("enterprises")
    brands = _brands(rng, sum(ENTERPRISE_COUNTS.values()), set())
    builders = _builder_counts()
    codes_taken: set[str] = set()
    categories_seen: set[str] = set()
    enterprises = []
    for industry, _ in INDUSTRIES:
        for n in range(ENTERPRISE_COUNTS[industry]):
            suffix, category, industrial = ARCHETYPES[industry][n % len(ARCHETYPES[industry])]
            is_builder = n < builders[industry]
            draw = rng.random()
            # The first enterprise of each kind of 四上 is above scale, so every kind shows up.
            if category and (is_builder or draw < 0.3 or category not in categories_seen):
                in_statistics, scale_category = True, category
                categories_seen.add(category)
                revenue = min(max(math.exp(rng.gauss(math.log(9000), 0.85)), 2600), 160000)
            elif is_builder or draw < 0.5:
                in_statistics, scale_category = True, ""
                revenue = rng.uniform(600, 1900)
            else:
                in_statistics, scale_category = False, ""
                revenue = rng.uniform(120, 1500)
            trend = rng.random()
            if trend < 0.15:
                growth_range = (0.30, 0.65)
            elif trend < 0.28 and not is_builder:
                growth_range = (-0.35, -0.20)
            else:
                growth_range = (-0.08, 0.22)
            brand = brands.pop()
            loss_making = rng.random() < 0.12
            legal_form = "股份有限公司" if revenue > 50000 else "有限公司"
            enterprises.append(
                EnterprisePlan(
                    credit_code=_credit_code(rng, codes_taken),
                    name=f"{rng.choice(ENTERPRISE_PLACES)}{brand}{suffix}{legal_form}",
                    brand=brand,
                    park=PARK_OF_INDUSTRY[industry],
                    industry=industry,
                    in_statistics=in_statistics,
                    scale_category=scale_category,
                    established_on=date(
                        rng.randint(2006, 2019 if is_builder else 2023),
                        rng.randint(1, 12),
                        rng.randint(1, 28),
                    ),
                    industrial=industrial,
                    skips_january=rng.random() < 1 / 3,
                    revenue=revenue,
                    growth={year: rng.uniform(*growth_range) for year in YEARS[1:]},
                    output_ratio=rng.uniform(1.0, 1.12),
                    margin=rng.uniform(-0.12, -0.02) if loss_making else rng.uniform(0.02, 0.14),
                    tax_rate=rng.uniform(0.015, 0.06),
                    employees=max(6, round(revenue / rng.uniform(60, 160))),
                    upgrade_investment=rng.uniform(200, 3000) if rng.random() < 0.2 else 0.0,
                )
            )
    _mark_new_and_suspended(rng, enterprises, builders)
    _keep_scales_believable(enterprises)
    return enterprises


def _credit_code(rng: random.Random, taken: set[str]) -> str:
    """Return a fresh valid credit code in the zone's county."""
    while True:
        body = CREDIT_CODE_PREFIX + "".join(rng.choice(ALPHABET) for _ in range(7))
        if body not in taken:
            taken.add(body)
            return with_check_character(body)


def _mark_new_and_suspended(
    rng: random.Random, enterprises: list[EnterprisePlan], builders: dict[str, int]
) -> None:
    """Make a few enterprises new this year or last, and a few stop production."""
    seen: dict[str, int] = defaultdict(int)
    others = []
    for enterprise in enterprises:
        if seen[enterprise.industry] >= builders[enterprise.industry]:
            others.append(enterprise)
        seen[enterprise.industry] += 1
    picked = rng.sample(others, len(NEW_ENTERPRISE_DATES) + len(NEW_LAST_YEAR_DATES))
    for n, (enterprise, established_on) in enumerate(
        zip(picked, NEW_ENTERPRISE_DATES + NEW_LAST_YEAR_DATES, strict=True)
    ):
        enterprise.established_on = established_on
        enterprise.growth = {year: rng.uniform(0.05, 0.4) for year in YEARS[1:]}
        # Two of this year's new enterprises already entered the statistics, the third not yet.
        enterprise.in_statistics = n != len(NEW_ENTERPRISE_DATES) - 1
        if not enterprise.in_statistics:
            enterprise.scale_category = ""
    stopped = [e for e in others if e not in picked and e.in_statistics]
    for enterprise, since in zip(rng.sample(stopped, len(SUSPENSIONS)), SUSPENSIONS, strict=True):
        enterprise.status = EnterpriseStatus.SUSPENDED
        enterprise.suspended_from = since
        enterprise.growth = {year: rng.uniform(-0.35, -0.20) for year in YEARS[1:]}


def _keep_scales_believable(enterprises: list[EnterprisePlan]) -> None:
    """Keep working above-scale enterprises above 2000万元 a year in every year, and older
    enterprises that are not above scale below it."""
    for enterprise in enterprises:
        levels = list(
            accumulate((1 + enterprise.growth[year] for year in YEARS[1:]), mul, initial=1.0)
        )
        if enterprise.scale_category and enterprise.suspended_from is None:
            adjust = max(1.0, 2200 / (enterprise.revenue * min(levels)))
        elif not enterprise.scale_category and enterprise.established_on < FIRST_DAY:
            adjust = min(1.0, 1950 / (enterprise.revenue * max(levels)))
        else:
            continue
        enterprise.revenue *= adjust
        enterprise.employees = max(6, round(enterprise.employees * adjust))


def plan_projects(enterprises: list[EnterprisePlan]) -> list[ProjectPlan]:
    """Return the demo's projects, with their builders taken from `enterprises`."""
    by_industry: dict[str, list[EnterprisePlan]] = defaultdict(list)
    for enterprise in enterprises:
        by_industry[enterprise.industry].append(enterprise)
    projects = []
    for row in PROJECTS:
        builder = by_industry[row.builder[0]][row.builder[1]] if row.builder else None
        projects.append(
            ProjectPlan(
                code=row.code,
                name=row.name.format(brand=builder.brand) if builder else row.name,
                park=row.park,
                category=row.category,
                stage=row.stage,
                total_investment=Decimal(row.total_investment),
                land_area_mu=Decimal(row.land_area_mu) if row.land_area_mu else None,
                start_date=row.start_date,
                completion_date=row.completion_date,
                key_level=row.key_level,
                official_in_charge=row.official_in_charge,
                builder=builder.credit_code if builder else None,
                builder_name=builder.name if builder else "",
                government_percent=row.government_percent,
            )
        )
    return projects


def plan_progress(projects: list[ProjectPlan]) -> list[ProgressPlan]:
    """Return each started project's year-to-date investment, month by month.

    The money follows an S-curve over the building months, slowed in winter. A
    project reports from its start month to the end of the year it is completed
    in, or to October 2026; after completion its year's total stays as it was.
    """
    rows = []
    last = YEARS[-1] * 12 + LAST_MONTH - 1
    for project in projects:
        if project.start_date is None:
            continue
        rng = _rng(f"progress:{project.code}")
        first, planned_end = _month_index(project.start_date), _month_index(project.completion_date)
        span = planned_end - first + 1
        weights = [
            (math.sin(math.pi * (k + 0.5) / span) + 0.25)
            * BUILDING_SEASON[(first + k) % 12 + 1]
            * rng.uniform(0.8, 1.2)
            for k in range(span)
        ]
        spend = float(project.total_investment) * rng.uniform(0.88, 0.98)
        monthly = [_hundredths(spend * weight / sum(weights)) for weight in weights]
        end = min(project.completion_date.year * 12 + 11, last)
        completed = government = 0
        for index in range(first, end + 1):
            year, month = divmod(index, 12)
            if month == 0:
                completed = government = 0
            spent = monthly[index - first] if index <= planned_end else 0
            completed += spent
            government += spent * project.government_percent // 100
            rows.append(
                ProgressPlan(project.code, year, month + 1, _wan(completed), _wan(government))
            )
    return rows


def plan_bonds(
    projects: list[ProjectPlan], progress: list[ProgressPlan]
) -> list[tuple[str, int, Decimal]]:
    """Return the special-purpose bond money each public project received, year by year."""
    government_by_year: dict[tuple[str, int], Decimal] = {}
    for row in progress:  # rows run month by month, so the year's last one wins
        government_by_year[row.project, row.year] = row.government
    bonds = []
    for project in projects:
        if project.category == ProjectCategory.INDUSTRIAL or project.start_date is None:
            continue
        rng = _rng(f"bonds:{project.code}")
        for year in range(project.start_date.year, project.completion_date.year + 1):
            government = government_by_year.get((project.code, year), Decimal(0))
            amount = _round_to(float(government) * rng.uniform(0.55, 0.85), 100)
            if amount > 0:
                bonds.append((project.code, year, amount))
    return bonds


def plan_figures(
    enterprises: list[EnterprisePlan], progress: list[ProgressPlan], projects: list[ProjectPlan]
) -> list[FigurePlan]:
    """Return every enterprise's monthly figures from January 2024 (or its founding) on.

    Flow indicators are year-to-date cumulative; employees are the month's
    headcount. An enterprise's fixed-asset investment is its projects' progress
    plus its own equipment upgrades.
    """
    builder_of = {project.code: project.builder for project in projects if project.builder}
    project_investment: dict[tuple[str, int, int], int] = defaultdict(int)
    for row in progress:
        if row.project in builder_of:
            key = (builder_of[row.project], row.year, row.month)
            project_investment[key] += int(row.completed * 100)
    figures = []
    for enterprise in enterprises:
        figures.extend(_enterprise_figures(enterprise, project_investment))
    return figures


def _enterprise_figures(
    enterprise: EnterprisePlan, project_investment: dict[tuple[str, int, int], int]
) -> list[FigurePlan]:
    rng = _rng(f"figures:{enterprise.credit_code}")
    first = max(_month_index(enterprise.established_on), _month_index(FIRST_DAY))
    suspended = (
        enterprise.suspended_from[0] * 12 + enterprise.suspended_from[1] - 1
        if enterprise.suspended_from
        else None
    )
    figures = []
    revenue_of_year, staff_of_year = enterprise.revenue, float(enterprise.employees)
    for year in YEARS:
        if year in enterprise.growth:
            revenue_of_year *= 1 + enterprise.growth[year]
            staff_of_year *= 1 + enterprise.growth[year] * 0.4
        upgrades = enterprise.upgrade_investment if rng.random() < 0.6 else 0.0
        totals: dict[str, int] = defaultdict(int)
        reported: set[str] = set()
        for month in _months(year):
            index = year * 12 + month - 1
            if index < first:
                continue
            ramp = min(1.0, 0.4 + 0.2 * (index - first)) if first > _month_index(FIRST_DAY) else 1
            own: dict[str, int] = {}
            if suspended is not None and index >= suspended:
                own[codes.REVENUE] = own[codes.TAX] = own[codes.INDUSTRIAL_OUTPUT] = 0
                own[codes.TOTAL_PROFIT] = -_hundredths(enterprise.revenue * 0.003)
                staff = max(3, round(staff_of_year * 0.1))
            else:
                revenue = revenue_of_year * SEASON[month] / SEASON_TOTAL * ramp
                revenue *= rng.uniform(0.9, 1.1)
                own[codes.REVENUE] = _hundredths(revenue)
                own[codes.INDUSTRIAL_OUTPUT] = _hundredths(
                    revenue * enterprise.output_ratio * rng.uniform(0.97, 1.03)
                )
                own[codes.TAX] = _hundredths(revenue * enterprise.tax_rate * rng.uniform(0.6, 1.4))
                own[codes.TOTAL_PROFIT] = _hundredths(
                    revenue * (enterprise.margin + rng.gauss(0, 0.02))
                )
                staff = max(3, round(staff_of_year * ramp * rng.uniform(0.98, 1.02)))
                if month == 2:  # some workers stay home after the Spring Festival
                    staff = round(staff * 0.96)
                own[codes.FIXED_ASSET_INVESTMENT] = _hundredths(
                    upgrades * BUILDING_SEASON[month] / sum(BUILDING_SEASON.values())
                )
            if not enterprise.industrial:
                own.pop(codes.INDUSTRIAL_OUTPUT)
            for code, amount in own.items():
                totals[code] += amount
            fixed_asset_investment = totals[codes.FIXED_ASSET_INVESTMENT] + project_investment.get(
                (enterprise.credit_code, year, month), 0
            )
            if month == 1 and enterprise.skips_january:
                continue
            values = {code: totals[code] for code in own if code != codes.FIXED_ASSET_INVESTMENT}
            if fixed_asset_investment or codes.FIXED_ASSET_INVESTMENT in reported:
                values[codes.FIXED_ASSET_INVESTMENT] = fixed_asset_investment
            reported.update(values)
            for code, amount in values.items():
                figures.append(FigurePlan(enterprise.credit_code, code, year, month, _wan(amount)))
            figures.append(
                FigurePlan(enterprise.credit_code, codes.EMPLOYEES, year, month, Decimal(staff))
            )
    return figures


def plan_targets(enterprises: list[EnterprisePlan], figures: list[FigurePlan]) -> list[TargetPlan]:
    """Return each park's and the zone's annual targets and forecasts of the flow indicators.

    They are set around the year's outcome of the park's statistical enterprises
    (for 2026 extrapolated from January–October); the zone's are its parks' sums.
    """
    rng = _rng("targets")
    park_of = {e.credit_code: e.park for e in enterprises if e.in_statistics}
    latest: dict[tuple[str, str, int], Decimal] = {}
    for figure in figures:  # in month order, so the year's last figure wins
        if figure.credit_code in park_of and figure.indicator in FLOW_INDICATORS:
            latest[figure.credit_code, figure.indicator, figure.year] = figure.value
    outcome: dict[tuple[str, str, int], Decimal] = defaultdict(Decimal)
    for (credit_code, indicator, year), value in latest.items():
        outcome[park_of[credit_code], indicator, year] += value
    share_by_october = sum(SEASON[month] for month in _months(YEARS[-1])) / SEASON_TOTAL
    targets = []
    zone_sums: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
    for park, _, _, _ in PARKS:
        for year in YEARS:
            for indicator in FLOW_INDICATORS:
                expected = float(outcome[park, indicator, year])
                if year == YEARS[-1]:
                    expected /= share_by_october
                if expected <= 0:
                    continue
                step = 100 if expected >= 10000 else 10
                for kind, low, high in (
                    (TargetKind.TARGET, 0.96, 1.12),
                    (TargetKind.FORECAST, 0.98, 1.03),
                ):
                    value = _round_to(expected * rng.uniform(low, high), step)
                    targets.append(TargetPlan(park, indicator, year, kind, value))
                    zone_sums[indicator, year, kind] += value
    for (indicator, year, kind), value in zone_sums.items():
        targets.append(TargetPlan(ZONE["code"], indicator, year, kind, value))
    return targets


def plan_leads(projects: list[ProjectPlan], enterprises: list[EnterprisePlan]) -> list[LeadPlan]:
    """Return the demo's investment leads: those that became projects, then the others."""
    rng = _rng("leads")
    brands = _brands(rng, LEAD_COUNT, {e.brand for e in enterprises})
    industry_of = {e.credit_code: e.industry for e in enterprises}
    # Projects started before August 2024 were docked before the demo's first year.
    leads = [
        _project_lead(rng, project, industry_of[project.builder])
        for project in projects
        if project.builder
        and (project.start_date is None or project.start_date >= date(2024, 8, 1))
    ]
    industries = [name for name, _ in INDUSTRIES]
    while len(leads) < LEAD_COUNT:
        leads.append(_free_lead(rng, brands.pop(), rng.choice(industries)))
    leads.sort(key=lambda lead: (lead.docked_on, lead.name))
    per_year: dict[int, int] = defaultdict(int)
    for lead in leads:
        per_year[lead.docked_on.year] += 1
        lead.code = f"ZS{lead.docked_on.year}{per_year[lead.docked_on.year]:03d}"
    return leads


def _channel(rng: random.Random) -> str:
    return rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]


def _history(
    rng: random.Random, stages: list[str], docked_on: date, last: date, *, dropped: bool = False
) -> list[tuple[str, str, date, str]]:
    """Return the stage changes through `stages` (then 终止 if `dropped`), from `docked_on`
    to `last` at the latest."""
    to_stages = [*stages, LeadStage.DROPPED] if dropped else list(stages)
    gaps = [rng.randint(15, 120) for _ in to_stages[1:]]
    room, total = max((last - docked_on).days, 0), sum(gaps)
    if total > room:
        gaps = [gap * room // total for gap in gaps]
    history, on, previous = [], docked_on, ""
    for stage, gap in zip(to_stages, [0, *gaps], strict=True):
        on += timedelta(days=gap)
        note = rng.choice(DROP_REASONS) if stage == LeadStage.DROPPED else STAGE_NOTES[stage]
        history.append((previous, stage, on, note))
        previous = stage
    return history


def _project_lead(rng: random.Random, project: ProjectPlan, industry: str) -> LeadPlan:
    """Return the lead a project came from: landed if it started, else signed or intended."""
    if project.start_date:
        stages, last = LEAD_PATH, project.start_date - timedelta(days=rng.randint(0, 20))
        docked_on = last - timedelta(days=rng.randint(150, 330))
    elif project.stage == ProjectStage.PLANNING:
        stages, last = LEAD_PATH[:3], AS_OF - timedelta(days=rng.randint(20, 60))
        docked_on = last - timedelta(days=rng.randint(90, 200))
    else:
        stages, last = LEAD_PATH[:4], AS_OF - timedelta(days=rng.randint(30, 150))
        docked_on = last - timedelta(days=rng.randint(90, 240))
    docked_on = max(docked_on, FIRST_DAY + timedelta(days=rng.randint(3, 20)))
    history = _history(rng, stages, docked_on, last)
    # The last step lands exactly on `last`: the day of signing or of landing.
    history[-1] = (*history[-1][:2], last, history[-1][3])
    return LeadPlan(
        name=project.name,
        investor=project.builder_name,
        channel=_channel(rng),
        industry=industry,
        planned_investment=project.total_investment,
        land_area_mu=project.land_area_mu,
        asset_type=AssetType.HEAVY,
        park=project.park,
        owner=rng.choice(LEAD_OWNERS[project.park]),
        history=history,
        project=project.code,
    )


def _free_lead(rng: random.Random, brand: str, industry: str) -> LeadPlan:
    """Return a lead that has not (yet) become a project."""
    outcomes = [outcome for outcome, _, _ in LEAD_OUTCOMES]
    outcome = rng.choices(outcomes, weights=[weight for _, weight, _ in LEAD_OUTCOMES])[0]
    first, last = next(window for stage, _, window in LEAD_OUTCOMES if stage == outcome)
    docked_on = _day_between(rng, first, last)
    if outcome == LeadStage.DROPPED:
        history = _history(rng, LEAD_PATH[: rng.randint(1, 3)], docked_on, AS_OF, dropped=True)
    else:
        history = _history(rng, LEAD_PATH[: LEAD_PATH.index(outcome) + 1], docked_on, AS_OF)
    light = rng.random() < 0.3
    if light:
        planned = _round_to(rng.uniform(1000, 10000), 100)
        land = None
    else:
        planned = _round_to(min(math.exp(rng.gauss(math.log(30000), 0.7)), 200000), 100)
        land = Decimal(round(float(planned) / rng.uniform(150, 400)))
    park = PARK_OF_INDUSTRY[industry]
    return LeadPlan(
        name=f"{brand}{rng.choice(LEAD_PRODUCTS[industry])}项目",
        investor=f"{rng.choice(INVESTOR_PLACES)}{brand}{rng.choice(INVESTOR_KINDS)}",
        channel=_channel(rng),
        industry=industry,
        planned_investment=planned,
        land_area_mu=land,
        asset_type=AssetType.LIGHT if light else AssetType.HEAVY,
        park=park,
        owner=rng.choice(LEAD_OWNERS[park]),
        history=history,
    )


def plan_events() -> list[EventPlan]:
    """Return the outreach events of the three years: trips, fairs, forums, receptions."""
    rng = _rng("events")
    industries = [name for name, _ in INDUSTRIES]
    events = []
    for year in YEARS:
        last = AS_OF if year == YEARS[-1] else date(year, 12, 20)
        kinds = [kind for kind, count in EVENTS_PER_YEAR for _ in range(count)]
        rng.shuffle(kinds)
        days = sorted(rng.sample(range((last - date(year, 1, 5)).days + 1), len(kinds)))
        forums = rng.sample(FORUMS, sum(1 for kind in kinds if kind == EventKind.FORUM))
        for day, kind in zip(days, kinds, strict=True):
            city, industry = rng.choice(EVENT_CITIES), rng.choice(industries)
            if kind == EventKind.TRIP:
                name, place = f"赴{city}开展{industry}产业招商对接", city
                docked, signed = rng.randint(3, 9), rng.randint(0, 2)
            elif kind == EventKind.PROMOTION:
                name, place = f"{industry}产业专题招商推介会", rng.choice(["县会展中心", city])
                docked, signed = rng.randint(6, 15), rng.randint(2, 6)
            elif kind == EventKind.FORUM:
                name, place = forums.pop(), rng.choice(["北京", "县政府会议中心"])
                docked, signed = rng.randint(2, 6), rng.randint(0, 1)
            else:
                brand = "".join(rng.sample(BRAND_CHARACTERS, 2))
                name, place = f"接待{city}{brand}集团考察团", "开发区管委会"
                docked, signed = rng.randint(1, 3), rng.randint(0, 1)
            amount = sum(_round_to(rng.uniform(3000, 40000), 100) for _ in range(signed))
            events.append(
                EventPlan(
                    date=date(year, 1, 5) + timedelta(days=day),
                    name=name,
                    kind=kind,
                    place=place,
                    leader=rng.choice(EVENT_LEADERS),
                    leads_docked=docked,
                    contracts_signed=signed,
                    signed_amount=Decimal(amount),
                )
            )
    return events


def demo_plan() -> DemoPlan:
    """Return everything the demo writes, as plain data; the same on every call."""
    enterprises = plan_enterprises()
    projects = plan_projects(enterprises)
    progress = plan_progress(projects)
    figures = plan_figures(enterprises, progress, projects)
    return DemoPlan(
        enterprises=enterprises,
        figures=figures,
        targets=plan_targets(enterprises, figures),
        projects=projects,
        progress=progress,
        bonds=plan_bonds(projects, progress),
        leads=plan_leads(projects, enterprises),
        events=plan_events(),
    )


# --- Writing -----------------------------------------------------------------------------------


def _upsert(model, lookup: dict, values: dict):
    """Create or update the row with the natural key `lookup`, validated before it is saved."""
    row = model.objects.filter(**lookup).first() or model(**lookup)
    for name, value in values.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def demo_zone_build() -> DemoSummary:
    """Write the demo zone, creating the rows that are missing and updating those that differ."""
    plan = demo_plan()
    industries = _write_industries()
    parks = _write_parks(industries)
    enterprises = _write_enterprises(plan.enterprises, parks, industries)
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    _write_figures(plan.figures, enterprises, indicators)
    _write_targets(plan.targets, parks, indicators)
    projects = _write_projects(plan.projects, parks, enterprises)
    _write_progress(plan.progress, plan.bonds, projects)
    _write_leads(plan.leads, parks, industries, projects)
    _write_events(plan.events)
    _write_accounts()
    park_names = {code: name for code, name, _, _ in PARKS}
    return DemoSummary(
        zone=ZONE["name"],
        parks=len(PARKS),
        enterprises=len(plan.enterprises),
        in_statistics=sum(e.in_statistics for e in plan.enterprises),
        above_scale=sum(bool(e.scale_category) for e in plan.enterprises),
        figures=len(plan.figures),
        targets=len(plan.targets),
        projects=len(plan.projects),
        progress=len(plan.progress),
        bonds=len(plan.bonds),
        leads=len(plan.leads),
        events=len(plan.events),
        accounts=[
            (username, role, tuple(park_names[code] for code in park_codes), password)
            for username, role, park_codes, password in DEMO_ACCOUNTS
        ],
    )


def _write_industries() -> dict[str, Industry]:
    industries = {}
    for order, (name, group) in enumerate(INDUSTRIES, start=1):
        industries[name] = _upsert(Industry, {"name": name}, {"group": group, "sort_order": order})
    return industries


def _write_parks(industries: dict[str, Industry]) -> dict[str, Park]:
    zone = _upsert(
        Park,
        {"code": ZONE["code"]},
        {
            "name": ZONE["name"],
            "kind": ParkKind.ZONE,
            "parent": None,
            "planned_area_mu": ZONE["planned_area_mu"],
            "assessment_category": ZONE["assessment_category"],
            "sort_order": 0,
        },
    )
    parks = {zone.code: zone}
    for order, (code, name, area, focus) in enumerate(PARKS, start=1):
        park = _upsert(
            Park,
            {"code": code},
            {
                "name": name,
                "kind": ParkKind.PARK,
                "parent": zone,
                "planned_area_mu": Decimal(area),
                "assessment_category": "",
                "sort_order": order,
            },
        )
        park.focus_industries.set([industries[industry] for industry in focus])
        parks[code] = park
    return parks


def _write_enterprises(
    plans: list[EnterprisePlan], parks: dict[str, Park], industries: dict[str, Industry]
) -> dict[str, Enterprise]:
    enterprises = {}
    for plan in plans:
        enterprises[plan.credit_code] = _upsert(
            Enterprise,
            {"credit_code": plan.credit_code},
            {
                "name": plan.name,
                "park": parks[plan.park],
                "industry": industries[plan.industry],
                "in_statistics": plan.in_statistics,
                "scale_category": plan.scale_category,
                "established_on": plan.established_on,
                "status": plan.status,
            },
        )
    return enterprises


def _write_figures(
    plans: list[FigurePlan], enterprises: dict[str, Enterprise], indicators: dict[str, Indicator]
) -> None:
    MonthlyValue.objects.bulk_create(
        [
            MonthlyValue(
                enterprise=enterprises[plan.credit_code],
                indicator=indicators[plan.indicator],
                year=plan.year,
                month=plan.month,
                value=plan.value,
            )
            for plan in plans
        ],
        update_conflicts=True,
        unique_fields=["enterprise", "indicator", "year", "month"],
        update_fields=["value"],
    )


def _write_targets(
    plans: list[TargetPlan], parks: dict[str, Park], indicators: dict[str, Indicator]
) -> None:
    Target.objects.bulk_create(
        [
            Target(
                park=parks[plan.park],
                indicator=indicators[plan.indicator],
                year=plan.year,
                kind=plan.kind,
                value=plan.value,
            )
            for plan in plans
        ],
        update_conflicts=True,
        unique_fields=["park", "indicator", "year", "kind"],
        update_fields=["value"],
    )


def _write_projects(
    plans: list[ProjectPlan], parks: dict[str, Park], enterprises: dict[str, Enterprise]
) -> dict[str, Project]:
    projects = {}
    for plan in plans:
        projects[plan.code] = _upsert(
            Project,
            {"code": plan.code},
            {
                "name": plan.name,
                "park": parks[plan.park],
                "enterprise": enterprises[plan.builder] if plan.builder else None,
                "category": plan.category,
                "stage": plan.stage,
                "total_investment": plan.total_investment,
                "land_area_mu": plan.land_area_mu,
                "start_date": plan.start_date,
                "completion_date": plan.completion_date,
                "key_level": plan.key_level,
                "official_in_charge": plan.official_in_charge,
            },
        )
    return projects


def _write_progress(
    progress: list[ProgressPlan],
    bonds: list[tuple[str, int, Decimal]],
    projects: dict[str, Project],
) -> None:
    ProjectProgress.objects.bulk_create(
        [
            ProjectProgress(
                project=projects[row.project],
                year=row.year,
                month=row.month,
                completed_investment=row.completed,
                government_investment=row.government,
            )
            for row in progress
        ],
        update_conflicts=True,
        unique_fields=["project", "year", "month"],
        update_fields=["completed_investment", "government_investment"],
    )
    SpecialBond.objects.bulk_create(
        [
            SpecialBond(project=projects[code], year=year, amount=amount)
            for code, year, amount in bonds
        ],
        update_conflicts=True,
        unique_fields=["project", "year"],
        update_fields=["amount"],
    )


def _write_leads(
    plans: list[LeadPlan],
    parks: dict[str, Park],
    industries: dict[str, Industry],
    projects: dict[str, Project],
) -> None:
    """Write the leads, and replace a lead's stage history only where it differs from the plan."""
    leads = {}
    for plan in plans:
        leads[plan.code] = _upsert(
            Lead,
            {"code": plan.code},
            {
                "name": plan.name,
                "investor": plan.investor,
                "channel": plan.channel,
                "industry": industries[plan.industry],
                "planned_investment": plan.planned_investment,
                "land_area_mu": plan.land_area_mu,
                "asset_type": plan.asset_type,
                "stage": plan.stage,
                "docked_on": plan.docked_on,
                "signed_on": plan.reached_on(LeadStage.SIGNED),
                "landed_on": plan.reached_on(LeadStage.LANDED),
                "park": parks[plan.park],
                "project": projects[plan.project] if plan.project else None,
                "owner": plan.owner,
            },
        )
    recorded: dict[int, list[tuple]] = defaultdict(list)
    for lead_id, *change in LeadStageChange.objects.filter(
        lead__in=list(leads.values())
    ).values_list("lead_id", "from_stage", "to_stage", "changed_on", "note"):
        recorded[lead_id].append(tuple(change))
    stale, fresh = [], []
    for plan in plans:
        lead = leads[plan.code]
        if recorded[lead.pk] != plan.history:
            stale.append(lead.pk)
            fresh.extend(
                LeadStageChange(
                    lead=lead, from_stage=from_stage, to_stage=to_stage, changed_on=on, note=note
                )
                for from_stage, to_stage, on, note in plan.history
            )
    LeadStageChange.objects.filter(lead_id__in=stale).delete()
    LeadStageChange.objects.bulk_create(fresh)


def _write_events(plans: list[EventPlan]) -> None:
    for plan in plans:
        _upsert(
            OutreachEvent,
            {"date": plan.date, "name": plan.name},
            {
                "kind": plan.kind,
                "place": plan.place,
                "leader": plan.leader,
                "leads_docked": plan.leads_docked,
                "contracts_signed": plan.contracts_signed,
                "signed_amount": plan.signed_amount,
            },
        )


def demo_accounts_ready() -> set[str]:
    """Return the demo accounts that exist and still have their demo password."""
    users = get_user_model().objects.filter(
        username__in=[username for username, *_ in DEMO_ACCOUNTS]
    )
    passwords = {username: password for username, _, _, password in DEMO_ACCOUNTS}
    return {user.username for user in users if user.check_password(passwords[user.username])}


def _write_accounts() -> None:
    """Create the demo accounts; a password is set again only when it no longer matches."""
    users = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in=[username for username, *_ in DEMO_ACCOUNTS]
        )
    }
    for username, role, park_codes, password in DEMO_ACCOUNTS:
        user = users.get(username)
        unchanged = user is not None and user.check_password(password)
        user_save(
            username=username,
            role=role,
            park_codes=park_codes,
            password=None if unchanged else password,
        )
