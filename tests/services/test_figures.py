"""The service figures of a period, worked out by hand, and the year-end report writing
them as the zone's documents do (seed 000: 50余件次 / 70家 / 90余件 / 63项)."""

import io
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from projects.models import Meeting
from projects.services import meeting_save
from reports.scope import ReportPeriod, report_scope
from reports.year_end import narrative, report_tables, year_end_report
from services.models import ServiceCase
from services.selectors import service_figures
from tests.factories import EnterpriseFactory
from tests.reports.small_zone import build_small_zone

from .conftest import make_case

pytestmark = pytest.mark.django_db

Q1 = ReportPeriod(2026, 3)  # 2026-01-01 to 2026-03-31


@pytest.fixture
def desk(zone, park_a, park_b):
    """Cases of park A's 甲 and park B's 丙 (calendar days; d = the due date):

    R1 甲 request 政企直通车 水电路气 3-01 +3 (d 3-04) closed 3-03 线下 满意      in time
    R2 甲 request 线上 政策兑现     2-01 +3 (d 2-04) closed 2-10 线上 不满意    late
    R3 丙 request 中小企业早餐会    3-20 +7           closed 4-02 (after the cut-off)
    R4 丙 request 政企直通车 用工   2025-12-28 +7 (d 1-04) closed 1-02 线下 基本满意  in time
    R5 甲 request 走访              3-25, open
    A1 甲 approval 1-10 +7 (d 1-17) closed 1-12 线上, not rated      in time
    A2 甲 approval 3-15, open                                         (甲 served)
    A3 丙 approval 2025-12-01 +7 (d 12-08) closed 2026-01-05 线下     late (丙 not served in Q1)
    """
    jia = EnterpriseFactory(park=park_a, name="甲企业")
    bing = EnterpriseFactory(park=park_b, name="丙企业")
    closed = {"outcome": "已办结"}
    make_case(
        jia,
        code="R1",
        channel="direct_line",
        category="utilities",
        received_on=date(2026, 3, 1),
        days_allowed=3,
        closed_on=date(2026, 3, 3),
        mode="offline",
        satisfaction="satisfied",
        **closed,
    )
    make_case(
        jia,
        code="R2",
        channel="online",
        category="policy",
        received_on=date(2026, 2, 1),
        days_allowed=3,
        closed_on=date(2026, 2, 10),
        mode="online",
        satisfaction="unsatisfied",
        **closed,
    )
    make_case(
        bing,
        code="R3",
        channel="breakfast",
        received_on=date(2026, 3, 20),
        days_allowed=7,
        closed_on=date(2026, 4, 2),
        mode="offline",
        **closed,
    )
    make_case(
        bing,
        code="R4",
        channel="direct_line",
        category="labour",
        received_on=date(2025, 12, 28),
        days_allowed=7,
        closed_on=date(2026, 1, 2),
        mode="offline",
        satisfaction="fairly",
        **closed,
    )
    make_case(jia, code="R5", channel="visit", received_on=date(2026, 3, 25))
    make_case(
        jia,
        code="A1",
        kind="approval",
        category="approval",
        received_on=date(2026, 1, 10),
        days_allowed=7,
        closed_on=date(2026, 1, 12),
        mode="online",
        **closed,
    )
    make_case(jia, code="A2", kind="approval", category="approval", received_on=date(2026, 3, 15))
    make_case(bing, code="A3", kind="approval", category="approval",
              received_on=date(2025, 12, 1), days_allowed=7, closed_on=date(2026, 1, 5),
              mode="offline", **closed)  # fmt: skip
    return {"KFQ": zone, "A": park_a, "B": park_b}


@pytest.mark.parametrize(
    ("park", "solved", "online", "approvals", "approvals_online", "served", "in_time", "happy"),
    [
        ("KFQ", 3, 1, 2, 1, 1, D("60.00"), D("66.67")),  # in time 3 of 5, satisfied 2 of 3
        ("A", 2, 1, 1, 1, 1, D("66.67"), D("50.00")),  # 2 of 3; 1 of 2
        ("B", 1, 0, 1, 0, 0, D("50.00"), D("100.00")),  # 1 of 2; 1 of 1
    ],
)
def test_the_figures_of_a_period_by_scope(
    desk, park, solved, online, approvals, approvals_online, served, in_time, happy
):
    figures = service_figures(report_scope(desk[park]), Q1)
    assert (
        figures.requests_solved,
        figures.requests_solved_online,
        figures.approvals_handled,
        figures.approvals_online,
        figures.enterprises_served,
        figures.in_time_rate,
        figures.satisfaction_rate,
    ) == (solved, online, approvals, approvals_online, served, in_time, happy)


def test_requests_solved_by_channel_and_category(desk):
    figures = service_figures(report_scope(desk["KFQ"]), Q1)
    assert {t.label: t.count for t in figures.solved_by_channel if t.count} == {
        "政企直通车": 2,
        "线上": 1,
    }
    assert {t.label: t.count for t in figures.solved_by_category if t.count} == {
        "水电路气": 1,
        "政策兑现": 1,
        "用工": 1,
    }


def test_a_period_without_cases_has_no_rates_and_the_report_no_section(zone):
    figures = service_figures(report_scope(zone), Q1)
    assert (figures.in_time_rate, figures.satisfaction_rate, figures.is_empty) == (None, None, True)


@pytest.mark.parametrize(("park", "queries"), [("KFQ", 3), ("A", 2)])  # a zone's: meetings
def test_the_figures_take_a_fixed_number_of_queries(desk, park, queries, django_assert_num_queries):
    scope = report_scope(desk[park])
    with django_assert_num_queries(queries):
        service_figures(scope, Q1)


