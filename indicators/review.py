"""Reads of the review queue (审核队列): the park-months waiting for an admin's review,
and what the admin looks at before approving or returning one."""

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from parkportal.choices import ParkKind
from parkportal.models import Park

from .choices import PeriodAction, PeriodStatus
from .completeness import MonthTimeliness, year_timeliness
from .deadlines import Timeliness
from .models import PeriodEvent, PeriodSubmission
from .selectors import EntryCell, EntrySheet


def review_queue() -> QuerySet[PeriodSubmission]:
    """Return the park-months submitted and waiting for review, the oldest month first;
    within a month, the one submitted first. Each carries `submitted_at` and
    `submitted_by` (a username) of its latest submission, which put it in the queue."""
    latest = PeriodEvent.objects.filter(
        submission=OuterRef("pk"), action=PeriodAction.SUBMIT
    ).order_by("-at", "-pk")
    return (
        PeriodSubmission.objects.filter(status=PeriodStatus.SUBMITTED, park__kind=ParkKind.PARK)
        .select_related("park")
        .annotate(
            submitted_at=Subquery(latest.values("at")[:1]),
            submitted_by=Subquery(latest.values("user__username")[:1]),
        )
        .order_by("year", "month", "submitted_at", "park__code")
    )


def waiting_count() -> int:
    """Return how many park-months wait for review. One query."""
    return PeriodSubmission.objects.filter(
        status=PeriodStatus.SUBMITTED, park__kind=ParkKind.PARK
    ).count()


def next_in_queue(after: PeriodSubmission | None = None) -> PeriodSubmission | None:
    """Return the month an admin reviews next: the head of the queue, other than `after`."""
    queue = review_queue()
    if after is not None:
        queue = queue.exclude(pk=after.pk)
    return queue.first()


@dataclass(frozen=True)
class MissingMonth:
    """A park-month past its deadline and not reported."""

    park: Park
    year: int
    timeliness: MonthTimeliness

    @property
    def month(self) -> int:
        return self.timeliness.month


def missing_months(year: int, *, now=None) -> list[MissingMonth]:
    """Return the park-months of `year` that are past their deadline and not reported,
    by park then month. Five queries."""
    parks = list(Park.objects.parks().order_by("code"))
    years = year_timeliness([park.pk for park in parks], year, now=now)
    return [
        MissingMonth(park, year, month)
        for park in parks
        for month in years[park.pk].months
        if month.state == Timeliness.MISSING
    ]


@dataclass(frozen=True)
class ReviewLine:
    """One enterprise's figure of one indicator, as the review shows it against last month."""

    enterprise_name: str
    enterprise_id: int
    cell: EntryCell

    @property
    def flagged(self) -> bool:
        return bool(self.cell.checks)


def review_lines(sheet: EntrySheet) -> list[ReviewLine]:
    """Return the month's figures with last month's, those with a figure in either."""
    return [
        ReviewLine(row.enterprise.name, row.enterprise.pk, cell)
        for row in sheet.rows
        for cell in row.cells
        if cell.value is not None or cell.previous is not None
    ]


def review_warnings(sheet: EntrySheet) -> list[ReviewLine]:
    """Return the month's figures the entry checks warn about, each with its 说明."""
    return [
        ReviewLine(row.enterprise.name, row.enterprise.pk, cell)
        for row in sheet.rows
        for cell in row.cells
        if cell.warnings or cell.errors
    ]
