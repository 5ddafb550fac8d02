"""The year-end summary's tables: headers, units and cells, defined once for every writer.

Each table is plain data (reports.tables): its Chinese title, unit line, columns by
name and rows of cells. The HTML page, the xlsx workbook and the docx document all
render these same tables, and the drill-down rows reuse their column lists.
"""

from dataclasses import replace
from decimal import Decimal
from urllib.parse import urlencode

from parkportal.display import wan_to_yi
from services.selectors import ServiceFigures

from ..figures import EnterpriseFigures, IndicatorFigures
from ..tables import Column, Kind, Table, lines_table, table_row
from .attraction import EventFigures, LeadFigures, LeadLine
from .builder import YearEndReport
from .plan import plan_tables
from .projects import BondFigures, CategoryProjects, FaiStructure, ProjectLine

MONEY_UNIT = "金额单位：万元"
HUNDRED = Decimal(100)


class _Links:
    """Make the drill-down query of a figure in one report."""

    def __init__(self, report: YearEndReport):
        self.report = report

    def __call__(self, figure: str, park: str | None = None) -> str:
        return urlencode(
            {
                "park": park or self.report.park_code,
                "year": self.report.period.year,
                "month": self.report.period.month,
                "figure": figure,
            }
        )


def report_tables(report: YearEndReport) -> list[Table]:
    """Return the report's tables, in the order every format shows them."""
    link = _Links(report)
    tables = [_indicator_table(report, link)]
    if report.is_zone:
        tables.append(_by_park_table(report, link))
    tables += [
        _enterprise_table(report.enterprises, link),
        _project_table(report.projects.total, report.projects.by_category, link),
        _key_project_table(report.projects.key_projects),
        _fai_table(report.fai, link),
        _bond_table(report.bonds, link),
    ]
    if not report.money_land.is_empty:  # a zone without these records: none
        tables += _money_land_tables(report)
    tables += [
        _attraction_table(report, link),
        _event_table(report.events, link),
        _channel_table(report.leads, link),
        _signed_table(report.leads, link),
        _intended_table(report.leads, link),
        _intended_list_table(report.leads.intended_lines),
    ]
    tables += plan_tables(report.plan, report.period, is_zone=report.is_zone)
    if not report.services.is_empty:  # a zone without the service desk's records: none
        tables += _service_tables(report.services)
    return [replace(table, title=f"表{n} {table.title}") for n, table in enumerate(tables, start=1)]


# --- Indicators ---------------------------------------------------------------------------------


def indicator_columns(report: YearEndReport) -> list[Column]:
    label = report.period.label
    return [
        Column("name", "指标"),
        Column("unit", "单位"),
        Column("current", f"本年{label}", Kind.MONEY),
        Column("last_year", f"上年{label}", Kind.MONEY),
        Column("growth", "同比增长(%)", Kind.PERCENT),
        Column("members", "可比企业(家)", Kind.COUNT),
        Column("target", "年度目标", Kind.MONEY),
        Column("completion", "完成率(%)", Kind.PERCENT),
        Column("time_progress", "时间进度(%)", Kind.PERCENT),
        Column("forecast", "全年预计", Kind.MONEY),
        Column("forecast_growth", "预计增长(%)", Kind.PERCENT),
    ]


# The cells of an indicator's line that add up enterprises: they link to them.
INDICATOR_LINKED = ("current", "last_year", "members")


def _amount(line: IndicatorFigures, value: Decimal | None):
    """Return a figure of an indicator with its kind: money, or a count (of persons)."""
    return (value, Kind.MONEY if line.is_money else Kind.COUNT)


def _indicator_values(report: YearEndReport, line: IndicatorFigures) -> dict:
    return {
        "name": line.name,
        "unit": line.unit,
        "current": _amount(line, line.current),
        "last_year": _amount(line, line.last_year),
        "growth": line.growth.change,
        "members": line.growth.members,
        "target": _amount(line, line.target),
        "completion": line.completion,
        "time_progress": report.time_progress if line.target is not None else None,
        "forecast": _amount(line, line.forecast),
        "forecast_growth": line.forecast_growth,
    }


