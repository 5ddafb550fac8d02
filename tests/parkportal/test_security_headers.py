"""Every response carries the Content-Security-Policy, and no page needs an inline script.

The portal's pages, the admin site, error pages and downloads are asked for as an
admin (and the log-in pages as an anonymous visitor); each must send a policy whose
scripts come from the portal's own static files only. Templates and rendered pages
hold no inline <script> (json_script's data blocks aside) and no inline event handler.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import EnterpriseFactory, MonthlyValueFactory
from tests.workbook.books import ALL_SHEETS, xlsx
from workbook.models import ImportBatch

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
YEAR, MONTH = 2026, 3
REQUIRED = {
    "script-src": {"'self'"},
    "object-src": {"'none'"},
    "frame-ancestors": {"'none'"},
}


def policy(response) -> dict[str, set[str]]:
    """Return the response's Content-Security-Policy as {directive: sources}."""
    header = response.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: set(sources) for name, *sources in directives}


def named_urls(patterns, namespace="") -> set[str]:
    """Return the names of the URL patterns below `patterns`, with their namespaces."""
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


@pytest.fixture
def world(park_a, admin_user, client):
    """An enterprise with a figure, and an uploaded workbook waiting to be confirmed."""
    enterprise = EnterpriseFactory(park=park_a, name="甲企业")
    figure = MonthlyValueFactory(enterprise=enterprise, year=YEAR, month=MONTH)
    client.force_login(admin_user)
    upload = SimpleUploadedFile("园区数据.xlsx", xlsx(ALL_SHEETS))
    client.post(reverse("workbook:import"), {"file": upload})
    return {"enterprise": enterprise, "figure": figure, "batch": ImportBatch.objects.get()}


def portal_pages(world) -> dict[str, str]:
    """Return a URL, with sample arguments, for every named URL of the portal's own."""
    enterprise, batch = world["enterprise"].pk, world["batch"].pk
    period = f"park=A&year={YEAR}&month={MONTH}"
    return (
        {
            "reports:home": reverse("reports:home"),
            "reports:dashboard_series": reverse("reports:dashboard_series") + "?indicator=tax",
            "reports:directory": reverse("reports:directory") + "?q=甲",
            "reports:enterprise": reverse("reports:enterprise", args=[enterprise]),
            "reports:year_end": reverse("reports:year_end") + f"?{period}",
            "reports:year_end_rows": (
                reverse("reports:year_end_rows") + f"?{period}&figure=indicator.revenue"
            ),
            "indicators:entry_start": reverse("indicators:entry_start"),
            "indicators:entry": reverse("indicators:entry", args=["A", YEAR, MONTH]),
            "indicators:completeness": reverse("indicators:completeness"),
            "indicators:completeness_month": reverse(
                "indicators:completeness_month", args=[YEAR, MONTH]
            ),
            "indicators:enterprise_history": reverse(
                "indicators:enterprise_history", args=[enterprise]
            ),
            "indicators:review": reverse("indicators:review"),
            "indicators:review_month": reverse("indicators:review_month", args=["A", YEAR, MONTH]),
            "indicators:remind": reverse("indicators:remind", args=["A", YEAR, MONTH]),  # GET: 405
            "indicators:outliers": reverse("indicators:outliers"),
            "indicators:outlier_mark": reverse("indicators:outlier_mark"),  # GET: 405
            "health": reverse("health"),
            "login": reverse("login"),
            "logout": reverse("logout"),  # GET: refused (405), with the policy all the same
            "password_change": reverse("password_change"),
            "password_change_done": reverse("password_change_done"),
            "workbook:import": reverse("workbook:import"),
            "workbook:import_preview": reverse("workbook:import_preview", args=[batch]),
            "workbook:import_progress": reverse("workbook:import_progress", args=[batch]),
            "workbook:import_confirm": reverse("workbook:import_confirm", args=[batch]),
            "workbook:export": reverse("workbook:export") + "?sheet=企业",
            "workbook:template": reverse("workbook:template") + "?sheet=企业",
            "planning:plan": reverse("planning:plan", args=[YEAR]),
            "planning:mark_done": reverse("planning:mark_done", args=[YEAR, "T1"]),  # GET: 405
        }
        | api_pages(world)
        | service_pages(world)
        | pipeline_pages(world)
        | project_pages(world)
    )


