"""Plan the projects, their month-by-month investment, and the special-purpose bonds."""

import math
from collections import defaultdict
from decimal import Decimal

from demo.data import BUILDING_SEASON, LAST_MONTH, PROJECTS, YEARS
from demo.plan_base import (
    EnterprisePlan,
    ProgressPlan,
    ProjectPlan,
    _hundredths,
    _month_index,
    _rng,
    _round_to,
    _wan,
)
from projects.choices import ProjectCategory


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
