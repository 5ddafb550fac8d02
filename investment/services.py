"""Writes of investment attraction: the doors of leads, their stages and follow-ups."""

from collections.abc import Mapping, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import F, Value
from django.db.models.functions import Concat, Left
from django.utils import timezone

from parkportal.credit_code import normalize as normalize_credit_code
from parkportal.data_version import data_version_bump
from parkportal.register_lock import register_door, registers_import
from parkportal.services import (
    RegisterImported,
    records_compare,
    records_insert,
    records_write,
    register_import,
    register_result,
)

from .choices import LeadStage
from .models import FollowUp, Lead, LeadStageChange, OutreachEvent


def stage_date(lead: Lead, today: date) -> date:
    """Return the date a lead reached its stage, as far as its own dates tell: signed and
    landed leads carry theirs, a lead just docked its docking date; other stages today."""
    dated = {
        LeadStage.DOCKED: lead.docked_on,
        LeadStage.SIGNED: lead.signed_on,
        LeadStage.LANDED: lead.landed_on,
    }.get(lead.stage)
    return dated or today


def _user(user):
    return user if user is not None and user.is_authenticated else None


@register_door
def lead_save(*, lead: Lead, previous_stage: str, user, on: date, note: str = "") -> Lead:
    """Save `lead` and, when its stage differs from `previous_stage`, record the change.

    A new lead has the previous stage "" and gets its first history entry.
    """
    lead.full_clean()
    if user is not None and user.is_authenticated:
        lead._history_user = user
    lead.save()
    if lead.stage != previous_stage:
        LeadStageChange.objects.create(
            lead=lead,
            from_stage=previous_stage,
            to_stage=lead.stage,
            changed_on=on,
            changed_by=_user(user),
            note=note[:200],
        )
    data_version_bump()
    return lead