def _indicator_table(report: YearEndReport, link: _Links) -> Table:
    columns = indicator_columns(report)
    rows = []
    for line in report.indicators:
        query = link(f"indicator.{line.code}")
        links = dict.fromkeys(INDICATOR_LINKED, query)
        rows.append(table_row(columns, _indicator_values(report, line), links))
    return Table(
        key="主要指标",
        title="主要经济指标",
        unit=f"{MONEY_UNIT}；从业人员单位：人",
        columns=columns,
        rows=rows,
        note=(
            "合计只含入统企业。同比增长按可比口径计算：只比较本年和上年同期都有数据的企业，"
            "本年新增或上年无数据的企业不计入增速。从业人员为期末人数。"
        ),
    )


def _by_park_table(report: YearEndReport, link: _Links) -> Table:
    columns = [Column("park", "园区"), *indicator_columns(report)]
    rows = []
    for park in report.by_park:
        for line in park.indicators:
            query = link(f"indicator.{line.code}", park=park.code)
            values = {"park": park.name, **_indicator_values(report, line)}
            rows.append(table_row(columns, values, dict.fromkeys(INDICATOR_LINKED, query)))
    return Table(
        key="分园区指标",
        title="分园区主要经济指标",
        unit=f"{MONEY_UNIT}；从业人员单位：人",
        columns=columns,
        rows=rows,
    )


# --- Enterprises and projects -------------------------------------------------------------------


def _enterprise_table(enterprises: EnterpriseFigures, link: _Links) -> Table:
    columns = [Column("label", "企业"), Column("count", "数量(家)", Kind.COUNT)]
    lines = [
        ("登记企业", enterprises.registered, "enterprises.registered", 0),
        ("入统企业", enterprises.statistical, "enterprises.statistical", 0),
        ("其中：四上企业", enterprises.above_scale, "enterprises.above_scale", 1),
        *(
            (f"　　{category.label}", category.count, f"enterprises.category.{category.value}", 1)
            for category in enterprises.by_category
        ),
        ("未入统企业", enterprises.outside_statistics, "enterprises.outside", 0),
        ("本年新设立企业", enterprises.new, "enterprises.new", 0),
        ("其中：入统", enterprises.new_statistical, "enterprises.new_statistical", 1),
    ]
    return Table(
        key="企业",
        title="企业情况",
        unit="单位：家",
        columns=columns,
        rows=[
            table_row(
                columns, {"label": label, "count": count}, {"count": link(figure)}, level=level
            )
            for label, count, figure, level in lines
        ],
        note="按企业登记信息统计（不含已注销企业）；本年新设立指成立日期在本年1月1日至截止月末。",
    )


def _project_table(
    total: CategoryProjects, by_category: list[CategoryProjects], link: _Links
) -> Table:
    columns = [
        Column("category", "项目类别"),
        Column("status", "项目状态"),
        Column("count", "项目数(个)", Kind.COUNT),
        Column("total_investment", "总投资", Kind.MONEY),
        Column("completed", "本年完成投资", Kind.MONEY),
        Column("government", "其中：政府财政性投资", Kind.MONEY),
    ]
    rows = []
    for category in [total, *by_category]:
        for group in category.groups:
            figure = f"projects.{group.key}" + (
                f".{category.category}" if category.category else ""
            )
            rows.append(
                table_row(
                    columns,
                    {
                        "category": category.label,
                        "status": group.label,
                        "count": group.count,
                        "total_investment": group.total_investment,
                        "completed": group.completed,
                        "government": group.government,
                    },
                    dict.fromkeys(("count", "total_investment", "completed"), link(figure)),
                    is_total=not category.category and group.key == "carried_out",
                    level=0 if group.key in ("carried_out", "completed") else 1,
                )
            )
    return Table(
        key="项目",
        title="项目建设情况",
        unit=MONEY_UNIT,
        columns=columns,
        rows=rows,
        note=(
            "本年实施项目：截止月末前已开工、且未在本年以前竣工的项目；新开工、续建按开工日期"
            "是否在本年划分。本年完成投资为本年1月至截止月末的累计完成投资。"
        ),
    )


