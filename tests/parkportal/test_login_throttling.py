"""Log-in throttling (django-axes) and idle sessions."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from parkportal.choices import Role
from parkportal.services import user_save

pytestmark = pytest.mark.django_db

PASSWORD = "Tianbao-2026!"
OFFICE = "10.8.0.5"  # the county office's shared address
HOME = "10.9.1.7"


@pytest.fixture
def accounts(park_a):
    return [
        user_save(username=name, role=Role.STAFF, park_codes=[park_a.code], password=PASSWORD)
        for name in ("wang", "li")
    ]


def log_in(client, username, password, address=OFFICE):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_failures_lock_that_username_at_that_address_for_15_minutes(client, accounts):
    for _ in range(4):
        response = log_in(client, "wang", "wrong")
        assert response.status_code == 200
        assert "请输入一个正确的" in response.content.decode()
    response = log_in(client, "wang", "wrong")  # the fifth
    assert response.status_code == 429
    page = response.content.decode()
    assert "已被锁定 15 分钟" in page

    # even the right password is refused now, and no session is opened
    response = log_in(client, "wang", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_spares_other_users_and_other_addresses(client, accounts):
    for _ in range(5):
        log_in(client, "wang", "wrong")
    # another user behind the same shared address logs in
    response = log_in(client, "li", PASSWORD)
    assert response.status_code == 302
    client.post(reverse("logout"))
    # the locked-out user, from home, logs in too
    response = log_in(client, "wang", PASSWORD, address=HOME)
    assert response.status_code == 302


def test_a_successful_log_in_resets_the_failures(client, accounts):
    for _ in range(4):
        log_in(client, "wang", "wrong")
    assert log_in(client, "wang", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        log_in(client, "wang", "wrong")
    assert log_in(client, "wang", PASSWORD).status_code == 302


def test_the_admin_log_in_is_throttled_too(client, accounts):
    for _ in range(5):
        response = client.post(
            reverse("admin:login"), {"username": "wang", "password": "wrong"}, REMOTE_ADDR=OFFICE
        )
    assert response.status_code == 429


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(client, accounts, settings):
    settings.BEHIND_PROXY = True
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "wang", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.4, {OFFICE}",
        )
    # the same user through the same proxy from another address is not locked out
    response = client.post(
        reverse("login"),
        {"username": "wang", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=f"1.2.3.4, {HOME}",
    )
    assert response.status_code == 302


def test_a_session_ends_after_30_idle_minutes_and_use_extends_it(client, leader, monkeypatch):
    import time

    from django.utils import timezone

    from parkportal import middleware

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(leader)
    expiry = client.session.get_expiry_date()
    assert expiry - timezone.now() > datetime.timedelta(minutes=29)

    # used again within the minute: no write
    now = time.time()
    monkeypatch.setattr(middleware.time, "time", lambda: now + 30)
    assert "sessionid" not in client.get(reverse("reports:home")).cookies

    # twenty minutes later, still in use: the expiry moves on twenty minutes
    later = timezone.now() + datetime.timedelta(minutes=20)
    monkeypatch.setattr(middleware.time, "time", lambda: now + 20 * 60)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.get(reverse("reports:home"))
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert client.session.get_expiry_date() - expiry > datetime.timedelta(minutes=19)