def project_pages(world) -> dict[str, str]:
    """Return a URL for every named URL of the projects' pages, with a project, one of
    its milestones and one of its issues."""
    from datetime import date

    from projects.models import Milestone, ProjectIssue
    from projects.services import issue_save, milestone_save
    from tests.factories import ProjectFactory

    project = ProjectFactory(park=world["enterprise"].park, enterprise=world["enterprise"])
    milestone = milestone_save(
        milestone=Milestone(project=project, name="施工许可", planned_date=date(2026, 3, 31))
    )
    issue = issue_save(
        issue=ProjectIssue(
            code="WT-CSP",
            project=project,
            raised_on=date(2026, 3, 1),
            description="施工用电未接入",
            responsible_unit="县供电公司",
        )
    )
    return {
        "projects:list": reverse("projects:list") + "?q=项目",
        "projects:issues": reverse("projects:issues"),
        "projects:briefing": reverse("projects:briefing") + "?date=2026-03-10",
        "projects:project": reverse("projects:project", args=[project.pk]),
        "projects:edit": reverse("projects:edit", args=[project.pk]),
        "projects:milestone_add": reverse("projects:milestone_add", args=[project.pk]),
        "projects:milestone_edit": reverse(
            "projects:milestone_edit", args=[project.pk, milestone.pk]
        ),
        "projects:issue_add": reverse("projects:issue_add", args=[project.pk]),
        "projects:issue_close": reverse("projects:issue_close", args=[issue.pk]),  # GET: 405
        "projects:progress_entry": reverse("projects:progress_entry", args=["A", YEAR, MONTH]),
    }


def pipeline_pages(world) -> dict[str, str]:
    """Return a URL for every named URL of the pipeline (investment/), with a lead."""
    from tests.factories import LeadFactory

    lead = LeadFactory(code="ZS-CSP", park=world["enterprise"].park).pk
    return {
        "investment:board": reverse("investment:board") + "?attention=on",
        "investment:list": reverse("investment:list"),
        "investment:mine": reverse("investment:mine"),
        "investment:promises": reverse("investment:promises"),
        "investment:events": reverse("investment:events"),
        "investment:channels": reverse("investment:channels") + "?year=2026",
        "investment:event_new": reverse("investment:event_new"),
        "investment:duplicates": reverse("investment:duplicates"),
        "investment:merge": reverse("investment:merge"),  # GET: 405
        "investment:lead_new": reverse("investment:lead_new"),
        "investment:lead": reverse("investment:lead", args=[lead]),
        "investment:follow_up": reverse("investment:follow_up", args=[lead]),  # GET: 405
        "investment:stage": reverse("investment:stage", args=[lead]),  # GET: 405
    }


def service_pages(world) -> dict[str, str]:
    """Return a URL for every named URL of the service desk (services/), with a case."""
    from tests.services.conftest import make_case

    case = make_case(world["enterprise"], code="FW-1")
    return {
        "services:list": reverse("services:list") + "?q=用电",
        "services:new": reverse("services:new"),
        "services:case": reverse("services:case", args=[case.pk]),
        "services:close": reverse("services:close", args=[case.pk]),  # GET: 405
    }


def api_pages(world) -> dict[str, str]:
    """Return a URL for every named URL of the REST API (api/): its lists, a record of
    each kind, its schema and documentation page."""
    from datetime import date

    from indicators.models import PeriodSubmission
    from tests.factories import (
        LeadFactory,
        OutreachEventFactory,
        ProjectProgressFactory,
        SpecialBondFactory,
        TargetFactory,
    )

    enterprise, figure = world["enterprise"], world["figure"]
    progress = ProjectProgressFactory(project__park=enterprise.park)
    records = {
        "park": enterprise.park,
        "industry": enterprise.industry,
        "indicator": figure.indicator,
        "enterprise": enterprise,
        "target": TargetFactory(park=enterprise.park),
        "period": PeriodSubmission.objects.get_or_create(
            park=enterprise.park, year=YEAR, month=MONTH
        )[0],
        "monthly-value": figure,
        "project": progress.project,
        "project-progress": progress,
        "bond": SpecialBondFactory(project=progress.project),
        "lead": LeadFactory(park=enterprise.park, docked_on=date(YEAR, 1, 5)),
        "event": OutreachEventFactory(),
    }
    pages = {
        "api:schema": reverse("api:schema"),
        "api:docs": reverse("api:docs"),
        "api:monthly-value-sets": reverse("api:monthly-value-sets"),  # GET: 405
        "api:lead-stage": reverse("api:lead-stage", args=[records["lead"].pk]),  # GET: 405
    }
    for kind, record in records.items():
        pages[f"api:{kind}-list"] = reverse(f"api:{kind}-list")
        pages[f"api:{kind}-detail"] = reverse(f"api:{kind}-detail", args=[record.pk])
    return pages