# The columns that name a project, first in every list of projects.
PROJECT_COLUMNS = [
    Column("code", "项目编号"),
    Column("name", "项目名称"),
    Column("park", "园区"),
]
PROJECT_LIST_COLUMNS = [
    *PROJECT_COLUMNS,
    Column("category", "项目类别"),
    Column("key_level", "重点级别"),
    Column("year_status", "年度状态"),
    Column("stage", "项目阶段"),
    Column("start_date", "开工日期", Kind.DATE),
    Column("completion_date", "竣工日期", Kind.DATE),
    Column("total_investment", "总投资", Kind.MONEY),
    Column("completed", "本年完成投资", Kind.MONEY),
]


def _key_project_table(lines: list[ProjectLine]) -> Table:
    return lines_table(
        PROJECT_LIST_COLUMNS,
        lines,
        key="重点项目",
        title="重点项目",
        unit=MONEY_UNIT,
        note="本年实施的省、市、县重点项目；竣工日期在截止月以后的为计划竣工日期。",
        empty="本年没有实施中的重点项目。",
    )


def _fai_table(fai: FaiStructure, link: _Links) -> Table:
    columns = [
        Column("source", "投资来源"),
        Column("completed", "本年完成投资", Kind.MONEY),
        Column("share", "占比(%)", Kind.PERCENT),
    ]
    links = {"completed": link("fai")}
    lines = [
        ("政府财政性投资", fai.government, fai.government_share, False),
        ("社会资本投资", fai.social, fai.social_share, False),
        ("合计", fai.total, HUNDRED if fai.total else None, True),
    ]
    return Table(
        key="投资结构",
        title="固定资产投资结构",
        unit=MONEY_UNIT,
        columns=columns,
        rows=[
            table_row(
                columns,
                {"source": source, "completed": amount, "share": share},
                links,
                is_total=is_total,
            )
            for source, amount, share, is_total in lines
        ],
        note="本年实施项目的完成投资；社会资本投资为完成投资减去政府财政性投资。",
    )


BOND_COLUMNS = [
    *PROJECT_COLUMNS,
    Column("this_year", "本年到位", Kind.MONEY),
    Column("total", "累计到位", Kind.MONEY),
]
BOND_NOTE = "累计到位为历年至本年到位资金之和。"


def _bond_table(bonds: BondFigures, link: _Links) -> Table:
    query = link("bonds")
    return lines_table(
        BOND_COLUMNS,
        bonds.lines,
        total={"code": "合计", "this_year": bonds.this_year, "total": bonds.total},
        total_links={"this_year": query, "total": query},
        key="专项债券",
        title="专项债券资金到位情况",
        unit=MONEY_UNIT,
        note=BOND_NOTE,
        empty="没有项目获得专项债券资金。",
    )


MONEY_LAND_COLUMNS = [Column("label", "项目"), Column("value", "数值")]
BUDGET_COLUMNS = [
    Column("code", "项目编号"),
    Column("name", "项目名称"),
    Column("budget", "概算", Kind.MONEY),
    Column("bonds", "专项债券累计到位", Kind.MONEY),
    Column("financing", "融资", Kind.MONEY),
    Column("social", "社会资本累计投资", Kind.MONEY),
    Column("gap", "资金缺口", Kind.MONEY),
]
LAND_COLUMNS = [
    Column("label", "供地方式"),
    Column("count", "宗数", Kind.COUNT),
    Column("area", "面积(亩)", Kind.AREA),
    Column("amount", "成交金额", Kind.MONEY),
    Column("price_per_mu", "亩均单价", Kind.MONEY),
]


