"""Which figures are official: the one rule the dashboard, the reports and every
drill-down read (docs/domain.md, "Official figures").

A park-month's figures count once the park has submitted the month (已上报) or an
admin approved it; with FIGURES_OFFICIAL_FROM=approved only approved months count.
A month with no workflow record yet is a draft. Staff and admins keep working on
drafts in the monthly entry; leaders never see them.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from parkportal.choices import ParkKind
from parkportal.models import Park

from .choices import PeriodStatus
from .models import MonthlyValue, PeriodSubmission

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


def period_statuses(park_ids: Iterable[int], years: Iterable[int]) -> dict[Period, str]:
    """Return the workflow state of each (park id, year, month) of `years` that has a
    record; a park-month without one is a draft. One query."""
    rows = PeriodSubmission.objects.filter(park_id__in=set(park_ids), year__in=set(years))
    return {
        (park_id, year, month): status
        for park_id, year, month, status in rows.values_list("park_id", "year", "month", "status")
    }


def counted_periods(statuses: dict[Period, str]) -> set[Period]:
    """Return the park-months among `statuses` (see period_statuses) whose figures count."""
    return {period for period, status in statuses.items() if is_official(status)}


def counted_parks(counted: set[Period], year: int, month: int) -> list[int]:
    """Return the ids of the parks whose month `year`-`month` is among `counted`."""
    return sorted(park_id for park_id, y, m in counted if (y, m) == (year, month))


def official_wording() -> str:
    """Return which workflow states count, as the pages say it: 已上报或已审核, or 已审核."""
    if settings.FIGURES_OFFICIAL_FROM == "approved":
        return "已审核"
    return "已上报或已审核"


def has_reported(year: int, month: int, *, drafts: bool = False) -> Q:
    """Return, as a filter on enterprises, "has reported the month": the enterprise has
    at least one figure of an active indicator in it and its park's month counts.

    With `drafts`, whether the park's month counts is not asked: the enterprise has
    figures in the month, official or draft. The dashboard's attention list and the
    completeness page both ask this question, and only here.
    """
    figures = Exists(
        MonthlyValue.objects.reported().filter(enterprise=OuterRef("pk"), year=year, month=month)
    )
    if drafts:
        return Q(figures)
    counted = Exists(official_submissions().filter(park=OuterRef("park"), year=year, month=month))
    return Q(figures) & Q(counted)


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
    def notice(self) -> str:
        """Return what a page or download of the month says at its top: the summary and
        that the missing parks' figures of the month are left out; "" when complete."""
        if self.complete:
            return ""
        return f"{self.summary}；未上报园区的本月数据暂不计入"

    @property
    def summary(self) -> str:
        """Return the line shown above a figure of an incomplete month, e.g.
        "截至11月，已上报园区1/3，未上报：白合工业园、通天河产业园"."""
        text = f"截至{self.month}月，已上报园区{self.reported}/{len(self.parks)}"
        if self.missing:
            text += "，未上报：" + "、".join(park.name for park in self.missing)
        return text


def reporting_progress(
    parks: Iterable[Park], year: int, month: int, *, counted: set[Period] | None = None
) -> ReportingProgress:
    """Return which of `parks` (a scope's) have their month `year`-`month` counted.

    `counted` is the counted park-months (official_periods) when the caller has read
    them already, and then no query is made.
    """
    parks = tuple(reporting_parks(parks))
    if counted is None:
        counted = official_periods([park.pk for park in parks], [year])
    counted = set(counted_parks(counted, year, month))
    return ReportingProgress(
        year=year,
        month=month,
        parks=parks,
        missing=tuple(park for park in parks if park.pk not in counted),
    )


def latest_counted_period(park_ids: Iterable[int], year: int | None = None):
    """Return (year, month) of the latest month any of the parks has counted, or None."""
    rows = official_submissions().filter(park_id__in=set(park_ids))
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("-year", "-month").values_list("year", "month").first()


def default_period(parks: Iterable[Park], year: int | None = None):
    """Return (year, month) a report of `parks` opens on, in `year` when given, or None.

    The latest month that every one of the reporting parks has counted; without one,
    the latest month any of `parks` has counted; None when none has. One query.
    """
    parks = list(parks)
    reporting = reporting_parks(parks)
    rows = official_submissions().filter(park__in=parks)
    if year is not None:
        rows = rows.filter(year=year)
    months = (
        rows.values("year", "month")
        # The reporting parks among them: reporting_parks() in SQL.
        .annotate(parks=Count("park", distinct=True, filter=~Q(park__kind=ParkKind.ZONE)))
        .order_by("-year", "-month")
        .values_list("year", "month", "parks")
    )
    latest = None
    for month_year, month, count in months:
        if latest is None:
            latest = (month_year, month)
        if reporting and count == len(reporting):
            return month_year, month
    return latest


__all__ = [
    "Period",
    "ReportingProgress",
    "counted_parks",
    "counted_periods",
    "default_period",
    "has_reported",
    "is_official",
    "latest_counted_period",
    "official_figure_q",
    "official_periods",
    "official_statuses",
    "official_submissions",
    "official_wording",
    "period_statuses",
    "reporting_parks",
    "reporting_progress",
]
