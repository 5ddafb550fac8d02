"""The dashboard's pages: permissions, the picker, the chart data, an enterprise's page, and
query counts that do not grow with the data."""

import html
import json
import re
from datetime import date
from decimal import Decimal
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import codes
from indicators.choices import ChangeSource
from indicators.models import FigureChange
from parkportal.choices import ScaleCategory
from projects.models import LandPlot
from projects.services import land_plot_save
from tests.factories import (
    EnterpriseFactory,
    LeadFactory,
    LeadStageChangeFactory,
    MonthlyValueFactory,
    ParkFactory,
    ProjectFactory,
    ProjectProgressFactory,
    indicator,
)
from tests.helpers import count_as_official
from tests.reports.small_zone import build_small_zone

HOME = reverse("reports:home")
MARCH = {"year": 2026, "month": 3}
# session, user, groups, the user's parks, the scope (2); the builder: catalog, figures,
# targets, latest month, register (with the park counts), series, industries, 2 rankings,
# stages, the year's projects (2), key projects, funnel, channels, signed, submissions, the
# revenue rules' counts and 4 lists (a list whose rule catches nobody reads nothing),
# the forgotten leads, the red projects, the overdue issues, the broken promises; the service
# desk's figures (2, and a zone's meetings); the official months for the picker's arrows; the
# data version its cache is keyed by; the year's tasks (a zone's).
DASHBOARD_MAX_QUERIES = 6 + 32 + 1
# session, user, the enterprise, groups, its park checked, latest year, catalog, figures,
# projects, the leads it came from, its land, changes, its requests and approvals.
ENTERPRISE_MAX_QUERIES = 13


@pytest.fixture
def small(zone, park_a, park_b):
    return build_small_zone(zone, park_a, park_b)


def enterprise_named(name):
    from parkportal.models import Enterprise

    return Enterprise.objects.get(name=name)


# --- Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [HOME, reverse("reports:dashboard_series"), reverse("reports:enterprise", args=[1])],
)
def test_anonymous_users_are_sent_to_log_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_default_to_their_own_park(client, staff_a, small):
    client.force_login(staff_a)

    response = client.get(HOME, MARCH)

    assert response.status_code == 200
    assert response.context["board"].park_code == "A"
    assert not response.context["board"].is_zone


@pytest.mark.parametrize("park", ["B", "KFQ"])
def test_staff_may_not_open_another_park_or_the_zone(client, staff_a, small, park):
    client.force_login(staff_a)

    response = client.get(HOME, {"park": park, **MARCH})

    assert response.status_code == 403


@pytest.mark.parametrize("user_fixture", ["leader", "admin_user"])
@pytest.mark.parametrize("park", ["KFQ", "A", "B"])
def test_leaders_and_admins_open_any_park(client, request, small, user_fixture, park):
    client.force_login(request.getfixturevalue(user_fixture))

    response = client.get(HOME, {"park": park, **MARCH})

    assert response.status_code == 200
    assert response.context["board"].park_code == park


def test_an_unknown_park_is_not_found(client, leader, small):
    client.force_login(leader)

    assert client.get(HOME, {"park": "NOPE"}).status_code == 404


def test_a_bad_year_is_explained(client, leader, small):
    client.force_login(leader)

    response = client.get(HOME, {"year": "1999", "month": 3})

    assert response.status_code == 400
    assert "年份不能早于 2000 年" in response.content.decode()


def test_the_default_period_is_the_latest_month_with_figures(client, leader, small):
    client.force_login(leader)

    board = client.get(HOME).context["board"]

    assert (board.period.year, board.period.month) == (2026, 3)


# --- The page -----------------------------------------------------------------------------------


def test_the_page_carries_its_chart_data_as_json_script(client, leader, small):
    client.force_login(leader)

    response = client.get(HOME, MARCH)

    content = response.content.decode()
    data = json.loads(
        content.split('<script id="dashboard-data" type="application/json">')[1].split("</script>")[
            0
        ]
    )
    # Totals in 亿元 as Decimal strings; the page's script makes numbers of them.
    assert data["series"]["unit"] == "亿元"
    assert data["series"]["cumulative"][:3] == ["1.0000", "6.4000", "10.6000"]
    assert data["parks"]["names"] == ["长古城工业园", "白合工业园"]
    assert data["parks"]["by_indicator"]["revenue"]["growth"] == ["22.50", "19.05"]
    assert data["rankings"][0]["values"][0] == "50000.0000"
    assert data["rankings"][0]["urls"][0].startswith("/enterprises/")
    assert data["funnel"]["counts"] == [6, 4, 4, 2, 0]
    assert [code["code"] for code in data["indicators"]] == [
        "revenue",
        "industrial_output",
        "tax",
        "fixed_asset_investment",
        "total_profit",
    ]


def test_the_page_loads_echarts_from_its_own_static_files(client, leader, small):
    client.force_login(leader)

    content = client.get(HOME, MARCH).content.decode()

    assert '<script src="/static/vendor/echarts/echarts.min.js" defer></script>' in content
    assert '<script src="/static/reports/dashboard.js" defer></script>' in content
    assert "http://" not in content and "https://" not in content


