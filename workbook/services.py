"""Writes of the workbook import: keep the upload, check it, import it.

Checking (the preview) and importing both run `workbook_import`; with
IMPORT_IN_BACKGROUND they run in a process of their own (`manage.py
run_import_batch`), which a proxy timeout or a closed browser cannot stop, while
the batch's page shows its progress.
"""

import hashlib
import logging
import subprocess
import sys
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .importer import workbook_import
from .models import ImportBatch
from .progress import ProgressFile, log_path, process_alive, read_progress

logger = logging.getLogger(__name__)

# A running batch without any sign of life for this long has lost its process.
STARTUP_GRACE_SECONDS = 120


def import_batch_upload(*, data: bytes, filename: str, user) -> ImportBatch:
    """Keep the upload and start checking it; nothing else is written."""
    batch = ImportBatch.objects.create(
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by=user,
        status=ImportBatch.Status.CHECKING,
        started_at=timezone.now(),
    )
    return _launch(batch)


def import_batch_confirm(*, batch: ImportBatch) -> ImportBatch:
    """Start importing a previewed upload for real; a second confirm does nothing."""
    started = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).update(
        status=ImportBatch.Status.IMPORTING, started_at=timezone.now()
    )
    batch.refresh_from_db()
    return _launch(batch) if started else batch


def _launch(batch: ImportBatch) -> ImportBatch:
    if not settings.IMPORT_IN_BACKGROUND:
        return import_batch_run(pk=batch.pk)
    transaction.on_commit(lambda: spawn_worker(batch.pk))
    return batch


def spawn_worker(pk: int) -> subprocess.Popen:
    """Start `manage.py run_import_batch pk` detached from this process."""
    path = log_path(pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_import_batch", str(pk)],
            cwd=settings.BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def import_batch_run(*, pk: int) -> ImportBatch:
    """Do what the batch waits for: check it (a dry run) or import it.

    The batch's new status is written in the same transaction as the import, so
    it says "imported" exactly when the data is in.
    """
    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=pk)
    if not batch.is_running:
        return batch
    checking = batch.status == ImportBatch.Status.CHECKING
    progress = ProgressFile(pk)
    try:
        with transaction.atomic():
            report = workbook_import(
                data=bytes(batch.content),
                filename=batch.filename,
                dry_run=checking,
                user=batch.uploaded_by,
                progress=progress,
            )
            if not report.accepted:
                batch.status = ImportBatch.Status.REJECTED
            elif checking:
                batch.status = ImportBatch.Status.PREVIEWED
            else:
                batch.status = ImportBatch.Status.IMPORTED
            batch.summary = report.as_dict()
            batch.finished_at = timezone.now()
            batch.save(update_fields=["status", "summary", "finished_at"])
    except Exception:
        logger.exception("workbook import batch %s failed", pk)
        _fail(
            batch, "导入过程中出错，已全部撤销，未写入任何数据。请把批次号告诉系统管理员查看日志。"
        )
    finally:
        progress.remove()
    return batch


def _fail(batch: ImportBatch, message: str) -> None:
    batch.status = ImportBatch.Status.FAILED
    batch.summary = {"sheets": [], "problems": [message], "ignored_sheets": []}
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "summary", "finished_at"])


def batch_progress(batch: ImportBatch) -> dict:
    """Return how far the batch has got; a batch whose process has died is failed."""
    state = read_progress(batch.pk) if batch.is_running else None
    if batch.is_running:
        waited = (timezone.now() - (batch.started_at or batch.uploaded_at)).total_seconds()
        lost = not process_alive(state["pid"]) if state else waited > STARTUP_GRACE_SECONDS
        if lost:
            batch.refresh_from_db()
            if batch.is_running:
                _fail(batch, "导入进程意外中止，已全部撤销，未写入任何数据。请重新上传。")
    return {
        "status": batch.status,
        "status_display": batch.get_status_display(),
        "running": batch.is_running,
        "stage": state["stage"] if state else ("等待开始" if batch.is_running else ""),
        "percent": state["percent"] if state else (0 if batch.is_running else 100),
        "updated": state["updated"] if state else time.time(),
    }
