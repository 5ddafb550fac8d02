"""Every change is recorded: who, when, old, new, which file.

Monthly figures in their own log (FigureChange); the registers, projects and
leads in their change history (django-simple-history)."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators.models import FigureChange, MonthlyValue, Target
from investment.models import Lead, OutreachEvent
from parkportal.models import Enterprise, Industry, Park
from projects.models import Project, ProjectProgress, SpecialBond
from tests.helpers import unlock_all
from tests.workbook import books
from tests.workbook.books import ALL_SHEETS, CODE_A, xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db


def imported(sheets, *, user=None, filename="一月数据.xlsx", dry_run=False):
    report = workbook_import(data=xlsx(sheets), filename=filename, user=user, dry_run=dry_run)
    assert report.accepted, [str(p) for p in report.problems]


def test_a_bulk_import_records_every_value_it_writes_with_its_file_and_user(admin_user):
    imported(ALL_SHEETS, user=admin_user)
    values = MonthlyValue.objects.count()
    assert values == 11  # every non-blank figure of the monthly sheet
    changes = FigureChange.objects.all()
    assert changes.count() == values
    assert {(c.source, c.reference, c.changed_by, c.old_value) for c in changes} == {
        ("import", "一月数据.xlsx", admin_user, None)
    }


def test_a_changed_value_is_recorded_with_its_old_and_new_value(admin_user):
    imported(ALL_SHEETS)
    unlock_all()  # the import approved its months; correcting them needs them unlocked
    rows = books.replaced(books.MONTHLY, 2, "营业收入(万元)", "2100")
    imported({"月度指标": rows}, user=admin_user, filename="更正.xlsx")
    change = FigureChange.objects.get(reference="更正.xlsx")
    assert (change.enterprise.credit_code, change.year, change.month) == (CODE_A, 2026, 3)
    assert (change.indicator.name, change.old_value, change.new_value) == (
        "营业收入",
        D("2000"),
        D("2100"),
    )
    assert change.changed_by == admin_user


def test_an_unchanged_re_import_and_a_dry_run_record_nothing():
    imported(ALL_SHEETS)
    before = FigureChange.objects.count()
    imported(ALL_SHEETS, filename="again.xlsx")
    unlock_all()
    imported({"月度指标": books.replaced(books.MONTHLY, 1, "税收收入(万元)", "31")}, dry_run=True)
    assert FigureChange.objects.count() == before


def test_a_change_in_the_admin_is_recorded(client, admin_user):
    imported(ALL_SHEETS)
    unlock_all()
    value = MonthlyValue.objects.get(
        enterprise__credit_code=CODE_A, year=2026, month=3, indicator__name="营业收入"
    )
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:indicators_monthlyvalue_change", args=[value.pk]),
        {
            "enterprise": value.enterprise_id,
            "indicator": value.indicator_id,
            "year": 2026,
            "month": 3,
            "value": "2050",
        },
    )
    assert response.status_code == 302
    change = FigureChange.objects.filter(source="admin").get()
    assert (change.old_value, change.new_value, change.changed_by) == (
        D("2000"),
        D("2050"),
        admin_user,
    )


def test_the_change_log_and_import_record_lists_take_a_fixed_number_of_queries(
    client, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    imported(ALL_SHEETS, user=admin_user)
    for url in (
        reverse("admin:indicators_figurechange_changelist"),
        reverse("admin:workbook_importbatch_changelist"),
    ):
        with django_assert_max_num_queries(12):  # session, user, perms, dates, count, page
            response = client.get(url)
        assert response.status_code == 200
    page = client.get(reverse("admin:indicators_figurechange_changelist")).content.decode()
    assert "一月数据.xlsx" in page


HISTORY_MODELS = [
    Park,
    Industry,
    Enterprise,
    Target,
    Project,
    ProjectProgress,
    SpecialBond,
    Lead,
    OutreachEvent,
]


def test_every_row_an_import_creates_has_a_history_record_with_its_user_and_file(admin_user):
    imported(ALL_SHEETS, user=admin_user, filename="年初.xlsx")
    for model in HISTORY_MODELS:
        rows = model.objects.count()
        records = model.history.all()
        assert rows > 0 and records.count() == rows, model.__name__
        assert {(r.history_type, r.history_user, r.history_change_reason) for r in records} == {
            ("+", admin_user, "导入：年初.xlsx")
        }, model.__name__


def test_a_changed_register_row_keeps_its_old_and_new_values(admin_user):
    imported(ALL_SHEETS)
    renamed = books.replaced(books.ENTERPRISES, 1, "企业名称", "河北甲食品集团有限公司")
    imported({"企业": renamed}, user=admin_user, filename="更名.xlsx")
    enterprise = Enterprise.objects.get(credit_code=CODE_A)
    latest = enterprise.history.latest()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        admin_user,
        "导入：更名.xlsx",
    )
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("name", "河北甲食品有限公司", "河北甲食品集团有限公司")
    ]


def test_an_unchanged_re_import_and_a_dry_run_add_no_history():
    imported(ALL_SHEETS)
    before = [model.history.count() for model in HISTORY_MODELS]
    imported(ALL_SHEETS, filename="again.xlsx")
    renamed = books.replaced(books.ENTERPRISES, 1, "企业名称", "新名称有限公司")
    imported({"企业": renamed}, dry_run=True)
    assert [model.history.count() for model in HISTORY_MODELS] == before


def test_a_change_in_the_admin_is_in_the_history_and_its_page(client, admin_user):
    imported(ALL_SHEETS)
    industry = Industry.objects.get(name="绿色建材")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:parkportal_industry_change", args=[industry.pk]),
        {"name": "绿色建材与新材料", "group": industry.group, "sort_order": "3"},
    )
    assert response.status_code == 302
    latest = industry.history.latest()
    assert (latest.history_type, latest.history_user, latest.name) == (
        "~",
        admin_user,
        "绿色建材与新材料",
    )
    url = reverse("admin:parkportal_industry_history", args=[industry.pk])
    page = client.get(url).content.decode()
    assert "绿色建材与新材料" in page and admin_user.username in page
