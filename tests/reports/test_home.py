"""The home page is the dashboard: who sees which park, and what a user without one sees."""

import pytest
from django.urls import reverse

from parkportal.choices import Role, ScaleCategory
from tests.conftest import make_user
from tests.factories import (
    EnterpriseFactory,
    LeadFactory,
    MonthlyValueFactory,
    ProjectFactory,
    UserFactory,
)
from tests.helpers import count_as_official


@pytest.fixture
def filled_parks(park_a, park_b):
    """Park A: 3 enterprises, 2 入统, 1 四上, figures up to 2026-03, 2 projects, a lead.
    Park B: 1 enterprise outside the statistics, 1 project, no figures."""
    above_scale = EnterpriseFactory(park=park_a, scale_category=ScaleCategory.INDUSTRY)
    EnterpriseFactory(park=park_a)
    EnterpriseFactory(park=park_a, in_statistics=False)
    EnterpriseFactory(park=park_b, in_statistics=False)
    for month in (1, 2, 3):
        MonthlyValueFactory(enterprise=above_scale, year=2026, month=month)
    ProjectFactory.create_batch(2, park=park_a)
    ProjectFactory(park=park_b)
    LeadFactory(park=park_a, docked_on="2026-02-01")
    count_as_official()
    return park_a, park_b


def test_staff_see_their_own_park_and_not_the_other(client, staff_a, filled_parks):
    client.force_login(staff_a)

    response = client.get(reverse("reports:home"))

    content = response.content.decode()
    assert response.context["board"].park_code == "A"
    assert "长古城工业园经济运行仪表盘" in content
    assert "白合工业园" not in content
    assert "<tfoot>" not in content  # no park lines on a park's dashboard


def test_staff_of_two_parks_choose_between_them(client, park_a, park_b, filled_parks):
    client.force_login(make_user("staff_ab", Role.STAFF, park_a, park_b))

    response = client.get(reverse("reports:home"), {"park": "B"})

    assert response.status_code == 200
    assert response.context["board"].park_code == "B"
    assert [park.code for park in response.context["choice"].parks] == ["A", "B"]


@pytest.mark.parametrize("user_fixture", ["leader", "admin_user"])
def test_leaders_and_admins_see_the_zone_with_every_park_and_the_totals(
    client, request, user_fixture, filled_parks
):
    client.force_login(request.getfixturevalue(user_fixture))

    response = client.get(reverse("reports:home"))

    content = response.content.decode()
    board = response.context["board"]
    assert board.park_code == "KFQ"
    assert (board.register.registered, board.register.statistical) == (4, 2)
    assert board.register.above_scale == 1
    assert board.projects.count == 3
    assert board.latest_label == "2026年3月"
    assert "长古城工业园" in content
    assert "白合工业园" in content
    assert "<tfoot>" in content
    assert "2026年1-3月" in content


def test_home_tells_a_user_without_role_to_ask_for_one(client, db):
    client.force_login(UserFactory(username="nobody"))

    response = client.get(reverse("reports:home"))

    assert response.status_code == 200
    assert "您的账号尚未分配角色" in response.content.decode()
    assert "dashboard-data" not in response.content.decode()


def test_home_tells_staff_without_a_park_to_ask_for_one(client, db):
    client.force_login(make_user("staff_none", Role.STAFF))

    response = client.get(reverse("reports:home"))

    assert response.status_code == 200
    assert "暂无可查看的园区" in response.content.decode()


def test_home_tables_scroll_inside_a_wrapper(client, leader, filled_parks):
    client.force_login(leader)

    content = client.get(reverse("reports:home")).content.decode()

    assert '<div class="table-scroll"' in content
