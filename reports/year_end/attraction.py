"""The year-end summary's investment attraction: outreach events by kind, leads docked
(with their planned investment) by channel, leads signed and how far each had got, the
promotion fairs with what was signed at them, intended leads by heavy or light assets.

Lead stages are read as they stood at the cut-off, from the stage history
(investment.selectors). A scope counts its own events and leads: a park those of its
park, a zone those of its parks and its own (the events and leads without a park, when
it is the only zone). The rules are in docs/domain.md, "Investment attraction in the
summary".
"""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from investment.choices import AssetType, Channel, EventKind, LeadStage
from investment.models import Lead, OutreachEvent
from investment.selectors import docked_leads, intended_leads, scope_events, signed_leads

from ..figures import ZERO, ChoiceCount, choice_counts, count_by, stored
from ..scope import ReportPeriod, ReportScope


@dataclass(frozen=True)
class EventLine:
    date: date
    name: str
    kind: str
    place: str
    leader: str
    leads_docked: int | None
    contracts_signed: int | None
    signed_amount: Decimal | None

    @property
    def day_label(self) -> str:
        """Return the day as the documents write it: "7月6日"."""
        return f"{self.date.month}月{self.date.day}日"


@dataclass(frozen=True)
class EventFigures:
    count: int  # every kind
    by_kind: list[ChoiceCount]
    leads_docked: int
    contracts_signed: int
    signed_amount: Decimal
    lines: list[EventLine]
    fairs: list[EventLine]  # the promotion fairs (招商推介会) of the period
    # The fairs held after the cut-off in the same year, up to the day the summary was made
    # (a past year's: up to its end): the documents report them after the period's figures.
    later_fairs: list[EventLine]
    made_on: date

    @property
    def trips(self) -> int:
        """Return how many outreach trips (外出招商, "走出去") the period held."""
        return next(kind.count for kind in self.by_kind if kind.value == EventKind.TRIP)


@dataclass(frozen=True)
class LeadLine:
    code: str
    name: str
    investor: str
    channel: str
    park: str
    asset_type: str
    asset_value: str
    planned_investment: Decimal | None
    land_area_mu: Decimal | None
    docked_on: date
    signed_on: date | None
    stage: str  # as it stood at the cut-off
    progress: str = ""  # of a signed lead: how far it had got by the cut-off (PROGRESS)


@dataclass(frozen=True)
class AssetGroup:
    value: str
    label: str
    count: int
    planned_investment: Decimal
    land_area_mu: Decimal


@dataclass(frozen=True)
class LeadFigures:
    docked: int
    docked_investment: Decimal  # the planned investment of the leads docked
    by_channel: list[ChoiceCount]
    signed: int
    signed_investment: Decimal
    signed_lines: list[LeadLine]
    signed_progress: list[tuple[str, int]]  # (PROGRESS label, signed leads that got there)
    intended: list[AssetGroup]
    intended_lines: list[LeadLine]


def event_line(event: OutreachEvent) -> EventLine:
    return EventLine(
        date=event.date,
        name=event.name,
        kind=event.get_kind_display(),
        place=event.place,
        leader=event.leader,
        leads_docked=event.leads_docked,
        contracts_signed=event.contracts_signed,
        signed_amount=event.signed_amount,
    )


def made_on(period: ReportPeriod, today: date | None = None) -> date:
    """Return the last day a summary made on `today` reports fairs up to: today, or the
    year's last day for a past year."""
    today = today or timezone.localdate()
    return min(today, date(period.year, 12, 31))


def event_figures(
    scope: ReportScope, period: ReportPeriod, today: date | None = None
) -> EventFigures:
    """Return the scope's outreach events of the year up to the cut-off, and the promotion
    fairs held after it in the year up to the day the summary is made (`today`), in one
    query."""
    until = made_on(period, today)
    events = list(
        scope_events(scope.lead_park_ids, period.start, max(until, period.cut_off)).order_by(
            "date", "name"
        )
    )
    held = [event for event in events if event.date <= period.cut_off]
    later = [
        event
        for event in events
        if period.cut_off < event.date <= until and event.kind == EventKind.PROMOTION
    ]
    lines = [event_line(event) for event in held]
    # The year's events are a few dozen lines, already read for the table: they are
    # counted and added up here.
    kinds = choice_counts(EventKind, Counter(event.kind for event in held))
    return EventFigures(
        count=sum(kind.count for kind in kinds),
        by_kind=kinds,
        leads_docked=sum(line.leads_docked or 0 for line in lines),
        contracts_signed=sum(line.contracts_signed or 0 for line in lines),
        signed_amount=sum((line.signed_amount or ZERO for line in lines), ZERO),
        lines=lines,
        fairs=[
            line
            for line, event in zip(lines, held, strict=True)
            if event.kind == EventKind.PROMOTION
        ],
        later_fairs=[event_line(event) for event in later],
        made_on=until,
    )


# The labels of a lead's choices, looked up once: the summary lists leads by the thousand.
CHANNEL_LABELS = dict(Channel.choices)
ASSET_LABELS = dict(AssetType.choices)
STAGE_LABELS = dict(LeadStage.choices)
# What a lead's line reads of it (lead_line), besides its park's name and its stage at the
# cut-off (`with_park_name`, `stage_then`): the rest stays in the database.
LINE_FIELDS = (
    "code",
    "name",
    "investor",
    "channel",
    "asset_type",
    "planned_investment",
    "land_area_mu",
    "docked_on",
    "signed_on",
)
PROGRESS_FIELDS = ("landed_on", "delisted_on", "project__start_date", "project__production_date")


