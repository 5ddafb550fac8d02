"""An enterprise's page: three years of monthly figures, its projects, its latest changes.

Readers see official figures only; those who may enter the park's figures see its
draft months too, each marked as a draft (docs/domain.md, "Official figures").
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, QuerySet, Value
from django.urls import reverse
from django.utils import timezone

from indicators.domain import Growth, growth_of
from indicators.models import FigureChange, Indicator, MonthlyValue
from indicators.official import official_figure_q
from indicators.selectors import enterprise_figure_history
from investment.selectors import enterprise_leads
from parkportal.display import NO_FIGURE
from parkportal.models import Enterprise
from projects.models import Project
from projects.selectors import enterprise_land, enterprise_projects

from .domain import own_by_month
from .scope import months_label
from .tables import Column, Kind, Table, lines_table, table_row

YEARS_SHOWN = 3

CHANGES_SHOWN = 10


@dataclass(frozen=True)
class EnterpriseYear:
    """One indicator's twelve months of one year: as reported, and each month's own value."""

    year: int
    cumulative: list[Decimal | None]  # the figure as reported (1-N for a flow)
    own: list[Decimal | None]  # a flow's own value of the month; None where unknown
    own_labels: list[str]  # "3月", or "1-2月" when the months before have no figure
    drafts: list[bool]  # whether the month's figure is a draft (its park has not reported)

    @property
    def cumulative_cells(self) -> list[tuple[Decimal | None, bool]]:
        """Return each month's figure with whether it is a draft, for the page's table."""
        return list(zip(self.cumulative, self.drafts, strict=True))

    @property
    def own_cells(self) -> list[tuple[Decimal | None, bool]]:
        return list(zip(self.own, self.drafts, strict=True))


@dataclass(frozen=True)
class EnterpriseIndicator:
    code: str
    name: str
    unit: str
    is_flow: bool
    years: list[EnterpriseYear]  # oldest first
    latest_month: int | None  # the latest month of the last year with a figure
    latest: Decimal | None
    latest_is_draft: bool
    same_month_last_year: Decimal | None
    growth: Growth  # a rate, or across a loss its word (由盈转亏…)


@dataclass(frozen=True)
class EnterpriseProject:
    code: str
    name: str
    stage: str
    key_level: str
    start_date: date | None
    completion_date: date | None
    total_investment: Decimal
    completed: Decimal | None  # this year's completed investment by its latest report
    completed_month: int | None

    @property
    def completed_months(self) -> str:
        """Return the months the completed investment covers: "1-3月"; "" without one."""
        return months_label(self.completed_month) if self.completed_month else ""


@dataclass(frozen=True)
class ChangeLine:
    """A change of one of the enterprise's figures, as the page lists it."""

    changed_at: str
    month: str
    indicator: str
    old_value: Decimal | None
    new_value: Decimal | None
    changed_by: str
    source: str

    @classmethod
    def of(cls, change: FigureChange) -> "ChangeLine":
        return cls(
            changed_at=timezone.localtime(change.changed_at).strftime("%Y-%m-%d %H:%M"),
            month=f"{change.year}年{change.month}月",
            indicator=change.indicator.name,
            old_value=change.old_value,
            new_value=change.new_value,
            changed_by=str(change.changed_by) if change.changed_by else NO_FIGURE,
            source=change.get_source_display(),
        )


CHANGE_COLUMNS = [
    Column("changed_at", "修改时间"),
    Column("month", "月份"),
    Column("indicator", "指标"),
    Column("old_value", "原值", Kind.FIGURE),
    Column("new_value", "新值", Kind.FIGURE),
    Column("changed_by", "修改人"),
    Column("source", "来源"),
]


