"""The seed_demo command: a believable demo zone, the same on every run."""

from collections import defaultdict
from io import StringIO
from itertools import pairwise

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory, override_settings

from demo.builder import DEMO_ACCOUNTS, INDUSTRIES, demo_plan
from indicators import codes
from indicators.models import MonthlyValue, PeriodSubmission, Target
from indicators.selectors import entry_sheet, reopened_months
from investment.choices import Channel, LeadStage
from investment.models import Lead, LeadStageChange, OutreachEvent
from parkportal.choices import ParkKind, Role, ScaleCategory
from parkportal.credit_code import problem
from parkportal.models import Enterprise, Industry, Park
from parkportal.roles import user_role
from projects.choices import ProjectCategory
from projects.models import Project, ProjectProgress, SpecialBond

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing():
    """Keep the real hasher here: the demo's accounts are hashed once, module-wide."""


# Log-in throttling needs the request a log-in comes with.
LOGIN_REQUEST = RequestFactory().post("/accounts/login/")


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the whole module, in a transaction rolled back after its last test.

    Each test runs inside it in a savepoint of its own, so what a test writes is undone.
    """
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


def snapshot() -> dict[str, list[tuple]]:
    """Return the demo's rows by natural key, without ids, sorted."""
    return {
        "parks": sorted(
            Park.objects.values_list("code", "name", "kind", "parent__code", "planned_area_mu")
        ),
        "focus": sorted(Park.objects.values_list("code", "focus_industries__name")),
        "enterprises": sorted(
            Enterprise.objects.values_list(
                "credit_code", "name", "park__code", "industry__name", "in_statistics",
                "scale_category", "established_on", "status",
            )
        ),
        "figures": sorted(
            MonthlyValue.objects.values_list(
                "enterprise__credit_code", "indicator__code", "year", "month", "value"
            )
        ),
        "targets": sorted(
            Target.objects.values_list("park__code", "indicator__code", "year", "kind", "value")
        ),
        "projects": sorted(
            Project.objects.values_list(
                "code", "name", "park__code", "enterprise__credit_code", "category", "stage",
                "total_investment", "land_area_mu", "start_date", "completion_date",
            )
        ),
        "progress": sorted(
            ProjectProgress.objects.values_list(
                "project__code", "year", "month", "completed_investment", "government_investment"
            )
        ),
        "bonds": sorted(SpecialBond.objects.values_list("project__code", "year", "amount")),
        "leads": sorted(
            Lead.objects.values_list(
                "code", "name", "investor", "channel", "industry__name", "planned_investment",
                "land_area_mu", "asset_type", "stage", "docked_on", "signed_on", "landed_on",
                "park__code", "project__code", "owner",
            )
        ),
        "stage_changes": sorted(
            LeadStageChange.objects.values_list(
                "id", "lead__code", "from_stage", "to_stage", "changed_on", "recorded_at"
            )
        ),
        "users": sorted(
            get_user_model().objects.values_list(
                "username", "password", "is_staff", "groups__name", "park_memberships__park__code"
            )
        ),
        "events": sorted(
            OutreachEvent.objects.values_list(
                "date", "name", "kind", "leads_docked", "contracts_signed", "signed_amount"
            )
        ),
    }  # fmt: skip


def test_the_plan_is_the_same_on_every_call():
    assert demo_plan() == demo_plan()


def test_the_demo_holds_one_zone_with_three_parks_and_their_focus_industries(seeded):
    zone = Park.objects.get(kind=ParkKind.ZONE)
    assert (zone.code, zone.assessment_category) == ("KFQ", "重点生态功能区域")
    assert zone.planned_area_mu > 0
    parks = list(zone.children.order_by("sort_order"))
    assert [park.name for park in parks] == ["长古城工业园", "白合工业园", "通天河产业园"]
    assert all(park.focus_industries.exists() for park in parks)
    assert Industry.objects.count() == len(INDUSTRIES) == 10
    assert Industry.objects.filter(parks__isnull=True).count() == 0


def test_the_demo_holds_enterprises_of_every_kind(seeded):
    enterprises = Enterprise.objects.all()
    assert enterprises.count() >= 60
    assert all(problem(code) is None for code in enterprises.values_list("credit_code", flat=True))
    assert enterprises.filter(in_statistics=False).exists()
    assert enterprises.filter(in_statistics=False).exclude(scale_category="").count() == 0
    categories = set(
        enterprises.exclude(scale_category="").values_list("scale_category", flat=True)
    )
    assert categories == set(ScaleCategory)
    for name, _ in INDUSTRIES:
        assert enterprises.filter(industry__name=name).exists(), name
    assert enterprises.filter(established_on__year=2026, in_statistics=True).exists()
    assert enterprises.filter(status="suspended").exists()


