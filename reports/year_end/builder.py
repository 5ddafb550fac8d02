"""The year-end summary (年度建设发展情况总结, section 一), built from the data.

`year_end_report()` runs a fixed number of queries whatever the size of the zone:
every total is a GROUP BY in the database, and the result is plain frozen
dataclasses of Decimals that the HTML, xlsx and docx writers render alike. The
querysets behind each figure come from the apps' selectors; the drill-down of a
figure (`reports.year_end.rows`) lists the rows of the same querysets.

Rules (docs/domain.md): indicators count official figures only (reports.figures); a
report opens on the latest month that every park has counted, and a month that not
every park has counted says which parks have not reported.
"""

from dataclasses import dataclass
from datetime import date

from indicators.official import official_periods, reporting_progress
from projects.selectors import MoneyAndLand, money_and_land
from services.selectors import ServiceFigures, service_figures

from ..figures import (
    EnterpriseFigures,
    IndicatorFigures,
    ParkIndicators,
    enterprise_figures,
    indicator_section,
)
from ..scope import ReportHead, ReportPeriod, ReportScope, head
from .attraction import EventFigures, LeadFigures, event_figures, lead_figures
from .plan import PlanFigures, plan_figures
from .projects import (
    BondFigures,
    FaiStructure,
    ProjectFigures,
    bond_figures,
    fai_structure,
    project_figures,
)


@dataclass(frozen=True)
class YearEndReport(ReportHead):
    """Everything the year-end summary shows, for one zone or park, year and cut-off month."""

    indicators: list[IndicatorFigures]
    by_park: list[ParkIndicators]
    enterprises: EnterpriseFigures
    projects: ProjectFigures
    fai: FaiStructure
    bonds: BondFigures
    money_land: MoneyAndLand  # budgets, bonds applied, funding gap, land, financing, lights
    events: EventFigures  # the scope's own: a park's report counts its park's events
    leads: LeadFigures
    plan: PlanFigures  # the year's tasks and the full-year forecasts
    services: ServiceFigures

    @property
    def title(self) -> str:
        return f"{self.park_name}{self.period.title}经济运行情况"


def year_end_report(
    scope: ReportScope, period: ReportPeriod, today: date | None = None
) -> YearEndReport:
    """Return the year-end summary of `scope` for `period`, made on `today` (by default
    today: the fairs held after the cut-off are reported up to it), in a fixed number of
    queries."""
    counted = official_periods(scope.park_ids, [period.year - 1, period.year])
    section = indicator_section(scope, period, counted=counted)
    projects = project_figures(scope, period)
    reported = reporting_progress(scope.parks, period.year, period.month, counted=counted)
    return YearEndReport(
        **head(scope, period, reported, section.has_figures),
        indicators=section.totals,
        by_park=section.by_park,
        enterprises=enterprise_figures(scope, period),
        projects=projects,
        fai=fai_structure(projects),
        bonds=bond_figures(scope, period),
        money_land=money_and_land(scope.park_ids, period.cut_off),
        events=event_figures(scope, period, today),
        leads=lead_figures(scope, period),
        plan=plan_figures(scope, period, section),
        services=service_figures(scope, period),
    )
