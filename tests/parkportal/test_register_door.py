"""The register's door: moving an enterprise to another park, changing its status or its
入统 flag, and deleting it, whichever way it is done (the admin, the workbook, the
service a command would call).

A change that would move an approved month's figures is refused, naming the months;
otherwise it is saved with its history and the months are marked changed. An
enterprise that has figures is deregistered, never deleted.
"""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators import codes
from indicators.models import MonthlyValue, PeriodSubmission
from parkportal.models import Enterprise
from parkportal.services import enterprise_delete, enterprise_save
from tests.factories import EnterpriseFactory, IndustryFactory, MonthlyValueFactory, indicator
from tests.workbook.books import xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db

HEADERS = ["统一社会信用代码", "企业名称", "所属园区", "所属产业", "是否入统", "四上类别", "状态"]


@pytest.fixture
def jia(park_a):
    enterprise = EnterpriseFactory(
        park=park_a, name="甲食品有限公司", in_statistics=True, industry=IndustryFactory()
    )
    for month in (10, 11):
        MonthlyValueFactory(
            enterprise=enterprise,
            indicator=indicator(codes.REVENUE),
            year=2026,
            month=month,
            value=D(month * 100),
        )
    return enterprise


def by_admin(client, user, enterprise, **changes):
    client.force_login(user)
    data = {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "park": enterprise.park_id,
        "industry": enterprise.industry_id or "",
        "in_statistics": "on" if enterprise.in_statistics else "",
        "scale_category": enterprise.scale_category,
        "established_on": "",
        "status": enterprise.status,
    } | changes
    if data["in_statistics"] is False:
        data["in_statistics"] = ""
    response = client.post(
        reverse("admin:parkportal_enterprise_change", args=[enterprise.pk]), data
    )
    return response.content.decode() if response.status_code == 200 else ""


def by_workbook(client, user, enterprise, **changes):
    park = changes.get("park", enterprise.park_id)
    from parkportal.models import Park

    row = [
        enterprise.credit_code,
        enterprise.name,
        Park.objects.get(pk=park).code,
        "",
        "是" if changes.get("in_statistics", enterprise.in_statistics) else "否",
        "",
        {"deregistered": "注销"}.get(changes.get("status", ""), ""),
    ]
    report = workbook_import(data=xlsx({"企业": [HEADERS, row]}), filename="名录.xlsx", user=user)
    return " ".join(str(problem) for problem in report.problems)


def by_service(client, user, enterprise, **changes):
    enterprise = Enterprise.objects.get(pk=enterprise.pk)
    for name, value in changes.items():
        setattr(enterprise, name if name != "park" else "park_id", value)
    try:
        enterprise_save(enterprise=enterprise, user=user)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


CALLERS = [by_admin, by_workbook, by_service]


def approve(park, month):
    PeriodSubmission.objects.update_or_create(
        park=park, year=2026, month=month, defaults={"status": "approved"}
    )


@pytest.mark.parametrize("write", CALLERS, ids=["admin", "workbook", "service"])
@pytest.mark.parametrize("locked_in", ["old park", "new park"])
def test_a_move_over_an_approved_month_is_refused_naming_it(
    client, admin_user, jia, park_b, write, locked_in
):
    approve(jia.park if locked_in == "old park" else park_b, 11)
    said = write(client, admin_user, jia, park=park_b.pk)
    jia.refresh_from_db()
    assert jia.park_id != park_b.pk
    locked_park = jia.park.name if locked_in == "old park" else park_b.name
    assert f"{locked_park}2026年11月" in said and "已审核锁定" in said


@pytest.mark.parametrize("write", CALLERS, ids=["admin", "workbook", "service"])
def test_leaving_the_statistics_over_an_approved_month_is_refused(client, admin_user, jia, write):
    approve(jia.park, 10)
    said = write(client, admin_user, jia, in_statistics=False)
    jia.refresh_from_db()
    assert jia.in_statistics
    assert "2026年10月" in said


@pytest.mark.parametrize("write", CALLERS, ids=["admin", "workbook", "service"])
def test_a_move_over_months_in_the_works_is_saved_with_its_history(
    client, admin_user, jia, park_b, write
):
    PeriodSubmission.objects.create(park=jia.park, year=2026, month=11, status="draft")
    old_park = jia.park
    said = write(client, admin_user, jia, park=park_b.pk)
    jia.refresh_from_db()
    assert jia.park == park_b, said
    latest = jia.history.latest()
    assert (latest.park_id, latest.history_user) == (park_b.pk, admin_user)
    assert PeriodSubmission.objects.get(park=old_park, month=11).version == 1
    # the figures went with it and were not rewritten
    assert MonthlyValue.objects.filter(enterprise=jia).count() == 2


def test_an_enterprise_with_figures_is_not_deleted_in_the_admin_nor_by_the_service(
    client, admin_user, jia
):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:parkportal_enterprise_delete", args=[jia.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:parkportal_enterprise_changelist"),
        {"action": "delete_selected", "_selected_action": [jia.pk], "post": "yes"},
    )
    assert response.status_code in (200, 403)  # refused, or shown what protects it
    with pytest.raises(ValidationError, match="请把它的状态改为“注销”"):
        enterprise_delete(enterprise=jia, user=admin_user)
    assert MonthlyValue.objects.filter(enterprise=jia).count() == 2
    assert Enterprise.objects.filter(pk=jia.pk).exists()


def test_an_enterprise_without_figures_is_deleted(client, admin_user, park_a):
    new = EnterpriseFactory(park=park_a)
    client.force_login(admin_user)
    client.post(reverse("admin:parkportal_enterprise_delete", args=[new.pk]), {"post": "yes"})
    assert not Enterprise.objects.filter(pk=new.pk).exists()