def test_new_enterprises_report_only_from_their_founding(seeded):
    for enterprise in Enterprise.objects.filter(established_on__year__gte=2024):
        founded = (enterprise.established_on.year, enterprise.established_on.month)
        periods = enterprise.monthly_values.values_list("year", "month")
        assert min(periods) >= founded


def test_figures_cover_three_years_with_gaps_in_january(seeded):
    periods = set(MonthlyValue.objects.values_list("year", "month").distinct())
    assert periods == {(2024, m) for m in range(1, 13)} | {(2025, m) for m in range(1, 13)} | {
        (2026, m) for m in range(1, 11)
    }
    revenue = MonthlyValue.objects.filter(indicator__code=codes.REVENUE, year=2025)
    with_january = set(revenue.filter(month=1).values_list("enterprise", flat=True))
    with_february = set(revenue.filter(month=2).values_list("enterprise", flat=True))
    assert len(with_february - with_january) >= len(with_february) // 4


def test_flow_figures_never_fall_within_a_year_except_profit(seeded):
    rows = MonthlyValue.objects.filter(indicator__code__in=[
        codes.REVENUE, codes.INDUSTRIAL_OUTPUT, codes.TAX, codes.FIXED_ASSET_INVESTMENT,
    ]).order_by("enterprise", "indicator", "year", "month")  # fmt: skip
    previous = {}
    for row in rows.values_list("enterprise", "indicator", "year", "value"):
        key, value = row[:3], row[3]
        assert value >= previous.get(key, 0), row
        previous[key] = value
    profits = MonthlyValue.objects.filter(indicator__code=codes.TOTAL_PROFIT)
    assert profits.filter(value__lt=0).exists()
    assert all(value.as_tuple().exponent >= -4 for value in profits.values_list("value", flat=True))


def test_growth_differs_between_enterprises(seeded):
    revenue = MonthlyValue.objects.filter(indicator__code=codes.REVENUE, month=10)
    by_year = defaultdict(dict)
    for enterprise, year, value in revenue.values_list("enterprise", "year", "value"):
        by_year[enterprise][year] = value
    growth = [
        years[2026] / years[2025] - 1
        for years in by_year.values()
        if years.get(2025) and years.get(2026)
    ]
    assert any(rate > 0.3 for rate in growth)
    assert any(rate < -0.2 for rate in growth)


def test_the_zones_revenue_is_of_the_order_of_the_year_end_summary(seeded):
    revenue = MonthlyValue.objects.filter(
        indicator__code=codes.REVENUE, year=2026, month=10, enterprise__in_statistics=True
    )
    total = sum(revenue.values_list("value", flat=True))
    assert 300_000 < total < 1_500_000  # 万元: the summary's 56.7559亿元 is 567,559


def test_every_park_and_the_zone_have_targets_and_forecasts(seeded):
    for park in Park.objects.all():
        for year in (2024, 2025, 2026):
            kinds = set(
                Target.objects.filter(
                    park=park, year=year, indicator__code=codes.REVENUE
                ).values_list("kind", flat=True)
            )
            assert kinds == {"target", "forecast"}, (park, year)


def test_projects_have_progress_and_public_ones_have_bonds(seeded):
    projects = Project.objects.all()
    assert projects.count() >= 20
    assert projects.filter(start_date__year=2026).exists()
    assert projects.filter(start_date__year__lt=2026, progress__year=2026).exists()
    assert set(projects.values_list("category", flat=True)) == set(ProjectCategory)
    assert ProjectProgress.objects.filter(year=2026, month=10).exists()
    public = projects.exclude(category=ProjectCategory.INDUSTRIAL)
    assert SpecialBond.objects.filter(project__in=public).count() >= public.count()
    assert not SpecialBond.objects.filter(project__category=ProjectCategory.INDUSTRIAL).exists()


def test_project_progress_is_cumulative_and_government_part_is_within_it(seeded):
    previous = {}
    rows = ProjectProgress.objects.order_by("project", "year", "month").values_list(
        "project", "year", "completed_investment", "government_investment"
    )
    for project, year, completed, government in rows:
        assert government <= completed
        assert completed >= previous.get((project, year), 0)
        previous[project, year] = completed
    infrastructure = ProjectProgress.objects.filter(
        project__category=ProjectCategory.INFRASTRUCTURE, completed_investment__gt=0
    )
    assert all(g > c / 2 for c, g in infrastructure.values_list(
        "completed_investment", "government_investment"
    ))  # fmt: skip


