"""The admin's workbook pages: upload, preview, confirm; exports and templates; who may."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from parkportal.models import Enterprise, Park
from tests.factories import UserFactory
from tests.workbook import books
from tests.workbook.books import ALL_SHEETS, xlsx
from workbook.importer import SHEETS
from workbook.models import ImportBatch

pytestmark = pytest.mark.django_db


def upload(client, sheets, name="园区数据.xlsx"):
    file = SimpleUploadedFile(name, xlsx(sheets))
    return client.post(reverse("workbook:import"), {"file": file})


def test_upload_previews_then_confirm_imports(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, ALL_SHEETS)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workbook:import_preview", args=[batch.pk])
    assert not Park.objects.exists()  # the preview writes nothing

    page = client.get(response["Location"]).content.decode()
    assert "检查通过" in page and "确认导入" in page
    assert "<td>企业</td><td>2</td>" in page

    response = client.post(reverse("workbook:import_confirm", args=[batch.pk]))
    assert response.status_code == 302
    assert Enterprise.objects.count() == 2
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert batch.uploaded_by == admin_user

    # confirming twice imports once
    client.post(reverse("workbook:import_confirm", args=[batch.pk]))
    assert Enterprise.objects.count() == 2


def test_a_bad_file_shows_every_problem_and_offers_no_confirm(client, admin_user):
    client.force_login(admin_user)
    sheets = {**ALL_SHEETS, "企业": books.replaced(books.ENTERPRISES, 2, "所属园区", "无此园")}
    response = upload(client, sheets)
    page = client.get(response["Location"]).content.decode()
    assert "工作表“企业”第3行“所属园区”列：园区“无此园”不存在" in page
    assert "确认导入" not in page
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED
    client.post(reverse("workbook:import_confirm", args=[batch.pk]))
    assert not Park.objects.exists()


def test_a_user_who_may_only_view_cannot_import(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_enterprise"))
    client.force_login(viewer)
    assert client.get(reverse("workbook:import")).status_code == 403
    assert upload(client, ALL_SHEETS).status_code == 403
    assert not ImportBatch.objects.exists()
    assert not Park.objects.exists()
    # but the enterprise list may be exported
    assert client.get(reverse("workbook:export"), {"sheet": "企业"}).status_code == 200
    assert client.get(reverse("workbook:export"), {"sheet": "项目"}).status_code == 403


@pytest.mark.parametrize("role_fixture", ["leader", "staff_a"])
def test_leaders_and_park_staff_do_not_reach_the_import(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    response = upload(client, ALL_SHEETS)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert not ImportBatch.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("workbook:export"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_export_of_a_list_page_downloads_its_sheet(client, admin_user):
    client.force_login(admin_user)
    upload(client, ALL_SHEETS)
    client.post(reverse("workbook:import_confirm", args=[ImportBatch.objects.get().pk]))
    response = client.get(reverse("workbook:export"), {"sheet": "企业"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["企业"]
    assert book["企业"].max_row == 3


def test_every_register_list_page_links_to_export_and_template(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:parkportal_enterprise_changelist")).content.decode()
    assert f"{reverse('workbook:export')}?sheet=%E4%BC%81%E4%B8%9A" in page
    assert "下载模板" in page and "导入工作簿" in page


def test_template_of_the_whole_workbook_holds_every_sheet(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("workbook:template"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "填写说明"
    assert book.sheetnames[1:] == [resource.sheet for resource in SHEETS]