@dataclass(frozen=True)
class EnterprisePage:
    """An enterprise over three years: its figures, its projects, the latest changes."""

    enterprise: Enterprise
    year: int
    years: list[int]
    indicators: list[EnterpriseIndicator]
    projects: list[EnterpriseProject]
    leads: list  # investment.Lead: the leads it came from, with their project
    land: list  # projects.LandPlot: the plots supplied to it
    changes: list[FigureChange]
    shows_drafts: bool  # the reader may enter the park's figures: drafts are shown, marked

    @property
    def has_figures(self) -> bool:
        return any(line.latest is not None for line in self.indicators)

    @property
    def has_drafts(self) -> bool:
        return any(any(year.drafts) for line in self.indicators for year in line.years)

    @property
    def projects_table(self) -> Table:
        columns = [
            Column("code", "项目编号"),
            Column("name", "项目名称"),
            Column("stage", "阶段"),
            Column("key_level", "重点级别"),
            Column("start_date", "开工日期", Kind.DATE),
            Column("completion_date", "竣工日期", Kind.DATE),
            Column("total_investment", "总投资", Kind.MONEY),
            Column("completed", f"{self.year}年完成投资", Kind.MONEY),
            Column("completed_months", "完成投资期间"),
        ]
        return lines_table(
            columns,
            self.projects,
            key="企业项目",
            title="企业项目",
            unit="金额单位：万元",
            empty="该企业没有登记项目。",
        )

    @property
    def leads_table(self) -> Table:
        """The leads the enterprise came from: from first contact to the project it became."""
        columns = [
            Column("code", "招商项目编号"),
            Column("name", "招商项目"),
            Column("channel", "招商方式"),
            Column("stage", "阶段"),
            Column("docked_on", "对接日期", Kind.DATE),
            Column("signed_on", "签约日期", Kind.DATE),
            Column("planned_investment", "计划投资", Kind.MONEY),
            Column("project", "落地项目"),
        ]
        rows = [
            table_row(
                columns,
                {
                    "code": lead.code,
                    "name": lead.name,
                    "channel": lead.get_channel_display(),
                    "stage": lead.get_stage_display(),
                    "docked_on": lead.docked_on,
                    "signed_on": lead.signed_on,
                    "planned_investment": lead.planned_investment,
                    "project": lead.project.name,
                },
                pages={
                    "name": reverse("investment:lead", args=[lead.pk]),
                    "project": reverse("projects:project", args=[lead.project_id]),
                },
            )
            for lead in self.leads
        ]
        return Table(
            key="招商来源",
            title="招商来源",
            unit="金额单位：万元",
            columns=columns,
            rows=rows,
            empty="该企业的项目不是由登记的招商项目转来的。",
        )

    @property
    def land_table(self) -> Table:
        """The plots supplied to the enterprise, with what it promised per 亩."""
        columns = [
            Column("code", "地块编号"),
            Column("way", "供地方式"),
            Column("dealt_on", "成交日期", Kind.DATE),
            Column("area_mu", "面积(亩)", Kind.AREA),
            Column("price_per_mu", "单价(万元/亩)", Kind.MONEY),
            Column("promised_tax_per_mu", "承诺亩均税收(万元/亩)", Kind.MONEY),
            Column("promised_investment_per_mu", "承诺投资强度(万元/亩)", Kind.MONEY),
        ]
        rows = [
            table_row(
                columns,
                {
                    "code": plot.code,
                    "way": plot.get_way_display(),
                    "dealt_on": plot.dealt_on,
                    "area_mu": plot.area_mu,
                    "price_per_mu": plot.price_per_mu,
                    "promised_tax_per_mu": plot.promised_tax_per_mu,
                    "promised_investment_per_mu": plot.promised_investment_per_mu,
                },
            )
            for plot in self.land
        ]
        return Table(
            key="企业用地",
            title="企业用地",
            unit="",
            columns=columns,
            rows=rows,
            empty="没有登记供给该企业的土地。",
        )

    @property
    def changes_table(self) -> Table:
        return lines_table(
            CHANGE_COLUMNS,
            [ChangeLine.of(change) for change in self.changes],
            key="最近的数据修改",
            title="最近的数据修改",
            unit="",
            empty="还没有修改记录。",
        )


def enterprise_figures(enterprise: Enterprise, *, drafts: bool) -> QuerySet[MonthlyValue]:
    """Return the enterprise's figures a reader sees: the official ones, and with `drafts`
    (a reader who may enter the park's figures) the drafts as well."""
    figures = MonthlyValue.objects.filter(enterprise=enterprise)
    return figures if drafts else figures.official()