@registers_import
def leads_import(
    *,
    leads: Sequence[Lead],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many leads at once (the workbook's 招商项目 sheet), by the rules
    of `lead_save`, in a few statements whatever their number.

    `leads` are new instances, or stored ones with the new values set; `errors` what the
    caller found already, per position and field (those rows are not checked further,
    as on the row path). Each new or changed lead is checked as `full_clean` would (its
    fields, its `clean`: a 终止 without its reason, dates out of order; its check
    constraints); with any error nothing is written. Otherwise the new and changed ones
    are written with their change history (the user and `reason`), a new lead and a
    lead whose stage the file changes enter the stage history, dated by the lead's own
    dates where it has them (`stage_date`), and the data version is bumped; leads equal
    to the stored ones write nothing.
    """
    result = register_result(errors)
    for lead in leads:
        # As Lead.clean_fields: a code typed in full-width or lower case is the same code.
        lead.investor_credit_code = normalize_credit_code(lead.investor_credit_code or "")
    created, changed, changed_fields, before = records_compare(Lead, leads, result)
    if result.errors:
        return result
    stage = [f.attname for f in Lead._meta.concrete_fields if not f.primary_key].index("stage")
    moves = [(lead, "") for lead in created] + [
        (lead, before[lead.pk][stage]) for lead in changed if before[lead.pk][stage] != lead.stage
    ]
    records_write(
        key=("code",),
        created=created,
        changed=changed,
        changed_fields=changed_fields,
        user=user,
        reason=reason,
    )
    today = timezone.localdate()
    records_insert(
        [
            LeadStageChange(
                lead_id=lead.pk,
                from_stage=previous,
                to_stage=lead.stage,
                changed_on=stage_date(lead, today),
                changed_by=_user(user),
                note=(reason or "导入")[:200],
            )
            for lead, previous in moves
        ]
    )
    if created or changed:
        data_version_bump()
    return result


@register_door
def lead_stage_change(*, lead: Lead, stage: str, user, on: date, note: str = "") -> Lead:
    """Move `lead` to `stage` on the date `on`, recorded in its stage history with `note`.

    终止 needs its reason in `note` (kept as the lead's 终止原因). The date cannot be
    before the previous stage's (the latest in the lead's history, or its docking date).
    Signing and landing date the lead (签约日期, 落地日期) with `on` when it has no such
    date yet. A move to the stage the lead is at is refused, as are dates its checks
    refuse (signed before docked …); nothing is written then.
    """
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    stage = LeadStage(stage)
    note = note.strip()
    if lead.stage == stage:
        raise ValidationError({"stage": f"该招商项目已处于“{stage.label}”阶段。"})
    if stage == LeadStage.DROPPED and not note:
        raise ValidationError({"note": "终止招商项目必须说明终止原因。"})
    if on < lead.docked_on:
        raise ValidationError(
            {"on": f"{stage.label}日期不能早于对接日期（{lead.docked_on:%Y-%m-%d}）。"}
        )
    last = lead.stage_changes.order_by("-changed_on", "-id").first()
    previous_on = last.changed_on if last else lead.docked_on
    if on < previous_on:
        previous_label = LeadStage(last.to_stage).label if last else "对接"
        raise ValidationError(
            {
                "on": f"变更日期{on:%Y-%m-%d}早于上一阶段“{previous_label}”的日期"
                f"{previous_on:%Y-%m-%d}。"
            }
        )
    previous = lead.stage
    lead.stage = stage
    if stage == LeadStage.SIGNED and lead.signed_on is None:
        lead.signed_on = on
    if stage == LeadStage.LANDED and lead.landed_on is None:
        lead.landed_on = on
    if stage == LeadStage.DROPPED:
        lead.drop_reason = note[:200]
    return lead_save(lead=lead, previous_stage=previous, user=user, on=on, note=note)


@register_door
def follow_up_save(*, follow_up: FollowUp, user) -> FollowUp:
    """Check and save one follow-up of a lead (a visit, call or talk) and its next step."""
    if follow_up.pk is None and user is not None and user.is_authenticated:
        follow_up.recorded_by = user
    follow_up.full_clean()
    if user is not None and user.is_authenticated:
        follow_up._history_user = user
    follow_up.save()
    data_version_bump()
    return follow_up


@registers_import
def follow_ups_import(
    *,
    follow_ups: Sequence[FollowUp],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many follow-ups of leads at once (the workbook's 招商跟进 sheet),
    by the rules of `follow_up_save`, in a few statements whatever their number.

    A new follow-up is recorded by (录入人) the importing user; a stored one keeps its
    own. Otherwise as `outreach_events_import`: each new or changed follow-up checked as
    `full_clean` would (a next date before the follow-up's, a lead not given), nothing
    written with any error, else the new and changed ones written with their change
    history (the user and `reason`) and the data version bumped.
    """
    recorder = _user(user)
    if recorder is not None:
        for follow_up in follow_ups:
            if follow_up.pk is None:
                follow_up.recorded_by = recorder
    return register_import(
        FollowUp, follow_ups, errors, key=("lead", "date", "method"), user=user, reason=reason
    )


@registers_import
def outreach_events_import(
    *,
    events: Sequence[OutreachEvent],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many outreach events at once (the workbook's 招商活动 sheet), by
    the rules of `outreach_event_save`, in a few statements whatever their number.

    `events` are new instances, or stored ones with the new values set; `errors` what
    the caller found already, per position and field (those rows are not checked
    further). Each new or changed event is checked as `full_clean` would (its fields,
    its check constraints: a negative 签约金额); with any error nothing is written.
    Otherwise the new and changed ones are written with their change history (the user
    and `reason`) and the data version is bumped; the leads docked at an event are left
    as they are (the sheet does not list them), and events equal to the stored ones
    write nothing.
    """
    return register_import(
        OutreachEvent, events, errors, key=("date", "name"), user=user, reason=reason
    )


@register_door
def outreach_event_save(*, event: OutreachEvent, user, leads=None) -> OutreachEvent:
    """Check and save an outreach event and, when `leads` are given, the leads docked at
    it (exactly those)."""
    event.full_clean()
    if user is not None and user.is_authenticated:
        event._history_user = user
    event.save()
    if leads is not None:
        event.leads.set(leads)
    data_version_bump()
    return event


@register_door
def lead_merge(*, keep: Lead, merged: Lead, user) -> Lead:
    """Merge the duplicate `merged` into `keep`, keeping both histories: `merged`'s stage
    changes, follow-ups and events move to `keep`, its blank facts fill `keep`'s, and its
    change history stays readable under its code; then `merged` is deleted.
    """
    if keep.pk == merged.pk:
        raise ValidationError("不能把招商项目与它自己合并。")
    keep = Lead.objects.select_for_update().get(pk=keep.pk)
    merged = Lead.objects.select_for_update().get(pk=merged.pk)
    for name in (
        "investor",
        "investor_credit_code",
        "industry",
        "planned_investment",
        "land_area_mu",
        "asset_type",
        "park",
        "project",
        "owner",
        "delisted_on",
        "promised_start_on",
    ):
        if getattr(keep, name) in (None, "") and getattr(merged, name) not in (None, ""):
            setattr(keep, name, getattr(merged, name))
    if merged.docked_on < keep.docked_on:
        keep.docked_on = merged.docked_on
    taken = set(keep.follow_ups.values_list("date", "method"))
    for follow_up in merged.follow_ups.all():
        if (follow_up.date, follow_up.method) in taken:
            # The same visit recorded twice: one record, both texts.
            other = keep.follow_ups.get(date=follow_up.date, method=follow_up.method)
            other.content = f"{other.content}\n（{merged.code}）{follow_up.content}"
            other.save()
            follow_up.delete()
        else:
            follow_up.lead = keep
            follow_up.save()
    for event in merged.events.all():
        event.leads.add(keep)
    merged.stage_changes.update(note=Left(Concat(Value(f"（{merged.code}）"), F("note")), 200))
    keep._change_reason = f"合并重复项目{merged.code}（{merged.name}）"
    lead_save(lead=keep, previous_stage=keep.stage, user=user, on=keep.docked_on)
    merged.stage_changes.update(lead=keep)
    merged._change_reason = f"并入{keep.code}（{keep.name}）"
    if user is not None and user.is_authenticated:
        merged._history_user = user
    merged.delete()
    data_version_bump()
    return keep
