from datetime import date
from decimal import Decimal as D

import pytest
from django.db import transaction

from tests.factories import LeadFactory, LeadStageChangeFactory, OutreachEventFactory
from tests.helpers import violates

pytestmark = pytest.mark.django_db


def test_lead_codes_are_unique():
    LeadFactory(code="ZS-1")
    with transaction.atomic(), violates("lead_code_unique", "investment_lead.code"):
        LeadFactory(code="ZS-1")


def test_a_lead_cannot_be_signed_before_it_was_docked():
    with transaction.atomic(), violates("lead_signed_after_docked"):
        LeadFactory(docked_on=date(2026, 3, 1), signed_on=date(2026, 2, 28), stage="signed")


def test_a_lead_cannot_land_before_it_was_signed():
    with transaction.atomic(), violates("lead_landed_after_signed"):
        LeadFactory(
            docked_on=date(2026, 1, 1),
            signed_on=date(2026, 3, 1),
            landed_on=date(2026, 2, 1),
            stage="landed",
        )


def test_planned_investment_is_not_negative():
    with transaction.atomic(), violates("lead_planned_investment_not_negative"):
        LeadFactory(planned_investment=D("-1"))


def test_stage_history_reads_in_order():
    lead = LeadFactory(stage="negotiating")
    LeadStageChangeFactory(
        lead=lead, from_stage="docked", to_stage="negotiating", changed_on=date(2026, 4, 1)
    )
    LeadStageChangeFactory(lead=lead, from_stage="", to_stage="docked", changed_on=date(2026, 3, 1))
    assert [str(change) for change in lead.stage_changes.all()] == [
        f"{lead}：— → 对接",
        f"{lead}：对接 → 洽谈",
    ]


def test_an_event_is_keyed_by_date_and_name():
    OutreachEventFactory(date=date(2022, 5, 1), name="赴北京招商")
    OutreachEventFactory(date=date(2022, 6, 1), name="赴北京招商")
    with transaction.atomic(), violates("outreach_event_natural_key", "investment_outreachevent"):
        OutreachEventFactory(date=date(2022, 5, 1), name="赴北京招商")