def enterprise_latest_year(enterprise: Enterprise, *, drafts: bool = False) -> int | None:
    """Return the latest year in which the enterprise has a figure the reader sees."""
    return enterprise_figures(enterprise, drafts=drafts).aggregate(year=Max("year"))["year"]


def enterprise_page(enterprise: Enterprise, year: int, *, drafts: bool = False) -> EnterprisePage:
    """Return the enterprise's page for the three years up to `year`, in four queries.

    Readers see official figures only; with `drafts` (a reader who may enter the park's
    figures) the draft months' figures are shown too, each marked as a draft.
    """
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    indicators = list(Indicator.objects.active())
    figures: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    draft_months: set[tuple[int, int, int]] = set()
    rows = enterprise_figures(enterprise, drafts=drafts).filter(year__in=years)
    # Without drafts every figure read is official: no need to ask again.
    rows = rows.annotate(official=official_figure_q() if drafts else Value(True)).values_list(
        "indicator_id", "year", "month", "value", "official"
    )
    for indicator_id, figure_year, month, value, official in rows:
        figures[indicator_id, figure_year][month] = value
        if not official:
            draft_months.add((indicator_id, figure_year, month))
    lines = []
    for indicator in indicators:
        per_year = []
        for figure_year in years:
            reported = figures.get((indicator.pk, figure_year), {})
            # A stock has no own value: it is the month's figure itself.
            own, labels = own_by_month(reported if indicator.is_flow else {})
            per_year.append(
                EnterpriseYear(
                    year=figure_year,
                    cumulative=[reported.get(month) for month in range(1, 13)],
                    own=own,
                    own_labels=labels,
                    drafts=[
                        (indicator.pk, figure_year, month) in draft_months for month in range(1, 13)
                    ],
                )
            )
        this_year = figures.get((indicator.pk, year), {})
        latest_month = max(this_year, default=None)
        latest = this_year.get(latest_month) if latest_month else None
        base = figures.get((indicator.pk, year - 1), {}).get(latest_month) if latest_month else None
        lines.append(
            EnterpriseIndicator(
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                is_flow=indicator.is_flow,
                years=per_year,
                latest_month=latest_month,
                latest=latest,
                latest_is_draft=(indicator.pk, year, latest_month) in draft_months,
                same_month_last_year=base,
                growth=growth_of(latest, base),
            )
        )
    return EnterprisePage(
        enterprise=enterprise,
        year=year,
        years=years,
        indicators=lines,
        projects=[_project(project) for project in enterprise_projects(enterprise, year)],
        leads=list(enterprise_leads(enterprise)),
        land=list(enterprise_land(enterprise)),
        changes=list(latest_changes(enterprise, drafts=drafts)),
        shows_drafts=drafts,
    )


def _project(project: Project) -> EnterpriseProject:
    return EnterpriseProject(
        code=project.code,
        name=project.name,
        stage=project.get_stage_display(),
        key_level=project.get_key_level_display() or NO_FIGURE,
        start_date=project.start_date,
        completion_date=project.completion_date,
        total_investment=project.total_investment,
        completed=project.completed,
        completed_month=project.completed_month,
    )


def latest_changes(enterprise: Enterprise, *, drafts: bool = False) -> QuerySet[FigureChange]:
    """Return the latest changes of the enterprise's figures, newest first: of the months
    that count only, unless the reader sees `drafts`."""
    return enterprise_figure_history(enterprise, drafts=drafts)[:CHANGES_SHOWN]


def enterprise_charts(page: EnterprisePage) -> dict:
    """Return an enterprise's indicators month by month over its three years."""
    return {
        "years": page.years,
        "months": [f"{month}月" for month in range(1, 13)],
        "indicators": [
            {
                "code": line.code,
                "name": line.name,
                "unit": line.unit,
                "is_flow": line.is_flow,
                "cumulative": [year.cumulative for year in line.years],
                "own": [year.own for year in line.years],
            }
            for line in page.indicators
        ],
    }
