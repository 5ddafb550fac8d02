"""Who may reach what: every page of the portal, GET and POST, for each kind of user.

Park-A staff, park-B staff, a leader, an admin and an anonymous visitor ask for
every view; each is either served or refused, and a refused request changes
nothing in the database.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal as D
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import codes
from indicators.models import (
    FigureChange,
    FigureNote,
    MonthlyValue,
    PeriodEvent,
    PeriodSubmission,
    Reminder,
)
from investment.models import FollowUp, Lead, OutreachEvent
from parkportal.models import Enterprise
from tests.factories import EnterpriseFactory, LeadFactory, MonthlyValueFactory, indicator
from tests.workbook.books import ALL_SHEETS, xlsx
from workbook.models import ImportBatch

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 3
STAFF_A, STAFF_B, LEADER, ADMIN, ANONYMOUS = "staff_a", "staff_b", "leader", "admin", "anonymous"
INVESTMENT = "investment"
EVERYONE = {STAFF_A, STAFF_B, LEADER, ADMIN, INVESTMENT}


@dataclass
class Case:
    """One request and the users it serves; everyone else is refused."""

    name: str
    method: str
    url: str
    allowed: set[str]
    data: dict = field(default_factory=dict)
    # Anonymous visitors are sent to a log-in page (the admin's for admin pages).
    login: str = "login"


@pytest.fixture
def world(park_a, park_b):
    """An enterprise with a figure in each park; park A's month submitted for approval."""
    jia = EnterpriseFactory(park=park_a, name="甲企业")
    bing = EnterpriseFactory(park=park_b, name="丙企业")
    for enterprise in (jia, bing):
        MonthlyValueFactory(enterprise=enterprise, year=YEAR, month=MONTH - 1, value=D("100"))
    PeriodSubmission.objects.create(park=park_b, year=YEAR, month=MONTH, status="submitted")
    lead_a = LeadFactory(park=park_a, investor="某建材集团有限公司", docked_on=date(2026, 3, 1))
    lead_b = LeadFactory(park=park_b, investor="某建材集团", docked_on=date(2026, 3, 1))
    return {
        "jia": jia,
        "bing": bing,
        "revenue": indicator(codes.REVENUE),
        "lead_a": lead_a,
        "lead_b": lead_b,
    }


def lead_url(name, lead):
    return reverse(f"investment:{name}", args=[lead.pk])


VISIT = {"date": "2026-03-10", "method": "visit", "content": "赴企业拜访"}
STAGE = {"stage": "negotiating", "on": "2026-03-10", "note": "进入洽谈"}
EVENT = {"date": "2026-03-10", "name": "赴京招商", "kind": "trip"}
NEW = {"code": "ZS-NEW", "name": "新能源装备", "channel": "self_led", "docked_on": "2026-03-10"}


def entry(park):
    return reverse("indicators:entry", args=[park, YEAR, MONTH])


def grid(enterprise, revenue, value="150"):
    """Return a posted grid: one cell typed, beside the blank it showed (the month's first)."""
    cell = f"{enterprise.pk}-{revenue.pk}"
    return {"action": "save", f"v-{cell}": value, f"o-{cell}": ""}


def review(park):
    return reverse("indicators:review_month", args=[park, YEAR, MONTH])


def year_end(park, **extra):
    return (
        reverse("reports:year_end")
        + f"?park={park}&year={YEAR}&month={MONTH}"
        + "".join(f"&{key}={value}" for key, value in extra.items())
    )


def directory(**query):
    return reverse("reports:directory") + (f"?{urlencode(query)}" if query else "")


def enterprise_page(enterprise):
    return reverse("reports:enterprise", args=[enterprise.pk])


