from datetime import date

import pytest

from investment.models import LeadStageChange
from investment.services import lead_save
from tests.factories import LeadFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_stage_is_recorded_with_who_and_when():
    user = UserFactory()
    lead = LeadFactory(stage="docked")
    lead.stage = "negotiating"
    lead_save(lead=lead, previous_stage="docked", user=user, on=date(2026, 5, 6))
    change = LeadStageChange.objects.get(lead=lead)
    assert (change.from_stage, change.to_stage, change.changed_on, change.changed_by) == (
        "docked",
        "negotiating",
        date(2026, 5, 6),
        user,
    )


def test_saving_without_a_stage_change_records_nothing():
    lead = LeadFactory(stage="docked")
    lead.owner = "张三"
    lead_save(lead=lead, previous_stage="docked", user=None, on=date(2026, 5, 6))
    assert not LeadStageChange.objects.exists()


def test_lead_stage_change_through_the_admin_is_recorded(client, admin_user):
    lead = LeadFactory(stage="docked", docked_on=date(2026, 3, 1))
    client.force_login(admin_user)
    response = client.post(
        f"/admin/investment/lead/{lead.pk}/change/",
        {
            "code": lead.code,
            "name": lead.name,
            "channel": lead.channel,
            "stage": "intention",
            "docked_on": "2026-03-01",
            "stage_changes-TOTAL_FORMS": "0",
            "stage_changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change = LeadStageChange.objects.get(lead=lead)
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        "docked",
        "intention",
        admin_user,
    )
