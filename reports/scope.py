"""What a report covers: a zone or one park (its scope) and a period (a year and its
cut-off month); what every report says at its top; and the period a report opens on."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import F, Max, Min

from indicators.domain import time_progress
from indicators.official import ReportingProgress, official_submissions
from indicators.official import default_period as official_default_period
from parkportal.choices import ParkKind
from parkportal.models import Park


@dataclass(frozen=True)
class ReportPeriod:
    """A report year and its cut-off month: the figures of months 1..month."""

    year: int
    month: int

    @property
    def label(self) -> str:
        """Return the months as the documents write them: "1-10月", or "1月"."""
        return months_label(self.month)

    @property
    def title(self) -> str:
        """Return the year and months: "2026年1-10月"."""
        return f"{self.year}年{self.label}"

    @property
    def previous_label(self) -> str | None:
        """Return the previous cut-off's months ("1-9月"), or None in January."""
        return months_label(self.month - 1) if self.month > 1 else None

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def cut_off(self) -> date:
        """Return the last day of the cut-off month."""
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def months(self) -> list[int]:
        """Return the cut-off month and, when there is one, the month before it."""
        return [self.month, self.month - 1] if self.month > 1 else [self.month]


def months_label(month: int) -> str:
    return "1月" if month == 1 else f"1-{month}月"


@dataclass(frozen=True)
class ReportScope:
    """A zone (with its parks) or one park: whose enterprises, projects and leads count."""

    park: Park
    parks: tuple[Park, ...]  # a zone's parks, then the zone itself (its own 本级 register)
    unassigned_leads: bool  # leads without an intended park belong to this (the only) zone

    @property
    def is_zone(self) -> bool:
        return self.park.kind == ParkKind.ZONE

    @property
    def park_ids(self) -> list[int]:
        return [park.pk for park in self.parks]

    @property
    def lead_park_ids(self) -> list[int | None]:
        """Return the parks whose leads count, None standing for leads without a park."""
        return [*self.park_ids, None] if self.unassigned_leads else self.park_ids


def report_scope(park: Park) -> ReportScope:
    """Return the scope of a report on `park`: a zone covers its parks and itself."""
    if park.kind != ParkKind.ZONE:
        return ReportScope(park=park, parks=(park,), unassigned_leads=False)
    children = tuple(Park.objects.filter(parent=park).order_by("sort_order", "code"))
    # A lead without an intended park can only be told to belong to a zone when the
    # portal holds a single zone; with several it belongs to none of them.
    alone = not Park.objects.filter(kind=ParkKind.ZONE).exclude(pk=park.pk).exists()
    return ReportScope(park=park, parks=(*children, park), unassigned_leads=alone)


@dataclass(frozen=True)
class ReportHead:
    """What a page or report of a scope and period says at its top: whose figures, which
    months, how far the year has gone, and which parks have not reported the month."""

    park_code: str
    park_name: str
    is_zone: bool
    period: ReportPeriod
    progress: ReportingProgress  # which parks have their cut-off month counted
    time_progress: Decimal
    has_figures: bool  # some statistical enterprise has an official figure of the month

    @property
    def period_label(self) -> str:
        return self.period.title

    @property
    def incomplete(self) -> str:
        """Return the line that says which parks have not reported the month, or ""."""
        return self.progress.notice


def head(
    scope: ReportScope, period: ReportPeriod, progress: ReportingProgress, has_figures: bool
) -> dict:
    """Return the fields of a ReportHead of `scope` and `period`, for a report built on it."""
    return {
        "park_code": scope.park.code,
        "park_name": scope.park.name,
        "is_zone": scope.is_zone,
        "period": period,
        "progress": progress,
        "time_progress": time_progress(period.month),
        "has_figures": has_figures,
    }


def default_period(scope: ReportScope, year: int | None = None) -> ReportPeriod | None:
    """Return the period a report of the scope opens on (in `year` if given): the latest
    month that every park has counted, else the latest that any has; None when none has."""
    latest = official_default_period(scope.parks, year)
    return ReportPeriod(*latest) if latest else None


@dataclass(frozen=True)
class MonthSteps:
    """The months before and after a report's, for its ‹ › arrows: None past the ends of
    the official figures (the first and the last month any park of the scope has counted)."""

    park_code: str
    previous: ReportPeriod | None
    following: ReportPeriod | None

    def _query(self, period: ReportPeriod | None) -> str:
        if period is None:
            return ""
        return urlencode({"park": self.park_code, "year": period.year, "month": period.month})

    @property
    def previous_query(self) -> str:
        return self._query(self.previous)

    @property
    def following_query(self) -> str:
        return self._query(self.following)


def month_steps(scope: ReportScope, period: ReportPeriod) -> MonthSteps:
    """Return the months before and after `period` within the scope's official months, in
    one query."""
    months = (
        official_submissions()
        .filter(park_id__in=scope.park_ids)
        .aggregate(first=Min(F("year") * 100 + F("month")), last=Max(F("year") * 100 + F("month")))
    )
    index = period.year * 12 + period.month - 1  # months since the year 0's January
    before, after = _nth_month(index - 1), _nth_month(index + 1)

    def key(month: ReportPeriod) -> int:
        return month.year * 100 + month.month

    first, last = months["first"], months["last"]
    return MonthSteps(
        park_code=scope.park.code,
        previous=before if first is not None and key(before) >= first else None,
        following=after if last is not None and key(after) <= last else None,
    )


def _nth_month(index: int) -> ReportPeriod:
    year, month = divmod(index, 12)
    return ReportPeriod(year, month + 1)
