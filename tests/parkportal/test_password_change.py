"""Every signed-in user changes their own password, in Chinese, and stays signed in."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.parkportal.test_auth_views import PASSWORD

NEW_PASSWORD = "园区月报-2026-春"


@pytest.fixture
def signed_in(client, staff_a):
    client.force_login(staff_a)
    return client


def change(client, old: str, new: str, again: str | None = None):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('password_change')}"


def test_anonymous_visitors_cannot_post_a_change(client, staff_a):
    response = change(client, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    staff_a.refresh_from_db()
    assert staff_a.check_password(PASSWORD)


def test_the_form_is_in_chinese_inside_the_site_frame(signed_in):
    page = signed_in.get(reverse("password_change")).content.decode()

    assert "<title>修改密码 · 园区经济运行监测平台</title>" in page
    assert ">当前密码</label>" in page
    assert ">新密码</label>" in page
    assert ">再次输入新密码</label>" in page
    assert "你的密码必须包含至少 8 个字符。" in page
    assert "退出" in page  # the frame's user menu


def test_every_page_of_the_frame_links_to_the_change(signed_in):
    page = signed_in.get(reverse("reports:home")).content.decode()

    assert f'href="{reverse("password_change")}">修改密码</a>' in page


def test_a_wrong_old_password_is_refused_in_chinese(signed_in, staff_a):
    response = change(signed_in, "not-my-password", NEW_PASSWORD)

    assert response.status_code == 200
    assert "你的旧密码不正确。请重新输入。" in response.content.decode()
    staff_a.refresh_from_db()
    assert staff_a.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new", "again", "says"),
    [
        ("abc12", None, "密码长度太短。密码必须包含至少 8 个字符。"),
        ("password", None, "这个密码太常见了。"),
        ("12345678901", None, "密码只包含数字。"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "输入的两个密码不一致。"),
    ],
    ids=["too-short", "common", "all-digits", "mismatch"],
)
def test_a_weak_or_mistyped_new_password_is_refused_in_chinese(
    signed_in, staff_a, new, again, says
):
    response = change(signed_in, PASSWORD, new, again)

    assert response.status_code == 200
    assert says in response.content.decode()
    staff_a.refresh_from_db()
    assert staff_a.check_password(PASSWORD)


def test_a_good_change_keeps_the_session_signed_in(signed_in, staff_a):
    response = change(signed_in, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert signed_in.session[SESSION_KEY] == str(staff_a.pk)
    done = signed_in.get(response["Location"])
    assert done.status_code == 200
    assert "密码已修改" in done.content.decode()
    assert signed_in.get(reverse("reports:home")).status_code == 200


def test_after_a_change_the_new_password_logs_in_and_the_old_one_does_not(client, staff_a):
    client.force_login(staff_a)
    change(client, PASSWORD, NEW_PASSWORD)
    client.logout()

    refused = client.post(reverse("login"), {"username": "staff_a", "password": PASSWORD})
    assert refused.status_code == 200
    assert SESSION_KEY not in client.session

    accepted = client.post(reverse("login"), {"username": "staff_a", "password": NEW_PASSWORD})
    assert accepted.status_code == 302
    assert client.session[SESSION_KEY] == str(staff_a.pk)
