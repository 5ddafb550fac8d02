"""The pipeline's reads agree with the pure rules: the SQL light is domain.light."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from investment.domain import light
from investment.models import Lead, LeadStageChange
from investment.selectors import needs_attention, with_attention
from tests.factories import LeadFactory
from tests.investment.factories import FollowUpFactory
from tests.investment.test_domain import LIMITS, TODAY

pytestmark = pytest.mark.django_db

CASES = [
    # stage, docked, last stage change, last follow-up (with its next date)
    ("docked", date(2026, 5, 31), None, None),
    ("docked", date(2026, 5, 30), None, None),
    ("docked", date(2026, 3, 1), None, (date(2026, 4, 30), None)),
    ("negotiating", date(2026, 1, 1), date(2026, 6, 9), None),
    ("negotiating", date(2026, 1, 1), date(2026, 5, 18), (date(2026, 5, 10), None)),
    ("intention", date(2026, 1, 1), date(2026, 6, 1), (date(2026, 6, 16), date(2026, 6, 29))),
    ("signed", date(2025, 1, 1), date(2025, 3, 1), (date(2025, 4, 1), date(2026, 7, 1))),
]


@pytest.fixture
def leads(settings):
    settings.LEAD_FOLLOW_UP_DAYS = LIMITS
    made = []
    for stage, docked, changed, follow_up in CASES:
        lead = LeadFactory(stage=stage, docked_on=docked)
        if changed:
            LeadStageChange.objects.create(lead=lead, to_stage=stage, changed_on=changed)
        if follow_up:
            FollowUpFactory(lead=lead, date=follow_up[0], next_on=follow_up[1])
        made.append(lead)
    return made


def test_the_sql_light_is_the_domains_light(leads):
    rows = with_attention(Lead.objects.all(), TODAY)
    for lead in rows:
        assert lead.light == (light(lead.stage, lead.last_touched_on, TODAY, LIMITS) or ""), lead


def test_needs_attention_lists_the_yellow_the_red_and_the_overdue(leads):
    listed = needs_attention(with_attention(Lead.objects.all(), TODAY))
    assert sorted(lead.pk for lead in listed) == sorted(leads[i].pk for i in (1, 2, 4, 5))


def test_the_forgotten_leads_are_every_lead_that_needs_attention(leads):
    from investment.selectors import forgotten_leads

    # Signed, docked lately, its follow-up's next date passed: overdue, though no light.
    overdue = LeadFactory(stage="signed", docked_on=date(2026, 6, 29))
    FollowUpFactory(lead=overdue, date=date(2026, 6, 29), next_on=date(2026, 6, 29))
    # Docked lately, its next follow-up planned today: not overdue.
    due = LeadFactory(stage="docked", docked_on=date(2026, 6, 20))
    FollowUpFactory(lead=due, date=date(2026, 6, 20), next_on=TODAY)
    parks = {lead.park_id for lead in [*leads, overdue, due]}

    listed = forgotten_leads(parks, TODAY)
    assert sorted(lead.pk for lead in listed) == sorted(
        [*(leads[i].pk for i in (1, 2, 4, 5)), overdue.pk]
    )
    assert sorted(lead.pk for lead in listed) == sorted(
        lead.pk for lead in needs_attention(with_attention(Lead.objects.all(), TODAY))
    )


def test_the_dashboards_attention_list_names_a_zones_forgotten_leads(settings, zone, park_a):
    from reports.dashboard.attention import leads_forgotten
    from reports.scope import report_scope

    settings.LEAD_FOLLOW_UP_DAYS = LIMITS
    today = timezone.localdate()
    forgotten = LeadFactory(park=park_a, stage="docked", docked_on=today - timedelta(days=61))
    LeadFactory(park=park_a, stage="docked", docked_on=today - timedelta(days=5))
    unassigned = LeadFactory(park=None, stage="intention", docked_on=today - timedelta(days=15))
    flagged = leads_forgotten(report_scope(zone), today)
    assert flagged.count == 2
    assert [(line.code, line.light) for line in flagged.lines] == [
        (forgotten.code, "red"),
        (unassigned.code, "yellow"),
    ]
    assert flagged.rule == "对接30天、洽谈21天、意向14天"


def test_each_channel_yields_the_leads_docked_signed_and_landed_in_the_year(leader, park_a):
    from decimal import Decimal

    from investment.selectors import channel_yields

    LeadFactory(channel="agency", docked_on=date(2026, 2, 1), planned_investment=Decimal("100"))
    LeadFactory(
        channel="agency",
        stage="signed",
        docked_on=date(2025, 11, 1),
        signed_on=date(2026, 3, 1),
        planned_investment=Decimal("250.5"),
    )
    LeadFactory(
        channel="referral",
        stage="landed",
        docked_on=date(2026, 1, 5),
        signed_on=date(2026, 2, 1),
        landed_on=date(2026, 4, 1),
        planned_investment=Decimal("30"),
    )
    LeadFactory(channel="referral", docked_on=date(2025, 6, 1))  # another year
    rows = {row.channel: row for row in channel_yields(leader, 2026)}
    agency, referral = rows["agency"], rows["referral"]
    assert (agency.docked, agency.docked_planned, agency.signed, agency.signed_planned) == (
        1,
        Decimal("100"),
        1,
        Decimal("250.5"),
    )
    assert (referral.docked, referral.signed, referral.landed) == (1, 1, 1)
    assert (rows["co_build"].docked, rows["co_build"].docked_planned) == (0, None)
    assert [row.label for row in rows.values()][:2] == ["委托招商", "以商招商"]
