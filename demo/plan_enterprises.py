"""Plan the enterprises, their monthly figures, and the parks' targets built on them."""

import math
import random
from collections import defaultdict
from datetime import date
from decimal import Decimal
from itertools import accumulate
from operator import mul

from demo.data import (
    ARCHETYPES,
    BUILDING_SEASON,
    CREDIT_CODE_PREFIX,
    ENTERPRISE_COUNTS,
    ENTERPRISE_PLACES,
    FIRST_DAY,
    FLOW_INDICATORS,
    INDUSTRIES,
    NEW_ENTERPRISE_DATES,
    NEW_LAST_YEAR_DATES,
    PARK_OF_INDUSTRY,
    PARKS,
    PROJECTS,
    SEASON,
    SEASON_TOTAL,
    SUSPENSIONS,
    YEARS,
    ZONE,
)
from demo.plan_base import (
    EnterprisePlan,
    FigurePlan,
    ProgressPlan,
    ProjectPlan,
    TargetPlan,
    _brands,
    _hundredths,
    _month_index,
    _months,
    _rng,
    _round_to,
    _wan,
)
from indicators import codes
from indicators.choices import TargetKind
from parkportal.choices import EnterpriseStatus
from parkportal.credit_code import ALPHABET, with_check_character


def _builder_counts() -> dict[str, int]:
    """Return, per industry, how many of its first enterprises build a demo project."""
    counts: dict[str, int] = defaultdict(int)
    for row in PROJECTS:
        if row.builder:
            industry, n = row.builder
            counts[industry] = max(counts[industry], n + 1)
    return counts


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
