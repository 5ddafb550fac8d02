"""The read replica's routing decisions: which reads go where, who is pinned to the primary,
and what notes a write. No database: the router and the marks are plain Python."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from parkportal.models import Park
from parkportal.replica import (
    WROTE_AT,
    RecentWriteMiddleware,
    reads_from_replica,
    replica_reads,
    replica_reads_wanted,
    wrote_recently,
)
from parkportal.routers import PRIMARY, REPLICA, ReplicaRouter

ROOT = Path(__file__).resolve().parents[2]
NOW = 1_800_000_000.0
SIGNED_IN = SimpleNamespace(is_authenticated=True)


@pytest.mark.parametrize(("marked", "reads_from"), [(False, PRIMARY), (True, REPLICA)])
def test_reads_go_to_the_replica_only_inside_a_marked_view(marked, reads_from):
    router = ReplicaRouter()
    if marked:
        with replica_reads():
            assert router.db_for_read(Park) == reads_from
    else:
        assert router.db_for_read(Park) == reads_from


@pytest.mark.parametrize("marked", [False, True])
def test_writes_always_go_to_the_primary(marked):
    router = ReplicaRouter()
    if marked:
        with replica_reads():
            assert router.db_for_write(Park) == PRIMARY
    else:
        assert router.db_for_write(Park) == PRIMARY


@pytest.mark.parametrize(("alias", "migrated"), [(PRIMARY, True), (REPLICA, False)])
def test_only_the_primary_is_migrated(alias, migrated):
    assert ReplicaRouter().allow_migrate(alias, "parkportal", "park") is migrated


def test_the_mark_ends_with_its_block_even_when_the_block_fails():
    with pytest.raises(ValueError), replica_reads():
        raise ValueError
    assert replica_reads_wanted() is False


class Session(dict):
    """A session as the middleware sees it: its key is None when the request sent no cookie."""

    session_key = "a-session-key"


class NoSession(Session):
    session_key = None


def request_with(session: dict, method: str = "GET", user=SIGNED_IN):
    request = getattr(RequestFactory(), method.lower())("/")
    request.session = session
    request.user = user
    return request


@pytest.mark.parametrize(
    ("wrote_seconds_ago", "pin_seconds", "pinned"),
    [
        (None, 5, False),  # never wrote
        (0, 5, True),
        (4.9, 5, True),
        (5, 5, False),  # the pin has just run out
        (60, 5, False),
        (30, 60, True),  # a longer pin for a replica that lags more
        (0, 0, False),  # REPLICA_PIN_SECONDS=0: no pin at all
    ],
)
def test_a_user_who_wrote_recently_is_pinned_to_the_primary(
    settings, wrote_seconds_ago, pin_seconds, pinned
):
    settings.REPLICA_PIN_SECONDS = pin_seconds
    session = {} if wrote_seconds_ago is None else {WROTE_AT: NOW - wrote_seconds_ago}
    assert wrote_recently(request_with(session), now=NOW) is pinned


@pytest.mark.parametrize(("wrote", "reads_replica"), [(False, True), (True, False)])
def test_a_marked_view_reads_the_replica_unless_its_user_has_just_written(
    settings, wrote, reads_replica
):
    settings.REPLICA_PIN_SECONDS = 5

    @reads_from_replica
    def view(request):
        return HttpResponse(json.dumps(replica_reads_wanted()))

    session = {WROTE_AT: time.time()} if wrote else {}
    response = view(request_with(session))
    assert json.loads(response.content) is reads_replica
    assert replica_reads_wanted() is False  # nothing leaks past the view


@pytest.mark.parametrize(
    ("method", "status", "user", "session", "noted"),
    [
        ("POST", 302, SIGNED_IN, Session(), True),  # a save that redirects
        ("POST", 200, SIGNED_IN, Session(), True),  # a form sent back: counts, to be safe
        ("PUT", 200, SIGNED_IN, Session(), True),
        ("PATCH", 204, SIGNED_IN, Session(), True),
        ("DELETE", 204, SIGNED_IN, Session(), True),
        ("POST", 400, SIGNED_IN, Session(), False),  # refused: nothing written
        ("POST", 403, SIGNED_IN, Session(), False),
        ("POST", 500, SIGNED_IN, Session(), False),
        ("GET", 200, SIGNED_IN, Session(), False),
        ("HEAD", 200, SIGNED_IN, Session(), False),
        ("POST", 302, AnonymousUser(), Session(), False),  # a log-out: nobody to pin
        ("POST", 201, SIGNED_IN, NoSession(), False),  # an API token: no session to start
    ],
)
def test_a_signed_in_users_successful_write_is_noted_in_the_session(
    settings, method, status, user, session, noted
):
    settings.DATABASE_ROUTERS = ["parkportal.routers.ReplicaRouter"]
    middleware = RecentWriteMiddleware(lambda request: HttpResponse(status=status))
    middleware(request_with(session, method, user))
    assert (WROTE_AT in session) is noted


def test_without_a_replica_a_write_is_not_noted_and_the_session_not_saved(settings):
    settings.DATABASE_ROUTERS = []
    session = Session()
    middleware = RecentWriteMiddleware(lambda request: HttpResponse(status=302))
    middleware(request_with(session, "POST", SIGNED_IN))
    assert WROTE_AT not in session


def settings_of(**env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings;"
        "print(json.dumps({'aliases': sorted(settings.DATABASES),"
        " 'replica': settings.DATABASES.get('replica'), 'routers': settings.DATABASE_ROUTERS}))"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATABASE_REPLICA_URL"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "parkportal.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_without_a_replica_there_is_no_replica_alias_and_no_router():
    assert settings_of() == {"aliases": ["default"], "replica": None, "routers": []}


def test_database_replica_url_adds_the_replica_alias_and_the_router():
    found = settings_of(
        DATABASE_URL="postgres://parkportal:secret@db1.example:5432/parkportal",
        DATABASE_REPLICA_URL="postgres://reader:secret@db2.example:5432/parkportal",
    )
    replica = found["replica"]
    assert found["aliases"] == ["default", "replica"]
    assert (replica["ENGINE"], replica["HOST"], replica["USER"]) == (
        "django.db.backends.postgresql",
        "db2.example",
        "reader",
    )
    assert replica["TEST"]["MIRROR"] == "default"  # tests read the test database
    assert found["routers"] == ["parkportal.routers.ReplicaRouter"]