def _money_land_tables(report: YearEndReport) -> list[Table]:
    """The projects' money and land: bonds applied, the funding gap, land supplied,
    financing arranged, scheduling meetings held and projects by light."""
    figures, year = report.money_land, report.period.year
    lines = [
        (f"{year}年申报专项债券", figures.bonds_applied, Kind.MONEY),
        (f"{year + 1}年申报专项债券", figures.bonds_applied_next_year, Kind.MONEY),
        ("资金缺口（有概算的项目）", figures.gap, Kind.MONEY),
        ("本年供地面积(亩)", figures.land_total.area, Kind.AREA),
        ("本年融资到位", figures.financing_total, Kind.MONEY),
        ("本年召开重点项目调度会(次)", figures.meetings, Kind.COUNT),
        *((f"在建项目：{label}(个)", n, Kind.COUNT) for label, n in figures.lights.items()),
    ]
    summary = Table(
        key="资金与土地",
        title="项目资金、土地与调度",
        unit=MONEY_UNIT,
        columns=MONEY_LAND_COLUMNS,
        rows=[
            table_row(MONEY_LAND_COLUMNS, {"label": label, "value": (value, kind)})
            for label, value, kind in lines
        ],
        note="资金缺口 = 概算 − 专项债券累计到位 − 融资 − 社会资本累计完成投资，不小于0。",
    )
    budgets = lines_table(
        BUDGET_COLUMNS,
        figures.budgets,
        total={"code": "合计", "gap": figures.gap},
        key="概算与资金缺口",
        title="项目概算与资金缺口",
        unit=MONEY_UNIT,
        empty="没有批复概算的项目。",
    )
    land = lines_table(
        LAND_COLUMNS,
        figures.land,
        total={
            "label": "合计",
            "count": figures.land_total.count,
            "area": figures.land_total.area,
            "amount": figures.land_total.amount,
            "price_per_mu": figures.land_total.price_per_mu,
        },
        key="土地供应",
        title="本年土地供应",
        unit=MONEY_UNIT,
        empty="本期没有供地。",
    )
    return [summary, budgets, land]


# --- Investment attraction ----------------------------------------------------------------------

ATTRACTION_COLUMNS = [
    Column("label", "项目"),
    Column("count", "数量", Kind.COUNT),
    Column("amount", "金额(万元)", Kind.MONEY),
    Column("amount_yi", "金额(亿元)", Kind.FIGURE),
]


def _money_values(amount: Decimal | None) -> dict:
    """Return a sum's cells in 万元 and in 亿元, as the documents say it ("115.02亿元")."""
    return {"amount": amount, "amount_yi": None if amount is None else wan_to_yi(amount)}


def _attraction_table(report: YearEndReport, link: _Links) -> Table:
    """The section's figures as its sentences say them: events by kind, leads docked and
    signed with their planned investment, what the fairs signed (those held after the
    cut-off apart)."""
    events, leads, columns = report.events, report.leads, ATTRACTION_COLUMNS
    rows = [
        table_row(
            columns,
            {"label": "招商活动（各类合计）(次)", "count": events.count},
            {"count": link("events")},
        )
    ]
    kinds = [kind for kind in events.by_kind if kind.count]
    for n, kind in enumerate(kinds):
        label = ("　其中：" if n == 0 else "　　　　") + f"{kind.label}(次)"
        rows.append(table_row(columns, {"label": label, "count": kind.count}, level=1))
    rows += [
        table_row(
            columns,
            {"label": "对接招商项目(个)", "count": leads.docked}
            | _money_values(leads.docked_investment),
            dict.fromkeys(("count", "amount"), link("leads.docked")),
        ),
        table_row(
            columns,
            {"label": "　其中：签约落地项目(个)", "count": leads.signed}
            | _money_values(leads.signed_investment),
            dict.fromkeys(("count", "amount"), link("leads.signed")),
            level=1,
        ),
    ]
    for prefix, fairs in (("", events.fairs), ("此外：", events.later_fairs)):
        rows += [
            table_row(
                columns,
                {
                    "label": f"{prefix}{fair.day_label}{fair.name}现场签约项目(个)",
                    "count": fair.contracts_signed,
                }
                | _money_values(fair.signed_amount),
            )
            for fair in fairs
        ]
    period = report.period
    return Table(
        key="招商引资",
        title="招商引资主要情况",
        unit="金额为计划投资或签约金额",
        columns=columns,
        rows=rows,
        note=(
            f"招商活动、对接和签约按{period.year}年1月1日至{period.month}月末统计；"
            "签约落地项目为签约日期在此期间、截止月末未终止的招商项目（含已落地的）。"
            "“此外”为截止月以后至报告生成之日（以往年度至年末）举办的招商推介会，"
            "不计入本期数字。"
        ),
    )


