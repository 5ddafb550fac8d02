"""The dashboard's attention list: the parks and enterprises that need the leaders'
attention this month, each rule stated on the page beside its list.

- An enterprise has reported a month when it has an official figure of an active
  indicator in it (indicators.official.has_reported, as the completeness page asks);
  a park has reported when its month counts (submitted, or approved).
- Revenue has fallen when this year's 1-N revenue is more than 20% below last
  year's 1-N (a base above zero is needed, as for any growth).
- An enterprise is a candidate for 规上 status when it is not above-scale (四上) and
  its revenue annualised (1-N ÷ N × 12) is 1,500 万元 or more but below the
  threshold of 2,000 万元 (20,000,000 yuan); at or above it, it has reached the
  threshold without being above-scale yet.
- A lead is forgotten when it has gone past its stage's time limit without follow-up
  (yellow, red past twice), or its next follow-up date has passed, as of today
  (investment.selectors.forgotten_leads).
- A project under way is red or yellow by its light as of today (projects.domain.
  project_light, its facts read by projects.selectors.with_light_facts); the reds are
  named with their first reason, the yellows counted.
- An issue of a project is overdue when it is open (no 解决日期) and its 办结时限 is
  before today; listed by the unit that must solve it.
- A promise is broken when a signed (or landed) lead is past its 承诺开工日期 with no
  start (investment.selectors.promises_broken).

Each of these is "as of today": the kept dashboard is keyed by the day too
(reports.cache).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Window
from django.utils import timezone

from indicators.choices import PeriodStatus
from indicators.domain import growth_rate
from indicators.models import Indicator, MonthlyValue
from indicators.official import (
    Period,
    counted_parks,
    counted_periods,
    has_reported,
    is_official,
    official_wording,
    reporting_parks,
)
from investment.domain import limits_text, start_overdue_days
from investment.selectors import broken_promises_in, forgotten_leads
from parkportal import display
from projects.choices import Light as ProjectLight
from projects.models import Project, ProjectIssue
from projects.selectors import (
    LIGHT_FACTS,
    LIST_FIELDS,
    UNDER_WAY_STAGES,
    ListedProject,
    light_thresholds,
    may_be_lit,
    verdict_of,
    with_light_facts,
)

from ..domain import (
    ABOVE_SCALE_THRESHOLD,
    BEHIND_POINTS,
    FALL_LIMIT,
    NEAR_THRESHOLD,
    annualised,
    fall_ratio,
    year_to_date_at,
)
from ..figures import (
    enterprise_figures_by_park,
    in_register_then,
    register_then,
    with_last_year,
)
from ..scope import ReportPeriod, ReportScope

LISTED = 20  # enterprises or projects named under each rule of the attention list


@dataclass(frozen=True)
class ParkReport:
    """Whether a park has reported the month: its workflow and its enterprises."""

    code: str
    name: str
    status: str
    status_label: str
    enterprises: int
    missing: int

    @property
    def has_reported(self) -> bool:
        return is_official(self.status)


@dataclass(frozen=True)
class FlaggedEnterprise:
    pk: int
    name: str
    park: str
    value: Decimal | None  # 1-N revenue
    base: Decimal | None  # last year's 1-N revenue
    growth: Decimal | None
    annualised: Decimal | None


@dataclass(frozen=True)
class Flagged:
    """Enterprises caught by one rule: how many, and the first few named."""

    count: int
    lines: list[FlaggedEnterprise]

    @property
    def more(self) -> int:
        return self.count - len(self.lines)


@dataclass(frozen=True)
class FlaggedLead:
    pk: int
    code: str
    name: str
    owner: str
    light: str  # investment.domain.Light, or "" for a lead only overdue
    overdue: bool
    last_touched_on: date


@dataclass(frozen=True)
class FlaggedLeads:
    """Leads caught by the none-forgotten rule: how many, and the first few named."""

    count: int
    lines: list[FlaggedLead]
    rule: str = ""  # the time limits, as the page states them

    @property
    def more(self) -> int:
        return self.count - len(self.lines)


@dataclass(frozen=True)
class FlaggedProject:
    pk: int
    code: str
    name: str
    park: str
    reason: str  # the first reason of its light


@dataclass(frozen=True)
class FlaggedProjects:
    """The red projects under way (the first few named) and how many are yellow."""

    count: int
    yellow: int
    lines: list[FlaggedProject]

    @property
    def more(self) -> int:
        return self.count - len(self.lines)


@dataclass(frozen=True)
class FlaggedIssue:
    pk: int
    code: str
    description: str
    project_pk: int
    project: str
    deadline: date
    overdue_days: int


@dataclass(frozen=True)
class UnitIssues:
    """A unit's overdue issues: how many, and those among the first few named."""

    unit: str
    count: int
    lines: list[FlaggedIssue]