def with_park_name(leads: QuerySet[Lead]) -> QuerySet[Lead]:
    """Return `leads`, each with its intended park's name (`park_name`, None without one)."""
    return leads.annotate(park_name=F("park__name"))


def lead_line(lead, period: ReportPeriod) -> LeadLine:
    """Return a lead as it stood at the cut-off (a later signing is not shown): a Lead, or
    a row of its LINE_FIELDS, read with its `park_name` and `stage_then`."""
    return LeadLine(
        code=lead.code,
        name=lead.name,
        investor=lead.investor,
        channel=CHANNEL_LABELS.get(lead.channel, lead.channel),
        park=lead.park_name or "",
        asset_type=ASSET_LABELS.get(lead.asset_type, lead.asset_type),
        asset_value=lead.asset_type,
        planned_investment=lead.planned_investment,
        land_area_mu=lead.land_area_mu,
        docked_on=lead.docked_on,
        signed_on=lead.signed_on if lead.signed_on and lead.signed_on <= period.cut_off else None,
        stage=STAGE_LABELS[lead.stage_then],
    )


# How far a signed lead had got by the cut-off, the furthest first: its project in
# production, its project started, the lead landed (落地), its land won (摘牌), or signed only.
PROGRESS = ("投产", "开工", "落地", "摘牌", "签约")


def progress_then(lead: Lead, cut_off: date) -> str:
    """Return how far a signed lead had got by `cut_off` (PROGRESS), by its own dates and
    its project's (the lead read with its project)."""

    def by_then(day: date | None) -> bool:
        return day is not None and day <= cut_off

    project = lead.project
    if project is not None and by_then(project.production_date):
        return "投产"
    if project is not None and by_then(project.start_date):
        return "开工"
    if by_then(lead.landed_on):
        return "落地"
    if by_then(lead.delisted_on):
        return "摘牌"
    return "签约"


def signed_line(lead: Lead, period: ReportPeriod) -> LeadLine:
    """Return a signed lead as it stood at the cut-off, with how far it had got."""
    return replace(lead_line(lead, period), progress=progress_then(lead, period.cut_off))


def lead_channels(scope: ReportScope, period: ReportPeriod) -> list[ChoiceCount]:
    """Return the leads docked in the year by channel, with each channel's share."""
    docked = docked_leads(scope.lead_park_ids, period.cut_off)
    return choice_counts(Channel, count_by(docked, "channel"), with_shares=True)


def docked_by_channel(
    scope: ReportScope, period: ReportPeriod
) -> tuple[list[ChoiceCount], Decimal]:
    """Return the leads docked in the year by channel, with each channel's share, and the
    planned investment of them all, in one GROUP BY."""
    rows = (
        docked_leads(scope.lead_park_ids, period.cut_off)
        .values("channel")
        .annotate(n=Count("pk"), planned=Coalesce(Sum("planned_investment"), ZERO))
        .order_by()
    )
    counts, planned = {}, ZERO
    for row in rows:  # a row per channel
        counts[row["channel"]] = row["n"]
        planned += row["planned"]
    return choice_counts(Channel, counts, with_shares=True), stored(planned)


def signed_totals(scope: ReportScope, period: ReportPeriod) -> tuple[int, Decimal]:
    """Return how many leads were signed in the year by the cut-off, and their investment."""
    sums = signed_leads(scope.lead_park_ids, period.cut_off).aggregate(
        n=Count("id"), planned=Coalesce(Sum("planned_investment"), ZERO)
    )
    return sums["n"], stored(sums["planned"])


def asset_group(value: str, label: str, lines: list[LeadLine]) -> AssetGroup:
    """Return the intended leads of one asset type, added up from their lines."""
    return AssetGroup(
        value=value,
        label=label,
        count=len(lines),
        planned_investment=stored(sum((line.planned_investment or ZERO for line in lines), ZERO)),
        land_area_mu=stored(sum((line.land_area_mu or ZERO for line in lines), ZERO)),
    )


def lead_figures(scope: ReportScope, period: ReportPeriod) -> LeadFigures:
    by_channel, docked_investment = docked_by_channel(scope, period)
    signed = signed_leads(scope.lead_park_ids, period.cut_off)
    signed_count, signed_investment = signed_totals(scope, period)
    intended = intended_leads(scope.lead_park_ids, period.cut_off)
    # Every intended lead is listed (intended_lines): the groups add up the lines read,
    # where a GROUP BY would judge every lead's stage at the cut-off a second time.
    intended_lines = [
        lead_line(row, period)
        for row in with_park_name(intended)
        .order_by("asset_type", F("planned_investment").desc(nulls_last=True), "code")
        .values_list(*LINE_FIELDS, "park_name", "stage_then", named=True)
    ]
    by_asset: dict[str, list[LeadLine]] = {}
    for line in intended_lines:
        by_asset.setdefault(line.asset_value, []).append(line)
    assets = [(asset.value, asset.label) for asset in AssetType]
    if "" in by_asset:
        assets.append(("", "未注明"))
    signed_lines = [
        signed_line(lead, period)
        for lead in with_park_name(signed)
        .select_related("project")
        .only(*LINE_FIELDS, *PROGRESS_FIELDS)
        .order_by("signed_on", "code")
    ]
    reached = Counter(line.progress for line in signed_lines)
    return LeadFigures(
        docked=sum(line.count for line in by_channel),
        docked_investment=docked_investment,
        by_channel=by_channel,
        signed=signed_count,
        signed_investment=signed_investment,
        signed_lines=signed_lines,
        signed_progress=[(label, reached[label]) for label in PROGRESS if reached[label]],
        intended=[asset_group(value, label, by_asset.get(value, [])) for value, label in assets],
        intended_lines=intended_lines,
    )
