"""The home page: each visible park's register at a glance, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkportal.choices import Role, ScaleCategory
from reports.selectors import ParkFigures, park_overview
from tests.conftest import make_user
from tests.factories import (
    EnterpriseFactory,
    LeadFactory,
    MonthlyValueFactory,
    ParkFactory,
    ProjectFactory,
    UserFactory,
    indicator,
)

HOME_MAX_QUERIES = 4  # session, user, groups, parks


@pytest.fixture
def filled_parks(park_a, park_b):
    """Park A: 3 enterprises, 2 入统, 1 四上; 2 projects; 2 leads; figures up to 2026-03.
    Park B: 1 enterprise outside the statistics, 1 project, no leads, no figures."""
    above_scale = EnterpriseFactory(park=park_a, scale_category=ScaleCategory.INDUSTRY)
    statistical = EnterpriseFactory(park=park_a)
    EnterpriseFactory(park=park_a, in_statistics=False)
    EnterpriseFactory(park=park_b, in_statistics=False)
    # Several figures per enterprise and several projects and leads per park: a join
    # of them all would multiply every count.
    for month in (1, 2, 3):
        MonthlyValueFactory(enterprise=above_scale, year=2026, month=month)
        MonthlyValueFactory(
            enterprise=above_scale, indicator=indicator("tax"), year=2026, month=month
        )
    for month in (11, 12):
        MonthlyValueFactory(enterprise=statistical, year=2025, month=month)
    ProjectFactory.create_batch(2, park=park_a)
    ProjectFactory(park=park_b)
    LeadFactory.create_batch(2, park=park_a)
    LeadFactory(park=None)  # no intended park yet: counted nowhere
    return park_a, park_b


def figures(name, zone, *counts, latest=(None, None)):
    return ParkFigures(name, zone, *counts, *latest)


def test_overview_counts_match_the_register(leader, filled_parks):
    overview = park_overview(leader)

    assert overview.role == Role.LEADER
    assert overview.rows == [
        figures("长古城工业园", "示范经济开发区", 3, 2, 1, 2, 2, latest=(2026, 3)),
        figures("白合工业园", "示范经济开发区", 1, 0, 0, 1, 0),
    ]
    assert overview.totals == figures("合计", "", 4, 2, 1, 3, 2, latest=(2026, 3))
    assert overview.rows[0].latest_label == "2026年3月"
    assert overview.rows[1].latest_label == "—"


def test_latest_month_is_the_latest_across_years(leader, park_a):
    enterprise = EnterpriseFactory(park=park_a)
    MonthlyValueFactory(enterprise=enterprise, year=2025, month=12)
    MonthlyValueFactory(enterprise=EnterpriseFactory(park=park_a), year=2026, month=2)

    assert park_overview(leader).rows[0].latest_label == "2026年2月"


def test_staff_sees_only_their_park_and_no_totals(staff_a, filled_parks):
    overview = park_overview(staff_a)

    assert [row.name for row in overview.rows] == ["长古城工业园"]
    assert overview.totals is None


def test_staff_of_two_parks_sees_both(filled_parks):
    park_a, park_b = filled_parks
    user = make_user("staff_ab", Role.STAFF, park_a, park_b)

    assert [row.name for row in park_overview(user).rows] == ["长古城工业园", "白合工业园"]


def test_zone_gets_a_line_only_for_what_is_registered_on_it(leader, park_a, zone):
    assert [row.name for row in park_overview(leader).rows] == ["长古城工业园"]

    EnterpriseFactory(park=zone)
    overview = park_overview(leader)

    assert [row.name for row in overview.rows] == ["长古城工业园", "示范经济开发区（本级）"]
    assert overview.totals.enterprises == 1


def test_user_without_role_gets_an_empty_overview(db):
    overview = park_overview(UserFactory(username="nobody"))

    assert overview.role is None
    assert overview.rows == []
    assert overview.totals is None


def test_home_for_staff_shows_park_a_and_not_park_b(client, staff_a, filled_parks):
    client.force_login(staff_a)

    content = client.get(reverse("reports:home")).content.decode()

    assert "长古城工业园" in content
    assert "白合工业园" not in content
    assert "合计" not in content


def test_home_for_staff_b_shows_park_b_and_not_park_a(client, staff_b, filled_parks):
    client.force_login(staff_b)

    content = client.get(reverse("reports:home")).content.decode()

    assert "白合工业园" in content
    assert "长古城工业园" not in content


@pytest.mark.parametrize("user_fixture", ["leader", "admin_user"])
def test_home_for_leaders_and_admins_shows_every_park_and_totals(
    client, request, user_fixture, filled_parks
):
    client.force_login(request.getfixturevalue(user_fixture))

    response = client.get(reverse("reports:home"))

    content = response.content.decode()
    assert "长古城工业园" in content
    assert "白合工业园" in content
    assert "<tfoot>" in content
    assert "2026年3月" in content
    assert response.context["overview"].totals.enterprises == 4


def test_home_tells_a_user_without_role_to_ask_for_one(client, db):
    client.force_login(UserFactory(username="nobody"))

    response = client.get(reverse("reports:home"))

    assert response.status_code == 200
    assert "您的账号尚未分配角色" in response.content.decode()


def test_home_tables_scroll_inside_a_wrapper(client, leader, filled_parks):
    client.force_login(leader)

    content = client.get(reverse("reports:home")).content.decode()

    assert '<div class="table-scroll"' in content


def add_parks_with_figures(zone, count, *, member):
    """Add parks with enterprises, figures, a project and a lead; bind park staff to them."""
    for _ in range(count):
        park = ParkFactory(parent=zone)
        if member is not None:
            member.park_memberships.create(park=park)
        enterprise = EnterpriseFactory(park=park, scale_category=ScaleCategory.TRADE)
        EnterpriseFactory(park=park, in_statistics=False)
        MonthlyValueFactory(enterprise=enterprise, month=4)
        ProjectFactory(park=park)
        LeadFactory(park=park)


def home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:home"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("user_fixture", ["leader", "staff_a"])
def test_home_query_count_does_not_grow_with_parks(
    client, request, django_assert_max_num_queries, zone, park_a, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    member = user if user_fixture == "staff_a" else None
    client.force_login(user)
    add_parks_with_figures(zone, 1, member=member)
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        client.get(reverse("reports:home"))
    with_two = home_queries(client)

    add_parks_with_figures(zone, 4, member=member)
    with_six = home_queries(client)

    assert len(park_overview(user).rows) == 6
    assert with_six == with_two