def test_leads_cover_every_channel_and_stage_with_a_consistent_history(seeded):
    leads = Lead.objects.all()
    assert leads.count() >= 80
    assert set(leads.values_list("channel", flat=True)) == set(Channel)
    assert set(leads.values_list("stage", flat=True)) == set(LeadStage)
    for lead in leads.prefetch_related("stage_changes"):
        changes = list(lead.stage_changes.all())
        assert changes[0].from_stage == "" and changes[0].to_stage == LeadStage.DOCKED
        assert changes[0].changed_on == lead.docked_on
        assert changes[-1].to_stage == lead.stage
        for before, after in pairwise(changes):
            assert after.from_stage == before.to_stage
            assert after.changed_on >= before.changed_on
        if lead.stage in (LeadStage.SIGNED, LeadStage.LANDED):
            assert lead.signed_on >= lead.docked_on
        if lead.stage == LeadStage.LANDED:
            assert lead.landed_on >= lead.signed_on
            assert lead.project_id is not None


def test_outreach_events_span_the_three_years(seeded):
    years = set(OutreachEvent.objects.values_list("date__year", flat=True))
    assert years == {2024, 2025, 2026}


def test_every_demo_account_logs_in_with_the_printed_password(seeded):
    assert "http://127.0.0.1:8000/" in seeded
    for username, role, _, password in DEMO_ACCOUNTS:
        assert username in seeded and password in seeded
        user = authenticate(LOGIN_REQUEST, username=username, password=password)
        assert user is not None, username
        assert user_role(user) == role
        validate_password(password, user)
    staff = authenticate(LOGIN_REQUEST, username="staff_cgc", password="Demo-cgc-2026")
    assert [park.name for park in Park.objects.visible_to(staff)] == ["长古城工业园"]
    assert {role for _, role, _, _ in DEMO_ACCOUNTS} == set(Role)


def test_a_second_run_changes_nothing(seeded):
    before = snapshot()
    seed()
    assert snapshot() == before


def test_a_dry_run_writes_nothing(seeded):
    # a figure of the month still being reported (a draft), which the demo would restore
    figure = MonthlyValue.objects.filter(
        indicator__code=codes.REVENUE, enterprise__park__code="CGC", year=2026, month=10
    ).earliest("id")
    changed = figure.value + 1
    MonthlyValue.objects.filter(pk=figure.pk).update(value=changed)
    out = StringIO()
    call_command("seed_demo", "--dry-run", stdout=out)
    assert "检查通过，未写入" in out.getvalue()
    assert MonthlyValue.objects.get(pk=figure.pk).value == changed
    assert "Demo-admin-2026" not in out.getvalue()


def test_the_last_month_is_being_reported_and_no_month_reads_as_sent_back(seeded):
    last = {
        s.park.code: s.status
        for s in PeriodSubmission.objects.filter(year=2026, month=10).select_related("park")
    }
    assert last == {"CGC": "draft", "BH": "submitted", "TTH": "approved"}
    # the draft has no history; the submitted month was submitted once, by its park's staff
    draft = PeriodSubmission.objects.get(park__code="CGC", year=2026, month=10)
    assert not draft.events.exists()
    submitted = PeriodSubmission.objects.get(park__code="BH", year=2026, month=10)
    assert [(e.action, e.user.username) for e in submitted.events.all()] == [("submit", "staff_bh")]
    assert reopened_months(Park.objects.get(code="CGC")) == []


def test_the_submitted_month_has_every_warning_explained(seeded):
    sheet = entry_sheet(Park.objects.get(code="BH"), 2026, 10)
    warned = [cell for cell in sheet.cells if cell.explainable]
    assert warned, "the demo's submitted month should show explained warnings"
    assert sheet.unexplained == []
    assert all(cell.note for cell in warned)


def test_the_demos_project_progress_counts_but_the_drafting_parks_last_month(seeded):
    """Leaders read the demo's projects' progress: every month of it is official (those
    before the enterprises' first figures approved with it), except 长古城工业园's
    2026年10月, which the park is still drafting."""
    drafts = ProjectProgress.objects.exclude(pk__in=ProjectProgress.objects.official())
    assert set(drafts.values_list("project__park__code", "year", "month")) == {("CGC", 2026, 10)}
    assert ProjectProgress.objects.official().filter(year=2023).exists()
