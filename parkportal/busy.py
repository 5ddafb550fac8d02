"""A write that waited out SQLite's busy timeout behind a long import: a 503 page saying
so, never a 500.

SQLite lets one writer at a time; a workbook import holds the write lock for its whole
run, and a save that waits longer than the busy timeout (settings: "timeout") fails with
"database is locked". The door it went through was one transaction, so nothing of it was
written; the page says to try again in a moment.
"""

from django.db import OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER = 30  # seconds


def is_database_locked(error: BaseException) -> bool:
    """Return whether `error` is SQLite's "database is locked" (or "… table is locked")."""
    return isinstance(error, OperationalError) and "is locked" in str(error)


class DatabaseBusyMiddleware:
    """Answer a request whose write found the database locked with 503 and Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_locked(exception):
            return None
        # Rendered without a request context, as the 500 page is: nothing that reads the
        # database again.
        return HttpResponse(
            render_to_string("503_busy.html"), status=503, headers={"Retry-After": RETRY_AFTER}
        )
