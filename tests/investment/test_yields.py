"""What the leads yield in a year, per channel, per outreach event and per owner: the leads
docked, signed and landed, the planned and signed amounts, the completed investment of the
projects they became and the tax of those projects' enterprises, worked by hand."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators import codes
from indicators.models import PeriodSubmission
from investment.selectors import lead_yields
from tests.factories import (
    EnterpriseFactory,
    LeadFactory,
    MonthlyValueFactory,
    OutreachEventFactory,
    ProjectFactory,
    ProjectProgressFactory,
    indicator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline(zone, park_a, park_b):
    # Both parks submitted January to June; park A July to September as well. The year's
    # latest month every park has made official is June: the tax is 1-6月's.
    for park, months in ((park_a, range(1, 10)), (park_b, range(1, 7))):
        for month in months:
            PeriodSubmission.objects.create(park=park, year=2026, month=month, status="submitted")
    e1 = EnterpriseFactory(park=park_b, name="甲企业")
    e2 = EnterpriseFactory(park=park_a, name="乙企业")
    for company, month, value in [(e1, 6, "80"), (e1, 9, "120"), (e2, 6, "15"), (e1, 6, None)]:
        if value is not None:
            MonthlyValueFactory(
                enterprise=company,
                indicator=indicator(codes.TAX),
                year=2026,
                month=month,
                value=D(value),
            )
    p1 = ProjectFactory(code="P1", park=park_b, enterprise=e1)
    p2 = ProjectFactory(code="P2", park=park_a, enterprise=e2)
    p3 = ProjectFactory(code="P3", park=park_a)  # no enterprise yet, no progress this year
    # P1's latest official report of 2026 is June's (park B's September is a draft); the
    # 2025 report is another year's.
    for project, year, month, amount in [
        (p1, 2026, 3, "1000"),
        (p1, 2026, 6, "2500"),
        (p1, 2026, 9, "3000"),
        (p1, 2025, 12, "9999"),
        (p2, 2026, 6, "400"),
        (p3, 2025, 12, "500"),
    ]:
        ProjectProgressFactory(
            project=project, year=year, month=month, completed_investment=D(amount)
        )
    fair = OutreachEventFactory(date=date(2026, 2, 1), name="春季招商推介会")
    trip = OutreachEventFactory(date=date(2025, 12, 10), name="赴深圳招商")
    l1 = LeadFactory(
        channel="agency",
        owner="张三",
        park=park_b,
        project=p1,
        stage="signed",
        docked_on=date(2025, 11, 1),
        signed_on=date(2026, 3, 1),
        planned_investment=D("250.5"),
    )
    # The same project from a second lead of the channel: counted once.
    l2 = LeadFactory(
        channel="agency",
        owner="李四",
        park=park_b,
        project=p1,
        docked_on=date(2026, 2, 1),
        planned_investment=D("100"),
    )
    l3 = LeadFactory(
        channel="referral",
        owner="张三",
        park=park_a,
        project=p2,
        stage="landed",
        docked_on=date(2026, 1, 5),
        signed_on=date(2026, 2, 1),
        landed_on=date(2026, 4, 1),
        planned_investment=D("30"),
    )
    LeadFactory(channel="referral", owner="", park=park_a, project=p3, docked_on=date(2025, 6, 1))
    fair.leads.set([l1, l2])
    trip.leads.set([l3])


FIELDS = ("docked", "docked_planned", "signed", "signed_planned", "landed", "completed", "tax")


def table(rows):
    return {row.label: tuple(getattr(row, field) for field in FIELDS) for row in rows}


def test_each_channel_yields_its_leads_and_their_projects_figures(pipeline, leader):
    channels = table(lead_yields(leader, 2026).channels)

    # 委托招商: L2 docked (100), L1 signed (250.5); P1 once: 2500 invested, 80 tax (1-6月).
    # 以商招商: L3 docked, signed and landed (30); P2 400 and 15, P3 nothing this year.
    assert channels["委托招商"] == (1, D("100"), 1, D("250.5"), 0, D("2500"), D("80"))
    assert channels["以商招商"] == (1, D("30"), 1, D("30"), 1, D("400"), D("15"))
    assert channels["自主招商"] == (0, None, 0, None, 0, None, None)
    assert len(channels) == 6


def test_each_owner_yields_the_leads_in_their_charge(pipeline, leader):
    owners = table(lead_yields(leader, 2026).owners)

    # 张三: L1 and L3; signed 250.5 + 30; P1 and P2: 2500 + 400 and 80 + 15.
    # The lead without an owner yields nothing in 2026 and is left out.
    assert owners == {
        "张三": (1, D("30"), 2, D("280.5"), 1, D("2900"), D("95")),
        "李四": (1, D("100"), 0, None, 0, D("2500"), D("80")),
    }


def test_each_outreach_event_yields_the_leads_docked_at_it(pipeline, leader):
    yields = lead_yields(leader, 2026)

    assert list(table(yields.events).items()) == [
        ("2026-02-01 春季招商推介会", (1, D("100"), 1, D("250.5"), 0, D("2500"), D("80"))),
        ("2025-12-10 赴深圳招商", (1, D("30"), 1, D("30"), 1, D("400"), D("15"))),
    ]
    assert yields.tax_month == 6


def test_a_year_without_official_months_has_no_tax(pipeline, leader):
    PeriodSubmission.objects.all().delete()

    channels = table(lead_yields(leader, 2026).channels)

    # No official month: no tax and no progress counted.
    assert channels["委托招商"] == (1, D("100"), 1, D("250.5"), 0, None, None)


def test_park_staff_read_their_parks_leads_yields(pipeline, staff_a):
    channels = table(lead_yields(staff_a, 2026).channels)

    assert channels["委托招商"] == (0, None, 0, None, 0, None, None)
    assert channels["以商招商"] == (1, D("30"), 1, D("30"), 1, D("400"), D("15"))


def test_the_page_shows_the_three_tables(pipeline, client, leader):
    client.force_login(leader)

    page = client.get(reverse("investment:channels"), {"year": 2026}).text

    assert 'id="channel-yields"' in page and 'id="event-yields"' in page
    assert 'id="owner-yields"' in page
    assert "春季招商推介会" in page and "1-6月累计" in page
    assert "2,900.00" in page


def test_the_page_refuses_a_year_out_of_range(client, leader):
    client.force_login(leader)

    assert client.get(reverse("investment:channels"), {"year": 99999}).status_code == 404


def test_the_page_reads_in_the_same_queries_for_more_leads(
    pipeline, client, leader, park_a, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(leader)
    url = reverse("investment:channels")
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"year": 2026})
    for n in range(5):
        enterprise = EnterpriseFactory(park=park_a)
        project = ProjectFactory(park=park_a, enterprise=enterprise)
        ProjectProgressFactory(project=project, year=2026, month=6)
        MonthlyValueFactory(
            enterprise=enterprise, indicator=indicator(codes.TAX), year=2026, month=6
        )
        lead = LeadFactory(channel="third_party", owner=f"负责人{n}", park=park_a, project=project)
        OutreachEventFactory(date=date(2026, 5, n + 1), name=f"活动{n}").leads.set([lead])

    # session, user, groups; the leads per channel, per owner and per event; the events;
    # the projects the leads became; the parks and the latest month all of them made
    # official; the tax indicator; the projects' figures.
    with django_assert_num_queries(len(few)):
        client.get(url, {"year": 2026})
    assert len(few) <= YIELDS_QUERIES, len(few)


YIELDS_QUERIES = 12