def test_every_chart_names_its_unit(client, leader, small):
    client.force_login(leader)

    content = client.get(HOME, MARCH).content.decode()

    charts = content.count(' data-chart="')
    units = content.count('class="chart-card__unit"')
    assert charts == 9
    assert units == charts


def test_the_cards_show_money_in_yi_and_growth_with_two_decimals(client, leader, small):
    client.force_login(leader)

    content = client.get(HOME, MARCH).content.decode()

    assert "10.6亿元" in content
    assert "+20.73%" in content
    assert "慢于时间进度3.80个百分点" in content
    assert "未设定年度目标" in content


def test_the_attention_list_states_its_rules(client, leader, small):
    client.force_login(leader)

    content = client.get(HOME, MARCH).content.decode()

    assert "达到1,500万元、未达2,000万元规上标准" in content
    assert "比上年同期下降超过20%" in content


def test_switching_the_charts_to_another_indicator_sends_its_series(client, leader, small):
    client.force_login(leader)

    response = client.get(
        reverse("reports:dashboard_series"), {"park": "KFQ", **MARCH, "indicator": "tax"}
    )

    assert response.status_code == 200
    assert response.json()["cumulative"][:3] == [None, None, "0.6500"]
    assert response.json()["own_labels"][2] == "1-3月"


@pytest.mark.parametrize("code", ["employees", "nothing"])
def test_the_series_of_a_stock_or_an_unknown_indicator_is_not_found(client, leader, small, code):
    client.force_login(leader)

    response = client.get(reverse("reports:dashboard_series"), {**MARCH, "indicator": code})

    assert response.status_code == 404


def test_staff_may_not_fetch_another_parks_series(client, staff_a, small):
    client.force_login(staff_a)

    response = client.get(
        reverse("reports:dashboard_series"), {"park": "B", **MARCH, "indicator": "tax"}
    )

    assert response.status_code == 403


# --- An enterprise's page -----------------------------------------------------------------------


def test_an_enterprise_page_shows_three_years_its_projects_and_latest_changes(
    client, leader, small
):
    e1 = enterprise_named("涞源精密铸造有限公司")
    MonthlyValueFactory(enterprise=e1, year=2024, month=3, value=D("25000"))
    count_as_official()
    ProjectFactory(enterprise=e1, park=e1.park, code="E1P", name="铸造扩产项目")
    FigureChange.objects.create(
        enterprise=e1,
        indicator=indicator(codes.REVENUE),
        year=2026,
        month=3,
        old_value=D("39000"),
        new_value=D("40000"),
        source=ChangeSource.ENTRY,
    )
    client.force_login(leader)

    response = client.get(reverse("reports:enterprise", args=[e1.pk]), {"year": 2026})

    page = response.context["page"]
    content = response.content.decode()
    assert page.years == [2024, 2025, 2026]
    revenue = page.indicators[0]
    assert [year.cumulative[2] for year in revenue.years] == [D("25000"), D("32000"), D("40000")]
    assert revenue.years[2].own[:3] == [D("10000"), D("15000"), D("15000")]
    assert (revenue.latest_month, revenue.latest, revenue.growth.rate) == (
        3,
        D("40000"),
        D("25.00"),
    )
    assert [project.name for project in page.projects] == ["铸造扩产项目"]
    assert [change.new_value for change in page.changes] == [D("40000")]
    assert reverse("indicators:enterprise_history", args=[e1.pk]) in content
    assert 'id="enterprise-data"' in content


def test_an_enterprise_page_defaults_to_its_latest_year(client, leader, small):
    e6 = enterprise_named("停报机械制造有限公司")  # figures of 2025 only
    client.force_login(leader)

    page = client.get(reverse("reports:enterprise", args=[e6.pk])).context["page"]

    assert page.years == [2023, 2024, 2025]


def test_staff_may_not_open_an_enterprise_of_another_park(client, staff_a, small):
    e3 = enterprise_named("白合建材商贸有限公司")
    client.force_login(staff_a)

    assert client.get(reverse("reports:enterprise", args=[e3.pk])).status_code == 403


def test_the_dashboard_links_enterprises_to_their_page(client, leader, small):
    e3 = enterprise_named("白合建材商贸有限公司")
    client.force_login(leader)

    content = client.get(HOME, MARCH).content.decode()

    assert f'href="{reverse("reports:enterprise", args=[e3.pk])}?year=2026"' in content


# --- Query counts -------------------------------------------------------------------------------


def grow(zone, n):
    """Add n parks, each with enterprises, three years of figures, projects and leads."""
    for _ in range(n):
        park = ParkFactory(parent=zone)
        for scale in (ScaleCategory.INDUSTRY, ""):
            company = EnterpriseFactory(park=park, scale_category=scale)
            for year in (2025, 2026):
                for month in (1, 2, 3):
                    for code in (codes.REVENUE, codes.TAX):
                        MonthlyValueFactory(
                            enterprise=company,
                            indicator=indicator(code),
                            year=year,
                            month=month,
                            value=D(month * 500),
                        )
        project = ProjectFactory(
            park=park,
            key_level="county",
            start_date=date(2025, 1, 1),
            completion_date=date(2026, 2, 1),
        )
        ProjectProgressFactory(project=project, year=2026, month=3)
        lead = LeadFactory(park=park, docked_on=date(2026, 1, 5))
        LeadStageChangeFactory(lead=lead, to_stage="negotiating", changed_on=date(2026, 2, 1))
    count_as_official()


