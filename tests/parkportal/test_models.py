from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from parkportal.choices import ParkKind, ScaleCategory
from parkportal.models import Enterprise, Park, ParkMembership
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


# Park staff are bound to parks, never to the zone ----------------------------------------------

ZONE_REFUSED = "开发区不能作为填报园区；请绑定具体园区。"


def test_the_service_refuses_to_bind_staff_to_the_zone(zone, park_a):
    from parkportal.choices import Role
    from parkportal.services import user_save

    with pytest.raises(ValidationError) as error:
        user_save(username="lisi", role=Role.STAFF, park_codes=["A", "KFQ"], password=None)

    assert error.value.messages == [f"KFQ（示范经济开发区）：{ZONE_REFUSED}"]
    assert not ParkMembership.objects.exists()


def test_the_admin_refuses_to_bind_staff_to_the_zone(client, admin_user, zone, park_a):
    client.force_login(admin_user)
    user = UserFactory(username="lisi")
    add = reverse("admin:parkportal_parkmembership_add")

    refused = client.post(add, {"user": user.pk, "park": zone.pk})

    assert refused.status_code == 200
    assert refused.content.decode().count(ZONE_REFUSED) == 1
    assert not ParkMembership.objects.exists()
    assert client.post(add, {"user": user.pk, "park": park_a.pk}).status_code == 302
    assert ParkMembership.objects.get().park == park_a


@pytest.mark.parametrize(("park", "valid"), [("zone", False), ("park_a", True)])
def test_the_staff_list_on_a_parks_admin_page_refuses_the_zone(
    rf, admin_user, request, park, valid
):
    from django.contrib import admin

    from parkportal.admin import ParkMembershipInline

    park = request.getfixturevalue(park)
    user = UserFactory(username="lisi")
    page = rf.post("/")
    page.user = admin_user
    formset_class = ParkMembershipInline(Park, admin.site).get_formset(page, park)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-user": str(user.pk),
    }

    formset = formset_class(data, instance=park, prefix=prefix)

    assert formset.is_valid() is valid
    # The park is the row's hidden field, whose errors the admin does not show: the row does.
    assert (ZONE_REFUSED in str(formset.forms[0].non_field_errors())) is not valid


def test_a_membership_of_the_zone_does_not_validate(zone):
    membership = ParkMembership(user=UserFactory(), park=zone)

    with pytest.raises(ValidationError, match=ZONE_REFUSED):
        membership.full_clean()
