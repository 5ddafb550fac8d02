"""Tokens that admins issue and revoke, the signed-in session with CSRF, rate limits."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import token_digest, token_issue, token_revoke
from tests.api.conftest import YEAR

pytestmark = pytest.mark.django_db


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_portal_keeps_a_tokens_digest_never_the_token(leader):
    token, key = token_issue(user=leader, issued_by=None)
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in stored.values()}
    assert stored["digest"] == token_digest(key)
    assert with_key(key).get("/api/parks/").status_code == 200


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda token: token_revoke(tokens=ApiToken.objects.filter(pk=token.pk)), "已被吊销"),
        (
            lambda token: ApiToken.objects.filter(pk=token.pk).update(
                expires_at=timezone.now() - timedelta(seconds=1)
            ),
            "已过期",
        ),
        (
            lambda token: type(token.user).objects.filter(pk=token.user_id).update(is_active=False),
            "停用",
        ),
    ],
    ids=["revoked", "expired", "inactive user"],
)
def test_a_revoked_or_expired_token_is_401_saying_why(leader, spoil, message):
    token, key = token_issue(user=leader, issued_by=None)
    spoil(token)
    answer = with_key(key).get("/api/parks/")
    assert answer.status_code == 401
    assert message in answer.json()["detail"]


@pytest.mark.parametrize("header", ["Token nonsense", "Bearer pp_x", "Token a b"])
def test_an_unknown_or_malformed_token_is_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/parks/").status_code == 401


def test_a_user_without_a_role_is_403(db):
    from tests.factories import UserFactory

    _, key = token_issue(user=UserFactory(username="nobody"), issued_by=None)
    assert with_key(key).get("/api/parks/").status_code == 403


def test_the_command_issues_lists_and_revokes(leader):
    out = StringIO()
    call_command("api_token", "issue", "leader", "--name", "同步", "--days", "7", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert with_key(key).get("/api/parks/").status_code == 200
    out = StringIO()
    call_command("api_token", "list", stdout=out)
    assert key[:8] in out.getvalue() and "可用" in out.getvalue()
    call_command("api_token", "revoke", key[:8], "--dry-run", stdout=StringIO())
    assert with_key(key).get("/api/parks/").status_code == 200
    call_command("api_token", "revoke", key[:8], stdout=StringIO())
    assert with_key(key).get("/api/parks/").status_code == 401
    with pytest.raises(CommandError, match="没有用户"):
        call_command("api_token", "issue", "nobody", stdout=StringIO())


def test_an_admin_issues_a_token_in_the_admin_and_sees_it_once(client, admin_user, leader):
    client.force_login(admin_user)
    answer = client.post(
        reverse("admin:api_apitoken_add"), {"user": leader.pk, "name": "报表同步"}, follow=True
    )
    assert answer.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in answer.context["messages"] if "只显示这一次" in str(m)]
    key = shown[0].split("：", 1)[1].split(" ")[0]
    assert token_digest(key) == token.digest and token.created_by == admin_user
    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert with_key(key).get("/api/parks/").status_code == 401


def test_a_signed_in_browser_reads_with_its_session_and_writes_only_with_csrf(world, staff_a):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff_a)
    assert client.get("/api/parks/").status_code == 200
    data = {"project": "XM-A", "year": YEAR, "month": 3, "completed_investment": "1"}
    answer = client.post("/api/project-progress/", data, format="json")
    assert answer.status_code == 403
    assert "CSRF" in answer.json()["detail"]


def test_a_user_over_the_rate_limit_gets_429(settings, leader):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/minute", "anon": "100/minute"},
    }
    _, key = token_issue(user=leader, issued_by=None)
    client = with_key(key)
    assert [client.get("/api/parks/").status_code for _ in range(4)] == [200, 200, 200, 429]
    _, other = token_issue(user=leader, issued_by=None)
    assert with_key(other).get("/api/parks/").status_code == 429, "counted per user, not token"


def test_anonymous_callers_are_limited_by_address(settings, db):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "100/minute", "anon": "2/minute"},
    }
    client = APIClient()
    assert [client.get("/api/parks/").status_code for _ in range(3)] == [401, 401, 429]


def test_a_token_call_opens_no_session(leader):
    from django.contrib.sessions.models import Session

    _, key = token_issue(user=leader, issued_by=None)
    answer = with_key(key).get("/api/parks/")
    assert answer.status_code == 200
    assert not Session.objects.exists()
    assert "sessionid" not in answer.cookies
