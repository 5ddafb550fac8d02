"""The pipeline's pages: the board, the list, my leads, a lead and its forms, duplicates."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from investment.models import FollowUp, Lead, LeadStageChange, OutreachEvent
from tests.factories import LeadFactory, ProjectFactory
from tests.investment.factories import FollowUpFactory

pytestmark = pytest.mark.django_db


def many_leads(park, count, **extra):
    today = timezone.localdate()
    for number in range(count):
        lead = LeadFactory(
            park=park, docked_on=today - timedelta(days=number), investor=f"投资方{number}", **extra
        )
        FollowUpFactory(lead=lead, date=lead.docked_on, next_on=today + timedelta(days=3))


@pytest.mark.parametrize("url", ["investment:board", "investment:list", "investment:mine"])
def test_the_pipelines_pages_take_the_same_queries_for_3_leads_and_30(
    client, investment, park_a, django_assert_max_num_queries, url
):
    client.force_login(investment)
    many_leads(park_a, 2, stage="docked")
    many_leads(park_a, 1, stage="negotiating", owner="investment")
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse(url)).status_code == 200
    many_leads(park_a, 27, stage="negotiating", owner="investment")
    with django_assert_max_num_queries(20) as many:
        assert client.get(reverse(url)).status_code == 200
    assert len(many) == len(few)


def test_a_leads_page_takes_a_fixed_number_of_queries(
    client, investment, park_a, django_assert_max_num_queries
):
    client.force_login(investment)
    lead = LeadFactory(park=park_a, investor="某集团")
    for day in range(1, 6):
        FollowUpFactory(lead=lead, date=date(2026, 3, day))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("investment:lead", args=[lead.pk]))
    assert response.status_code == 200
    assert "跟进记录" in response.text


def test_investment_staff_record_a_visit_with_its_next_step(client, investment, park_a):
    lead = LeadFactory(park=park_a, docked_on=date(2026, 3, 1))
    client.force_login(investment)
    response = client.post(
        reverse("investment:follow_up", args=[lead.pk]),
        {
            "date": "2026-03-10",
            "method": "visit",
            "content": "赴企业总部洽谈",
            "next_step": "报送供地方案",
            "next_on": "2026-03-20",
            "by": "李四",
        },
    )
    assert response.status_code == 302
    visit = FollowUp.objects.get(lead=lead)
    assert (visit.next_on, visit.recorded_by) == (date(2026, 3, 20), investment)


def test_a_stage_change_dated_before_the_previous_is_refused_on_the_page(
    client, investment, park_a
):
    lead = LeadFactory(park=park_a, stage="negotiating", docked_on=date(2026, 3, 1))
    LeadStageChange.objects.create(
        lead=lead, from_stage="docked", to_stage="negotiating", changed_on=date(2026, 4, 1)
    )
    client.force_login(investment)
    response = client.post(
        reverse("investment:stage", args=[lead.pk]),
        {"stage": "signed", "on": "2026-03-20", "note": ""},
    )
    assert response.status_code == 400
    assert "早于上一阶段“洽谈”的日期2026-04-01" in response.text
    lead.refresh_from_db()
    assert lead.stage == "negotiating"


def test_dropping_a_lead_needs_its_reason(client, investment, park_a):
    lead = LeadFactory(park=park_a, docked_on=date(2026, 3, 1))
    client.force_login(investment)
    url = reverse("investment:stage", args=[lead.pk])
    refused = client.post(url, {"stage": "dropped", "on": "2026-04-01", "note": ""})
    assert refused.status_code == 400
    assert "终止原因" in refused.text
    assert (
        client.post(url, {"stage": "dropped", "on": "2026-04-01", "note": "选址他处"}).status_code
        == 302
    )
    lead.refresh_from_db()
    assert (lead.stage, lead.drop_reason) == ("dropped", "选址他处")


def test_an_admin_merges_two_duplicates_keeping_both_histories(client, admin_user, park_a):
    keep = LeadFactory(park=park_a, investor="河北某某建材集团有限公司", stage="negotiating")
    other = LeadFactory(park=None, investor="河北某某建材（集团）", stage="docked")
    LeadStageChange.objects.create(lead=other, to_stage="docked", changed_on=date(2026, 3, 1))
    FollowUpFactory(lead=other, date=date(2026, 3, 5))
    client.force_login(admin_user)
    page = client.get(reverse("investment:duplicates"))
    assert other.code in page.text and keep.code in page.text
    response = client.post(reverse("investment:merge"), {"keep": keep.pk, "merged": other.pk})
    assert response.status_code == 302
    assert not Lead.objects.filter(pk=other.pk).exists()
    assert keep.follow_ups.count() == 1
    assert keep.stage_changes.filter(note__startswith=f"（{other.code}）").exists()
    assert Lead.history.filter(code=other.code, history_type="-").exists()


def test_investment_staff_record_a_new_lead_at_its_first_stage(client, investment, park_a):
    client.force_login(investment)
    response = client.post(
        reverse("investment:lead_new"),
        {
            "code": "ZS-9",
            "name": "新能源装备",
            "investor": "某某新能源集团",
            "channel": "referral",
            "docked_on": "2026-03-10",
            "park": park_a.pk,
            "owner": "investment",
        },
    )
    created = Lead.objects.get(code="ZS-9")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    change = created.stage_changes.get()
    assert (created.stage, change.to_stage, change.changed_on, change.changed_by) == (
        "docked",
        "docked",
        date(2026, 3, 10),
        investment,
    )


def test_signed_leads_past_their_promised_start_are_listed_with_their_chain(
    client, leader, park_a, django_assert_max_num_queries
):
    today = timezone.localdate()
    signed = dict(stage="signed", docked_on=today - timedelta(days=90), park=park_a)
    late = LeadFactory(
        name="逾期未开工项目",
        signed_on=today - timedelta(days=60),
        promised_start_on=today - timedelta(days=12),
        **signed,
    )
    LeadFactory(name="尚未到期项目", promised_start_on=today + timedelta(days=5), **signed)
    started = ProjectFactory(start_date=today - timedelta(days=20))
    LeadFactory(
        name="已开工项目", project=started, promised_start_on=today - timedelta(days=30), **signed
    )
    client.force_login(leader)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("investment:promises"))
    assert "逾期未开工项目" in response.text
    assert "尚未到期项目" not in response.text and "已开工项目" not in response.text
    page = client.get(reverse("investment:lead", args=[late.pk]))
    assert "已逾期12天未开工" in page.text
    assert "履约情况" in page.text
    assert page.text.count("未到") == 5  # every step after the signing


def test_investment_staff_record_an_event_with_the_leads_docked_at_it(client, investment, park_a):
    docked = LeadFactory(code="ZS-7", park=park_a)
    client.force_login(investment)
    url = reverse("investment:event_new")
    event = {"date": "2026-03-10", "name": "赴京招商", "kind": "trip", "park": park_a.pk}
    refused = client.post(url, {**event, "lead_codes": "ZS-7、ZS-404"})
    assert refused.status_code == 400
    assert "线索编号不存在或无权跟进：ZS-404" in refused.text
    assert not OutreachEvent.objects.exists()
    assert client.post(url, {**event, "lead_codes": "ZS-7"}).status_code == 302
    assert list(OutreachEvent.objects.get().leads.all()) == [docked]
    page = client.get(reverse("investment:lead", args=[docked.pk]))
    assert "赴京招商" in page.text