@dataclass(frozen=True)
class FlaggedIssues:
    """Overdue issues by the unit that must solve them: how many, the first few named."""

    count: int
    units: list[UnitIssues]

    @property
    def more(self) -> int:
        return self.count - sum(len(unit.lines) for unit in self.units)


@dataclass(frozen=True)
class BrokenPromise:
    pk: int
    code: str
    name: str
    owner: str
    promised_start_on: date
    overdue_days: int


@dataclass(frozen=True)
class BrokenPromises:
    """Signed leads past their promised start with no start: how many, the first few."""

    count: int
    lines: list[BrokenPromise]

    @property
    def more(self) -> int:
        return self.count - len(self.lines)


@dataclass(frozen=True)
class Attention:
    parks: list[ParkReport]
    not_reported: Flagged
    falling: Flagged
    near_threshold: Flagged
    reached_threshold: Flagged
    forgotten_leads: FlaggedLeads = FlaggedLeads(0, [])
    red_projects: FlaggedProjects = FlaggedProjects(0, 0, [])
    overdue_issues: FlaggedIssues = FlaggedIssues(0, [])
    broken_promises: BrokenPromises = BrokenPromises(0, [])

    @property
    def parks_not_reported(self) -> list[ParkReport]:
        return [park for park in self.parks if not park.has_reported]

    @property
    def count(self) -> int:
        return (
            len(self.parks_not_reported)
            + self.not_reported.count
            + self.falling.count
            + self.near_threshold.count
            + self.reached_threshold.count
            + self.forgotten_leads.count
            + self.red_projects.count
            + self.overdue_issues.count
            + self.broken_promises.count
        )


def attention(
    scope: ReportScope,
    period: ReportPeriod,
    revenue: Indicator | None,
    statuses: dict[Period, str],
    today: date | None = None,
    register: dict[int, dict] | None = None,
) -> Attention:
    """Return the parks and enterprises that need the leaders' attention this month, and
    the leads and projects that need it on `today` (by default the local date).

    `statuses` are the park-months' workflow states (indicators.official.period_statuses)
    of this year and last; `register` the parks' counts (park_counts) when the caller has
    read them with the register's own.
    """
    today = today or timezone.localdate()
    counted = counted_periods(statuses)
    empty = Flagged(0, [])
    # Each rule's count comes from one pass over the register or the month's revenue
    # figures; its first LISTED lines from a query that stops there (none when it
    # counts none), so no list sorts every enterprise of the zone to name twenty.
    if register is None:
        register = park_counts(scope, period)
    missing = sum(counts["missing"] for counts in register.values())
    # The month's revenue figures of the register as it stood, built once for the counts
    # and the lists (its filter on the register's history is long to build).
    figures = revenue_figures(scope, period, revenue, counted) if revenue else None
    flagged = revenue_counts(figures, period, revenue, counted) if revenue else {}
    return Attention(
        parks=park_reports(scope, period, statuses, register),
        not_reported=_flagged(missing, lambda: not_reported(scope, period)),
        falling=(
            _flagged(flagged["falling"], lambda: falling_revenue(figures, period, revenue, counted))
            if revenue
            else empty
        ),
        near_threshold=(
            _flagged(
                flagged["near"],
                lambda: threshold_candidates(figures, period, reached=False),
            )
            if revenue
            else empty
        ),
        reached_threshold=(
            _flagged(
                flagged["reached"],
                lambda: threshold_candidates(figures, period, reached=True),
            )
            if revenue
            else empty
        ),
        forgotten_leads=leads_forgotten(scope, today),
        red_projects=projects_red(scope, today),
        overdue_issues=issues_overdue(scope, today),
        broken_promises=promises_broken(scope, today),
    )


