"""The figures' door holds its guarantees whichever way a figure is written: the entry
page, the admin's save and delete, the workbook import and the command line.

For every caller: a locked (approved) month is refused and nothing changes; a change
is logged with its user and source and bumps its month's version; a write with a
bad figure among good ones writes none of them.
"""

import re
from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators import codes
from indicators.figures import FiguresRefused, figures_write
from indicators.models import FigureChange, MonthlyValue, PeriodSubmission
from tests.factories import EnterpriseFactory, MonthlyValueFactory, indicator
from tests.workbook.books import xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 3
MONTHLY_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "年份",
    "月份",
    "营业收入(万元)",
    "税收收入(万元)",
]


@pytest.fixture
def jia(park_a):
    """An enterprise of park A with a revenue figure of March, in a month being entered."""
    enterprise = EnterpriseFactory(park=park_a, name="甲食品有限公司")
    MonthlyValueFactory(
        enterprise=enterprise,
        indicator=indicator(codes.REVENUE),
        year=YEAR,
        month=MONTH,
        value=D("100"),
    )
    PeriodSubmission.objects.create(park=park_a, year=YEAR, month=MONTH, status="draft")
    return enterprise


def figure(enterprise, code=codes.REVENUE):
    return (
        MonthlyValue.objects.filter(
            enterprise=enterprise, indicator__code=code, year=YEAR, month=MONTH
        )
        .values_list("value", flat=True)
        .first()
    )


def period(park):
    return PeriodSubmission.objects.get(park=park, year=YEAR, month=MONTH)


# --- The callers: each writes revenue (and, where it can, a second figure) its own way ---------


@dataclass(frozen=True)
class Outcome:
    """What a caller expects the log to say of its change."""

    source: str
    by_user: bool  # the change names the signed-in user (the command line has none)


def by_entry(client, user, enterprise, value, *, tax=None):
    client.force_login(user)
    page = client.get(reverse("indicators:entry", args=[enterprise.park.code, YEAR, MONTH]))
    shown = dict(re.findall(r'name="(on?-\d+-\d+)" value="([^"]*)"', page.content.decode()))
    fields = {f"v-{enterprise.pk}-{indicator(codes.REVENUE).pk}": "" if value is None else value}
    if tax is not None:
        fields[f"v-{enterprise.pk}-{indicator(codes.TAX).pk}"] = tax
    client.post(
        reverse("indicators:entry", args=[enterprise.park.code, YEAR, MONTH]),
        {"action": "save"} | shown | fields,
    )


def by_admin(client, user, enterprise, value, *, tax=None):
    client.force_login(user)
    stored = MonthlyValue.objects.get(
        enterprise=enterprise, indicator__code=codes.REVENUE, year=YEAR, month=MONTH
    )
    if value is None:
        client.post(
            reverse("admin:indicators_monthlyvalue_delete", args=[stored.pk]), {"post": "yes"}
        )
        return
    client.post(
        reverse("admin:indicators_monthlyvalue_change", args=[stored.pk]),
        {
            "enterprise": enterprise.pk,
            "indicator": stored.indicator_id,
            "year": YEAR,
            "month": MONTH,
            "value": value,
        },
    )


def monthly_book(enterprise, value, tax=None):
    return xlsx(
        {
            "月度指标": [
                MONTHLY_HEADERS,
                [enterprise.credit_code, enterprise.name, YEAR, MONTH, value, tax or ""],
            ]
        }
    )


def by_import(client, user, enterprise, value, *, tax=None):
    workbook_import(data=monthly_book(enterprise, value, tax), filename="更正.xlsx", user=user)


def by_command(client, user, enterprise, value, *, tax=None, tmp_path=None):
    path = tmp_path / "更正.xlsx"
    path.write_bytes(monthly_book(enterprise, value, tax))
    try:
        call_command("import_xlsx", str(path))
    except SystemExit:
        pass
    except Exception as error:  # a refused file ends the command with CommandError
        assert "CommandError" in type(error).__name__


