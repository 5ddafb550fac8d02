"""The year-end summary's tables: headers, units and cells, defined once for every writer.

Each table is plain data: its Chinese title, unit line, columns and rows of cells.
A cell holds the builder's value, how it is shown ("—" when there is none) and,
for a figure that adds up rows, the drill-down query that lists them. The HTML
page, the xlsx workbook and the docx document all render these same tables.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from urllib.parse import urlencode

from parkportal.domain import NO_FIGURE, round_half_up

from .year_end import (
    BondFigures,
    CategoryProjects,
    EnterpriseFigures,
    EventFigures,
    EventLine,
    FaiStructure,
    IndicatorFigures,
    LeadFigures,
    LeadLine,
    ProjectLine,
    YearEndReport,
)

MONEY_UNIT = "金额单位：万元"
WHOLE = Decimal(1)


class Kind(StrEnum):
    """How a value is shown: each kind has one text form and one spreadsheet format."""

    TEXT = "text"
    MONEY = "money"  # 万元, 2 decimals
    PERCENT = "percent"  # %, 2 decimals
    POINTS = "points"  # percentage points, 2 decimals
    COUNT = "count"  # enterprises, projects, persons
    AREA = "area"  # 亩, 2 decimals
    DATE = "date"


def show(value, kind: Kind) -> str:
    """Return `value` as the tables show it; "—" when there is no figure."""
    if value == "":  # no figure belongs in the cell (a total line's date, say)
        return ""
    if value is None:
        return NO_FIGURE if kind != Kind.TEXT else ""
    if kind in (Kind.MONEY, Kind.AREA):
        return f"{round_half_up(value):,}"
    if kind in (Kind.PERCENT, Kind.POINTS):
        return f"{round_half_up(value)}"
    if kind == Kind.COUNT:
        return f"{round_half_up(Decimal(value), WHOLE):,}"
    if kind == Kind.DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    return str(value)


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Cell:
    """One value of a table, with its text and, for a traceable figure, its drill-down query."""

    value: object
    kind: Kind
    text: str
    query: str = ""  # the drill-down's query string, "" when the cell is no figure


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    is_total: bool = False
    level: int = 0  # 1 for a "其中" line under the one above


@dataclass(frozen=True)
class Table:
    key: str  # also the xlsx sheet's name
    title: str
    unit: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    empty: str = "无"  # what the table says when it has no rows


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


def table_row(
    columns: list[Column], values: list, links: dict[int, str] | None = None, **kw
) -> Row:
    """Return a row of `values` shown by the columns' kinds; `links` maps index → query."""
    links = links or {}
    cells = []
    for index, (column, value) in enumerate(zip(columns, values, strict=True)):
        kind = column.kind
        if isinstance(value, tuple):  # (value, kind) overrides the column's kind
            value, kind = value
        cells.append(Cell(value, kind, show(value, kind), links.get(index, "")))
    return Row(cells, **kw)


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
    if report.events is not None:
        tables.append(_event_table(report.events, link))
    tables += [
        _channel_table(report.leads, link),
        _signed_table(report.leads, link),
        _intended_table(report.leads, link),
        _intended_list_table(report.leads.intended_lines),
    ]
    return [replace(table, title=f"表{n} {table.title}") for n, table in enumerate(tables, start=1)]


def indicator_columns(report: YearEndReport) -> list[Column]:
    label = report.period.label
    return [
        Column("指标"),
        Column("单位"),
        Column(f"本年{label}", Kind.MONEY),
        Column(f"上年{label}", Kind.MONEY),
        Column("同比增长(%)", Kind.PERCENT),
        Column("可比企业(家)", Kind.COUNT),
        Column("年度目标", Kind.MONEY),
        Column("完成率(%)", Kind.PERCENT),
        Column("时间进度(%)", Kind.PERCENT),
        Column("全年预计", Kind.MONEY),
        Column("预计增长(%)", Kind.PERCENT),
    ]


def _amount(line: IndicatorFigures, value: Decimal | None):
    """Return a figure of an indicator with its kind: money for flows, a count for persons."""
    return (value, Kind.MONEY if line.unit == "万元" else Kind.COUNT)


def _indicator_values(report: YearEndReport, line: IndicatorFigures) -> list:
    return [
        line.name,
        line.unit,
        _amount(line, line.current),
        _amount(line, line.last_year),
        line.growth.rate,
        line.growth.members,
        _amount(line, line.target),
        line.completion,
        report.time_progress if line.target is not None else None,
        _amount(line, line.forecast),
        line.forecast_growth,
    ]


