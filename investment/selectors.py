"""Reads of investment attraction for the pages that compose them: leads as they stood at
a cut-off date, and outreach events.

A period is the year up to `cut_off`, the last day of a month: from 1 January of
cut_off's year to cut_off. Leads belong to the parks of `park_ids`; None among them
stands for the leads without an intended park.
"""

from calendar import monthrange
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from parkportal.fields import stored

from .choices import Channel, LeadStage
from .domain import (
    ChainStep,
    Light,
    duplicate_groups,
    investor_keys,
    is_possible_duplicate,
    light_limits,
    promise_chain,
)
from .models import FollowUp, Lead, LeadStageChange, OutreachEvent


def _year_start(cut_off: date) -> date:
    return cut_off.replace(month=1, day=1)


def in_parks(park_ids: Collection[int | None]) -> Q:
    """Return the condition on leads of the parks; None among them stands for the leads
    without an intended park."""
    in_scope = Q(park_id__in=[park_id for park_id in park_ids if park_id is not None])
    if None in park_ids:
        in_scope |= Q(park__isnull=True)
    return in_scope


def scope_leads(park_ids: Collection[int | None], cut_off: date) -> QuerySet[Lead]:
    """Return the leads of the parks docked by `cut_off`, each with `stage_then`: its stage
    as it stood at the cut-off, from the stage history."""
    in_scope = in_parks(park_ids)
    stage_then = (
        LeadStageChange.objects.filter(lead=OuterRef("pk"), changed_on__lte=cut_off)
        .order_by("-changed_on", "-id")
        .values("to_stage")[:1]
    )
    # A lead recorded without a history keeps its current stage.
    return Lead.objects.filter(in_scope, docked_on__lte=cut_off).annotate(
        stage_then=Coalesce(Subquery(stage_then), F("stage"))
    )


def docked_leads(park_ids: Collection[int | None], cut_off: date) -> QuerySet[Lead]:
    """Return the leads docked (对接) in the year by `cut_off`, whatever became of them."""
    return reached_leads(park_ids, cut_off, LeadStage.DOCKED)


# The stages a lead goes through, in order; 终止 (dropped) can end it at any of them.
ADVANCING = [
    LeadStage.DOCKED,
    LeadStage.NEGOTIATING,
    LeadStage.INTENTION,
    LeadStage.SIGNED,
    LeadStage.LANDED,
]
# The stages a lead records the date of.
STAGE_DATES = {LeadStage.SIGNED: "signed_on", LeadStage.LANDED: "landed_on"}


def reached_leads(
    park_ids: Collection[int | None], cut_off: date, stage: LeadStage
) -> QuerySet[Lead]:
    """Return the leads that reached `stage` in the year up to `cut_off`: the one rule
    by which the dashboard's funnel, its cards and the year-end summary count leads.

    对接 is the docking date in the year, whatever became of the lead since. 签约 and
    落地 are the lead's signing and landing dates in the year. 洽谈 and 意向, which
    carry no date of their own, are reached in the year when the stage history records
    the lead entering that stage or a later one in the year, or when the lead was
    signed in the year. Past 对接, a lead dropped (终止) by the cut-off is not counted.
    """
    leads = scope_leads(park_ids, cut_off).alias(**_entered(cut_off, [stage]))
    reached = _reached(cut_off, stage)
    if stage == LeadStage.DOCKED:
        return leads.filter(reached)
    return leads.filter(reached).exclude(stage_then=LeadStage.DROPPED)


def _entered_alias(stage: LeadStage) -> str:
    return f"entered_{stage.value}"


def _entered(cut_off: date, stages: Collection[LeadStage]) -> dict[str, Exists]:
    """Return, for each of `stages` that carries no date of its own (洽谈, 意向), whether
    the stage history records the lead entering it or a later stage in the year."""
    return {
        _entered_alias(stage): Exists(
            LeadStageChange.objects.filter(
                lead=OuterRef("pk"),
                to_stage__in=ADVANCING[ADVANCING.index(stage) :],
                changed_on__gte=_year_start(cut_off),
                changed_on__lte=cut_off,
            )
        )
        for stage in stages
        if stage != LeadStage.DOCKED and stage not in STAGE_DATES
    }