CALLERS = {
    "entry page": (by_entry, Outcome("entry", by_user=True)),
    "admin save": (by_admin, Outcome("admin", by_user=True)),
    "workbook import": (by_import, Outcome("import", by_user=True)),
    "command": (by_command, Outcome("import", by_user=False)),
}


@pytest.fixture(params=list(CALLERS))
def caller(request, tmp_path):
    write, outcome = CALLERS[request.param]
    if write is by_command:

        def write(*args, _write=write, **kwargs):
            return _write(*args, tmp_path=tmp_path, **kwargs)

    return request.param, write, outcome


def test_a_change_is_logged_with_its_user_and_source_and_bumps_the_version(
    client, admin_user, jia, caller
):
    name, write, outcome = caller
    before = period(jia.park).version
    write(client, admin_user, jia, "150")
    assert figure(jia) == D("150"), name
    change = FigureChange.objects.get(enterprise=jia, new_value=D("150"))
    assert (change.old_value, change.source) == (D("100"), outcome.source)
    assert change.changed_by == (admin_user if outcome.by_user else None)
    assert period(jia.park).version == before + 1
    assert period(jia.park).status == "draft"  # a month in the workflow keeps its state


def test_a_locked_month_is_refused_and_nothing_changes(client, admin_user, jia, caller):
    name, write, _ = caller
    PeriodSubmission.objects.filter(park=jia.park).update(status="approved")
    before = (period(jia.park).version, FigureChange.objects.count())
    write(client, admin_user, jia, "150")
    assert figure(jia) == D("100"), name
    assert (period(jia.park).version, FigureChange.objects.count()) == before


def test_a_bad_figure_among_good_ones_writes_none_of_them(client, admin_user, jia, caller):
    name, write, _ = caller
    if write is by_admin:  # the admin's form holds one figure: a bad one stores nothing
        write(client, admin_user, jia, "十五")
    else:
        write(client, admin_user, jia, "150", tax="-3")  # tax may not be negative
    assert figure(jia) == D("100"), name
    assert figure(jia, codes.TAX) is None
    assert FigureChange.objects.count() == 0


@pytest.mark.parametrize("write", [by_entry, by_admin], ids=["entry page", "admin delete"])
def test_a_deletion_is_logged_and_refused_in_a_locked_month(client, admin_user, jia, write):
    write(client, admin_user, jia, None)
    assert figure(jia) is None
    change = FigureChange.objects.get(enterprise=jia)
    assert (change.old_value, change.new_value, change.changed_by) == (D("100"), None, admin_user)
    assert period(jia.park).version == 1

    MonthlyValueFactory(
        enterprise=jia, indicator=indicator(codes.REVENUE), year=YEAR, month=MONTH, value=D("90")
    )
    PeriodSubmission.objects.filter(park=jia.park).update(status="approved")
    write(client, admin_user, jia, None)
    assert figure(jia) == D("90")
    assert FigureChange.objects.count() == 1


def test_an_import_approves_the_months_it_fills_that_have_no_workflow_yet(admin_user, park_a):
    new = EnterpriseFactory(park=park_a)
    report = workbook_import(data=monthly_book(new, "80"), filename="历史.xlsx", user=admin_user)
    assert report.accepted
    month = period(park_a)
    assert month.status == "approved"
    event = month.events.get()
    assert (event.action, event.user) == ("approve", admin_user)
    assert "导入时自动审核" in event.reason and "历史.xlsx" in event.reason


def test_a_refusal_names_the_park_and_its_months(admin_user, jia):
    PeriodSubmission.objects.filter(park=jia.park).update(status="approved")
    key = (jia.pk, indicator(codes.REVENUE).pk, YEAR, MONTH)
    with pytest.raises(FiguresRefused) as refused:
        figures_write(changes={key: D("1")}, user=admin_user, source="admin")
    assert refused.value.message.startswith("长古城工业园2026年3月的数据已审核锁定")
    assert refused.value.keys == [key]
