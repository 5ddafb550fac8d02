"""The rows behind a figure of the year-end summary: its enterprises, projects or leads.

A figure key (`indicator.revenue`, `projects.new.industrial`, `leads.signed` …)
names a figure of the report; `figure_rows()` returns the same queryset the
builder adds up for it, with the columns to list its rows. The rows are read a
page at a time.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Subquery

from indicators.models import Indicator
from investment.choices import AssetType, Channel
from parkportal.choices import ScaleCategory
from parkportal.models import Enterprise
from projects.choices import ProjectCategory

from .year_end import (
    PROJECT_GROUPS,
    ReportPeriod,
    ReportScope,
    bond_line,
    bond_lines,
    carried_out_projects,
    docked_leads,
    event_line,
    figure_of,
    intended_leads,
    lead_line,
    outreach_events,
    project_group_q,
    project_line,
    register,
    signed_leads,
    stored,
)
from .year_end_tables import (
    EVENT_COLUMNS,
    LEAD_LIST_COLUMNS,
    PROJECT_LIST_COLUMNS,
    Column,
    Kind,
    event_values,
    lead_values,
    project_values,
)

PAGE_SIZE = 50


@dataclass(frozen=True)
class FigureRows:
    """What a drill-down lists: its title, columns, the rows' queryset and how to show a row."""

    title: str
    note: str
    columns: list[Column]
    queryset: QuerySet
    values: Callable[[object], list]
    unit: str = "金额单位：万元"


class UnknownFigure(LookupError):
    """The figure key names no figure of the report."""


def figure_rows(scope: ReportScope, period: ReportPeriod, figure: str) -> FigureRows:
    """Return the rows behind `figure`; raise UnknownFigure for a key that names none."""
    head, _, rest = figure.partition(".")
    builders = {
        "indicator": _indicator_rows,
        "enterprises": _enterprise_rows,
        "projects": _project_rows,
        "fai": _fai_rows,
        "bonds": _bond_rows,
        "events": _event_rows,
        "leads": _lead_rows,
    }
    if head not in builders:
        raise UnknownFigure(figure)
    return builders[head](scope, period, rest)


def _indicator_rows(scope: ReportScope, period: ReportPeriod, code: str) -> FigureRows:
    indicator = Indicator.objects.filter(code=code, is_active=True).first()
    if indicator is None:
        raise UnknownFigure(code)
    kind = Kind.MONEY if indicator.unit == "万元" else Kind.COUNT
    # The enterprises whose figures statistical_figures() adds up: deregistered ones too,
    # for the months they reported.
    queryset = (
        Enterprise.objects.filter(park_id__in=scope.park_ids, in_statistics=True)
        .annotate(
            current=Subquery(figure_of(period.year, period.month, indicator)),
            last_year=Subquery(figure_of(period.year - 1, period.month, indicator)),
        )
        .filter(Q(current__isnull=False) | Q(last_year__isnull=False))
        .select_related("park")
        .order_by("park__sort_order", "park__code", "name")
    )

    def values(enterprise) -> list:
        comparable = enterprise.current is not None and enterprise.last_year is not None
        return [
            enterprise.credit_code,
            enterprise.name,
            enterprise.park.name,
            stored(enterprise.current),
            stored(enterprise.last_year),
            "是" if comparable else "否（不计入增速）",
        ]

    return FigureRows(
        title=f"{indicator.name}（{indicator.unit}）：入统企业明细",
        note=(
            "合计只含入统企业；两年都有数据的企业计入同比增速（可比口径），"
            "只有一年有数据的企业计入该年合计，但不计入增速。"
        ),
        columns=[
            Column("统一社会信用代码"),
            Column("企业名称"),
            Column("园区"),
            Column(f"本年{period.label}", kind),
            Column(f"上年{period.label}", kind),
            Column("计入可比增速"),
        ],
        queryset=queryset,
        values=values,
        unit=f"单位：{indicator.unit}",
    )


ENTERPRISE_FIGURES = {
    "registered": ("登记企业", Q()),
    "statistical": ("入统企业", Q(in_statistics=True)),
    "above_scale": ("四上企业", ~Q(scale_category="")),
    "outside": ("未入统企业", Q(in_statistics=False)),
    "new": ("本年新设立企业", None),
    "new_statistical": ("本年新设立的入统企业", None),
}


def _enterprise_rows(scope: ReportScope, period: ReportPeriod, key: str) -> FigureRows:
    new = Q(established_on__gte=period.start, established_on__lte=period.cut_off)
    if key.startswith("category."):
        category = key.removeprefix("category.")
        if category not in ScaleCategory.values:
            raise UnknownFigure(key)
        title, q = f"四上企业：{ScaleCategory(category).label}", Q(scale_category=category)
    elif key in ENTERPRISE_FIGURES:
        title, q = ENTERPRISE_FIGURES[key]
        if key == "new":
            q = new
        elif key == "new_statistical":
            q = new & Q(in_statistics=True)
    else:
        raise UnknownFigure(key)
    return FigureRows(
        title=title,
        note="按企业登记信息统计，不含已注销企业。",
        columns=[
            Column("统一社会信用代码"),
            Column("企业名称"),
            Column("园区"),
            Column("是否入统"),
            Column("四上类别"),
            Column("成立日期", Kind.DATE),
            Column("状态"),
        ],
        queryset=register(scope)
        .filter(q)
        .select_related("park")
        .order_by("park__sort_order", "park__code", "name"),
        values=lambda e: [
            e.credit_code,
            e.name,
            e.park.name,
            "是" if e.in_statistics else "否",
            e.get_scale_category_display(),
            e.established_on,
            e.get_status_display(),
        ],
        unit="",
    )


