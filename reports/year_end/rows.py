"""The rows behind a figure of the year-end summary: its enterprises, projects or leads.

A figure key (`indicator.revenue`, `projects.new.industrial`, `leads.signed` …)
names a figure of the report; `figure_rows()` returns the same queryset the
builder adds up for it, with the columns to list its rows. The rows are read a
page at a time; an enterprise's name links to its page (reports.links).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Subquery

from indicators.models import Indicator
from investment.choices import AssetType, Channel
from investment.selectors import docked_leads, intended_leads, scope_events, signed_leads
from parkportal.choices import ScaleCategory
from parkportal.models import Enterprise
from projects.choices import ProjectCategory
from projects.selectors import bond_lines, carried_out_projects

from ..figures import figure_of, register_then, stored
from ..links import EnterpriseLinks
from ..scope import ReportPeriod, ReportScope
from ..tables import Column, Kind, line_values
from .attraction import event_line, lead_line, with_park_name
from .projects import PROJECT_GROUPS, bond_line, project_group_q, project_line
from .tables import (
    BOND_COLUMNS,
    BOND_NOTE,
    EVENT_COLUMNS,
    LEAD_LIST_COLUMNS,
    PROJECT_COLUMNS,
    PROJECT_LIST_COLUMNS,
)

PAGE_SIZE = 50


def _no_pages(row, links: EnterpriseLinks) -> dict[str, str]:
    return {}


def _enterprise_page(enterprise, links: EnterpriseLinks) -> dict[str, str]:
    """Return the link of a row of enterprises: its name, to the enterprise's page."""
    return {"name": links(enterprise.pk, enterprise.park_id)}


@dataclass(frozen=True)
class FigureRows:
    """What a drill-down lists: its title, columns, the rows' queryset, how to show a row
    (its values by column name) and which of its cells link to a record's page."""

    title: str
    note: str
    columns: list[Column]
    queryset: QuerySet
    values: Callable[[object], dict]
    unit: str = "金额单位：万元"
    pages: Callable[[object, EnterpriseLinks], dict[str, str]] = _no_pages


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
    indicator = Indicator.objects.active().filter(code=code).first()
    if indicator is None:
        raise UnknownFigure(code)
    kind = Kind.MONEY if indicator.is_money else Kind.COUNT
    # The enterprises whose official figures reports.figures adds up: deregistered ones
    # too, for the months they reported.
    queryset = (
        Enterprise.objects.statistical()
        .filter(park_id__in=scope.park_ids)
        .annotate(
            current=Subquery(figure_of(period.year, period.month, indicator)),
            last_year=Subquery(figure_of(period.year - 1, period.month, indicator)),
        )
        .filter(Q(current__isnull=False) | Q(last_year__isnull=False))
        .select_related("park")
        .order_by("park__sort_order", "park__code", "name")
    )

    def values(enterprise) -> dict:
        comparable = enterprise.current is not None and enterprise.last_year is not None
        return {
            "credit_code": enterprise.credit_code,
            "name": enterprise.name,
            "park": enterprise.park.name,
            "current": stored(enterprise.current),
            "last_year": stored(enterprise.last_year),
            "comparable": "是" if comparable else "否（不计入增速）",
        }

    return FigureRows(
        title=f"{indicator.name}（{indicator.unit}）：入统企业明细",
        note=(
            "合计只含入统企业；两年都有数据的企业计入同比增速（可比口径），"
            "只有一年有数据的企业计入该年合计，但不计入增速。"
        ),
        columns=[
            Column("credit_code", "统一社会信用代码"),
            Column("name", "企业名称"),
            Column("park", "园区"),
            Column("current", f"本年{period.label}", kind),
            Column("last_year", f"上年{period.label}", kind),
            Column("comparable", "计入可比增速"),
        ],
        queryset=queryset,
        values=values,
        unit=f"单位：{indicator.unit}",
        pages=_enterprise_page,
    )


ENTERPRISE_FIGURES = {
    "registered": ("登记企业", Q()),
    "statistical": ("入统企业", Q(in_statistics_then=True)),
    "above_scale": ("四上企业", ~Q(scale_category_then="")),
    "outside": ("未入统企业", Q(in_statistics_then=False)),
    "new": ("本年新设立企业", None),
    "new_statistical": ("本年新设立的入统企业", None),
}
ENTERPRISE_COLUMNS = [
    Column("credit_code", "统一社会信用代码"),
    Column("name", "企业名称"),
    Column("park", "园区"),
    Column("in_statistics", "是否入统"),
    Column("scale_category", "四上类别"),
    Column("established_on", "成立日期", Kind.DATE),
    Column("status", "状态"),
]