def leads_forgotten(scope: ReportScope, today: date) -> FlaggedLeads:
    """Return the scope's forgotten and overdue leads as of `today`, the first LISTED named,
    with their count, in one query."""
    # The urgency is selected so the list is ordered by its column, not by a copy of it.
    rows = list(
        forgotten_leads(scope.lead_park_ids, today)
        .annotate(matching=Window(Count("pk")))
        .values(
            "pk",
            "code",
            "name",
            "owner",
            "light",
            "overdue",
            "last_touched_on",
            "urgency",
            "matching",
        )[:LISTED]
    )
    return FlaggedLeads(
        rule=limits_text(settings.LEAD_FOLLOW_UP_DAYS),
        count=rows[0]["matching"] if rows else 0,
        lines=[
            FlaggedLead(
                **{key: row[key] for key in ("pk", "code", "name", "owner", "light", "overdue")},
                last_touched_on=row["last_touched_on"],
            )
            for row in rows
        ],
    )


def projects_red(scope: ReportScope, today: date) -> FlaggedProjects:
    """Return the scope's red projects under way as of `today`, the first LISTED named with
    their first reason, and how many are yellow, in one query: the lights' facts are
    subqueries, the light itself the domain's rule (as the project list computes it), judged
    only on the projects that may be lit (may_be_lit), not on every project under way."""
    thresholds = light_thresholds()
    listed = (
        with_light_facts(
            Project.objects.filter(park_id__in=scope.park_ids, stage__in=UNDER_WAY_STAGES), today
        )
        .filter(may_be_lit(today, thresholds))
        .values(*LIST_FIELDS, *LIGHT_FACTS)
    )
    red, yellow = [], 0
    for values in listed.order_by("park__sort_order", "park__code", "code"):
        project = ListedProject(values)
        verdict = verdict_of(project, today, thresholds)
        if verdict is None:
            continue
        if verdict.light == ProjectLight.YELLOW:
            yellow += 1
        elif verdict.light == ProjectLight.RED:
            red.append(
                FlaggedProject(
                    pk=project.pk,
                    code=project.code,
                    name=project.name,
                    park=project.park_name,
                    reason=verdict.reasons[0] if verdict.reasons else "",
                )
            )
    return FlaggedProjects(count=len(red), yellow=yellow, lines=red[:LISTED])


def issues_overdue(scope: ReportScope, today: date) -> FlaggedIssues:
    """Return the scope's projects' issues open past their 办结时限 on `today`, by the unit
    that must solve them (as the issues page orders them), the first LISTED named with each
    unit's count and the whole count, in one query."""
    rows = list(
        ProjectIssue.objects.overdue_on(today)
        .filter(project__park_id__in=scope.park_ids)
        .annotate(
            matching=Window(Count("pk")),
            unit_count=Window(Count("pk"), partition_by=[F("responsible_unit")]),
        )
        .order_by("responsible_unit", "deadline", "code")
        .values(
            "pk",
            "code",
            "description",
            "responsible_unit",
            "deadline",
            "project_id",
            "project__name",
            "matching",
            "unit_count",
        )[:LISTED]
    )
    units: dict[str, UnitIssues] = {}
    for row in rows:
        unit = units.setdefault(
            row["responsible_unit"], UnitIssues(row["responsible_unit"], row["unit_count"], [])
        )
        unit.lines.append(
            FlaggedIssue(
                pk=row["pk"],
                code=row["code"],
                description=row["description"],
                project_pk=row["project_id"],
                project=row["project__name"],
                deadline=row["deadline"],
                overdue_days=(today - row["deadline"]).days,
            )
        )
    return FlaggedIssues(count=rows[0]["matching"] if rows else 0, units=list(units.values()))


