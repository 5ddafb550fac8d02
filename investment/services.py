"""Writes of investment attraction that span several rows."""

from datetime import date

from django.db import transaction

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
    return lead
