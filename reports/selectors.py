"""Reads across the apps for the pages leaders and staff look at."""

from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from indicators.models import MonthlyValue
from investment.models import Lead
from parkportal.choices import ParkKind, Role
from parkportal.models import Enterprise, Park
from parkportal.roles import user_role, visible_parks
from projects.models import Project


@dataclass(frozen=True)
class ParkFigures:
    """One line of the overview: a park's register at a glance (or the totals)."""

    name: str
    zone_name: str
    enterprises: int
    statistical: int
    above_scale: int
    projects: int
    leads: int
    latest_year: int | None
    latest_month: int | None

    @property
    def latest_label(self) -> str:
        """Return the latest month with figures as 2026年3月, or — when there is none."""
        if self.latest_year is None:
            return "—"
        return f"{self.latest_year}年{self.latest_month}月"


@dataclass(frozen=True)
class ParkOverview:
    """What the home page shows: the user's role, their parks and, for leaders, totals."""

    role: Role | None
    rows: list[ParkFigures]
    totals: ParkFigures | None


def _count_per_park(queryset: QuerySet, park_field: str = "park") -> Coalesce:
    """Return a subquery counting the rows of `queryset` that belong to the outer park.

    A subquery per count, not Count() over joins: joining enterprises, projects and
    leads in one query would multiply the rows and every count with them.
    """
    counted = (
        queryset.filter(**{park_field: OuterRef("pk")})
        .order_by()
        .values(park_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _latest_period_per_park() -> Subquery:
    """Return a subquery of the outer park's latest year*100+month with monthly figures."""
    latest = (
        MonthlyValue.objects.filter(enterprise__park=OuterRef("pk"))
        .order_by()
        .values("enterprise__park")
        .annotate(period=Max(F("year") * 100 + F("month")))
        .values("period")
    )
    return Subquery(latest, output_field=IntegerField())


def _figures(park: Park) -> ParkFigures:
    year, month = divmod(park.latest_period, 100) if park.latest_period else (None, None)
    if park.kind == ParkKind.ZONE:
        # A zone's own line holds what is registered on the zone itself, not in a park.
        name, zone_name = f"{park.name}（本级）", park.name
    else:
        name, zone_name = park.name, park.parent.name
    return ParkFigures(
        name=name,
        zone_name=zone_name,
        enterprises=park.n_enterprises,
        statistical=park.n_statistical,
        above_scale=park.n_above_scale,
        projects=park.n_projects,
        leads=park.n_leads,
        latest_year=year,
        latest_month=month,
    )


def _totals(rows: list[ParkFigures]) -> ParkFigures:
    # The rows are already one aggregated line per park (a handful); adding them up
    # here keeps the totals equal to the lines shown, without another query.
    periods = [(row.latest_year, row.latest_month) for row in rows if row.latest_year]
    latest_year, latest_month = max(periods) if periods else (None, None)
    return ParkFigures(
        name="合计",
        zone_name="",
        enterprises=sum(row.enterprises for row in rows),
        statistical=sum(row.statistical for row in rows),
        above_scale=sum(row.above_scale for row in rows),
        projects=sum(row.projects for row in rows),
        leads=sum(row.leads for row in rows),
        latest_year=latest_year,
        latest_month=latest_month,
    )


def park_overview(user) -> ParkOverview:
    """Return the overview of every park `user` may see, in one query for all parks.

    Each line counts the park's enterprises, statistical (入统) and above-scale (四上)
    ones, projects, leads intending to settle there, and the latest month with
    monthly figures. A zone gets its own line only when something is registered on it
    directly. Leaders and admins also get the totals.
    """
    # user_role() reads the user's groups each time it is called (here, in
    # visible_parks() and in the context processor): read them once for the request.
    if user.is_authenticated:
        prefetch_related_objects([user], "groups")
    role = user_role(user)
    if role is None:
        return ParkOverview(role=None, rows=[], totals=None)
    parks = (
        visible_parks(user)
        .select_related("parent")
        .annotate(
            n_enterprises=_count_per_park(Enterprise.objects.all()),
            n_statistical=_count_per_park(Enterprise.objects.filter(in_statistics=True)),
            n_above_scale=_count_per_park(Enterprise.objects.exclude(scale_category="")),
            n_projects=_count_per_park(Project.objects.all()),
            n_leads=_count_per_park(Lead.objects.all()),
            latest_period=_latest_period_per_park(),
        )
        .filter(
            Q(kind=ParkKind.PARK)
            | Q(n_enterprises__gt=0)
            | Q(n_projects__gt=0)
            | Q(n_leads__gt=0)
            | Q(latest_period__isnull=False)
        )
        .order_by(
            Coalesce("parent__sort_order", "sort_order"),
            Coalesce("parent__code", "code"),
            "kind",  # "park" sorts before "zone": a zone's own line closes its parks
            "sort_order",
            "code",
        )
    )
    rows = [_figures(park) for park in parks]
    totals = _totals(rows) if role in (Role.LEADER, Role.ADMIN) and rows else None
    return ParkOverview(role=role, rows=rows, totals=totals)
