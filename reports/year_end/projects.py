"""The year-end summary's projects: carried out in the year by status and category, the
key projects, the fixed-asset-investment structure and the special-purpose bonds.

A project is carried out (实施) in the year when it started by the cut-off and was not
completed before the year; 新开工 or 续建 follows from its start date
(projects.selectors).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from parkportal.domain import shares
from projects.choices import KeyLevel, ProjectCategory, YearStatus
from projects.models import Project
from projects.selectors import bond_lines, carried_out_projects, completed_q, production_q

from ..figures import ZERO, stored
from ..scope import ReportPeriod, ReportScope

# Up to this many projects or leads of a group are named in the narrative; more are
# left to the tables.
NAMES_IN_TEXT = 5


@dataclass(frozen=True)
class ProjectGroup:
    """Projects of one status (and category): how many, their total and this year's investment."""

    key: str  # carried_out, new, continuing, completed, production
    label: str
    count: int
    total_investment: Decimal
    completed: Decimal  # completed investment this year (本年完成投资)
    government: Decimal


@dataclass(frozen=True)
class CategoryProjects:
    """The status groups of one project category, or of all (category "")."""

    category: str
    label: str
    groups: list[ProjectGroup]

    def group(self, key: str) -> ProjectGroup:
        return next(group for group in self.groups if group.key == key)


@dataclass(frozen=True)
class ProjectLine:
    """One project carried out in the year."""

    code: str
    name: str
    park: str
    category: str
    key_level: str
    year_status: str
    stage: str
    start_date: date | None
    completion_date: date | None
    total_investment: Decimal
    completed: Decimal | None  # None: no progress reported this year
    is_key: bool
    category_value: str
    status_value: str


@dataclass(frozen=True)
class ProjectFigures:
    total: CategoryProjects
    by_category: list[CategoryProjects]
    key_projects: list[ProjectLine]
    named: dict[tuple[str, str], list[ProjectLine]]  # (category, status) → the few named


@dataclass(frozen=True)
class FaiStructure:
    """Completed investment of the year split into government-financed and social capital."""

    total: Decimal
    government: Decimal
    social: Decimal
    government_share: Decimal | None
    social_share: Decimal | None


@dataclass(frozen=True)
class BondLine:
    """A project that received bonds: in the year and up to it."""

    code: str
    name: str  # the project's
    park: str
    this_year: Decimal
    total: Decimal


@dataclass(frozen=True)
class BondFigures:
    lines: list[BondLine]
    this_year: Decimal
    total: Decimal


PROJECT_GROUPS = [
    # key, label
    ("carried_out", "本年实施项目"),
    (YearStatus.NEW.value, "其中：新开工"),
    (YearStatus.CONTINUING.value, "续建"),
    ("completed", "本年竣工"),
    ("production", "其中：投产"),
]


def project_group_q(key: str, period: ReportPeriod) -> Q:
    """Return the carried-out projects of a status group (for a `carried_out_projects` set)."""
    if key == "completed":
        return completed_q(period.cut_off)
    if key == "production":
        return production_q(period.cut_off)
    if key in (YearStatus.NEW, YearStatus.CONTINUING):
        return Q(year_status=key)
    return Q()


def _in_group(key: str, part: dict) -> bool:
    """Return whether a part of the projects (a row of `_project_parts`) is in the status
    group `key` (PROJECT_GROUPS), as project_group_q selects it."""
    if key == "completed":
        return bool(part["is_completed"])
    if key == "production":
        return bool(part["in_production"])
    if key in (YearStatus.NEW, YearStatus.CONTINUING):
        return part["year_status"] == key
    return True


def _project_parts(projects: QuerySet, period: ReportPeriod) -> list[dict]:
    """Return the carried-out projects added up by category, 新开工 or 续建, completed in the
    year and in production: eighteen rows at most, whatever the number of projects.

    Each project's completed investment is a subquery that the database reads once for
    each sum that adds it up: grouped by the status groups' own conditions it is read
    twice (completed, government), where a filtered sum per group read it once per group.
    """
    return list(
        projects.annotate(
            is_completed=ExpressionWrapper(completed_q(period.cut_off), BooleanField()),
            in_production=ExpressionWrapper(production_q(period.cut_off), BooleanField()),
        )
        .values("category", "year_status", "is_completed", "in_production")
        .annotate(
            n=Count("id"),
            total_sum=Coalesce(Sum("total_investment"), ZERO),
            completed_sum=Coalesce(Sum("completed"), ZERO),
            government_sum=Coalesce(Sum("government"), ZERO),
        )
        .order_by()
    )


