"""A lead's stage change through its door (investment.services.lead_stage_change)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from investment.models import LeadStageChange
from investment.services import lead_stage_change
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stage", "signed_on", "landed_on"),
    [
        ("negotiating", None, None),
        ("signed", date(2026, 4, 1), None),
        ("landed", None, date(2026, 4, 1)),
    ],
)
def test_a_stage_change_is_recorded_and_dates_the_lead(admin_user, stage, signed_on, landed_on):
    lead = LeadFactory(stage="docked", docked_on=date(2026, 1, 5))
    lead_stage_change(lead=lead, stage=stage, user=admin_user, on=date(2026, 4, 1), note="说明")
    lead.refresh_from_db()
    assert (lead.stage, lead.signed_on, lead.landed_on) == (stage, signed_on, landed_on)
    change = LeadStageChange.objects.get(lead=lead)
    assert (change.from_stage, change.to_stage, change.changed_by, change.note) == (
        "docked", stage, admin_user, "说明",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("stage", "on", "message"),
    [
        ("docked", date(2026, 4, 1), "已处于"),
        ("signed", date(2025, 12, 31), "签约日期不能早于对接日期"),
    ],
)
def test_a_refused_change_writes_nothing(admin_user, stage, on, message):
    lead = LeadFactory(stage="docked", docked_on=date(2026, 1, 5))
    with pytest.raises(ValidationError, match=message):
        lead_stage_change(lead=lead, stage=stage, user=admin_user, on=on)
    lead.refresh_from_db()
    assert (lead.stage, lead.signed_on) == ("docked", None)
    assert not LeadStageChange.objects.exists()
