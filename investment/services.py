"""Writes of investment attraction that span several rows."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from parkportal.data_version import data_version_bump

from .choices import LeadStage
from .models import Lead, LeadStageChange


def stage_date(lead: Lead, today: date) -> date:
    """Return the date a lead reached its stage, as far as its own dates tell: signed and
    landed leads carry theirs, a lead just docked its docking date; other stages today."""
    dated = {
        LeadStage.DOCKED: lead.docked_on,
        LeadStage.SIGNED: lead.signed_on,
        LeadStage.LANDED: lead.landed_on,
    }.get(lead.stage)
    return dated or today


@transaction.atomic
def lead_save(*, lead: Lead, previous_stage: str, user, on: date, note: str = "") -> Lead:
    """Save `lead` and, when its stage differs from `previous_stage`, record the change.

    A new lead has the previous stage "" and gets its first history entry.
    """
    lead.full_clean()
    lead.save()
    if lead.stage != previous_stage:
        LeadStageChange.objects.create(
            lead=lead,
            from_stage=previous_stage,
            to_stage=lead.stage,
            changed_on=on,
            changed_by=user if user and user.is_authenticated else None,
            note=note[:200],
        )
    data_version_bump()
    return lead


@transaction.atomic
def lead_stage_change(*, lead: Lead, stage: str, user, on: date, note: str = "") -> Lead:
    """Move `lead` to `stage` on the date `on`, recorded in its stage history with `note`.

    Signing and landing date the lead (签约日期, 落地日期) with `on` when it has no such
    date yet. A move to the stage the lead is at is refused, as are dates its checks
    refuse (signed before docked …); nothing is written then.
    """
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    stage = LeadStage(stage)
    if lead.stage == stage:
        raise ValidationError({"stage": f"该招商项目已处于“{stage.label}”阶段。"})
    previous = lead.stage
    lead.stage = stage
    if stage == LeadStage.SIGNED and lead.signed_on is None:
        lead.signed_on = on
    if stage == LeadStage.LANDED and lead.landed_on is None:
        lead.landed_on = on
    return lead_save(lead=lead, previous_stage=previous, user=user, on=on, note=note)
