"""An empty portal (a fresh deployment, no parks yet) shows its admin the way to the import."""

import pytest
from django.urls import reverse

from parkportal.choices import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def home_of(client, user, page="reports:home") -> str:
    client.force_login(user)
    response = client.get(reverse(page))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("page", ["reports:home", "reports:year_end", "indicators:entry_start"])
def test_an_admin_of_an_empty_portal_is_shown_the_import_steps(client, admin_user, page):
    content = home_of(client, admin_user, page)
    assert "请先导入开发区的工作簿" in content
    assert 'href="/admin/workbook/template/"' in content
    assert 'href="/admin/workbook/import/"' in content
    assert "manage.py add_user wang --role staff --park 园区编码" in content
    assert "联系平台管理员" not in content


def test_the_steps_links_open_for_the_admin(client, admin_user):
    client.force_login(admin_user)
    template = client.get("/admin/workbook/template/")
    assert template.status_code == 200
    assert template["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert client.get("/admin/workbook/import/").status_code == 200


def test_a_leader_of_an_empty_portal_is_told_the_data_is_not_imported_yet(client, leader):
    content = home_of(client, leader)
    assert "平台还没有导入数据" in content
    assert "管理员导入开发区的工作簿后" in content
    assert "/admin/workbook/" not in content


def test_staff_without_a_park_are_told_to_ask_for_one(client, db):
    content = home_of(client, make_user("staff_none", Role.STAFF))
    assert "暂无可查看的园区" in content
    assert "还没有导入园区的数据" in content
    assert "/admin/workbook/" not in content
