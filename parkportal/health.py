"""/health/: whether this app server's database, shared cache and task queue answer.

For a load balancer or a monitor: no log-in, no session, a few cheap queries, JSON. 200
when all three answer, 503 naming the ones that did not. A worker not seen lately is
reported (`queue.worker_running`) without failing the check, since the pages still work
without one; `?worker=1` fails it too, for a monitor of the worker itself.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from workbook.progress import worker_last_seen, worker_running

logger = logging.getLogger(__name__)


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {}


def _cache() -> dict:
    token = uuid.uuid4().hex
    cache.set("health:probe", token, 30)
    if cache.get("health:probe") != token:
        raise RuntimeError("cache did not return what was written")
    return {}


def _queue() -> dict:
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    try:
        seen = worker_last_seen()
    except Exception:  # the workers beat into the cache: its own check reports it
        return {"waiting": waiting, "worker_running": None, "worker_seen_seconds_ago": None}
    return {
        "waiting": waiting,
        "worker_running": worker_running(),
        "worker_seen_seconds_ago": None if seen is None else round(time.time() - seen),
    }


CHECKS = {"database": _database, "cache": _cache, "queue": _queue}


@never_cache
@require_GET
def health(request):
    """Report each part as {"ok": …}; 503 if one failed."""
    parts = {}
    for name, check in CHECKS.items():
        try:
            parts[name] = {"ok": True, **check()}
        except Exception as error:
            logger.exception("health check of %s failed", name)
            parts[name] = {"ok": False, "error": type(error).__name__}
    if request.GET.get("worker") == "1" and parts["queue"]["ok"]:
        parts["queue"]["ok"] = bool(parts["queue"]["worker_running"])
    healthy = all(part["ok"] for part in parts.values())
    return JsonResponse({"ok": healthy, **parts}, status=200 if healthy else 503)
