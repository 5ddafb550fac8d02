"""The dashboard's and the year-end summary's cached data: built once per data version,
never stale, because every door bumps the version in the same transaction as its write."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from indicators import codes
from indicators.choices import ChangeSource, PeriodAction
from indicators.figures import figures_write
from indicators.workflow import period_transition
from investment.services import lead_save, outreach_event_save
from parkportal.data_version import data_version
from parkportal.models import Enterprise
from parkportal.services import enterprise_delete, enterprise_save
from projects.services import bond_save, project_progress_save, project_save
from tests.factories import (
    EnterpriseFactory,
    IndustryFactory,
    LeadFactory,
    OutreachEventFactory,
    ProjectFactory,
    ProjectProgressFactory,
    SpecialBondFactory,
    indicator,
)
from tests.reports.small_zone import build_small_zone
from tests.workbook import books
from workbook.importer import workbook_import

HOME = reverse("reports:home")
YEAR_END = reverse("reports:year_end")
MARCH = {"park": "A", "year": 2026, "month": 3}
APRIL = {"park": "A", "year": 2026, "month": 4}
# A warm dashboard: session, user, groups, the user's parks, the scope (2, a zone's), the
# data version; the page around the header is kept, so neither the builder's queries nor
# the picker's arrows are made.
WARM_MAX_QUERIES = 7


@pytest.fixture
def small(zone, park_a, park_b):
    return build_small_zone(zone, park_a, park_b)


def revenue(lines) -> D | None:
    return next(line.current for line in lines if line.code == codes.REVENUE)


def dashboard_revenue(client, params) -> D | None:
    response = client.get(HOME, params)
    assert response.status_code == 200
    return revenue(response.context["board"].totals)


def year_end_revenue(client, params) -> D | None:
    response = client.get(YEAR_END, params)
    assert response.status_code == 200
    return revenue(response.context["report"].indicators)


def e1():
    return Enterprise.objects.get(name="涞源精密铸造有限公司")


def test_a_saved_figure_shows_on_the_next_dashboard_and_report(client, leader, admin_user, small):
    client.force_login(leader)
    assert dashboard_revenue(client, APRIL) is None  # built and kept: April has no figures
    assert year_end_revenue(client, APRIL) is None
    figures_write(
        changes={(e1().pk, indicator(codes.REVENUE).pk, 2026, 4): D("52000")},
        user=admin_user,
        source=ChangeSource.IMPORT,
        approve_new=True,
    )
    assert dashboard_revenue(client, APRIL) == D("52000")
    assert year_end_revenue(client, APRIL) == D("52000")
    # The kept part of the page is drawn anew too: its cards say 5.2亿元.
    page = client.get(HOME, APRIL).content.decode()
    assert '<p class="kpi__value">5.2亿元</p>' in page


def test_a_month_unlocked_leaves_the_official_figures_at_once(client, leader, admin_user, small):
    client.force_login(leader)
    # Park A's March: E1 40000 and E2 9000.1234, both official (approved).
    assert dashboard_revenue(client, MARCH) == D("49000.1234")
    assert year_end_revenue(client, MARCH) == D("49000.1234")
    period_transition(
        park=small.park_a,
        year=2026,
        month=3,
        action=PeriodAction.UNLOCK,
        user=admin_user,
        reason="更正",
    )
    # A draft month is not official: park A's March is counted as not reported.
    assert dashboard_revenue(client, MARCH) != D("49000.1234")
    assert year_end_revenue(client, MARCH) != D("49000.1234")


def test_the_register_changed_shows_on_the_next_dashboard(client, leader, admin_user, small):
    client.force_login(leader)
    before = client.get(HOME, MARCH).context["board"].register.registered
    enterprise_save(
        enterprise=EnterpriseFactory.build(
            park=small.park_a, industry=IndustryFactory(), established_on=date(2020, 1, 1)
        ),
        user=admin_user,
    )
    assert client.get(HOME, MARCH).context["board"].register.registered == before + 1


@pytest.mark.parametrize("park", ["KFQ", "A"])
def test_a_warm_dashboard_is_not_built_again(
    client, leader, small, django_assert_max_num_queries, park
):
    client.force_login(leader)
    first = client.get(HOME, {**MARCH, "park": park})
    with django_assert_max_num_queries(WARM_MAX_QUERIES):
        again = client.get(HOME, {**MARCH, "park": park})
    assert again.context["board"] == first.context["board"]
    assert kept(again) == kept(first)


def test_a_warm_page_reads_nothing_of_the_board(client, leader, small, monkeypatch):
    client.force_login(leader)
    first = client.get(HOME, MARCH)
    # The board itself gone from the cache and its builder broken: the kept page needs neither.
    cache.delete(first.context["board_key"])  # the tests' one cache (tests/conftest.py)
    monkeypatch.setattr("reports.cache.dashboard", lambda *args: pytest.fail("built again"))
    again = client.get(HOME, MARCH)
    assert again.status_code == 200
    # The title and the heading, both kept.
    assert again.content.decode().count("长古城工业园经济运行仪表盘") == 2
    assert kept(again) == kept(first)


def test_a_page_kept_for_a_leader_lists_only_the_staffs_own_parks_to_them(
    client, leader, staff_a, small
):
    client.force_login(leader)
    leaders = client.get(HOME, MARCH)
    assert '<option value="B">' in leaders.content.decode()  # every park in the picker
    client.force_login(staff_a)
    staffs = client.get(HOME, MARCH)
    page = staffs.content.decode()
    assert '<option value="A" selected>' in page
    assert '<option value="B">' not in page
    assert '<option value="KFQ">' not in page
    assert kept(staffs) == kept(leaders)  # what is drawn from the board alone is shared


def test_a_picker_with_an_error_is_drawn_for_its_own_request(client, leader, small):
    client.force_login(leader)
    letters = client.get(HOME, {**MARCH, "year": "abcd"})
    early = client.get(HOME, {**MARCH, "year": "1999"})
    assert letters.status_code == early.status_code == 400
    assert "请输入四位数的年份" in letters.content.decode()
    assert "年份不能早于 2000 年" in early.content.decode()
    assert "请输入四位数的年份" not in early.content.decode()


def kept(response) -> str:
    """Return the part of the dashboard kept as a fragment (the board's data and sections)."""
    page = response.content.decode()
    return page[page.index('id="dashboard-data"') : page.index("年度报告</a></p>")]


def test_the_kept_fragment_is_the_one_of_the_chosen_indicator(client, leader, small):
    client.force_login(leader)
    revenue_page = kept(client.get(HOME, MARCH))
    tax_page = kept(client.get(HOME, {**MARCH, "indicator": codes.TAX}))
    assert revenue_page != tax_page


def test_each_user_gets_their_own_page_around_the_kept_data(client, leader, admin_user, small):
    client.force_login(leader)
    client.get(HOME, MARCH)
    client.force_login(admin_user)
    page = client.get(HOME, MARCH).content.decode()
    assert admin_user.username in page
    assert leader.username not in page


def test_an_unknown_indicator_in_the_query_string_is_kept_as_revenue(client, leader, small):
    client.force_login(leader)
    odd = client.get(HOME, {**MARCH, "indicator": "x' OR 1=1; --" * 10})
    assert odd.status_code == 200
    assert odd.context["board"].series == client.get(HOME, MARCH).context["board"].series


# --- Every door bumps the version, in its own transaction ---------------------------------------


def write_figure(park_a, admin_user):
    company = EnterpriseFactory(park=park_a)
    figures_write(
        changes={(company.pk, indicator(codes.REVENUE).pk, 2026, 5): D("1")},
        user=admin_user,
        source=ChangeSource.ADMIN,
        approve_new=True,
    )


def submit_month(park_a, admin_user):
    write_figure(park_a, admin_user)  # approved on import
    period_transition(
        park=park_a, year=2026, month=5, action=PeriodAction.UNLOCK, user=admin_user, reason="更正"
    )


def save_enterprise(park_a, admin_user):
    enterprise = EnterpriseFactory.build(park=park_a, industry=IndustryFactory())
    enterprise_save(enterprise=enterprise, user=admin_user)


def delete_enterprise(park_a, admin_user):
    enterprise_delete(enterprise=EnterpriseFactory(park=park_a), user=admin_user)


def save_progress(park_a, admin_user):
    project_progress_save(
        progress=ProjectProgressFactory.build(project=ProjectFactory(park=park_a), month=2),
        user=admin_user,
    )


def save_project(park_a, admin_user):
    project_save(project=ProjectFactory.build(park=park_a), user=admin_user)


def save_bond(park_a, admin_user):
    bond_save(bond=SpecialBondFactory.build(project=ProjectFactory(park=park_a)), user=admin_user)


def save_event(park_a, admin_user):
    outreach_event_save(event=OutreachEventFactory.build(), user=admin_user)


def save_lead(park_a, admin_user):
    lead_save(
        lead=LeadFactory.build(park=park_a), previous_stage="", user=admin_user, on=date(2026, 3, 1)
    )


def import_workbook(park_a, admin_user):
    sheets = {"产业": books.INDUSTRIES}
    report = workbook_import(data=books.xlsx(sheets), filename="园区数据.xlsx", user=admin_user)
    assert report.accepted


DOORS = [
    ("figures_write", write_figure),
    ("period_transition", submit_month),
    ("enterprise_save", save_enterprise),
    ("enterprise_delete", delete_enterprise),
    ("project_progress_save", save_progress),
    ("project_save", save_project),
    ("bond_save", save_bond),
    ("lead_save", save_lead),
    ("outreach_event_save", save_event),
    ("workbook_import", import_workbook),
]


@pytest.mark.parametrize(("door", "write"), DOORS, ids=[door for door, _ in DOORS])
def test_every_door_bumps_the_data_version(park_a, admin_user, door, write):
    before = data_version()
    write(park_a, admin_user)
    assert data_version() > before


def test_a_checked_import_bumps_nothing(db, admin_user):
    before = data_version()
    sheets = {"园区": books.PARKS, "产业": books.INDUSTRIES, "企业": books.ENTERPRISES}
    data = books.xlsx(sheets)
    workbook_import(data=data, filename="园区数据.xlsx", dry_run=True, user=admin_user)
    assert data_version() == before


def test_a_write_undone_leaves_the_version_as_it_was(park_a, admin_user):
    before = data_version()
    with pytest.raises(ValidationError), transaction.atomic():
        save_enterprise(park_a, admin_user)
        raise ValidationError("撤销")
    assert data_version() == before


def test_the_kept_data_live_apart_from_the_imports_progress(client, leader, small, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": settings.CACHE_DIR,
        },
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": settings.CACHE_DIR / "reports",
        },
    }
    client.force_login(leader)
    client.get(HOME, MARCH)
    client.get(YEAR_END, MARCH)
    # The dashboard's data, its fragment and its page (title and body), the summary's data:
    # none among the imports' keys.
    assert len(list((settings.CACHE_DIR / "reports").glob("*.djcache"))) == 5
    assert not list(settings.CACHE_DIR.glob("*.djcache"))
