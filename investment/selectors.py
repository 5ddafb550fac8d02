"""Reads of investment attraction for the pages that compose them: leads as they stood at
a cut-off date, and outreach events.

A period is the year up to `cut_off`, the last day of a month: from 1 January of
cut_off's year to cut_off. Leads belong to the parks of `park_ids`; None among them
stands for the leads without an intended park.
"""

from collections.abc import Collection
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .choices import LeadStage
from .models import Lead, LeadStageChange, OutreachEvent


def _year_start(cut_off: date) -> date:
    return cut_off.replace(month=1, day=1)


def scope_leads(park_ids: Collection[int | None], cut_off: date) -> QuerySet[Lead]:
    """Return the leads of the parks docked by `cut_off`, each with `stage_then`: its stage
    as it stood at the cut-off, from the stage history."""
    in_scope = Q(park_id__in=[park_id for park_id in park_ids if park_id is not None])
    if None in park_ids:
        in_scope |= Q(park__isnull=True)
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
    leads = scope_leads(park_ids, cut_off)
    start = _year_start(cut_off)
    if stage == LeadStage.DOCKED:
        return leads.filter(docked_on__gte=start)
    if stage in STAGE_DATES:
        field = STAGE_DATES[stage]
        reached = Q(**{f"{field}__gte": start, f"{field}__lte": cut_off})
    else:
        entered = LeadStageChange.objects.filter(
            lead=OuterRef("pk"),
            to_stage__in=ADVANCING[ADVANCING.index(stage) :],
            changed_on__gte=start,
            changed_on__lte=cut_off,
        )
        reached = Exists(entered) | Q(signed_on__gte=start, signed_on__lte=cut_off)
    return leads.filter(reached).exclude(stage_then=LeadStage.DROPPED)


def reached_counts(park_ids: Collection[int | None], cut_off: date) -> dict[str, int]:
    """Return how many leads reached each stage in the year up to `cut_off` (reached_leads),
    keyed by stage, and how many of those docked were dropped by then ("dropped"), in one
    query."""
    counted = {stage.value: reached_leads(park_ids, cut_off, stage) for stage in ADVANCING} | {
        LeadStage.DROPPED.value: reached_leads(park_ids, cut_off, LeadStage.DOCKED).filter(
            stage_then=LeadStage.DROPPED
        )
    }
    return Lead.objects.aggregate(
        **{key: Count("pk", filter=Q(pk__in=leads.values("pk"))) for key, leads in counted.items()}
    )


def signed_leads(park_ids: Collection[int | None], cut_off: date) -> QuerySet[Lead]:
    """Return the leads signed in the year by `cut_off` and not dropped since (本年签约)."""
    return reached_leads(park_ids, cut_off, LeadStage.SIGNED)


def intended_leads(park_ids: Collection[int | None], cut_off: date) -> QuerySet[Lead]:
    """Return the leads at the intention (意向) stage at `cut_off`, docked in any year."""
    return scope_leads(park_ids, cut_off).filter(stage_then=LeadStage.INTENTION)


def outreach_events(cut_off: date) -> QuerySet[OutreachEvent]:
    """Return the year's outreach events up to `cut_off`."""
    return OutreachEvent.objects.filter(date__gte=_year_start(cut_off), date__lte=cut_off)