def cases(world) -> list[Case]:
    jia, bing, revenue = world["jia"], world["bing"], world["revenue"]
    lead_a, lead_b = world["lead_a"], world["lead_b"]
    history = "indicators:enterprise_history"
    return [
        # the home page and the year-end report
        Case("home", "GET", reverse("reports:home"), EVERYONE),
        Case("report A", "GET", year_end("A"), {STAFF_A, LEADER, ADMIN}),
        Case("report B", "GET", year_end("B"), {STAFF_B, LEADER, ADMIN}),
        Case("report zone", "GET", year_end("KFQ"), {LEADER, ADMIN}),
        Case("report A xlsx", "GET", year_end("A", format="xlsx"), {STAFF_A, LEADER, ADMIN}),
        Case("report B docx", "GET", year_end("B", format="docx"), {STAFF_B, LEADER, ADMIN}),
        Case(
            "report B rows",
            "GET",
            reverse("reports:year_end_rows")
            + f"?park=B&year={YEAR}&month={MONTH}&figure=indicator.revenue",
            {STAFF_B, LEADER, ADMIN},
        ),
        # the enterprise directory, its download, and an enterprise's page
        Case("directory", "GET", directory(), EVERYONE),
        Case("directory A", "GET", directory(park="A"), {STAFF_A, LEADER, ADMIN}),
        Case("directory B", "GET", directory(park="B"), {STAFF_B, LEADER, ADMIN}),
        Case("directory zone", "GET", directory(park="KFQ"), {LEADER, ADMIN}),
        Case("directory xlsx", "GET", directory(format="xlsx"), EVERYONE),
        Case(
            "directory B xlsx", "GET", directory(park="B", format="xlsx"), {STAFF_B, LEADER, ADMIN}
        ),
        Case("enterprise A", "GET", enterprise_page(jia), {STAFF_A, LEADER, ADMIN}),
        Case("enterprise B", "GET", enterprise_page(bing), {STAFF_B, LEADER, ADMIN}),
        # the monthly entry
        Case("entry start", "GET", reverse("indicators:entry_start"), EVERYONE),
        Case("entry A", "GET", entry("A"), {STAFF_A, LEADER, ADMIN}),
        Case("entry B", "GET", entry("B"), {STAFF_B, LEADER, ADMIN}),
        Case("save A", "POST", entry("A"), {STAFF_A, ADMIN}, grid(jia, revenue)),
        Case("save B's figure via A", "POST", entry("A"), {STAFF_A, ADMIN}, grid(bing, revenue)),
        Case("save B", "POST", entry("B"), set(), grid(bing, revenue)),  # submitted: locked
        Case("withdraw B", "POST", entry("B"), {STAFF_B, ADMIN}, {"action": "withdraw"}),
        Case("approve B", "POST", entry("B"), {ADMIN}, {"action": "approve"}),
        Case("return B", "POST", entry("B"), {ADMIN}, {"action": "return", "reason": "有误"}),
        Case("completeness", "GET", reverse("indicators:completeness"), {LEADER, ADMIN}),
        # the review queue and reminders (催报): admins only
        Case("review queue", "GET", reverse("indicators:review"), {ADMIN}),
        Case("review B", "GET", review("B"), {ADMIN}),
        Case("approve B in review", "POST", review("B"), {ADMIN}, {"action": "approve"}),
        Case(
            "return B in review",
            "POST",
            review("B"),
            {ADMIN},
            {"action": "return", "reason": "有误"},
        ),
        Case("remind A", "POST", reverse("indicators:remind", args=["A", YEAR, MONTH]), {ADMIN}),
        Case("history A", "GET", reverse(history, args=[jia.pk]), {STAFF_A, LEADER, ADMIN}),
        Case("history B", "GET", reverse(history, args=[bing.pk]), {STAFF_B, LEADER, ADMIN}),
        # the admin's workbook pages and exports
        Case("import page", "GET", reverse("workbook:import"), {ADMIN}, login="admin:login"),
        Case(
            "import upload",
            "POST",
            reverse("workbook:import"),
            {ADMIN},
            {"file": lambda: SimpleUploadedFile("园区数据.xlsx", xlsx(ALL_SHEETS))},
            login="admin:login",
        ),
        Case(
            "export",
            "GET",
            reverse("workbook:export") + "?sheet=企业",
            {ADMIN},
            login="admin:login",
        ),
        Case(
            "monthly values in the admin",
            "GET",
            reverse("admin:indicators_monthlyvalue_changelist"),
            {ADMIN},
            login="admin:login",
        ),
        # the pipeline: everyone reads the leads of their parks, investment staff and
        # admins follow them, admins merge duplicates
        Case("lead board", "GET", reverse("investment:board"), EVERYONE),
        Case("lead list", "GET", reverse("investment:list") + "?attention=on", EVERYONE),
        Case("my leads", "GET", reverse("investment:mine"), EVERYONE),
        Case("lead A", "GET", lead_url("lead", lead_a), {STAFF_A, LEADER, ADMIN, INVESTMENT}),
        Case("lead B", "GET", lead_url("lead", lead_b), {STAFF_B, LEADER, ADMIN, INVESTMENT}),
        Case("follow up A", "POST", lead_url("follow_up", lead_a), {ADMIN, INVESTMENT}, VISIT),
        Case("stage of B", "POST", lead_url("stage", lead_b), {ADMIN, INVESTMENT}, STAGE),
        Case("broken promises", "GET", reverse("investment:promises"), EVERYONE),
        Case("outreach events", "GET", reverse("investment:events"), EVERYONE),
        Case("channel yields", "GET", reverse("investment:channels") + "?year=2026", EVERYONE),
        Case("new event", "GET", reverse("investment:event_new"), {ADMIN, INVESTMENT}),
        Case("save new event", "POST", reverse("investment:event_new"), {ADMIN, INVESTMENT}, EVENT),
        Case("new lead", "GET", reverse("investment:lead_new"), {ADMIN, INVESTMENT}),
        Case("save new lead", "POST", reverse("investment:lead_new"), {ADMIN, INVESTMENT}, NEW),
        Case("duplicates", "GET", reverse("investment:duplicates"), {ADMIN}),
        Case(
            "merge",
            "POST",
            reverse("investment:merge"),
            {ADMIN},
            {"keep": lead_a.pk, "merged": lead_b.pk},
        ),
    ]


