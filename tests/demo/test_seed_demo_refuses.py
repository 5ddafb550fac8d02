"""seed_demo refuses a database that looks like a deployment's, unless forced."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from parkportal.choices import Role
from parkportal.models import Park
from tests.conftest import make_user

LOGIN_REQUEST = RequestFactory().post("/accounts/login/")


def seed(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def password_of(username: str) -> str:
    return get_user_model().objects.get(username=username).password


def test_it_refuses_a_real_admin_and_leaves_its_password_alone(admin_user):
    before = password_of("admin")
    with pytest.raises(CommandError) as refused:
        seed()
    message = str(refused.value)
    assert "拒绝载入示范数据" in message
    assert "演示账号以外的用户（admin）" in message
    assert "把已有账号 admin 的角色和密码重置为公开的演示密码" in message
    assert "--force" in message
    assert password_of("admin") == before
    assert not Park.objects.exists()


def test_it_refuses_a_database_with_other_users_and_names_a_few(db):
    for number in range(7):
        make_user(f"wang{number}", Role.LEADER)
    with pytest.raises(CommandError, match=r"（wang0、wang1、wang2、wang3、wang4等7个）"):
        seed()
    assert not Park.objects.exists()


def test_it_refuses_with_debug_off_even_on_an_empty_database(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG 未开启"):
        seed()
    with pytest.raises(CommandError, match="DJANGO_DEBUG 未开启"):
        seed("--dry-run")
    assert not Park.objects.exists()
    assert not get_user_model().objects.exists()


def test_force_loads_the_demo_and_says_what_it_overwrote(admin_user, settings):
    settings.DEBUG = False
    out, err = seed("--force")
    assert "已指定 --force，忽略：DJANGO_DEBUG 未开启" in err
    assert "把已有账号 admin 的角色和密码重置为公开的演示密码" in err
    assert "示范数据已写入" in out
    assert Park.objects.filter(code="KFQ").exists()
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("Demo-admin-2026")


def test_if_empty_leaves_a_database_with_users_alone_without_an_error(admin_user):
    before = password_of("admin")
    out, _ = seed("--if-empty")
    assert "未载入示范数据" in out
    assert not Park.objects.exists()
    assert password_of("admin") == before


def test_if_empty_leaves_a_deployed_database_alone_without_an_error(park_a, leader, settings):
    settings.DEBUG = False
    out, _ = seed("--if-empty")
    assert "未载入示范数据" in out
    assert Park.objects.count() == 2
