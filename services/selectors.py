"""The reads of the service desk: its lists, an enterprise's cases, and the figures of any
period (requests solved, approvals handled, within the limit, satisfaction)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet

from projects.choices import MeetingKind
from projects.models import Meeting

from .choices import CaseCategory, CaseChannel, CaseKind, HandlingMode, Satisfaction
from .domain import CLOSED, DUE_TODAY, OPEN, OVERDUE, rate
from .models import ServiceCase

LISTS = {
    OPEN: "办理中",
    DUE_TODAY: "今日到期",
    OVERDUE: "已超期",
    CLOSED: "已办结",
}


def cases_listed(user, *, state: str, today: date) -> QuerySet[ServiceCase]:
    """Return the cases `user` may read in the list `state` on `today`, with their
    enterprise, park and project: open (all not closed), due today, overdue, closed."""
    cases = ServiceCase.objects.visible_to(user).select_related("enterprise__park", "project__park")
    if state == CLOSED:
        return cases.filter(closed_on__isnull=False).order_by("-closed_on", "code")
    cases = cases.filter(closed_on__isnull=True)
    if state == DUE_TODAY:
        cases = cases.filter(due_on=today)
    elif state == OVERDUE:
        cases = cases.filter(due_on__lt=today)
    return cases.order_by("due_on", "code")


def list_counts(user, today: date) -> dict[str, int]:
    """Return how many cases each list holds for `user` on `today`, in one query."""
    counts = ServiceCase.objects.visible_to(user).aggregate(
        open=Count("pk", filter=Q(closed_on__isnull=True)),
        due_today=Count("pk", filter=Q(closed_on__isnull=True, due_on=today)),
        overdue=Count("pk", filter=Q(closed_on__isnull=True, due_on__lt=today)),
        closed=Count("pk", filter=Q(closed_on__isnull=False)),
    )
    return {state: counts[state] for state in LISTS}


def enterprise_cases(enterprise, user) -> list[ServiceCase]:
    """Return the requests and approvals of `enterprise` that `user` may read, latest first."""
    return list(
        ServiceCase.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("project")
        .order_by("-received_on", "code")
    )


@dataclass(frozen=True)
class Tally:
    """One choice and how many cases it counts."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class ServiceFigures:
    """What the service desk did in a period, for a zone or one park."""

    requests_solved: int  # 诉求办理 closed in the period
    solved_by_channel: list[Tally]
    solved_by_category: list[Tally]
    requests_solved_online: int  # ... of them handled online (办理方式 线上): 线上解决
    approvals_handled: int  # 审批代办 closed in the period
    approvals_online: int
    enterprises_served: int  # distinct enterprises with an approval received in the period
    closed: int  # cases of both kinds closed in the period
    closed_in_time: int  # ... by their due date
    rated: int  # ... with a satisfaction given
    satisfied: int  # ... 满意 or 基本满意
    # Meetings held in the period by kind (调度会议): the zone's, None in a park's figures.
    meetings: list[Tally] | None = None

    @property
    def requests_coordinated(self) -> int:
        """Return the requests solved other than online: 协调解决 as the documents count it."""
        return self.requests_solved - self.requests_solved_online

    @property
    def in_time_rate(self) -> Decimal | None:
        return rate(self.closed_in_time, self.closed)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rate(self.satisfied, self.rated)

    @property
    def is_empty(self) -> bool:
        return not (self.closed or self.enterprises_served or self.meetings_held)

    @property
    def meetings_held(self) -> list[Tally]:
        """Return the kinds of meeting held in the period, with their counts."""
        return [tally for tally in self.meetings or [] if tally.count]


def scope_cases(scope) -> QuerySet[ServiceCase]:
    """Return the cases of a report's scope (`park_ids`, `is_zone`): a zone's also those
    of no park's enterprise or project."""
    return ServiceCase.objects.in_parks(scope.park_ids, unassigned=scope.is_zone)


def service_figures(scope, period) -> ServiceFigures:
    """Return the service figures of `scope` from `period.start` to `period.cut_off`, in
    two queries: the totals, and the requests solved by channel and category; a zone's in
    three, with the meetings held by kind.

    A case counts in the period it was closed in; an enterprise served by approval
    handling in the period its approval was received in.
    """
    cases = scope_cases(scope)
    closed = Q(closed_on__gte=period.start, closed_on__lte=period.cut_off)
    received = Q(received_on__gte=period.start, received_on__lte=period.cut_off)
    request = closed & Q(kind=CaseKind.REQUEST)
    approval = closed & Q(kind=CaseKind.APPROVAL)
    online = Q(mode=HandlingMode.ONLINE)
    good = [Satisfaction.SATISFIED, Satisfaction.FAIRLY]
    totals = cases.aggregate(
        requests=Count("pk", filter=request),
        requests_online=Count("pk", filter=request & online),
        approvals=Count("pk", filter=approval),
        approvals_online=Count("pk", filter=approval & online),
        served=Count("enterprise", distinct=True, filter=received & Q(kind=CaseKind.APPROVAL)),
        closed=Count("pk", filter=closed),
        in_time=Count("pk", filter=closed & Q(closed_on__lte=F("due_on"))),
        rated=Count("pk", filter=closed & ~Q(satisfaction="")),
        satisfied=Count("pk", filter=closed & Q(satisfaction__in=good)),
    )
    by_channel: dict[str, int] = {}
    by_category: dict[str, int] = {}
    for row in cases.filter(request).values("channel", "category").annotate(n=Count("pk")):
        by_channel[row["channel"]] = by_channel.get(row["channel"], 0) + row["n"]
        by_category[row["category"]] = by_category.get(row["category"], 0) + row["n"]
    return ServiceFigures(
        requests_solved=totals["requests"],
        solved_by_channel=[
            Tally(c.value, c.label, by_channel.get(c.value, 0)) for c in CaseChannel
        ],
        solved_by_category=[
            Tally(c.value, c.label, by_category.get(c.value, 0)) for c in CaseCategory
        ],
        requests_solved_online=totals["requests_online"],
        approvals_handled=totals["approvals"],
        approvals_online=totals["approvals_online"],
        enterprises_served=totals["served"],
        closed=totals["closed"],
        closed_in_time=totals["in_time"],
        rated=totals["rated"],
        satisfied=totals["satisfied"],
        meetings=meetings_held(period) if scope.is_zone else None,
    )


def meetings_held(period) -> list[Tally]:
    """Return the meetings (调度会议) held from `period.start` to `period.cut_off`, by kind."""
    held = dict(
        Meeting.objects.filter(held_on__gte=period.start, held_on__lte=period.cut_off)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [Tally(kind.value, kind.label, held.get(kind.value, 0)) for kind in MeetingKind]