def project_totals(
    scope: ReportScope, period: ReportPeriod, projects: QuerySet | None = None
) -> tuple[CategoryProjects, list[CategoryProjects]]:
    """Return the year's carried-out projects (`projects`, if the caller has them) in
    their status groups: all of them, then by category. What the dashboard's project
    panel shows, and the year-end summary's tables add up."""
    if projects is None:
        projects = carried_out_projects(scope.park_ids, period.cut_off)
    rows: dict[str, dict] = {}  # by category: each status group's count and sums
    for part in _project_parts(projects, period):
        row = rows.setdefault(part["category"], {})
        for key, _ in PROJECT_GROUPS:
            inside = _in_group(key, part)
            row[f"{key}_count"] = row.get(f"{key}_count", 0) + (part["n"] if inside else 0)
            for measure in ("total", "completed", "government"):
                added = stored(part[f"{measure}_sum"] if inside else ZERO)
                row[f"{key}_{measure}"] = row.get(f"{key}_{measure}", ZERO) + added

    def category(value: str, label: str, row_of) -> CategoryProjects:
        return CategoryProjects(
            category=value,
            label=label,
            groups=[
                ProjectGroup(
                    key=key,
                    label=group_label,
                    count=row_of(f"{key}_count", 0),
                    total_investment=row_of(f"{key}_total", ZERO),
                    completed=row_of(f"{key}_completed", ZERO),
                    government=row_of(f"{key}_government", ZERO),
                )
                for key, group_label in PROJECT_GROUPS
            ],
        )

    by_category = [
        category(
            choice.value,
            choice.label,
            lambda name, empty, v=choice.value: rows.get(v, {}).get(name, empty),
        )
        for choice in ProjectCategory
    ]
    # The categories are three lines: adding them up here keeps the total equal to them.
    total = category(
        "", "全部项目", lambda name, empty: sum((row[name] for row in rows.values()), empty)
    )
    return total, by_category


def project_figures(scope: ReportScope, period: ReportPeriod) -> ProjectFigures:
    projects = carried_out_projects(scope.park_ids, period.cut_off)
    total, by_category = project_totals(scope, period, projects)
    # The narrative names the projects of a small group; the tables list the key ones.
    small_groups = [
        (group.category, key)
        for group in by_category
        for key in (YearStatus.NEW.value, YearStatus.CONTINUING.value)
        if 0 < group.group(key).count <= NAMES_IN_TEXT
    ]
    listed = ~Q(key_level="")
    for category_value, key in small_groups:
        listed |= project_group_q(key, period) & Q(category=category_value)
    lines = [
        project_line(project)
        for project in projects.filter(listed)
        .select_related("park")
        .order_by(_key_order(), "park__sort_order", "park__code", "code")
    ]
    named = {
        (category_value, key): [
            line
            for line in lines
            if (line.category_value, line.status_value) == (category_value, key)
        ]
        for category_value, key in small_groups
    }
    return ProjectFigures(
        total=total,
        by_category=by_category,
        key_projects=[line for line in lines if line.is_key],
        named=named,
    )


def _key_order() -> Case:
    return Case(
        *(When(key_level=level.value, then=Value(n)) for n, level in enumerate(KeyLevel)),
        default=Value(len(KeyLevel)),
        output_field=IntegerField(),
    )


def project_line(project: Project) -> ProjectLine:
    return ProjectLine(
        code=project.code,
        name=project.name,
        park=project.park.name,
        category=project.get_category_display(),
        key_level=project.get_key_level_display(),
        year_status=YearStatus(project.year_status).label,
        stage=project.get_stage_display(),
        start_date=project.start_date,
        completion_date=project.completion_date,
        total_investment=project.total_investment,
        completed=stored(project.completed),
        is_key=bool(project.key_level),
        category_value=project.category,
        status_value=project.year_status,
    )


def fai_structure(projects: ProjectFigures) -> FaiStructure:
    """Return the year's completed investment of the carried-out projects, split by source."""
    carried_out = projects.total.group("carried_out")
    total, government = carried_out.completed, carried_out.government
    social = total - government
    government_share, social_share = shares([government, social])
    return FaiStructure(total, government, social, government_share, social_share)


def bond_line(row: dict) -> BondLine:
    return BondLine(
        code=row["project__code"],
        name=row["project__name"],
        park=row["project__park__name"],
        this_year=stored(row["this_year"]),
        total=stored(row["total"]),
    )


def bond_figures(scope: ReportScope, period: ReportPeriod) -> BondFigures:
    lines = [bond_line(row) for row in bond_lines(scope.park_ids, period.year)]
    # One line per project that received bonds (a few dozen at most): added up here.
    return BondFigures(
        lines=lines,
        this_year=sum((line.this_year for line in lines), ZERO),
        total=sum((line.total for line in lines), ZERO),
    )
