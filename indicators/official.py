"""Which figures are official: the one rule the dashboard, the reports and every
drill-down read (docs/domain.md, "Official figures").

A park-month's figures count once the park has submitted the month (已上报) or an
admin approved it; with FIGURES_OFFICIAL_FROM=approved only approved months count.
A month with no workflow record yet is a draft. Staff and admins keep working on
drafts in the monthly entry; leaders never see them.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet

from parkportal.models import Park

from .choices import PeriodStatus
from .models import PeriodSubmission

Period = tuple[int, int, int]  # (park id, year, month)


def official_statuses() -> tuple[str, ...]:
    """Return the workflow states whose figures count in reports."""
    if settings.FIGURES_OFFICIAL_FROM == "approved":
        return (PeriodStatus.APPROVED,)
    return (PeriodStatus.SUBMITTED, PeriodStatus.APPROVED)


def is_official(status: str | None) -> bool:
    """Return whether a park-month in workflow state `status` (None: no record) counts."""
    return status in official_statuses()


def official_submissions() -> QuerySet[PeriodSubmission]:
    """Return the park-months whose figures count."""
    return PeriodSubmission.objects.filter(status__in=official_statuses())


def official_figure_q(park_field: str = "enterprise__park_id") -> Exists:
    """Return, as a filter on monthly figures, "its park-month counts".

    `park_field` names the figure's park from the figure (or from a row that has
    `year` and `month` of its own).
    """
    return Exists(
        official_submissions().filter(
            park_id=OuterRef(park_field), year=OuterRef("year"), month=OuterRef("month")
        )
    )


def official_periods(park_ids: Iterable[int], years: Iterable[int]) -> set[Period]:
    """Return the (park id, year, month) that count among the parks' months of `years`."""
    return set(
        official_submissions()
        .filter(park_id__in=set(park_ids), year__in=set(years))
        .values_list("park_id", "year", "month")
    )


def reporting_parks(parks: Iterable[Park]) -> list[Park]:
    """Return the parks that report monthly: parks proper, not a zone's own register."""
    return [park for park in parks if not park.is_zone]


@dataclass(frozen=True)
class ReportingProgress:
    """How many of a scope's parks have their month counted, and which have not."""

    year: int
    month: int
    parks: tuple[Park, ...]
    missing: tuple[Park, ...]  # parks whose month does not count yet

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def reported(self) -> int:
        return len(self.parks) - len(self.missing)

    @property
    def summary(self) -> str:
        """Return the line shown above a figure of an incomplete month, e.g.
        "截至11月，已上报园区1/3，未上报：白合工业园、通天河产业园"."""
        text = f"截至{self.month}月，已上报园区{self.reported}/{len(self.parks)}"
        if self.missing:
            text += "，未上报：" + "、".join(park.name for park in self.missing)
        return text


def reporting_progress(parks: Iterable[Park], year: int, month: int) -> ReportingProgress:
    """Return which of `parks` (a scope's) have their month `year`-`month` counted."""
    parks = tuple(reporting_parks(parks))
    counted = set(
        official_submissions()
        .filter(park__in=parks, year=year, month=month)
        .values_list("park_id", flat=True)
    )
    return ReportingProgress(
        year=year,
        month=month,
        parks=parks,
        missing=tuple(park for park in parks if park.pk not in counted),
    )


def latest_complete_period(parks: Iterable[Park], year: int | None = None):
    """Return (year, month) of the latest month that every one of `parks` has counted,
    or None; in `year` only, when given. One query."""
    parks = reporting_parks(parks)
    if not parks:
        return None
    rows = official_submissions().filter(park__in=parks)
    if year is not None:
        rows = rows.filter(year=year)
    complete = (
        rows.values("year", "month")
        .annotate(parks=Count("park", distinct=True))
        .filter(parks=len(parks))
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    return complete


def latest_counted_period(park_ids: Iterable[int], year: int | None = None):
    """Return (year, month) of the latest month any of the parks has counted, or None."""
    rows = official_submissions().filter(park_id__in=set(park_ids))
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("-year", "-month").values_list("year", "month").first()


def counted_months(park_ids: Iterable[int], years: Iterable[int]) -> dict[int, set[tuple]]:
    """Return park id → its counted (year, month) among `years`."""
    months: dict[int, set[tuple]] = defaultdict(set)
    for park_id, year, month in official_periods(park_ids, years):
        months[park_id].add((year, month))
    return months


__all__ = [
    "Period",
    "ReportingProgress",
    "counted_months",
    "is_official",
    "latest_complete_period",
    "latest_counted_period",
    "official_figure_q",
    "official_periods",
    "official_statuses",
    "official_submissions",
    "reporting_parks",
    "reporting_progress",
]
