"""The whole demo planned as plain data by `demo_plan()`, the same on every call; no writes."""

from dataclasses import dataclass
from decimal import Decimal

from demo.plan_attraction import plan_events, plan_leads
from demo.plan_base import (
    EnterprisePlan,
    EventPlan,
    FigurePlan,
    LeadPlan,
    ProgressPlan,
    ProjectPlan,
    TargetPlan,
)
from demo.plan_enterprises import plan_enterprises, plan_figures, plan_targets
from demo.plan_projects import plan_bonds, plan_progress, plan_projects


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
