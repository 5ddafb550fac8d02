"""Reads of the dashboard and the reports from the read replica (DATABASE_REPLICA_URL).

A view marked @reads_from_replica reads from the replica, unless its user has just
written: a user's page right after their own save reads the primary, so that it shows
what they saved although the replica may lag behind by a moment. RecentWriteMiddleware
notes each successful POST, PUT, PATCH or DELETE of a signed-in user in the session;
for REPLICA_PIN_SECONDS after it the user's reads stay on the primary.
parkportal.routers.ReplicaRouter does the routing; without a replica it is not installed,
and the marks change nothing.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

WROTE_AT = "_wrote_at"  # session key: when the user's last write succeeded (Unix time)
ROUTER = "parkportal.routers.ReplicaRouter"  # installed with a replica (settings)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_reads_wanted() -> bool:
    """Return whether the reads running now may come from the replica."""
    return _replica_reads.get()


@contextmanager
def replica_reads():
    """Send the reads made inside the block to the replica (writes stay on the primary)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def wrote_recently(request, now: float | None = None) -> bool:
    """Return whether the request's user wrote less than REPLICA_PIN_SECONDS ago."""
    session = getattr(request, "session", None)
    wrote_at = session.get(WROTE_AT) if session is not None else None
    if wrote_at is None:
        return False
    now = time.time() if now is None else now
    return now - wrote_at < settings.REPLICA_PIN_SECONDS


def reads_from_replica(view):
    """Let `view` read from the replica, except for a user who has just written.

    Put it under @login_required: the session and the user are then read from the
    primary before the view's own reads start.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if wrote_recently(request):
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class RecentWriteMiddleware:
    """Note in the session when a signed-in user's write succeeded (a status below 400).

    A form sent back with its errors (200) counts as well: it only costs the primary
    a few reads. Only a request that came with a session counts: a client signed in by
    an API token has none, and giving it one would store a session per write. Put it
    after SessionMiddleware and AuthenticationMiddleware. Without a replica (no router)
    nothing is noted: every read is the primary's, and a save writes no session as well.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # after a log-out, anonymous: nothing to note
        if (
            request.method in UNSAFE_METHODS
            and ROUTER in settings.DATABASE_ROUTERS
            and response.status_code < 400
            and user is not None
            and user.is_authenticated
            and getattr(request, "session", None) is not None
            and request.session.session_key is not None
        ):
            request.session[WROTE_AT] = time.time()
        return response
