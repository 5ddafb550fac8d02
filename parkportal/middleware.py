"""Sessions that end after SESSION_COOKIE_AGE idle seconds."""

import time

REFRESH_EVERY = 60  # seconds: how stale an active session's expiry may get


class SessionRefreshMiddleware:
    """Push a signed-in session's expiry on while it is used, at most once a minute.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would do the
    same at the cost of a database write per page; this writes once a minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            if now - request.session.get("_refreshed", 0) >= REFRESH_EVERY:
                request.session["_refreshed"] = now  # modified: saved with a new expiry
        return response


def session_started(sender, request, user, **kwargs) -> None:
    """Count a session opened at log-in as just refreshed: its expiry is new."""
    if hasattr(request, "session"):
        request.session["_refreshed"] = int(time.time())
