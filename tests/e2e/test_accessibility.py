"""axe-core, run in Chromium on the portal's pages: no critical or serious violation on the
log-in page, the dashboard, the monthly entry and its 项目进度 grid, a project's page, the
investment channels' yields, the year-end report, the review queue, and
the admin's list and change pages (enterprise, project with its progress rows, lead,
monthly figures) and its workbook import.

axe-core comes from the npm registry (package.json's devDependencies, `make assets` runs
`npm ci`) and is read from node_modules. The pages' Content-Security-Policy allows only
their own scripts, so the test's browser context bypasses it to inject axe; the pages are
otherwise as users get them. A screenshot of each page lands in test-results/e2e/.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from indicators.models import MonthlyValue
from investment.models import Lead
from parkportal.choices import Role
from parkportal.models import Enterprise
from parkportal.services import user_save
from projects.models import Project
from tests.e2e.signin import PASSWORD, sign_in

pytestmark = [
    pytest.mark.e2e,
    # The live server reads what the test writes, so the test commits; the serialized
    # rollback brings back the indicator catalog that the flush afterwards removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")
DESKTOP = {"width": 1440, "height": 900}
QUERY = "?park=KFQ&year=2026&month=3"


def _admin(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def _first(model, **filters) -> int:
    return model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True)[0]


# Each page: who reads it (None: signed out) and its address, built once the zone exists.
PAGES = {
    "login": (None, lambda: reverse("login")),
    "dashboard": ("lingdao", lambda: reverse("reports:home") + QUERY),
    "year_end": ("lingdao", lambda: reverse("reports:year_end") + QUERY),
    "entry": ("tianbao", lambda: reverse("indicators:entry", args=["A", 2026, 3])),
    "project_progress": (
        "tianbao",
        lambda: reverse("projects:progress_entry", args=["A", 2026, 3]),
    ),
    "project_page": ("lingdao", lambda: reverse("projects:project", args=[_first(Project)])),
    "channels": ("lingdao", lambda: reverse("investment:channels") + "?year=2026"),
    "review": ("guanli", lambda: reverse("indicators:review")),
    "admin_index": ("guanli", lambda: reverse("admin:index")),
    "enterprise_list": ("guanli", lambda: _admin(Enterprise, "changelist")),
    "enterprise_change": ("guanli", lambda: _admin(Enterprise, "change", _first(Enterprise))),
    "project_list": ("guanli", lambda: _admin(Project, "changelist")),
    "project_change": (
        "guanli",
        lambda: _admin(Project, "change", _first(Project, progress__isnull=False)),
    ),
    "lead_list": ("guanli", lambda: _admin(Lead, "changelist")),
    "lead_change": (
        "guanli",
        lambda: _admin(Lead, "change", _first(Lead, stage_changes__isnull=False)),
    ),
    "monthly_value_list": ("guanli", lambda: _admin(MonthlyValue, "changelist")),
    "monthly_value_change": (
        "guanli",
        lambda: _admin(MonthlyValue, "change", _first(MonthlyValue)),
    ),
    "workbook_import": ("guanli", lambda: reverse("workbook:import")),
}


def violations(page) -> list[dict]:
    """Run axe-core on the page and return its critical and serious violations."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """() => axe.run(document, { resultTypes: ["violations"] }).then((result) =>
            result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
                count: v.nodes.length,
            })))"""
    )
    return [violation for violation in found if violation["impact"] in BLOCKING]


def described(found: list[dict]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}（{v['help']}），{v['count']}处：{'; '.join(v['nodes'])}"
        for v in found
    )


@pytest.mark.parametrize("name", list(PAGES))
def test_no_critical_or_serious_accessibility_violation(
    name, small_zone, live_server, new_page, screenshot_dir
):
    if not AXE.exists():
        pytest.fail(f"找不到 axe-core（{AXE}）：请先运行 make assets（npm ci）。")
    user_save(username="guanli", role=Role.ADMIN, password=PASSWORD)
    user, address = PAGES[name]
    page = new_page(viewport=DESKTOP, bypass_csp=True)
    if user:
        sign_in(page, live_server, username=user)
    page.goto(f"{live_server.url}{address()}")
    page.wait_for_load_state("networkidle")

    found = violations(page)

    page.screenshot(path=str(screenshot_dir / f"a11y-{name}.png"), full_page=True)
    assert not found, f"{name}：\n{described(found)}"