def admin_pages(world, user) -> dict[str, int]:
    """Return the admin's index, each model's list and add form and some change forms,
    with the status the admin gets (403 where the admin site refuses them)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = {reverse("admin:index"): 200}
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        may_view = model_admin.has_view_or_change_permission(request)
        pages[reverse(f"{prefix}_changelist")] = 200 if may_view else 403
        pages[reverse(f"{prefix}_add")] = 200 if model_admin.has_add_permission(request) else 403
    enterprise, figure = world["enterprise"], world["figure"]
    pages |= {
        reverse("admin:parkportal_park_change", args=[enterprise.park_id]): 200,
        reverse("admin:parkportal_enterprise_change", args=[enterprise.pk]): 200,
        reverse("admin:parkportal_enterprise_history", args=[enterprise.pk]): 200,
        reverse("admin:indicators_monthlyvalue_change", args=[figure.pk]): 200,  # autocomplete
        reverse("admin:autocomplete")
        + "?term=甲&app_label=indicators&model_name=monthlyvalue&field_name=enterprise": 200,
    }
    return pages


class InlineCode(HTMLParser):
    """Collect a page's inline scripts, event-handler attributes and javascript: links."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # json_script's blocks are data, not code.
        if (
            tag == "script"
            and "src" not in attributes
            and attributes.get("type") != "application/json"
        ):
            self.found.append(self.get_starttag_text())
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(self.get_starttag_text())


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def assert_policy(response, url):
    directives = policy(response)
    for name, sources in REQUIRED.items():
        assert directives.get(name) == sources, (url, response.status_code, directives)
    assert directives["default-src"] == {"'self'"}
    assert directives["base-uri"] == {"'self'"}
    assert directives["form-action"] == {"'self'"}
    assert directives["img-src"] == {"'self'", "data:"}
    if response["Content-Type"].startswith("text/html"):
        assert inline_code(response.content.decode()) == [], url


def test_the_table_names_every_url_of_the_portal(world):
    names = named_urls(get_resolver().url_patterns)
    assert set(portal_pages(world)) == {name for name in names if not name.startswith("admin:")}


def test_every_portal_page_and_download_sends_the_policy(client, world):
    for name, url in portal_pages(world).items():
        response = client.get(url)
        expected = (
            405
            if name
            in {
                "logout",
                "workbook:import_confirm",
                "indicators:remind",
                "indicators:outlier_mark",
                "api:monthly-value-sets",
                "api:lead-stage",
                "services:close",
                "planning:mark_done",
                "investment:merge",
                "investment:follow_up",
                "investment:stage",
                "projects:issue_close",
            }
            else 200
        )
        assert response.status_code == expected, (name, url, response.status_code)
        assert_policy(response, url)


def test_every_admin_page_sends_the_policy(client, world, admin_user):
    pages = admin_pages(world, admin_user)
    assert list(pages.values()).count(200) > 30  # the admin's own pages, not only refusals
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == expected, (url, response.status_code)
        assert_policy(response, url)


@pytest.mark.parametrize("name", ["login", "admin:login", "reports:home"])
def test_anonymous_visitors_get_the_policy_too(client, db, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code in (200, 302)
    assert_policy(response, url)


def test_error_pages_send_the_policy(client, staff_a, park_b):
    client.force_login(staff_a)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "页面不存在" in missing.content.decode()
    assert_policy(missing, "/no-such-page/")

    refused = client.get(reverse("reports:home") + "?park=B")
    assert refused.status_code == 403
    assert_policy(refused, "403")


def test_the_policy_forbids_inline_scripts_but_allows_inline_styles(client, db):
    directives = policy(client.get(reverse("login")))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["style-src"] == {"'self'", "'unsafe-inline'"}


# A <script> tag without src=, and an attribute such as onclick= inside a tag.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE)


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_no_template_holds_an_inline_script_or_event_handler(template):
    text = template.read_text(encoding="utf-8")
    assert INLINE_SCRIPT.findall(text) == []
    assert EVENT_HANDLER.findall(text) == []
    assert JAVASCRIPT_URL.findall(text) == []


def test_the_template_scan_would_find_inline_code():
    assert INLINE_SCRIPT.findall('<script>alert(1)</script><script src="/a.js"></script>') == [
        "<script>"
    ]
    assert EVENT_HANDLER.findall('<button type="button" onclick="go()">') != []
    assert EVENT_HANDLER.findall('<a href="?page=2&amp;only=flagged">') == []
    assert JAVASCRIPT_URL.findall('<a href="javascript:go()">') != []
