"""The year-end summary's investment attraction: outreach events, leads docked by channel,
leads signed, intended leads by heavy or light assets.

Lead stages are read as they stood at the cut-off, from the stage history
(investment.selectors).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce

from investment.choices import AssetType, Channel, EventKind, LeadStage
from investment.models import Lead, OutreachEvent
from investment.selectors import docked_leads, intended_leads, outreach_events, signed_leads

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


@dataclass(frozen=True)
class EventFigures:
    count: int
    by_kind: list[ChoiceCount]
    leads_docked: int
    contracts_signed: int
    signed_amount: Decimal
    lines: list[EventLine]


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
    by_channel: list[ChoiceCount]
    signed: int
    signed_investment: Decimal
    signed_lines: list[LeadLine]
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


def event_figures(period: ReportPeriod) -> EventFigures:
    """Return the zone's outreach events of the year up to the cut-off."""
    events = list(outreach_events(period.cut_off).order_by("date", "name"))
    lines = [event_line(event) for event in events]
    # The year's events are a few dozen lines, already read for the table: they are
    # counted and added up here.
    kinds = choice_counts(EventKind, Counter(event.kind for event in events))
    return EventFigures(
        count=sum(kind.count for kind in kinds),
        by_kind=kinds,
        leads_docked=sum(line.leads_docked or 0 for line in lines),
        contracts_signed=sum(line.contracts_signed or 0 for line in lines),
        signed_amount=sum((line.signed_amount or ZERO for line in lines), ZERO),
        lines=lines,
    )


def lead_line(lead: Lead, period: ReportPeriod) -> LeadLine:
    """Return a lead as it stood at the cut-off (a later signing is not shown)."""
    return LeadLine(
        code=lead.code,
        name=lead.name,
        investor=lead.investor,
        channel=lead.get_channel_display(),
        park=lead.park.name if lead.park else "",
        asset_type=lead.get_asset_type_display(),
        asset_value=lead.asset_type,
        planned_investment=lead.planned_investment,
        land_area_mu=lead.land_area_mu,
        docked_on=lead.docked_on,
        signed_on=lead.signed_on if lead.signed_on and lead.signed_on <= period.cut_off else None,
        stage=LeadStage(lead.stage_then).label,
    )


def lead_channels(scope: ReportScope, period: ReportPeriod) -> list[ChoiceCount]:
    """Return the leads docked in the year by channel, with each channel's share."""
    docked = docked_leads(scope.lead_park_ids, period.cut_off)
    return choice_counts(Channel, count_by(docked, "channel"), with_shares=True)


def signed_totals(scope: ReportScope, period: ReportPeriod) -> tuple[int, Decimal]:
    """Return how many leads were signed in the year by the cut-off, and their investment."""
    sums = signed_leads(scope.lead_park_ids, period.cut_off).aggregate(
        n=Count("id"), planned=Coalesce(Sum("planned_investment"), ZERO)
    )
    return sums["n"], stored(sums["planned"])


def lead_figures(scope: ReportScope, period: ReportPeriod) -> LeadFigures:
    by_channel = lead_channels(scope, period)
    signed = signed_leads(scope.lead_park_ids, period.cut_off)
    signed_count, signed_investment = signed_totals(scope, period)
    intended = intended_leads(scope.lead_park_ids, period.cut_off)
    by_asset = {
        row["asset_type"]: row
        for row in intended.values("asset_type")
        .annotate(
            n=Count("id"),
            planned=Coalesce(Sum("planned_investment"), ZERO),
            land=Coalesce(Sum("land_area_mu"), ZERO),
        )
        .order_by()
    }
    assets = [(asset.value, asset.label) for asset in AssetType]
    if "" in by_asset:
        assets.append(("", "未注明"))
    return LeadFigures(
        docked=sum(line.count for line in by_channel),
        by_channel=by_channel,
        signed=signed_count,
        signed_investment=signed_investment,
        signed_lines=[
            lead_line(lead, period)
            for lead in signed.select_related("park").order_by("signed_on", "code")
        ],
        intended=[
            AssetGroup(
                value=value,
                label=label,
                count=by_asset.get(value, {}).get("n", 0),
                planned_investment=stored(by_asset.get(value, {}).get("planned", ZERO)),
                land_area_mu=stored(by_asset.get(value, {}).get("land", ZERO)),
            )
            for value, label in assets
        ],
        intended_lines=[
            lead_line(lead, period)
            for lead in intended.select_related("park").order_by(
                "asset_type", F("planned_investment").desc(nulls_last=True), "code"
            )
        ],
    )
