"""The investment staff's role (招商专员): bound to the zone or to parks, seeing their leads."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command

from investment.models import Lead
from parkportal.choices import Role
from parkportal.models import ParkMembership
from parkportal.roles import user_role
from parkportal.services import user_save
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def test_add_user_binds_investment_staff_to_the_zone(zone):
    call_command(
        "add_user", "zs", "--role", "investment", "--park", "KFQ", "--password", "Zs-2026-x!"
    )
    user = user_save(username="zs", role=Role.INVESTMENT, park_codes=["KFQ"], password=None)
    assert user_role(user) == Role.INVESTMENT
    assert list(ParkMembership.objects.filter(user=user).values_list("park__code", flat=True)) == [
        "KFQ"
    ]


def test_investment_staff_need_the_zone_or_a_park(zone):
    with pytest.raises(ValidationError, match="招商专员要绑定开发区或具体园区"):
        user_save(username="zs", role=Role.INVESTMENT, park_codes=[], password="x")


EVERY_LEAD = {"ZA", "ZB", "ZN", "ZOWN"}


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("zone_investor", EVERY_LEAD),
        ("park_investor", {"ZA", "ZN", "ZOWN"}),  # park A's, no park yet, their own
        ("staff_a", {"ZA"}),
        ("leader", EVERY_LEAD),
        ("admin", EVERY_LEAD),
    ],
)
def test_who_reads_which_leads(staff_a, leader, admin_user, park_a, park_b, who, seen):
    user_save(username="zone_investor", role=Role.INVESTMENT, park_codes=["KFQ"], password="x")
    user_save(username="park_investor", role=Role.INVESTMENT, park_codes=["A"], password="x")
    LeadFactory(code="ZA", park=park_a)
    LeadFactory(code="ZB", park=park_b)
    LeadFactory(code="ZN", park=None)
    LeadFactory(code="ZOWN", park=park_b, owner="park_investor")
    user = get_user_model().objects.get(username=who)
    assert set(Lead.objects.visible_to(user).values_list("code", flat=True)) == seen


def test_only_investment_staff_and_admins_follow_leads(staff_a, leader, admin_user, park_a):
    user_save(username="zs", role=Role.INVESTMENT, park_codes=["A"], password="x")
    LeadFactory(code="ZA", park=park_a)
    editors = {
        user.username
        for user in get_user_model().objects.all()
        if Lead.objects.editable_by(user).exists()
    }
    assert editors == {"zs", "admin"}