# The outreach events' columns: the report's table and its drill-down rows.
EVENT_COLUMNS = [
    Column("date", "日期", Kind.DATE),
    Column("name", "活动名称"),
    Column("kind", "类型"),
    Column("place", "地点"),
    Column("leader", "带队领导"),
    Column("leads_docked", "对接项目(个)", Kind.COUNT),
    Column("contracts_signed", "签约项目(个)", Kind.COUNT),
    Column("signed_amount", "签约金额", Kind.MONEY),
]


def _event_table(events: EventFigures, link: _Links) -> Table:
    return lines_table(
        EVENT_COLUMNS,
        events.lines,
        total={
            "name": f"合计 {events.count} 次",
            "leads_docked": events.leads_docked,
            "contracts_signed": events.contracts_signed,
            "signed_amount": events.signed_amount,
        },
        total_links={"name": link("events")},
        key="招商活动",
        title="招商活动",
        unit=MONEY_UNIT,
        note="活动中的对接、签约数为活动记录所填；按招商方式的对接项目数见下表（按项目统计）。",
        empty="本年截止月末没有招商活动记录。",
    )


def _channel_table(leads: LeadFigures, link: _Links) -> Table:
    columns = [
        Column("channel", "招商方式"),
        Column("count", "对接项目(个)", Kind.COUNT),
        Column("share", "占比(%)", Kind.PERCENT),
    ]
    rows = [
        table_row(
            columns,
            {"channel": channel.label, "count": channel.count, "share": channel.share},
            {"count": link(f"leads.channel.{channel.value}")},
        )
        for channel in leads.by_channel
    ]
    rows.append(
        table_row(
            columns,
            {"channel": "合计", "count": leads.docked, "share": HUNDRED if leads.docked else None},
            {"count": link("leads.docked")},
            is_total=True,
        )
    )
    return Table(
        key="对接项目",
        title="本年对接项目（按招商方式）",
        unit="单位：个",
        columns=columns,
        rows=rows,
        note="对接日期在本年1月1日至截止月末的招商项目，含此后终止的。",
    )


LEAD_LIST_COLUMNS = [
    Column("code", "编号"),
    Column("name", "项目名称"),
    Column("investor", "投资方"),
    Column("channel", "招商方式"),
    Column("park", "意向园区"),
    Column("asset_type", "资产类型"),
    Column("planned_investment", "计划投资", Kind.MONEY),
    Column("land_area_mu", "占地(亩)", Kind.AREA),
    Column("docked_on", "对接日期", Kind.DATE),
    Column("signed_on", "签约日期", Kind.DATE),
    Column("stage", "截止月末阶段"),
]


# A signed lead's list: how far it had got by the cut-off rather than its stage alone.
SIGNED_LIST_COLUMNS = [*LEAD_LIST_COLUMNS[:-1], Column("progress", "截止月末进展")]


def _signed_table(leads: LeadFigures, link: _Links) -> Table:
    query = link("leads.signed")
    return lines_table(
        SIGNED_LIST_COLUMNS,
        leads.signed_lines,
        total={"name": f"合计 {leads.signed} 个", "planned_investment": leads.signed_investment},
        total_links={"name": query, "planned_investment": query},
        key="签约项目",
        title="本年签约项目",
        unit=MONEY_UNIT,
        note=(
            "签约日期在本年1月1日至截止月末、截止月末未终止的招商项目（含已落地的）；"
            "签约投资额为计划投资之和。截止月末进展：其项目截止月末已投产、已开工，"
            "或项目已落地、已摘牌，否则为签约。"
        ),
        empty="本年截止月末没有新签约项目。",
    )