def test_meetings_held_in_the_period_count_by_kind_in_the_zones_figures(desk, settings):
    for held_on, name, kind in [
        (date(2026, 1, 8), "一月早餐会", "breakfast"),
        (date(2026, 3, 8), "三月早餐会", "breakfast"),
        (date(2026, 2, 8), "直通车", "direct"),
        (date(2025, 12, 8), "去年早餐会", "breakfast"),  # before the period
        (date(2026, 4, 8), "四月早餐会", "breakfast"),  # after the cut-off
    ]:
        Meeting.objects.create(held_on=held_on, name=name, kind=kind)
    zone = service_figures(report_scope(desk["KFQ"]), Q1)
    assert [(t.label, t.count) for t in zone.meetings_held] == [
        ("中小企业早餐会", 2),
        ("政企直通车", 1),
    ]
    assert service_figures(report_scope(desk["A"]), Q1).meetings is None  # the zone's
    report = year_end_report(report_scope(desk["KFQ"]), Q1)
    assert (
        "召开中小企业早餐会2次、政企直通车1次，协调解决企业各类事项2件次" in narrative(report)[-1]
    )


# --- The year-end report, as the documents write it --------------------------------------------


def seed_000_desk(park) -> None:
    """Cases as seed 000 counts them in 2026年1-3月: 53 requests coordinated (线下), 92
    solved online, approvals for 70 enterprises of which 63 handled online."""
    enterprises = [EnterpriseFactory(park=park) for _ in range(70)]
    day = date(2026, 2, 1)
    cases = []

    def case(code, enterprise, kind, mode):
        return ServiceCase(
            code=code, kind=kind, enterprise=enterprise, received_on=day, channel="direct_line",
            category="other", subject="事项", unit="园区", days_allowed=7,
            due_on=day + timedelta(7), closed_on=day + timedelta(3), mode=mode,
            outcome="已办结", satisfaction="satisfied",
        )  # fmt: skip

    for n in range(53):
        cases.append(case(f"R{n}", enterprises[n % 70], "request", "offline"))
    for n in range(92):
        cases.append(case(f"O{n}", enterprises[n % 70], "request", "online"))
    for n, enterprise in enumerate(enterprises):
        cases.append(case(f"A{n}", enterprise, "approval", "online" if n < 63 else "offline"))
    ServiceCase.objects.bulk_create(cases)


SEED_000 = "协调解决企业各类事项50余件次，线上为企业解决各类难题90余件"
SEED_000_APPROVALS = "领代办服务企业70家，网上办理审批事项63项"


def test_the_narrative_writes_real_counts_or_rounds_them_as_the_documents_do(
    zone, park_a, park_b, settings
):
    seed_000_desk(park_a)
    report = year_end_report(report_scope(zone), Q1)
    settings.SERVICE_ROUND_COUNTS = False
    exact = narrative(report)[-1]
    assert "协调解决企业各类事项53件次，线上为企业解决各类难题92件" in exact
    assert SEED_000_APPROVALS in exact
    assert "按时限办结率100.00%，企业满意率100.00%。" in exact
    settings.SERVICE_ROUND_COUNTS = True
    rounded = narrative(report)[-1]
    assert SEED_000 in rounded and SEED_000_APPROVALS in rounded
    titles = [table.title for table in report_tables(report)]
    assert titles[-2:] == [
        f"表{len(titles) - 1} 企业服务",
        f"表{len(titles)} 解决企业诉求（按渠道、类别）",
    ]


def test_a_zone_built_as_seed_000_shows_its_service_figures_in_every_format(
    client, leader, zone, park_a, park_b, settings
):
    settings.SERVICE_ROUND_COUNTS = True
    build_small_zone(zone, park_a, park_b)
    seed_000_desk(park_a)
    # "组织召开重点项目专题调度会10次": ten special scheduling meetings in the period
    for n in range(10):
        meeting_save(
            meeting=Meeting(
                held_on=date(2026, 1, 5) + timedelta(7 * n), name=f"重点项目专题调度会{n + 1}",
                kind="special",
            )
        )  # fmt: skip
    client.force_login(leader)
    query = {"park": "KFQ", "year": 2026, "month": 3}
    page = client.get(reverse("reports:year_end"), query).content.decode()
    book = load_workbook(
        io.BytesIO(client.get(reverse("reports:year_end"), {**query, "format": "xlsx"}).content)
    )
    document = Document(
        io.BytesIO(client.get(reverse("reports:year_end"), {**query, "format": "docx"}).content)
    )
    book_text = "".join(
        str(cell.value) for row in book["综述"].iter_rows() for cell in row if cell.value
    )
    docx_text = "".join(paragraph.text for paragraph in document.paragraphs)
    for text in (page, book_text, docx_text):
        assert SEED_000 in text and SEED_000_APPROVALS in text
        assert "专题调度会10次" in text
    services = book["企业服务"]
    values = {row[0].value: row[1].value for row in services.iter_rows() if row[0].value}
    assert values["领代办服务企业(家)"] == 70
    assert values["　其中：网上办理(项)"] == 63
    assert values["解决企业诉求(件次)"] == 145


def test_the_dashboard_card_shows_the_desks_year_to_date(client, leader, zone, park_a, park_b):
    build_small_zone(zone, park_a, park_b)
    seed_000_desk(park_a)
    client.force_login(leader)
    response = client.get(reverse("reports:home"), {"park": "KFQ", "year": 2026, "month": 3})
    card = response.context["board"].services
    assert (card.requests_solved, card.enterprises_served, card.approvals_online) == (145, 70, 63)
    page = response.content.decode()
    section = page[page.index('id="services-card-title"') :]
    assert ">145<" in section and ">70<" in section and ">63<" in section
    assert "100.00%" in section
