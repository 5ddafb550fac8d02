"""Reads of investment attraction for the pages that compose them: leads as they stood at
a cut-off date, and outreach events.

A period is the year up to `cut_off`, the last day of a month: from 1 January of
cut_off's year to cut_off. Leads belong to the parks of `park_ids`; None among them
stands for the leads without an intended park.
"""

from collections.abc import Collection
from datetime import date

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
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
    return scope_leads(park_ids, cut_off).filter(docked_on__gte=_year_start(cut_off))


def signed_leads(park_ids: Collection[int | None], cut_off: date) -> QuerySet[Lead]:
    """Return the leads signed in the year by `cut_off` and not dropped since."""
    return (
        scope_leads(park_ids, cut_off)
        .filter(signed_on__gte=_year_start(cut_off), signed_on__lte=cut_off)
        .exclude(stage_then=LeadStage.DROPPED)
    )


def intended_leads(park_ids: Collection[int | None], cut_off: date) -> QuerySet[Lead]:
    """Return the leads at the intention (意向) stage at `cut_off`, docked in any year."""
    return scope_leads(park_ids, cut_off).filter(stage_then=LeadStage.INTENTION)


def outreach_events(cut_off: date) -> QuerySet[OutreachEvent]:
    """Return the year's outreach events up to `cut_off`."""
    return OutreachEvent.objects.filter(date__gte=_year_start(cut_off), date__lte=cut_off)