def _reached(cut_off: date, stage: LeadStage) -> Q:
    """Return the condition of reached_leads on a lead of scope_leads annotated with
    _entered, before the exclusion of the dropped."""
    start = _year_start(cut_off)
    if stage == LeadStage.DOCKED:
        return Q(docked_on__gte=start)
    if stage in STAGE_DATES:
        field = STAGE_DATES[stage]
        return Q(**{f"{field}__gte": start, f"{field}__lte": cut_off})
    return Q(**{_entered_alias(stage): True}) | Q(signed_on__gte=start, signed_on__lte=cut_off)


def reached_counts(park_ids: Collection[int | None], cut_off: date) -> dict[str, int]:
    """Return how many leads reached each stage in the year up to `cut_off` (reached_leads),
    keyed by stage, and how many of those docked were dropped by then ("dropped"), in one
    query: one pass over the year's candidate leads, grouped by their stage then, so that
    each lead's stage then and stage entries are computed once."""
    start = _year_start(cut_off)
    # Only a lead docked, signed or landed in the year, or entering a stage past 对接 in
    # it, can count: the others are not read.
    candidates = (
        Q(docked_on__gte=start)
        | Q(signed_on__gte=start)
        | Q(landed_on__gte=start)
        | Q(**{_entered_alias(LeadStage.NEGOTIATING): True})
    )
    rows = list(
        scope_leads(park_ids, cut_off)
        .annotate(**_entered(cut_off, ADVANCING))
        .filter(candidates)
        .values("stage_then")
        .annotate(
            **{
                f"reached_{stage.value}": Count("pk", filter=_reached(cut_off, stage))
                for stage in ADVANCING
            }
        )
        .order_by()
    )
    docked = f"reached_{LeadStage.DOCKED.value}"
    counts = {
        stage.value: sum(
            row[f"reached_{stage.value}"]
            for row in rows
            # Past 对接, a lead dropped by the cut-off is not counted.
            if stage == LeadStage.DOCKED or row["stage_then"] != LeadStage.DROPPED
        )
        for stage in ADVANCING
    }
    counts[LeadStage.DROPPED.value] = sum(
        row[docked] for row in rows if row["stage_then"] == LeadStage.DROPPED
    )
    return counts


def signed_leads(park_ids: Collection[int | None], cut_off: date) -> QuerySet[Lead]:
    """Return the leads signed in the year by `cut_off` and not dropped since (本年签约)."""
    return reached_leads(park_ids, cut_off, LeadStage.SIGNED)


def intended_leads(park_ids: Collection[int | None], cut_off: date) -> QuerySet[Lead]:
    """Return the leads at the intention (意向) stage at `cut_off`, docked in any year."""
    return scope_leads(park_ids, cut_off).filter(stage_then=LeadStage.INTENTION)


def outreach_events(cut_off: date) -> QuerySet[OutreachEvent]:
    """Return the year's outreach events up to `cut_off`."""
    return OutreachEvent.objects.filter(date__gte=_year_start(cut_off), date__lte=cut_off)


# ---------------------------------------------------------------- the pipeline

# The board's columns: the stages a lead goes through (终止 leads are listed, not boarded).
BOARD_STAGES = ADVANCING
BOARD_CARDS = 20  # per column; the list shows the rest
OPEN_STAGES = [LeadStage.DOCKED, LeadStage.NEGOTIATING, LeadStage.INTENTION, LeadStage.SIGNED]


def _limits() -> dict[str, int]:
    return dict(settings.LEAD_FOLLOW_UP_DAYS)


