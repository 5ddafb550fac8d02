from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from parkportal.choices import ParkKind, ScaleCategory
from parkportal.models import Enterprise, Park
from tests.factories import (
    EnterpriseFactory,
    IndustryFactory,
    ParkFactory,
    ParkMembershipFactory,
    UserFactory,
    ZoneFactory,
)
from tests.helpers import violates

pytestmark = pytest.mark.django_db


def test_a_zone_holds_parks_as_one_tree(zone, park_a, park_b):
    assert zone.is_zone and not park_a.is_zone
    assert set(zone.children.all()) == {park_a, park_b}


def test_park_codes_and_names_are_unique(park_a):
    with transaction.atomic(), violates("park_code_unique", "parkportal_park.code"):
        Park.objects.create(code="A", name="另一个园区", parent=park_a.parent)
    with transaction.atomic(), violates("park_name_unique", "parkportal_park.name"):
        Park.objects.create(code="A2", name=park_a.name, parent=park_a.parent)


def test_a_zone_cannot_have_a_parent(zone):
    with transaction.atomic(), violates("park_zone_has_no_parent"):
        Park.objects.create(code="Z2", name="第二开发区", kind=ParkKind.ZONE, parent=zone)


def test_a_park_needs_a_zone(db):
    with transaction.atomic(), violates("park_zone_has_no_parent"):
        Park.objects.create(code="P9", name="孤立园区", kind=ParkKind.PARK, parent=None)


def test_a_parks_parent_must_be_a_zone(park_a):
    nested = Park(code="A-1", name="园中园", kind=ParkKind.PARK, parent=park_a)
    with pytest.raises(ValidationError) as error:
        nested.full_clean()
    assert "上级园区必须是开发区" in str(error.value)


def test_enterprise_credit_code_is_validated_and_unique(park_a):
    enterprise = EnterpriseFactory(park=park_a)
    enterprise.credit_code = enterprise.credit_code[:17] + (
        "0" if enterprise.credit_code[17] != "0" else "1"
    )
    with pytest.raises(ValidationError) as error:
        enterprise.full_clean()
    assert "校验位错误" in str(error.value)

    other = EnterpriseFactory(park=park_a)
    with (
        transaction.atomic(),
        violates("enterprise_credit_code_unique", "parkportal_enterprise.credit_code"),
    ):
        Enterprise.objects.create(
            credit_code=other.credit_code, name="重复企业", park=park_a, in_statistics=False
        )


def test_an_above_scale_enterprise_must_be_in_statistics(park_a):
    with transaction.atomic(), violates("enterprise_above_scale_is_in_statistics"):
        EnterpriseFactory(park=park_a, in_statistics=False, scale_category=ScaleCategory.INDUSTRY)
    enterprise = EnterpriseFactory(park=park_a, scale_category=ScaleCategory.INDUSTRY)
    assert enterprise.is_above_scale


def test_industry_names_are_unique(db):
    IndustryFactory(name="食品加工")
    with transaction.atomic(), violates("industry_name_unique", "parkportal_industry.name"):
        IndustryFactory._meta.model.objects.create(name="食品加工", group="emerging")


def test_a_user_is_bound_to_a_park_once(park_a):
    user = UserFactory()
    ParkMembershipFactory(user=user, park=park_a)
    with (
        transaction.atomic(),
        violates("park_membership_unique", "parkportal_parkmembership.user_id"),
    ):
        ParkMembershipFactory(user=user, park=park_a)


def test_money_keeps_four_decimals_exactly(park_a):
    from tests.factories import ProjectFactory

    project = ProjectFactory(park=park_a, total_investment=D("56755.9012"))
    project.refresh_from_db()
    assert project.total_investment == D("56755.9012")


def test_zone_factory_and_park_factory_share_a_zone_by_code(db):
    zone = ZoneFactory(code="KFQ")
    assert ParkFactory(parent=zone).parent == ZoneFactory(code="KFQ")
