"""How far a running import has got, and whether its worker lives: keys of the shared cache.

The cache and not the database: the import keeps its transaction open to the end (all or
nothing), so nothing it wrote to the database would be seen before then, and on SQLite a
second writer would have to wait for it. The cache (settings.CACHES: files on one machine,
Redis across machines) is shared by every app server and worker.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

MIN_INTERVAL = 0.3  # seconds between two writes of a batch's progress
KEEP = 24 * 3600  # seconds a key outlives its last write
WORKER_SEEN_KEY = "workbook:worker-seen"


def progress_key(pk: int) -> str:
    return f"workbook:batch:{pk}:progress"


def heartbeat_key(pk: int) -> str:
    return f"workbook:batch:{pk}:heartbeat"


def _set(key: str, value) -> None:
    # A cache that does not answer for a moment must not fail an import that is going well.
    try:
        cache.set(key, value, KEEP)
    except Exception:
        logger.warning("cache write of %s failed", key, exc_info=True)


class ProgressCache:
    """A progress callback for `workbook_import` that writes the batch's progress key."""

    def __init__(self, pk: int):
        self.pk = pk
        self.stage = ""
        self.written_at = 0.0

    def __call__(self, stage: str, fraction: float) -> None:
        now = time.monotonic()
        if stage == self.stage and fraction < 1 and now - self.written_at < MIN_INTERVAL:
            return
        self.stage, self.written_at = stage, now
        state = {
            "stage": stage,
            "percent": max(0, min(100, int(fraction * 100))),
            "updated": time.time(),
        }
        _set(progress_key(self.pk), state)

    def remove(self) -> None:
        try:
            cache.delete_many([progress_key(self.pk), heartbeat_key(self.pk)])
        except Exception:
            logger.warning("cache delete of batch %s failed", self.pk, exc_info=True)


def read_progress(pk: int) -> dict | None:
    """Return the batch's last progress, or None when it has none (yet)."""
    return cache.get(progress_key(pk))


def last_beat(pk: int) -> float | None:
    """Return when the batch's worker last said it was alive (a Unix time), or None."""
    return cache.get(heartbeat_key(pk))


def worker_seen() -> None:
    """Note that a worker is alive now."""
    _set(WORKER_SEEN_KEY, time.time())


def worker_last_seen() -> float | None:
    """Return when any worker was last alive (a Unix time), or None if none ever was."""
    return cache.get(WORKER_SEEN_KEY)


def worker_running() -> bool:
    """Return whether some worker was alive within WORKER_SEEN_TIMEOUT."""
    seen = worker_last_seen()
    return seen is not None and time.time() - seen <= settings.WORKER_SEEN_TIMEOUT


class Heartbeat:
    """While open, beat for the batch `pk` every IMPORT_HEARTBEAT_SECONDS from a thread.

    A thread, because the import itself can wait in one SQL statement for a long time; a
    worker killed outright stops beating, and the batch's page then finds it lost.
    """

    def __init__(self, pk: int):
        self.pk = pk
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{pk}", daemon=True)

    def _beat(self) -> None:
        _set(heartbeat_key(self.pk), time.time())
        worker_seen()

    def _run(self) -> None:
        while not self.stopped.wait(settings.IMPORT_HEARTBEAT_SECONDS):
            self._beat()

    def __enter__(self) -> "Heartbeat":
        self._beat()
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join()
        try:
            cache.delete(heartbeat_key(self.pk))  # no beat outlives its run
        except Exception:
            logger.warning("cache delete of batch %s failed", self.pk, exc_info=True)
