"""How far a running import has got: a small JSON file per batch.

A file and not a database row: the import keeps its transaction open to the end
(all or nothing), so nothing it wrote to the database would be seen before then,
and on SQLite a second writer would have to wait for it.
"""

import json
import os
import time
from pathlib import Path

from django.conf import settings

MIN_INTERVAL = 0.3  # seconds between two writes of the file


def progress_path(pk: int) -> Path:
    return Path(settings.IMPORT_SPOOL_DIR) / f"batch-{pk}.json"


def log_path(pk: int) -> Path:
    return Path(settings.IMPORT_SPOOL_DIR) / f"batch-{pk}.log"


class ProgressFile:
    """A progress callback for `workbook_import` that writes the batch's file."""

    def __init__(self, pk: int):
        self.path = progress_path(pk)
        self.path.parent.mkdir(parents=True, exist_ok=True)
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
            "pid": os.getpid(),
            "updated": time.time(),
        }
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        partial.replace(self.path)  # atomic: a reader sees the old state or the new

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def read_progress(pk: int) -> dict | None:
    """Return the batch's last progress, or None when it has none (yet)."""
    try:
        return json.loads(progress_path(pk).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def process_alive(pid: int) -> bool:
    """Return whether a process `pid` still runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
