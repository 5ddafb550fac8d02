"""The add_user command: roles, parks, passwords, and failing without writing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from parkportal.choices import Role
from parkportal.models import ParkMembership
from parkportal.roles import user_role

PASSWORD = "Zhang-san-2026!"
User = get_user_model()


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


class FakePipe(io.StringIO):
    def isatty(self):
        return False


def add_user(*args, **options):
    out = io.StringIO()
    call_command("add_user", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def park_codes(user):
    return sorted(ParkMembership.objects.filter(user=user).values_list("park__code", flat=True))


@pytest.mark.parametrize(("role", "is_staff"), [(Role.LEADER, False), (Role.ADMIN, True)])
def test_leader_and_admin_get_their_group_and_admin_alone_is_staff(db, role, is_staff):
    output = add_user("zhangsan", "--role", role.value, "--password", PASSWORD)

    user = User.objects.get(username="zhangsan")
    assert [group.name for group in user.groups.all()] == [role.label]
    assert user_role(user) == role
    assert user.is_staff is is_staff
    assert not user.is_superuser
    assert user.check_password(PASSWORD)
    assert "已创建用户 zhangsan" in output


def test_staff_is_bound_to_every_park_given(park_a, park_b):
    add_user("lisi", "--role", "staff", "--park", "A", "--park", "B", "--password", PASSWORD)

    user = User.objects.get(username="lisi")
    assert user_role(user) == Role.STAFF
    assert user.is_staff is False
    assert park_codes(user) == ["A", "B"]


def test_unknown_park_is_an_error_and_writes_nothing(park_a):
    with pytest.raises(CommandError, match="园区编码不存在：NOPE"):
        add_user("lisi", "--role", "staff", "--park", "A", "--park", "NOPE", "--password", PASSWORD)

    assert not User.objects.filter(username="lisi").exists()
    assert not ParkMembership.objects.exists()


def test_staff_without_a_park_is_an_error(db):
    with pytest.raises(CommandError, match="至少要绑定一个园区"):
        add_user("lisi", "--role", "staff", "--password", PASSWORD)

    assert not User.objects.filter(username="lisi").exists()


def test_staff_cannot_be_bound_to_the_zone_and_nothing_is_written(zone, park_a):
    with pytest.raises(CommandError, match="开发区不能作为填报园区；请绑定具体园区。") as error:
        add_user("lisi", "--role", "staff", "--park", "A", "--park", "KFQ", "--password", PASSWORD)

    assert "KFQ（示范经济开发区）：" in str(error.value)
    assert not User.objects.filter(username="lisi").exists()
    assert not ParkMembership.objects.exists()


def test_staff_already_bound_to_a_park_keeps_it_when_the_zone_is_refused(zone, park_a):
    add_user("lisi", "--role", "staff", "--park", "A", "--password", PASSWORD)

    with pytest.raises(CommandError, match="开发区不能作为填报园区"):
        add_user("lisi", "--role", "staff", "--park", "KFQ")

    assert park_codes(User.objects.get(username="lisi")) == ["A"]


def test_leader_with_a_park_is_an_error(park_a):
    with pytest.raises(CommandError, match="不需要绑定园区"):
        add_user("wangwu", "--role", "leader", "--park", "A", "--password", PASSWORD)


def test_command_failure_exits_non_zero(db, capsys):
    utility = ManagementUtility(
        ["manage.py", "add_user", "lisi", "--role", "staff", "--password", PASSWORD]
    )
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()

    assert exit_info.value.code != 0
    assert "至少要绑定一个园区" in capsys.readouterr().err


def test_rerunning_changes_role_and_parks_and_keeps_the_password(park_a, park_b):
    add_user("lisi", "--role", "staff", "--park", "A", "--password", PASSWORD)

    add_user("lisi", "--role", "staff", "--park", "B")
    user = User.objects.get(username="lisi")
    assert park_codes(user) == ["B"]

    output = add_user("lisi", "--role", "admin")
    user = User.objects.get(username="lisi")
    assert user_role(user) == Role.ADMIN
    assert user.groups.count() == 1
    assert user.is_staff is True
    assert park_codes(user) == []
    assert user.check_password(PASSWORD)
    assert "已更新用户 lisi" in output
    assert "密码未改动" in output


def test_dry_run_checks_but_writes_nothing(park_a):
    output = add_user("lisi", "--role", "staff", "--park", "A", "--password", PASSWORD, "--dry-run")

    assert "未写入" in output
    assert not User.objects.filter(username="lisi").exists()


def test_password_is_prompted_twice_when_not_given(db, monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    prompts = []

    def fake_getpass(prompt=""):
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)

    add_user("zhaoliu", "--role", "leader", stdin=FakeTerminal())

    assert len(prompts) == 2
    assert User.objects.get(username="zhaoliu").check_password(PASSWORD)


def test_password_mismatch_is_refused(db, monkeypatch):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    with pytest.raises(CommandError, match="两次输入的密码不一致"):
        add_user("zhaoliu", "--role", "leader", stdin=FakeTerminal())

    assert not User.objects.filter(username="zhaoliu").exists()


def test_empty_password_is_refused(db, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "")

    with pytest.raises(CommandError, match="密码不能为空"):
        add_user("zhaoliu", "--role", "leader", stdin=FakeTerminal())


def test_new_user_without_password_and_without_terminal_is_an_error(db, monkeypatch):
    def no_prompt(prompt=""):
        raise AssertionError("must not prompt without a terminal")

    monkeypatch.setattr("getpass.getpass", no_prompt)

    with pytest.raises(CommandError, match="--password"):
        add_user("zhaoliu", "--role", "leader", stdin=FakePipe())

    assert not User.objects.filter(username="zhaoliu").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "密码长度太短。密码必须包含至少 8 个字符。"),
        ("12345678901", "密码只包含数字"),
        ("password", "这个密码太常见了"),
        ("zhaoliu-2026", "太相似"),  # the same as the username
    ],
)
def test_weak_password_is_refused_in_chinese(db, password, message):
    with pytest.raises(CommandError) as error:
        add_user("zhaoliu-2026", "--role", "leader", "--password", password)

    assert str(error.value).startswith("密码不符合要求：")
    assert message in str(error.value)
    assert not User.objects.filter(username="zhaoliu-2026").exists()
