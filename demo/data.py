"""The demo's plain data: its constants and the tables the plan is drawn from."""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from indicators import codes
from indicators.choices import PeriodStatus
from investment.choices import Channel, EventKind, LeadStage
from parkportal.choices import IndustryGroup, Role, ScaleCategory
from projects.choices import KeyLevel, ProjectCategory, ProjectStage

# The demo's world runs from January 2024 to October 2026 (`AS_OF`): figures for 2024 and
# 2025 are complete, 2026 has months 1–10.
SEED = 2026
YEARS = (2024, 2025, 2026)
LAST_MONTH = 10
# The last month as the parks stand in it: still being reported.
LAST_MONTH_STATUSES = (PeriodStatus.DRAFT, PeriodStatus.SUBMITTED, PeriodStatus.APPROVED)
AS_OF = date(2026, 10, 31)
FIRST_DAY = date(2024, 1, 1)
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
    ("zhaoshang", Role.INVESTMENT, ("KFQ",), "Demo-invest-2026"),
    ("staff_cgc", Role.STAFF, ("CGC",), "Demo-cgc-2026"),
    ("staff_bh", Role.STAFF, ("BH",), "Demo-bh-2026"),
]