def snapshot():
    """Return what a refused request must leave as it was."""
    return {
        "figures": sorted(
            MonthlyValue.objects.values_list(
                "enterprise_id", "indicator_id", "year", "month", "value"
            )
        ),
        "changes": FigureChange.objects.count(),
        "notes": FigureNote.objects.count(),
        "periods": sorted(
            PeriodSubmission.objects.values_list("park__code", "year", "month", "status", "version")
        ),
        "events": PeriodEvent.objects.count(),
        "reminders": Reminder.objects.count(),
        "batches": ImportBatch.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "leads": sorted(Lead.objects.values_list("code", "stage")),
        "follow_ups": FollowUp.objects.count(),
        "outreach_events": OutreachEvent.objects.count(),
    }


@pytest.fixture
def users(staff_a, staff_b, leader, admin_user, investment):
    return {
        STAFF_A: staff_a,
        STAFF_B: staff_b,
        LEADER: leader,
        ADMIN: admin_user,
        INVESTMENT: investment,
        ANONYMOUS: None,
    }


def ask(client, case):
    if case.method == "GET":
        return client.get(case.url)
    data = {key: value() if callable(value) else value for key, value in case.data.items()}
    return client.post(case.url, data)


CASE_NAMES = [
    "home", "report A", "report B", "report zone", "report A xlsx", "report B docx",
    "report B rows", "directory", "directory A", "directory B", "directory zone",
    "directory xlsx", "directory B xlsx", "enterprise A", "enterprise B", "entry start",
    "entry A", "entry B", "save A", "save B's figure via A", "save B", "withdraw B",
    "approve B", "return B", "completeness", "review queue", "review B",
    "approve B in review", "return B in review", "remind A", "history A", "history B",
    "import page", "import upload", "export", "monthly values in the admin",
    "lead board", "lead list", "my leads", "lead A", "lead B", "follow up A", "stage of B",
    "broken promises", "outreach events", "channel yields", "new event", "save new event",
    "new lead", "save new lead", "duplicates", "merge",
]  # fmt: skip


# Pages that serve a user who reads no park's figures with a page that says so.
PAGES_WITHOUT_PARKS = {
    "report A", "report B", "report zone", "report A xlsx", "report B docx", "report B rows",
    "directory A", "directory B", "directory zone", "directory B xlsx",
}  # fmt: skip


def test_the_table_covers_every_case(world):
    assert [case.name for case in cases(world)] == CASE_NAMES


@pytest.mark.parametrize("who", [STAFF_A, STAFF_B, LEADER, ADMIN, INVESTMENT, ANONYMOUS])
@pytest.mark.parametrize("name", CASE_NAMES)
def test_who_may_reach_what(client, world, users, who, name):
    case = next(case for case in cases(world) if case.name == name)
    if users[who] is not None:
        client.force_login(users[who])
    before = snapshot()
    response = ask(client, case)

    if who in case.allowed:
        assert response.status_code in (200, 302), (who, name, response.status_code)
        if response.status_code == 302:
            assert "login" not in response["Location"], (who, name)
        if name == "save B's figure via A":  # served, but park B's figure is not A's to write
            assert not MonthlyValue.objects.filter(enterprise=world["bing"], month=MONTH).exists()
        return
    if who == ANONYMOUS:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(case.login)), response["Location"]
    elif case.login == "admin:login" and not users[who].is_staff:
        assert response.status_code == 302  # the admin site sends non-staff to its log-in
        assert response["Location"].startswith(reverse("admin:login"))
    elif who == INVESTMENT and name in PAGES_WITHOUT_PARKS:
        # Investment staff read no park's figures: the page says so (the rows of a report
        # that cannot be chosen: not found) and shows no park's data.
        expected = 404 if name == "report B rows" else 200
        assert response.status_code == expected, (who, name, response.status_code)
        assert "甲企业" not in response.text and "丙企业" not in response.text
    elif case.method == "POST" and case.name == "save B" and who in (STAFF_B, ADMIN):
        # may enter park B, but its month is submitted: told so, nothing stored
        assert response.status_code == 302
    else:
        assert response.status_code == 403, (who, name, response.status_code)
    assert snapshot() == before, (who, name)


def test_an_allowed_save_does_change_the_figures(client, world, users):
    """The matrix would pass if no save ever worked: this one must store its figure."""
    client.force_login(users[STAFF_A])
    response = client.post(entry("A"), grid(world["jia"], world["revenue"], "180"))
    assert response.status_code == 302
    assert MonthlyValue.objects.get(enterprise=world["jia"], year=YEAR, month=MONTH).value == D(
        "180"
    )