def _projects(scope: ReportScope, period: ReportPeriod) -> QuerySet:
    return (
        carried_out_projects(scope, period)
        .select_related("park")
        .order_by("park__sort_order", "park__code", "code")
    )


def _project_rows(scope: ReportScope, period: ReportPeriod, key: str) -> FigureRows:
    group, _, category = key.partition(".")
    labels = dict(PROJECT_GROUPS)
    if group not in labels or (category and category not in ProjectCategory.values):
        raise UnknownFigure(key)
    q = project_group_q(group, period)
    title = labels[group].removeprefix("其中：")
    if category:
        q &= Q(category=category)
        title = f"{ProjectCategory(category).label} · {title}"
    return FigureRows(
        title=f"{title}项目",
        note="本年实施项目：截止月末前已开工、且未在本年以前竣工的项目。",
        columns=PROJECT_LIST_COLUMNS,
        queryset=_projects(scope, period).filter(q),
        values=lambda project: project_values(project_line(project)),
    )


def _fai_rows(scope: ReportScope, period: ReportPeriod, key: str) -> FigureRows:
    if key:
        raise UnknownFigure(key)

    def values(project) -> list:
        completed, government = stored(project.completed), stored(project.government)
        social = completed - government if completed is not None else None
        return [project.code, project.name, project.park.name, completed, government, social]

    return FigureRows(
        title="本年完成投资：政府财政性投资与社会资本投资",
        note="本年实施项目本年1月至截止月末的累计完成投资；社会资本投资为完成投资减去政府财政性投资。",
        columns=[
            Column("项目编号"),
            Column("项目名称"),
            Column("园区"),
            Column("本年完成投资", Kind.MONEY),
            Column("政府财政性投资", Kind.MONEY),
            Column("社会资本投资", Kind.MONEY),
        ],
        queryset=_projects(scope, period),
        values=values,
    )


def _bond_rows(scope: ReportScope, period: ReportPeriod, key: str) -> FigureRows:
    if key:
        raise UnknownFigure(key)

    def values(row) -> list:
        line = bond_line(row)
        return [line.code, line.project, line.park, line.this_year, line.total]

    return FigureRows(
        title="专项债券资金到位",
        note="累计到位为历年至本年到位资金之和。",
        columns=[
            Column("项目编号"),
            Column("项目名称"),
            Column("园区"),
            Column("本年到位", Kind.MONEY),
            Column("累计到位", Kind.MONEY),
        ],
        queryset=bond_lines(scope, period),
        values=values,
    )


def _event_rows(scope: ReportScope, period: ReportPeriod, key: str) -> FigureRows:
    if key:
        raise UnknownFigure(key)

    def values(event) -> list:
        return event_values(event_line(event))

    return FigureRows(
        title="招商活动",
        note="招商活动按全区统计。",
        columns=EVENT_COLUMNS,
        queryset=outreach_events(scope, period).order_by("date", "name"),
        values=values,
    )


def _lead_rows(scope: ReportScope, period: ReportPeriod, key: str) -> FigureRows:
    if key == "docked":
        title, queryset = "本年对接项目", docked_leads(scope, period)
    elif key.startswith("channel.") and key.removeprefix("channel.") in Channel.values:
        channel = key.removeprefix("channel.")
        title = f"本年对接项目：{Channel(channel).label}"
        queryset = docked_leads(scope, period).filter(channel=channel)
    elif key == "signed":
        title, queryset = "本年签约项目", signed_leads(scope, period)
    elif key == "intended":
        title, queryset = "意向项目", intended_leads(scope, period)
    elif key.startswith("intended."):
        asset = key.removeprefix("intended.")
        if asset == "none":
            title, queryset = (
                "意向项目：资产类型未注明",
                intended_leads(scope, period).filter(asset_type=""),
            )
        elif asset in AssetType.values:
            title = f"意向项目：{AssetType(asset).label}"
            queryset = intended_leads(scope, period).filter(asset_type=asset)
        else:
            raise UnknownFigure(key)
    else:
        raise UnknownFigure(key)
    return FigureRows(
        title=title,
        note="阶段为截止月末时的阶段。",
        columns=LEAD_LIST_COLUMNS,
        queryset=queryset.select_related("park").order_by("docked_on", "code"),
        values=lambda lead: lead_values(lead_line(lead, period)),
    )