def _enterprise_rows(scope: ReportScope, period: ReportPeriod, key: str) -> FigureRows:
    new = Q(established_on__gte=period.start, established_on__lte=period.cut_off)
    if key.startswith("category."):
        category = key.removeprefix("category.")
        if category not in ScaleCategory.values:
            raise UnknownFigure(key)
        title, q = f"四上企业：{ScaleCategory(category).label}", Q(scale_category_then=category)
    elif key in ENTERPRISE_FIGURES:
        title, q = ENTERPRISE_FIGURES[key]
        if key == "new":
            q = new
        elif key == "new_statistical":
            q = new & Q(in_statistics_then=True)
    else:
        raise UnknownFigure(key)
    return FigureRows(
        title=title,
        note="按截止月末的企业登记信息统计，不含当时已注销的企业。",
        columns=ENTERPRISE_COLUMNS,
        queryset=register_then(scope, period)
        .filter(q)
        .select_related("park")
        .order_by("park__sort_order", "park__code", "name"),
        values=lambda e: {
            "credit_code": e.credit_code,
            "name": e.name,
            "park": e.park.name,
            "in_statistics": "是" if e.in_statistics_then else "否",
            "scale_category": ScaleCategory(e.scale_category_then).label
            if e.scale_category_then
            else "",
            "established_on": e.established_on,
            "status": e.get_status_display(),
        },
        unit="",
        pages=_enterprise_page,
    )


def _projects(scope: ReportScope, period: ReportPeriod) -> QuerySet:
    return (
        carried_out_projects(scope.park_ids, period.cut_off)
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
        values=lambda project: line_values(PROJECT_LIST_COLUMNS, project_line(project)),
    )


def _fai_rows(scope: ReportScope, period: ReportPeriod, key: str) -> FigureRows:
    if key:
        raise UnknownFigure(key)

    def values(project) -> dict:
        completed, government = stored(project.completed), stored(project.government)
        return {
            "code": project.code,
            "name": project.name,
            "park": project.park.name,
            "completed": completed,
            "government": government,
            "social": completed - government if completed is not None else None,
        }

    return FigureRows(
        title="本年完成投资：政府财政性投资与社会资本投资",
        note="本年实施项目本年1月至截止月末的累计完成投资；社会资本投资为完成投资减去政府财政性投资。",
        columns=[
            *PROJECT_COLUMNS,
            Column("completed", "本年完成投资", Kind.MONEY),
            Column("government", "政府财政性投资", Kind.MONEY),
            Column("social", "社会资本投资", Kind.MONEY),
        ],
        queryset=_projects(scope, period),
        values=values,
    )


def _bond_rows(scope: ReportScope, period: ReportPeriod, key: str) -> FigureRows:
    if key:
        raise UnknownFigure(key)
    return FigureRows(
        title="专项债券资金到位",
        note=BOND_NOTE,
        columns=BOND_COLUMNS,
        queryset=bond_lines(scope.park_ids, period.year),
        values=lambda row: line_values(BOND_COLUMNS, bond_line(row)),
    )


def _event_rows(scope: ReportScope, period: ReportPeriod, key: str) -> FigureRows:
    if key:
        raise UnknownFigure(key)
    # The scope's own events, as the report counts them (attraction.event_figures).
    events = scope_events(scope.lead_park_ids, period.start, period.cut_off)
    return FigureRows(
        title="招商活动",
        note="园区的报告只含所属园区为本园区的招商活动；开发区的报告含全区的。",
        columns=EVENT_COLUMNS,
        queryset=events.order_by("date", "name"),
        values=lambda event: line_values(EVENT_COLUMNS, event_line(event)),
    )


def _lead_rows(scope: ReportScope, period: ReportPeriod, key: str) -> FigureRows:
    parks, cut_off = scope.lead_park_ids, period.cut_off
    if key == "docked":
        title, queryset = "本年对接项目", docked_leads(parks, cut_off)
    elif key.startswith("channel.") and key.removeprefix("channel.") in Channel.values:
        channel = key.removeprefix("channel.")
        title = f"本年对接项目：{Channel(channel).label}"
        queryset = docked_leads(parks, cut_off).filter(channel=channel)
    elif key == "signed":
        title, queryset = "本年签约项目", signed_leads(parks, cut_off)
    elif key == "intended":
        title, queryset = "意向项目", intended_leads(parks, cut_off)
    elif key.startswith("intended."):
        asset = key.removeprefix("intended.")
        if asset == "none":
            title = "意向项目：资产类型未注明"
            queryset = intended_leads(parks, cut_off).filter(asset_type="")
        elif asset in AssetType.values:
            title = f"意向项目：{AssetType(asset).label}"
            queryset = intended_leads(parks, cut_off).filter(asset_type=asset)
        else:
            raise UnknownFigure(key)
    else:
        raise UnknownFigure(key)
    return FigureRows(
        title=title,
        note="阶段为截止月末时的阶段。",
        columns=LEAD_LIST_COLUMNS,
        queryset=with_park_name(queryset).order_by("docked_on", "code"),
        values=lambda lead: line_values(LEAD_LIST_COLUMNS, lead_line(lead, period)),
    )
