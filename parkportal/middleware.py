"""The portal's own middleware: idle sessions end; control characters are refused."""

import time

from django.shortcuts import render

from .text import CONTROL_CHARACTERS, has_control_characters

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


def handles_control_characters(view):
    """Mark `view` as checking control characters in its input itself."""
    view.handles_control_characters = True
    return view


def _visible(text: str) -> str:
    """Return `text` with each control character shown as its Unicode control picture."""
    return CONTROL_CHARACTERS.sub(
        lambda match: "\u2421" if match.group() == "\x7f" else chr(0x2400 + ord(match.group())),
        text,
    )


def _fields(request):
    """Yield (where, name, values) of every GET and POST parameter.

    Of an uploaded file only its field's name counts: Django drops non-printable
    characters from file names itself, and a file's contents are the import's to check.
    """
    for key, values in request.GET.lists():
        yield "网址参数", key, values
    for key, values in request.POST.lists():
        yield "表单", key, values
    for key in request.FILES:
        yield "上传文件", key, []


class ControlCharacterMiddleware:
    """Refuse a request whose GET or POST keys or values hold a control character.

    Runs in process_view, after the URL is resolved and before the view: a view marked
    with @handles_control_characters checks its own input and is let through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "handles_control_characters", False):
            return None
        for where, field, values in _fields(request):
            if any(has_control_characters(text) for text in (field, *values)):
                context = {"where": where, "field": _visible(field)}
                return render(request, "400_control.html", context, status=400)
        return None