def _intended_table(leads: LeadFigures, link: _Links) -> Table:
    columns = [
        Column("asset_type", "资产类型"),
        Column("count", "项目数(个)", Kind.COUNT),
        Column("planned_investment", "计划投资", Kind.MONEY),
        Column("land_area_mu", "占地(亩)", Kind.AREA),
    ]
    rows = [
        table_row(
            columns,
            {
                "asset_type": group.label,
                "count": group.count,
                "planned_investment": group.planned_investment,
                "land_area_mu": group.land_area_mu,
            },
            {"count": link(f"leads.intended.{group.value or 'none'}")},
        )
        for group in leads.intended
    ]
    return Table(
        key="意向项目",
        title="意向项目（按资产类型）",
        unit=f"{MONEY_UNIT}；占地单位：亩",
        columns=columns,
        rows=rows,
        note="截止月末处于意向阶段的招商项目（不论对接年份）。重资产需自建用地厂房，轻资产租用标准化厂房。",
    )


def _intended_list_table(lines: list[LeadLine]) -> Table:
    return lines_table(
        LEAD_LIST_COLUMNS,
        lines,
        key="意向项目清单",
        title="意向项目清单",
        unit=f"{MONEY_UNIT}；占地单位：亩",
        empty="截止月末没有意向阶段的招商项目。",
    )


# --- Enterprise services ------------------------------------------------------------------------


SERVICE_COLUMNS = [Column("label", "项目"), Column("value", "数值", Kind.COUNT)]


def _service_tables(figures: ServiceFigures) -> list[Table]:
    lines = [
        ("解决企业诉求(件次)", figures.requests_solved, Kind.COUNT),
        ("　其中：协调解决(件次)", figures.requests_coordinated, Kind.COUNT),
        ("　　　　线上解决(件)", figures.requests_solved_online, Kind.COUNT),
        ("领代办服务企业(家)", figures.enterprises_served, Kind.COUNT),
        ("代办审批事项(项)", figures.approvals_handled, Kind.COUNT),
        ("　其中：网上办理(项)", figures.approvals_online, Kind.COUNT),
        ("按时限办结率(%)", figures.in_time_rate, Kind.PERCENT),
        ("企业满意率(%)", figures.satisfaction_rate, Kind.PERCENT),
        *((f"召开{tally.label}(次)", tally.count, Kind.COUNT) for tally in figures.meetings_held),
    ]
    summary = Table(
        key="企业服务",
        title="企业服务",
        unit="",
        columns=SERVICE_COLUMNS,
        rows=[
            table_row(SERVICE_COLUMNS, {"label": label, "value": (value, kind)})
            for label, value, kind in lines
        ],
        note=(
            "诉求和审批事项按办结日期计入；服务企业按审批事项的受理日期计入，同一企业只计一次。"
            "按时限办结率为办结日期不晚于受理日期加办理时限（自然日）的事项占办结事项的比例；"
            "满意率为“满意”“基本满意”占已评价事项的比例。"
        ),
    )
    columns = [
        Column("group", "分组"),
        Column("label", "渠道或类别"),
        Column("count", "件次", Kind.COUNT),
    ]
    rows = [
        table_row(columns, {"group": group, "label": tally.label, "count": tally.count})
        for group, tallies in (
            ("渠道", figures.solved_by_channel),
            ("类别", figures.solved_by_category),
        )
        for tally in tallies
        if tally.count
    ]
    solved = Table(
        key="企业诉求",
        title="解决企业诉求（按渠道、类别）",
        unit="单位：件次",
        columns=columns,
        rows=rows,
        empty="本期没有办结的企业诉求。",
    )
    return [summary, solved]
