"""The year-end summary's investment attraction for any cut-off month, worked by hand: what
counts in 1-N月 (a lead docked on the cut-off's last day does, the day after does not, a
lead signed last year does not), a park's own leads and events against the zone's, the
fairs held after the cut-off up to the day the summary is made, and how far each signed
lead had got by the cut-off."""

from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.urls import reverse

from reports.scope import ReportPeriod, report_scope
from reports.year_end import narrative, year_end_report
from reports.year_end.attraction import event_figures, made_on, progress_then
from tests.factories import LeadFactory, OutreachEventFactory

pytestmark = pytest.mark.django_db

# The day the summaries below are made: 2022 is a past year, its fairs count to 31 December.
TODAY = date(2026, 12, 1)


@pytest.fixture
def attraction(zone, park_a, park_b):
    """Leads and events of 2021 and 2022 (planned investment in 万元):

    Q1 A docked 03-31 1,000 · Q2 A docked 04-01 2,000 · Q3 B docked 01-15 signed 03-31 4,000
    · Q4 B docked 02-01 signed 04-01 8,000 · Q5 no park docked 2021-10-01 signed 2021-12-01
    16,000 · Q6 A docked 06-30 32,000 · Q7 A docked 07-01 64,000.
    Events: E1 trip 03-31 (the zone's) · E2 trip 04-01 A · E3 forum 02-10 B · E4 fair 05-10 A,
    2 signed, 30,000 · E5 fair 08-08 (the zone's), 3 signed, 50,000.
    """
    for code, park, docked, signed, planned in [
        ("Q1", park_a, date(2022, 3, 31), None, 1000),
        ("Q2", park_a, date(2022, 4, 1), None, 2000),
        ("Q3", park_b, date(2022, 1, 15), date(2022, 3, 31), 4000),
        ("Q4", park_b, date(2022, 2, 1), date(2022, 4, 1), 8000),
        ("Q5", None, date(2021, 10, 1), date(2021, 12, 1), 16000),
        ("Q6", park_a, date(2022, 6, 30), None, 32000),
        ("Q7", park_a, date(2022, 7, 1), None, 64000),
    ]:
        LeadFactory(
            code=code,
            name=f"{code}项目",
            park=park,
            docked_on=docked,
            signed_on=signed,
            stage="signed" if signed else "docked",
            planned_investment=D(planned),
        )
    for day, name, kind, park, signed, amount in [
        (date(2022, 3, 31), "E1", "trip", None, None, None),
        (date(2022, 4, 1), "E2", "trip", park_a, None, None),
        (date(2022, 2, 10), "E3", "forum", park_b, None, None),
        (date(2022, 5, 10), "E4", "promotion", park_a, 2, D(30000)),
        (date(2022, 8, 8), "E5", "promotion", None, 3, D(50000)),
    ]:
        OutreachEventFactory(
            date=day, name=name, kind=kind, park=park, contracts_signed=signed, signed_amount=amount
        )
    return {"KFQ": zone, "A": park_a, "B": park_b}


LEAD_CASES = [
    # scope, year, cut-off month, docked, their planned investment, signed, theirs
    ("KFQ", 2022, 3, 3, D("13000"), 1, D("4000")),  # Q1 (the last day), Q3, Q4; Q3
    ("KFQ", 2022, 6, 5, D("47000"), 2, D("12000")),  # + Q2 (the day after 3月), Q6; + Q4
    ("A", 2022, 6, 3, D("35000"), 0, D("0")),  # Q1, Q2, Q6; Q7 docked on 07-01
    ("B", 2022, 3, 2, D("12000"), 1, D("4000")),  # Q3, Q4; Q3
    ("KFQ", 2021, 12, 1, D("16000"), 1, D("16000")),  # Q5 is 2021's, not 2022's
]


@pytest.mark.parametrize(
    ("scope", "year", "month", "docked", "docked_investment", "signed", "signed_investment"),
    LEAD_CASES,
)
def test_leads_docked_and_signed_in_the_months_of_the_scope(
    attraction, scope, year, month, docked, docked_investment, signed, signed_investment
):
    report = year_end_report(report_scope(attraction[scope]), ReportPeriod(year, month), TODAY)

    leads = report.leads
    assert (leads.docked, leads.docked_investment) == (docked, docked_investment)
    assert (leads.signed, leads.signed_investment) == (signed, signed_investment)


