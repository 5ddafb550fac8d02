"""/health/: 200 when the database, the shared cache and the queue answer, 503 naming the
part that does not; no log-in, no session."""

import pytest
from django.db import OperationalError, ProgrammingError
from django.urls import reverse

from parkportal import health
from workbook.progress import worker_seen

pytestmark = pytest.mark.django_db


def get(client, query=""):
    response = client.get(reverse("health") + query)
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_everything_answers_without_a_log_in_or_a_session(client, django_assert_max_num_queries):
    worker_seen()
    with django_assert_max_num_queries(2):  # SELECT 1, the queue's waiting tasks
        response = client.get(reverse("health"))
    assert response.status_code == 200
    assert not response.cookies  # no session, no CSRF cookie
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["ok"] and body["database"] == {"ok": True} and body["cache"] == {"ok": True}
    assert body["queue"] | {"worker_seen_seconds_ago": 0} == {
        "ok": True,
        "waiting": 0,
        "worker_running": True,
        "worker_seen_seconds_ago": 0,
    }


def _database_down(monkeypatch, settings):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", refuse)


def _cache_down(monkeypatch, settings):
    # a Redis cache on a port where nothing listens
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }


def _queue_table_missing(monkeypatch, settings):
    def missing(*args, **kwargs):
        raise ProgrammingError('relation "django_tasks_database_dbtaskresult" does not exist')

    monkeypatch.setattr(health.DBTaskResult.objects, "filter", missing)


@pytest.mark.parametrize(
    ("break_it", "failed"),
    [
        (_database_down, ["database", "queue"]),  # the queue is a table of the database
        (_cache_down, ["cache"]),
        (_queue_table_missing, ["queue"]),
    ],
)
def test_a_part_that_does_not_answer_makes_it_503_and_is_named(
    client, monkeypatch, settings, break_it, failed
):
    break_it(monkeypatch, settings)
    status, body = get(client)
    assert status == 503 and not body["ok"]
    assert [name for name in ("database", "cache", "queue") if not body[name]["ok"]] == failed
    assert all(body[name]["error"] for name in failed)


def test_a_missing_worker_is_reported_and_fails_only_the_workers_own_check(client):
    status, body = get(client)
    assert status == 200
    assert body["queue"]["worker_running"] is False
    assert body["queue"]["worker_seen_seconds_ago"] is None
    assert get(client, "?worker=1")[0] == 503
    worker_seen()
    assert get(client, "?worker=1")[0] == 200


def test_it_answers_a_plain_http_probe_where_pages_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("health")).status_code == 200
    assert client.get("/accounts/login/").status_code == 301