def with_attention(leads: QuerySet[Lead], today: date) -> QuerySet[Lead]:
    """Annotate each lead with its last follow-up's date (`last_follow_up_on`), the next
    follow-up date it plans (`next_follow_up_on`: the latest its follow-ups set), the day
    it was last touched (`last_touched_on`: docked, a stage change or a follow-up, the
    latest), its `light` (domain.light, in SQL) and whether its next follow-up is
    `overdue`. One GROUP BY over its follow-ups and stage changes, computed once a row
    (correlated subqueries were evaluated at each reference on PostgreSQL)."""
    leads = leads.annotate(
        last_follow_up_on=Max("follow_ups__date"),
        next_follow_up_on=Max("follow_ups__next_on"),
        last_change_on=Max("stage_changes__changed_on"),
    ).annotate(
        last_touched_on=Greatest(
            F("docked_on"),
            Coalesce(F("last_follow_up_on"), F("docked_on")),
            Coalesce(F("last_change_on"), F("docked_on")),
        )
    )
    # Each followed stage's limits as two dates picked by the stage, so the light names
    # the lead's last touch twice, not three times a stage (the database evaluates, and
    # Django compiles, every copy of it). Other stages pick no date: no light.
    limits = light_limits(today, _limits())
    red_before, yellow_before = (
        Case(
            *(When(stage=stage, then=Value(dates[which])) for stage, dates in limits.items()),
            output_field=DateField(),
        )
        for which in (1, 0)
    )
    return leads.annotate(
        light=Case(
            When(last_touched_on__lt=red_before, then=Value(Light.RED)),
            When(last_touched_on__lt=yellow_before, then=Value(Light.YELLOW)),
            When(stage__in=list(limits), then=Value(Light.GREEN)),
            default=Value(""),
            output_field=CharField(),
        ),
        overdue=Case(
            When(
                stage__in=OPEN_STAGES,
                next_follow_up_on__lt=today,
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def needs_attention(leads: QuerySet[Lead]) -> QuerySet[Lead]:
    """Keep the leads of with_attention that are yellow, red or overdue."""
    return leads.filter(Q(light__in=[Light.YELLOW, Light.RED]) | Q(overdue=True))


@dataclass(frozen=True)
class PipelineFilters:
    """What the board and the list are filtered by; blank means all."""

    channel: str = ""
    industry: int | None = None
    park: int | None = None
    owner: str = ""
    asset_type: str = ""
    attention: bool = False
    owners: tuple[str, ...] = ()  # "my leads": any of these names
    stage: str = ""
    search: str = ""


def pipeline_leads(user, filters: PipelineFilters, today: date) -> QuerySet[Lead]:
    """Return the leads `user` may read, filtered, with their attention (with_attention),
    industry and park, most urgent first (red, yellow, overdue), then the latest docked."""
    leads = Lead.objects.visible_to(user).select_related("industry", "park")
    exact = {
        "channel": filters.channel,
        "industry_id": filters.industry,
        "park_id": filters.park,
        "owner": filters.owner,
        "asset_type": filters.asset_type,
        "stage": filters.stage,
    }
    leads = leads.filter(**{key: value for key, value in exact.items() if value})
    if filters.owners:
        leads = leads.filter(owner__in=filters.owners)
    if filters.search:
        leads = leads.filter(
            Q(name__icontains=filters.search)
            | Q(code__icontains=filters.search)
            | Q(investor__icontains=filters.search)
        )
    leads = with_attention(leads, today)
    if filters.attention:
        leads = needs_attention(leads)
    urgency = Case(
        When(light=Light.RED, then=Value(0)),
        When(light=Light.YELLOW, then=Value(1)),
        When(overdue=True, then=Value(2)),
        default=Value(3),
    )
    return leads.annotate(urgency=urgency).order_by("urgency", "-docked_on", "code")


@dataclass
class BoardColumn:
    stage: LeadStage
    count: int
    planned: Decimal | None
    cards: list[Lead]


def pipeline_board(leads: QuerySet[Lead]) -> list[BoardColumn]:
    """Return the board: per stage its count and planned investment (one query) and its
    most urgent BOARD_CARDS leads (one query per stage)."""
    totals = {
        row["stage"]: row
        for row in Lead.objects.filter(pk__in=leads.values("pk"))
        .order_by()
        .values("stage")
        .annotate(count=Count("pk"), planned=Sum("planned_investment"))
    }
    return [
        BoardColumn(
            stage=stage,
            count=totals.get(stage, {}).get("count", 0),
            planned=totals.get(stage, {}).get("planned"),
            cards=list(leads.filter(stage=stage)[:BOARD_CARDS]) if stage in totals else [],
        )
        for stage in BOARD_STAGES
    ]


def lead_timeline(lead: Lead) -> list[LeadStageChange]:
    """Return the lead's stage changes, oldest first, with who made them."""
    return list(lead.stage_changes.select_related("changed_by").order_by("changed_on", "id"))


def lead_follow_ups(lead: Lead) -> list[FollowUp]:
    """Return the lead's follow-ups, latest first."""
    return list(lead.follow_ups.select_related("recorded_by").order_by("-date", "-id"))


def duplicate_candidates(leads: QuerySet[Lead]) -> QuerySet[Lead]:
    """Keep the open leads with an investor's name or credit code: those that may be
    possible duplicates (domain.is_possible_duplicate compares them; the normalised name
    is not SQL's to compute, the credit code is stored normalised)."""
    return leads.filter(stage__in=OPEN_STAGES).exclude(investor="", investor_credit_code="")


def lead_duplicates(user, lead: Lead) -> list[Lead]:
    """Return the open leads `user` may read whose investor matches `lead`'s by normalised
    name or credit code (possible duplicates), the lead itself left out."""
    if not investor_keys(lead.investor, lead.investor_credit_code):
        return []
    others = (
        duplicate_candidates(Lead.objects.visible_to(user))
        .exclude(pk=lead.pk)
        .values_list("pk", "investor", "investor_credit_code")
    )
    ids = [
        pk
        for pk, investor, code in others
        if is_possible_duplicate(lead.investor, lead.investor_credit_code, investor, code)
    ]
    return list(Lead.objects.filter(pk__in=ids).select_related("industry", "park"))


def duplicate_pairs(user) -> list[tuple[Lead, Lead]]:
    """Return the possible duplicates among the open leads `user` may read, as pairs of
    the first-docked lead of a group beside each other of the group."""
    open_leads = duplicate_candidates(Lead.objects.visible_to(user))
    groups = duplicate_groups(
        list(
            open_leads.order_by("docked_on", "pk").values_list(
                "pk", "investor", "investor_credit_code"
            )
        )
    )
    wanted = [pk for group in groups for pk in group]
    leads = Lead.objects.select_related("industry", "park").in_bulk(wanted)
    return [(leads[group[0]], leads[other]) for group in groups for other in group[1:]]


def forgotten_leads(park_ids: Collection[int | None], today: date) -> QuerySet[Lead]:
    """Return the leads of the parks that need attention on `today` (needs_attention:
    past their stage's time limit without follow-up, or their next follow-up overdue),
    the most urgent first: the dashboard's attention list.

    Only the leads that may need attention are grouped with their follow-ups: those of a
    followed stage docked before its yellow limit (a lead is touched no earlier than it
    was docked) and the open ones with a follow-up planned before `today`; needs_attention
    still decides."""
    candidates = Q(stage__in=OPEN_STAGES) & Exists(
        FollowUp.objects.filter(lead=OuterRef("pk"), next_on__lt=today)
    )
    for stage, (yellow_before, _) in light_limits(today, _limits()).items():
        candidates |= Q(stage=stage, docked_on__lt=yellow_before)
    leads = needs_attention(
        with_attention(Lead.objects.filter(in_parks(park_ids)).filter(candidates), today)
    )
    urgency = Case(
        When(light=Light.RED, then=Value(0)),
        When(light=Light.YELLOW, then=Value(1)),
        default=Value(2),
    )
    return leads.annotate(urgency=urgency).order_by("urgency", "last_touched_on", "code")


# ---------------------------------------------------------------- every promise checked (履约)


def promises_broken(leads: QuerySet[Lead], today: date) -> QuerySet[Lead]:
    """Keep the signed (or landed) leads past their promised start (承诺开工日期) on
    `today` with no start: no project, or a project not started (domain.start_overdue_days
    in SQL: the day promised itself is not late); the longest late first."""
    return (
        leads.filter(
            stage__in=[LeadStage.SIGNED, LeadStage.LANDED],
            promised_start_on__lt=today,
        )
        .filter(Q(project__isnull=True) | Q(project__start_date__isnull=True))
        .order_by("promised_start_on", "code")
    )


def broken_promises(user, today: date) -> QuerySet[Lead]:
    """Return the leads `user` may read whose promise is broken (promises_broken)."""
    return promises_broken(Lead.objects.visible_to(user), today).select_related("park", "project")


def broken_promises_in(park_ids: Collection[int | None], today: date) -> QuerySet[Lead]:
    """Return the leads of the parks whose promise is broken (promises_broken): the
    dashboard's attention list."""
    return promises_broken(Lead.objects.filter(in_parks(park_ids)), today)


def lead_chain(lead: Lead) -> list[ChainStep]:
    """Return the lead's chain 签约 → 摘牌 → 开工 → 投产 → 入统 → 首次纳税: its own dates,
    its project's start and production, and its project's enterprise's first day in the
    statistics (its change history) and first month with tax (the month's last day)."""
    from indicators import codes
    from indicators.models import MonthlyValue

    project = lead.project
    enterprise = project.enterprise if project else None
    entered = first_tax = None
    if enterprise is not None:
        record = enterprise.history.filter(in_statistics=True).order_by("history_date").first()
        entered = timezone.localdate(record.history_date) if record else None
        taxed = (
            MonthlyValue.objects.filter(
                enterprise=enterprise, indicator__code=codes.TAX, value__gt=0
            )
            .order_by("year", "month")
            .values_list("year", "month")
            .first()
        )
        if taxed:
            first_tax = date(taxed[0], taxed[1], monthrange(*taxed)[1])
    return promise_chain(
        [
            lead.signed_on,
            lead.delisted_on,
            project.start_date if project else None,
            project.production_date if project else None,
            entered,
            first_tax,
        ]
    )


def visible_events(user) -> QuerySet[OutreachEvent]:
    """Return the outreach events `user` may read: park staff those of their parks and
    the zone's (no park); everyone else with a role every event; with their park and the
    number of leads recorded as docked at each, latest first."""
    from parkportal.choices import Role
    from parkportal.models import Park
    from parkportal.roles import user_role

    role = user_role(user)
    events = OutreachEvent.objects.select_related("park").annotate(docked=Count("leads"))
    if role is None:
        return events.none()
    if role == Role.STAFF:
        events = events.filter(Q(park__in=Park.objects.visible_to(user)) | Q(park__isnull=True))
    return events.order_by("-date", "name")


# ---------------------------------------------------------------- what each channel yields


@dataclass(frozen=True)
class LeadYield:
    """What the leads of one channel, outreach event or owner yielded in a year."""

    key: str  # the channel, the event's id or the owner's name
    label: str
    docked: int = 0
    docked_planned: Decimal | None = None
    signed: int = 0
    signed_planned: Decimal | None = None
    landed: int = 0
    completed: Decimal | None = None  # the year's completed investment of their projects
    tax: Decimal | None = None  # the year's tax of those projects' enterprises

    @property
    def channel(self) -> str:
        return self.key

    @property
    def is_empty(self) -> bool:
        return not (self.docked or self.signed or self.landed) and (
            self.completed is None and self.tax is None
        )


@dataclass(frozen=True)
class Yields:
    """What the leads a reader may read yielded in a year: per channel (every channel), per
    outreach event and per owner (those with something to show)."""

    year: int
    tax_month: int | None  # the month whose year-to-date tax is shown; None: no tax yet
    channels: list[LeadYield]
    events: list[LeadYield]
    owners: list[LeadYield]


NO_OWNER = "（未填负责人）"


def _counts(leads: QuerySet[Lead], field: str, year: int) -> dict:
    """Return per value of `field` the leads docked, signed and landed in `year` (each by
    its own date) and the planned investment of those docked and signed, in one query."""
    docked = Q(docked_on__year=year)
    signed = Q(signed_on__year=year)
    return {
        row[field]: row
        for row in leads.order_by()
        .values(field)
        .annotate(
            docked=Count("pk", filter=docked),
            docked_planned=Sum("planned_investment", filter=docked),
            signed=Count("pk", filter=signed),
            signed_planned=Sum("planned_investment", filter=signed),
            landed=Count("pk", filter=Q(landed_on__year=year)),
        )
    }


def _project_figures(project_ids: set[int], year: int) -> tuple[dict, int | None]:
    """Return per project its completed investment of `year` (the year-to-date figure of
    its latest official progress report of the year) and its enterprise's official
    year-to-date tax of the year's latest month every park has made official
    (indicators.official.default_period), and that month; in three queries."""
    from indicators import codes
    from indicators.models import Indicator, MonthlyValue
    from indicators.official import default_period
    from parkportal.models import Park
    from projects.models import Project, ProjectProgress

    period = default_period(Park.objects.all(), year)
    month = period[1] if period else None
    tax = Indicator.objects.filter(code=codes.TAX).first()
    progress = (
        ProjectProgress.objects.official()
        .filter(project=OuterRef("pk"), year=year)
        .order_by("-month")
        .values("completed_investment")[:1]
    )
    paid = (
        Subquery(
            MonthlyValue.objects.official()
            .filter(enterprise=OuterRef("enterprise_id"), indicator=tax, year=year, month=month)
            .values("value")[:1]
        )
        if month and tax
        else Value(None, output_field=DecimalField())
    )
    rows = (
        Project.objects.filter(pk__in=project_ids)
        .annotate(completed=Subquery(progress), tax=paid)
        .values_list("pk", "completed", "tax")
    )
    return {pk: (completed, paid) for pk, completed, paid in rows}, month


def _added(values) -> Decimal | None:
    """Return the sum of the figures given, None when there is none (not zero)."""
    present = [value for value in values if value is not None]
    return stored(sum(present, Decimal(0))) if present else None


def lead_yields(user, year: int) -> Yields:
    """Return what the leads `user` may read yielded in `year`, per channel, per outreach
    event they were docked at and per owner (负责人): the leads docked, signed and landed in
    the year (each by its own date) with the planned investment of those docked and signed;
    the completed investment in the year of the projects the leads became, and the tax
    their enterprises paid in the year (a project counts once in a group however many of
    its leads belong to it). In a fixed number of queries whatever the number of leads."""
    leads = Lead.objects.visible_to(user)
    by_channel = _counts(leads, "channel", year)
    by_owner = _counts(leads, "owner", year)
    by_event = _counts(leads.filter(events__isnull=False), "events", year)
    events = {
        event.pk: event
        for event in OutreachEvent.objects.filter(pk__in=[pk for pk in by_event if pk])
    }
    # Which projects each group's leads became, each once.
    became: dict[tuple[str, object], set[int]] = {}
    for channel, owner, event, project in (
        leads.filter(project__isnull=False)
        .values_list("channel", "owner", "events", "project_id")
        .distinct()
    ):
        for group in (("channel", channel), ("owner", owner), ("events", event)):
            if group[1] is not None:
                became.setdefault(group, set()).add(project)
    figures, month = _project_figures(set().union(*became.values()) if became else set(), year)

    def line(kind: str, key, label: str, counts: dict) -> LeadYield:
        projects = became.get((kind, key), set())
        return LeadYield(
            key=str(key),
            label=label,
            docked=counts.get("docked", 0),
            docked_planned=stored(counts.get("docked_planned")),
            signed=counts.get("signed", 0),
            signed_planned=stored(counts.get("signed_planned")),
            landed=counts.get("landed", 0),
            completed=_added(figures[pk][0] for pk in projects),
            tax=_added(figures[pk][1] for pk in projects),
        )

    channels = [
        line("channel", channel.value, channel.label, by_channel.get(channel.value, {}))
        for channel in Channel
    ]
    owners = [
        line("owner", owner, owner or NO_OWNER, by_owner.get(owner, {}))
        for owner in sorted({*by_owner, *(key for kind, key in became if kind == "owner")})
    ]
    event_lines = [
        line("events", pk, f"{events[pk].date:%Y-%m-%d} {events[pk].name}", by_event.get(pk, {}))
        for pk in sorted(events, key=lambda pk: (events[pk].date, events[pk].name), reverse=True)
    ]
    return Yields(
        year=year,
        tax_month=month,
        channels=channels,
        events=[row for row in event_lines if not row.is_empty],
        # Those without a name last.
        owners=sorted((row for row in owners if not row.is_empty), key=lambda row: row.key == ""),
    )


def channel_yields(user, year: int) -> list[LeadYield]:
    """Return per channel what the leads `user` may read yielded in `year` (lead_yields);
    every channel listed, in the choices' order."""
    return lead_yields(user, year).channels


def enterprise_leads(enterprise) -> QuerySet[Lead]:
    """Return the leads an enterprise came from: those whose project became its project,
    oldest contact first (the enterprise's page)."""
    return (
        Lead.objects.filter(project__enterprise=enterprise)
        .select_related("project")
        .order_by("docked_on", "code")
    )


# ---------------------------------------------------------------- the year-end summary's outreach


def scope_events(
    park_ids: Collection[int | None], start: date, end: date
) -> QuerySet[OutreachEvent]:
    """Return the outreach events of the parks (招商活动's 所属园区) held from `start` to
    `end`, both included; None among `park_ids` stands for the events without a park (the
    zone's own), as it does for leads (in_parks)."""
    return OutreachEvent.objects.filter(in_parks(park_ids), date__gte=start, date__lte=end)