def promises_broken(scope: ReportScope, today: date) -> BrokenPromises:
    """Return the scope's signed leads past their promised start with no start on `today`
    (investment.selectors.broken_promises_in), the longest late first, the first LISTED
    named with their count, in one query."""
    rows = list(
        broken_promises_in(scope.lead_park_ids, today)
        .annotate(matching=Window(Count("pk")))
        .values("pk", "code", "name", "owner", "promised_start_on", "matching")[:LISTED]
    )
    return BrokenPromises(
        count=rows[0]["matching"] if rows else 0,
        lines=[
            BrokenPromise(
                **{key: row[key] for key in ("pk", "code", "name", "owner", "promised_start_on")},
                overdue_days=start_overdue_days(row["promised_start_on"], None, today),
            )
            for row in rows
        ],
    )


def register_counts(period: ReportPeriod) -> dict[str, Count]:
    """Return the counts park_reports reads of each park's register (register_then): its
    enterprises `n` and those that have not reported the month, `missing` (not_reported's
    rule), for one GROUP BY of the register by park (reports.figures.
    enterprise_figures_by_park, which the dashboard's register counts share)."""
    reported = has_reported(period.year, period.month)
    return {"n": Count("id"), "missing": Count("id", filter=~reported)}


def park_counts(scope: ReportScope, period: ReportPeriod) -> dict[int, dict]:
    """Return park id (as the register stood) → register_counts."""
    return enterprise_figures_by_park(scope, period, **register_counts(period))[1]


def park_reports(
    scope: ReportScope,
    period: ReportPeriod,
    statuses: dict[Period, str],
    counts: dict[int, dict] | None = None,
) -> list[ParkReport]:
    """Return each park of the scope with its month's status and unreported enterprises
    (`counts`: park_counts, when the caller has them)."""
    parks = reporting_parks(scope.parks)
    if counts is None:
        counts = park_counts(scope, period)
    labels = dict(PeriodStatus.choices)
    return [
        ParkReport(
            code=park.code,
            name=park.name,
            status=(
                status := statuses.get((park.pk, period.year, period.month), PeriodStatus.DRAFT)
            ),
            status_label=labels[status],
            enterprises=counts.get(park.pk, {}).get("n", 0),
            missing=counts.get(park.pk, {}).get("missing", 0),
        )
        for park in parks
    ]


def _flagged(count: int, rows: Callable[[], QuerySet]) -> Flagged:
    """Return the `count` enterprises caught by a rule and the first LISTED of `rows()`,
    which are built and read only when the rule catches any (building one costs a few
    milliseconds: the register as it stood is a long query)."""
    return Flagged(
        count=count,
        lines=[
            FlaggedEnterprise(
                pk=row["enterprise_pk"],
                name=row["enterprise_name"],
                park=row["park_name"],
                value=row.get("value"),
                base=row.get("base"),
                growth=growth_rate(row.get("value"), row.get("base")),
                annualised=row.get("annualised"),
            )
            for row in (rows()[:LISTED] if count else [])
        ],
    )


def not_reported(scope: ReportScope, period: ReportPeriod) -> QuerySet:
    """Return the scope's enterprises (deregistered ones aside) that have not reported the
    month (indicators.official.has_reported): without an official figure of it. How many
    they are, register_counts counts with the same filter."""
    return (
        register_then(scope, period)
        .filter(~has_reported(period.year, period.month))
        .values(enterprise_pk=F("pk"), enterprise_name=F("name"), park_name=F("park__name"))
        .order_by("park__sort_order", "park__code", "name", "pk")
    )


def revenue_figures(
    scope: ReportScope, period: ReportPeriod, revenue: Indicator, counted: set[Period]
) -> QuerySet:
    """Return the official 1-N revenue figures of the scope's enterprises (deregistered ones
    aside), whether statistical or not: the attention list names any enterprise."""
    # The register's history is checked last, for the figures the other filters keep.
    return MonthlyValue.objects.filter(
        enterprise__park_id__in=counted_parks(counted, period.year, period.month),
        indicator=revenue,
        year=period.year,
        month=period.month,
    ).filter(in_register_then(scope, period))


def _named(rows: QuerySet, *fields: str) -> QuerySet:
    return rows.values(
        *fields,
        enterprise_pk=F("enterprise_id"),
        enterprise_name=F("enterprise__name"),
        park_name=F("enterprise__park__name"),
    )