EVENT_CASES = [
    # scope, cut-off month, events of 1-N月, of which trips, fairs in 1-N月, fairs after
    ("KFQ", 3, 2, 1, [], ["E4", "E5"]),  # E1 on the last day, E3
    ("KFQ", 6, 4, 2, ["E4"], ["E5"]),  # E1–E4
    ("A", 6, 2, 1, ["E4"], []),  # E2, E4; E5 is the zone's own
    ("A", 3, 0, 0, [], ["E4"]),
    ("B", 3, 1, 0, [], []),  # E3
]


@pytest.mark.parametrize(("scope", "month", "count", "trips", "fairs", "later"), EVENT_CASES)
def test_events_of_the_scope_and_the_fairs_held_after_the_cut_off(
    attraction, scope, month, count, trips, fairs, later
):
    events = event_figures(report_scope(attraction[scope]), ReportPeriod(2022, month), TODAY)

    assert (events.count, events.trips) == (count, trips)
    assert [fair.name for fair in events.fairs] == fairs
    assert [fair.name for fair in events.later_fairs] == later


@pytest.mark.parametrize(
    ("today", "later"),
    [
        (date(2022, 5, 9), []),  # E4 not held yet
        (date(2022, 5, 10), ["E4"]),  # held that day
        (date(2022, 8, 7), ["E4"]),
        (date(2022, 8, 8), ["E4", "E5"]),
        (date(2023, 1, 20), ["E4", "E5"]),  # a past year: up to its end
    ],
)
def test_fairs_after_the_cut_off_count_up_to_the_day_the_summary_is_made(attraction, today, later):
    events = event_figures(report_scope(attraction["KFQ"]), ReportPeriod(2022, 3), today)

    assert [fair.name for fair in events.later_fairs] == later
    assert made_on(ReportPeriod(2022, 3), today) == min(today, date(2022, 12, 31))


def test_the_narrative_names_the_fairs_of_the_period_and_those_after_it(attraction):
    report = year_end_report(report_scope(attraction["KFQ"]), ReportPeriod(2022, 3), TODAY)

    [text] = [p for p in narrative(report) if p.startswith("2022年1-3月，")]
    assert text.startswith(
        "2022年1-3月，“走出去”开展招商对接活动1次，共对接招商项目3个、总投资1.3亿元，"
        "其中签约落地项目1个、总投资4,000万元（Q3项目计划投资4,000万元）。"
        "共开展各类招商活动2次（外出招商1次、座谈会1次）。"
    )
    assert (
        "此外，5月10日，成功举办E4，现场集中签约了总投资3亿元的2个项目；"
        "8月8日，成功举办E5，现场集中签约了总投资5亿元的3个项目。"
    ) in text


def test_a_park_without_trips_says_no_trips(attraction):
    report = year_end_report(report_scope(attraction["B"]), ReportPeriod(2022, 3), TODAY)

    [text] = [p for p in narrative(report) if p.startswith("2022年1-3月，")]
    assert text.startswith(
        "2022年1-3月，共对接招商项目2个、总投资1.2亿元，其中签约落地项目1个、总投资4,000万元"
    )
    assert "走出去" not in text and "共开展各类招商活动1次（座谈会1次）。" in text


def test_the_events_drill_down_lists_the_parks_own_events(client, leader, attraction):
    client.force_login(leader)

    query = {"park": "A", "year": 2022, "month": 6, "figure": "events"}
    response = client.get(reverse("reports:year_end_rows"), query)

    assert [row.cells[1].text for row in response.context["table"].rows] == ["E2", "E4"]


CUT_OFF = date(2022, 6, 30)
BEFORE, AFTER = date(2022, 6, 30), date(2022, 7, 1)


def lead(*, landed=None, delisted=None, started=None, produced=None, project=True):
    return SimpleNamespace(
        landed_on=landed,
        delisted_on=delisted,
        project=SimpleNamespace(start_date=started, production_date=produced) if project else None,
    )


@pytest.mark.parametrize(
    ("signed_lead", "progress"),
    [
        (lead(project=False), "签约"),
        (lead(), "签约"),
        (lead(delisted=BEFORE), "摘牌"),
        (lead(delisted=AFTER), "签约"),
        (lead(landed=BEFORE, delisted=BEFORE), "落地"),
        (lead(landed=AFTER), "签约"),  # landed after the cut-off: it stood signed
        (lead(landed=BEFORE, started=AFTER), "落地"),
        (lead(landed=BEFORE, started=BEFORE), "开工"),
        (lead(started=BEFORE, produced=AFTER), "开工"),
        (lead(started=BEFORE, produced=BEFORE), "投产"),
    ],
)
def test_how_far_a_signed_lead_had_got_by_the_cut_off(signed_lead, progress):
    assert progress_then(signed_lead, CUT_OFF) == progress