def queries(client, url, params):
    cache.clear()  # the builder's queries, not the cache's: the factories bump no version
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"park": "KFQ", **MARCH}, {"park": "A", **MARCH}])
def test_dashboard_query_count_does_not_grow_with_the_data(
    client, leader, small, django_assert_max_num_queries, params
):
    client.force_login(leader)
    grow(small.zone, 1)
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        client.get(HOME, params)
    small_size = queries(client, HOME, params)

    grow(small.zone, 5)
    EnterpriseFactory.create_batch(10, park=small.park_a)

    assert queries(client, HOME, params) == small_size


def test_enterprise_page_query_count_does_not_grow_with_the_data(
    client, leader, small, django_assert_max_num_queries
):
    e1 = enterprise_named("涞源精密铸造有限公司")
    client.force_login(leader)
    url = reverse("reports:enterprise", args=[e1.pk])
    with django_assert_max_num_queries(ENTERPRISE_MAX_QUERIES):
        client.get(url)
    small_size = queries(client, url, {})

    for n in range(5):
        project = ProjectFactory(enterprise=e1, park=e1.park, code=f"MORE{n}")
        MonthlyValueFactory(enterprise=e1, year=2024, month=n + 1)
        LeadFactory(code=f"ZS-MORE{n}", park=e1.park, project=project)
        land_plot_save(
            plot=LandPlot(
                code=f"DK-MORE{n}", park=e1.park, area_mu=10, way="standard", enterprise=e1
            )
        )

    assert queries(client, url, {}) == small_size


def test_the_enterprise_page_shows_the_lead_it_came_from_and_its_land(client, leader, small):
    e1 = enterprise_named("涞源精密铸造有限公司")
    project = ProjectFactory(enterprise=e1, park=e1.park, code="XM-LAND", name="精密铸件扩能项目")
    lead = LeadFactory(code="ZS-0101", name="精密铸件扩能招商", park=e1.park, project=project)
    land_plot_save(
        plot=LandPlot(
            code="DK-2026-07", park=e1.park, area_mu=Decimal("45.5"), way="standard",
            enterprise=e1, promised_tax_per_mu=Decimal("15"),
        )
    )  # fmt: skip
    other = EnterpriseFactory(park=e1.park)
    land_plot_save(plot=LandPlot(code="DK-OTHER", park=e1.park, area_mu=3, way="auction",
                                 enterprise=other))  # fmt: skip
    client.force_login(leader)

    page = client.get(reverse("reports:enterprise", args=[e1.pk])).content.decode()

    assert "招商来源" in page and "企业用地" in page
    assert f'href="{reverse("investment:lead", args=[lead.pk])}"' in page
    assert "精密铸件扩能招商" in page
    assert f'href="{reverse("projects:project", args=[project.pk])}"' in page
    assert "DK-2026-07" in page and "标准地出让" in page and "45.50" in page
    assert "DK-OTHER" not in page  # another enterprise's plot


# --- The month arrows ---------------------------------------------------------------------------


def arrows(content: str) -> dict[str, str | None]:
    """Return the picker's previous and next links' queries, None for a disabled arrow."""
    found = {}
    for rel in ("prev", "next"):
        match = re.search(rf'href="[^"]*\?([^"]*)" rel="{rel}"', content)
        found[rel] = html.unescape(match.group(1)) if match else None
    return found


@pytest.mark.parametrize(
    ("park", "year", "month", "previous", "following"),
    [
        # The zone's official months run from 2025年1月 (E2) to 2026年3月.
        ("KFQ", 2026, 3, "park=KFQ&year=2026&month=2", None),
        ("KFQ", 2026, 1, "park=KFQ&year=2025&month=12", "park=KFQ&year=2026&month=2"),
        ("KFQ", 2025, 1, None, "park=KFQ&year=2025&month=2"),
        # Park B's start in 2025年2月 (E3); the arrows keep the park.
        ("B", 2025, 2, None, "park=B&year=2025&month=3"),
        ("B", 2025, 12, "park=B&year=2025&month=11", "park=B&year=2026&month=1"),
    ],
)
@pytest.mark.parametrize("page", ["reports:home", "reports:year_end"])
def test_the_month_arrows_step_within_the_official_months_keeping_the_park(
    client, leader, small, page, park, year, month, previous, following
):
    client.force_login(leader)
    response = client.get(reverse(page), {"park": park, "year": year, "month": month})

    content = response.content.decode()
    assert arrows(content) == {"prev": previous, "next": following}
    # A disabled arrow is still there, saying so.
    assert content.count('class="btn btn--secondary month-steps__link') == 2