def _indicator_table(report: YearEndReport, link: _Links) -> Table:
    columns = indicator_columns(report)
    rows = []
    for line in report.indicators:
        query = link(f"indicator.{line.code}")
        rows.append(
            table_row(columns, _indicator_values(report, line), {2: query, 3: query, 5: query})
        )
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
    columns = [Column("园区"), *indicator_columns(report)]
    rows = []
    for park in report.by_park:
        for line in park.indicators:
            query = link(f"indicator.{line.code}", park=park.code)
            rows.append(
                table_row(
                    columns,
                    [park.name, *_indicator_values(report, line)],
                    {3: query, 4: query, 6: query},
                )
            )
    return Table(
        key="分园区指标",
        title="分园区主要经济指标",
        unit=f"{MONEY_UNIT}；从业人员单位：人",
        columns=columns,
        rows=rows,
    )


def _enterprise_table(enterprises: EnterpriseFigures, link: _Links) -> Table:
    columns = [Column("企业"), Column("数量(家)", Kind.COUNT)]
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
            table_row(columns, [label, count], {1: link(figure)}, level=level)
            for label, count, figure, level in lines
        ],
        note="按企业登记信息统计（不含已注销企业）；本年新设立指成立日期在本年1月1日至截止月末。",
    )


def _project_table(
    total: CategoryProjects, by_category: list[CategoryProjects], link: _Links
) -> Table:
    columns = [
        Column("项目类别"),
        Column("项目状态"),
        Column("项目数(个)", Kind.COUNT),
        Column("总投资", Kind.MONEY),
        Column("本年完成投资", Kind.MONEY),
        Column("其中：政府财政性投资", Kind.MONEY),
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
                    [
                        category.label,
                        group.label,
                        group.count,
                        group.total_investment,
                        group.completed,
                        group.government,
                    ],
                    {2: link(figure), 3: link(figure), 4: link(figure)},
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


PROJECT_LIST_COLUMNS = [
    Column("项目编号"),
    Column("项目名称"),
    Column("园区"),
    Column("项目类别"),
    Column("重点级别"),
    Column("年度状态"),
    Column("项目阶段"),
    Column("开工日期", Kind.DATE),
    Column("竣工日期", Kind.DATE),
    Column("总投资", Kind.MONEY),
    Column("本年完成投资", Kind.MONEY),
]


def project_values(line: ProjectLine) -> list:
    return [
        line.code,
        line.name,
        line.park,
        line.category,
        line.key_level,
        line.year_status,
        line.stage,
        line.start_date,
        line.completion_date,
        line.total_investment,
        line.completed,
    ]


def _key_project_table(lines: list[ProjectLine]) -> Table:
    return Table(
        key="重点项目",
        title="重点项目",
        unit=MONEY_UNIT,
        columns=PROJECT_LIST_COLUMNS,
        rows=[table_row(PROJECT_LIST_COLUMNS, project_values(line)) for line in lines],
        note="本年实施的省、市、县重点项目；竣工日期在截止月以后的为计划竣工日期。",
        empty="本年没有实施中的重点项目。",
    )


def _fai_table(fai: FaiStructure, link: _Links) -> Table:
    columns = [
        Column("投资来源"),
        Column("本年完成投资", Kind.MONEY),
        Column("占比(%)", Kind.PERCENT),
    ]
    query = link("fai")
    return Table(
        key="投资结构",
        title="固定资产投资结构",
        unit=MONEY_UNIT,
        columns=columns,
        rows=[
            table_row(
                columns, ["政府财政性投资", fai.government, fai.government_share], {1: query}
            ),
            table_row(columns, ["社会资本投资", fai.social, fai.social_share], {1: query}),
            table_row(
                columns,
                ["合计", fai.total, Decimal(100) if fai.total else None],
                {1: query},
                is_total=True,
            ),
        ],
        note="本年实施项目的完成投资；社会资本投资为完成投资减去政府财政性投资。",
    )


def _bond_table(bonds: BondFigures, link: _Links) -> Table:
    columns = [
        Column("项目编号"),
        Column("项目名称"),
        Column("园区"),
        Column("本年到位", Kind.MONEY),
        Column("累计到位", Kind.MONEY),
    ]
    query = link("bonds")
    rows = [
        table_row(columns, [line.code, line.project, line.park, line.this_year, line.total])
        for line in bonds.lines
    ]
    if rows:
        rows.append(
            table_row(
                columns,
                ["合计", "", "", bonds.this_year, bonds.total],
                {3: query, 4: query},
                is_total=True,
            )
        )
    return Table(
        key="专项债券",
        title="专项债券资金到位情况",
        unit=MONEY_UNIT,
        columns=columns,
        rows=rows,
        note="累计到位为历年至本年到位资金之和。",
        empty="没有项目获得专项债券资金。",
    )


# The outreach events' columns: the report's table and its drill-down rows.
EVENT_COLUMNS = [
    Column("日期", Kind.DATE),
    Column("活动名称"),
    Column("类型"),
    Column("地点"),
    Column("带队领导"),
    Column("对接项目(个)", Kind.COUNT),
    Column("签约项目(个)", Kind.COUNT),
    Column("签约金额", Kind.MONEY),
]


def event_values(line: EventLine) -> list:
    return [
        line.date,
        line.name,
        line.kind,
        line.place,
        line.leader,
        line.leads_docked,
        line.contracts_signed,
        line.signed_amount,
    ]


def _event_table(events: EventFigures, link: _Links) -> Table:
    columns = EVENT_COLUMNS
    rows = [table_row(columns, event_values(line)) for line in events.lines]
    if rows:
        rows.append(
            table_row(
                columns,
                [
                    "",
                    f"合计 {events.count} 次",
                    "",
                    "",
                    "",
                    events.leads_docked,
                    events.contracts_signed,
                    events.signed_amount,
                ],
                {1: link("events")},
                is_total=True,
            )
        )
    return Table(
        key="招商活动",
        title="招商活动",
        unit=MONEY_UNIT,
        columns=columns,
        rows=rows,
        note="活动中的对接、签约数为活动记录所填；按招商方式的对接项目数见下表（按项目统计）。",
        empty="本年截止月末没有招商活动记录。",
    )


def _channel_table(leads: LeadFigures, link: _Links) -> Table:
    columns = [
        Column("招商方式"),
        Column("对接项目(个)", Kind.COUNT),
        Column("占比(%)", Kind.PERCENT),
    ]
    rows = [
        table_row(
            columns,
            [channel.label, channel.count, channel.share],
            {1: link(f"leads.channel.{channel.value}")},
        )
        for channel in leads.by_channel
    ]
    rows.append(
        table_row(
            columns,
            ["合计", leads.docked, Decimal(100) if leads.docked else None],
            {1: link("leads.docked")},
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
    Column("编号"),
    Column("项目名称"),
    Column("投资方"),
    Column("招商方式"),
    Column("意向园区"),
    Column("资产类型"),
    Column("计划投资", Kind.MONEY),
    Column("占地(亩)", Kind.AREA),
    Column("对接日期", Kind.DATE),
    Column("签约日期", Kind.DATE),
    Column("截止月末阶段"),
]


def lead_values(line: LeadLine) -> list:
    return [
        line.code,
        line.name,
        line.investor,
        line.channel,
        line.park,
        line.asset_type,
        line.planned_investment,
        line.land_area_mu,
        line.docked_on,
        line.signed_on,
        line.stage,
    ]


def _signed_table(leads: LeadFigures, link: _Links) -> Table:
    columns = LEAD_LIST_COLUMNS
    rows = [table_row(columns, lead_values(line)) for line in leads.signed_lines]
    if rows:
        total = [""] * len(columns)
        total[1] = f"合计 {leads.signed} 个"
        total[6] = leads.signed_investment
        rows.append(
            table_row(
                columns, total, {1: link("leads.signed"), 6: link("leads.signed")}, is_total=True
            )
        )
    return Table(
        key="签约项目",
        title="本年签约项目",
        unit=MONEY_UNIT,
        columns=columns,
        rows=rows,
        note="签约日期在本年1月1日至截止月末、截止月末未终止的招商项目；签约投资额为计划投资之和。",
        empty="本年截止月末没有新签约项目。",
    )


def _intended_table(leads: LeadFigures, link: _Links) -> Table:
    columns = [
        Column("资产类型"),
        Column("项目数(个)", Kind.COUNT),
        Column("计划投资", Kind.MONEY),
        Column("占地(亩)", Kind.AREA),
    ]
    rows = [
        table_row(
            columns,
            [group.label, group.count, group.planned_investment, group.land_area_mu],
            {1: link(f"leads.intended.{group.value or 'none'}")},
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
    return Table(
        key="意向项目清单",
        title="意向项目清单",
        unit=f"{MONEY_UNIT}；占地单位：亩",
        columns=LEAD_LIST_COLUMNS,
        rows=[table_row(LEAD_LIST_COLUMNS, lead_values(line)) for line in lines],
        empty="截止月末没有意向阶段的招商项目。",
    )