def revenue_rules(period: ReportPeriod) -> dict[str, Q]:
    """Return each revenue rule of the list as a filter on revenue figures that carry
    `base` (last year's, with_last_year): "falling", "near" and "reached" (the 规上
    threshold, annualised)."""
    # The bounds are put on the 1-N figure itself (annualised ≥ 1,500 ⇔ 1-N ≥ 1,500 × N
    # ÷ 12), exactly, as fractions of a Decimal.
    low = year_to_date_at(NEAR_THRESHOLD, period.month)
    high = year_to_date_at(ABOVE_SCALE_THRESHOLD, period.month)
    not_above_scale = Q(enterprise__scale_category="")
    return {
        "falling": Q(base__gt=0, value__lt=F("base") * fall_ratio()),
        "near": not_above_scale & Q(value__gte=low, value__lt=high),
        "reached": not_above_scale & Q(value__gte=high),
    }


def revenue_counts(
    figures: QuerySet, period: ReportPeriod, revenue: Indicator, counted: set[Period]
) -> dict[str, int]:
    """Return how many enterprises each revenue rule catches, in one pass over the
    month's revenue figures (revenue_figures)."""
    figures = with_last_year(figures, period, revenue, counted)
    # Counting a column of the figures' period index lets the database read the index alone.
    return figures.aggregate(
        **{
            name: Count("enterprise_id", filter=rule)
            for name, rule in revenue_rules(period).items()
        }
    )


def falling_revenue(
    figures: QuerySet, period: ReportPeriod, revenue: Indicator, counted: set[Period]
) -> QuerySet:
    """Return the enterprises of the month's revenue `figures` (revenue_figures) whose
    1-N revenue is down by more than FALL_LIMIT % on last year's, the largest fall first."""
    # Only figures with last year's can fall: an inner join, which the database can hash.
    rows = with_last_year(figures, period, revenue, counted, paired=True).filter(
        revenue_rules(period)["falling"]
    )
    return _named(rows, "value", "base").order_by(
        ExpressionWrapper(F("value") / F("base"), output_field=DecimalField()),
        "enterprise__name",
        "enterprise_id",
    )


def threshold_candidates(figures: QuerySet, period: ReportPeriod, *, reached: bool) -> QuerySet:
    """Return the enterprises of the month's revenue `figures` (revenue_figures) that are
    not above-scale whose annualised revenue is near the 规上 threshold (NEAR_THRESHOLD to
    ABOVE_SCALE_THRESHOLD 万元) or, with `reached`, at or above it, the largest first (the
    figures' ranking index gives them in order)."""
    rows = figures.filter(revenue_rules(period)["reached" if reached else "near"]).annotate(
        # The domain's rule, written on the figure's column.
        annualised=ExpressionWrapper(
            annualised(F("value"), period.month),
            output_field=DecimalField(max_digits=20, decimal_places=4),
        )
    )
    return _named(rows, "value", "annualised").order_by(
        "-value", "enterprise__name", "enterprise_id"
    )


def rules() -> dict[str, str]:
    """Return the rules in the page's words, shown beside each list."""
    official = official_wording()
    return {
        "fall": f"本年累计营业收入比上年同期下降超过{abs(FALL_LIMIT)}%",
        "near": (
            f"非四上企业，营业收入年化（本年累计÷月数×12）达到{display.whole(NEAR_THRESHOLD)}万元、"
            f"未达{display.whole(ABOVE_SCALE_THRESHOLD)}万元规上标准"
        ),
        "reached": (
            f"营业收入年化已达{display.whole(ABOVE_SCALE_THRESHOLD)}万元规上标准，"
            "但尚未纳入四上企业"
        ),
        "missing": (
            f"本月没有计入的指标数据的企业：没有填报，或所在园区本月尚未上报"
            f"（{official}后计入）；已注销企业除外"
        ),
        "parks": f"本月数据尚未计入的园区（{official}后计入）",
        "behind": (
            f"重点项目已过计划竣工日期仍未竣工，或投资进度（累计完成投资÷总投资）"
            f"落后时间进度（开工至计划竣工）超过{BEHIND_POINTS}个百分点"
        ),
    }
