"""The client's address, for log-in throttling."""

from django.conf import settings


def client_ip(request) -> str:
    """Return the address the request came from.

    Behind the portal's reverse proxy (DJANGO_BEHIND_PROXY=1) that is the last
    address of X-Forwarded-For, the one the proxy itself appended; earlier ones
    are whatever the client claimed. Otherwise it is REMOTE_ADDR.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")
