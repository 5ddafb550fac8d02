"""Writes of the workbook import: keep the upload, check it, import it.

Checking (the preview) and importing both run `workbook_import`. With
IMPORT_IN_BACKGROUND they run as a task (`workbook.tasks.run_import_batch`) that a worker
(`manage.py run_worker`) takes from the queue in the portal's database, so a proxy
timeout or a closed browser cannot stop them, while the batch's page shows its progress
from the shared cache.

Retries: a transient database error (a lost connection, a lock time-out) is retried up to
ATTEMPTS times, the check and the import alike. Both are safe to retry: a check writes
nothing, and an import writes its rows and the batch's new status in one transaction, so
after a failure nothing of it is in, and a retry of an import that did commit finds its
batch no longer running and does nothing. Any other error (a bug, memory) would fail the
same way again and is not retried; a worker that dies is not retried either (what killed
it would kill the next one): its batch is failed by the heartbeat check, and the admin
uploads again.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus

from .importer import workbook_import
from .models import ImportBatch
from .progress import ProgressCache, last_beat, read_progress, worker_running
from .snapshot import checked_on_a_copy

logger = logging.getLogger(__name__)

ATTEMPTS = 3
TRANSIENT = (OperationalError, InterfaceError)
LOST = "导入进程意外中止，已全部撤销，未写入任何数据。请重新上传。"
FAILED = "导入过程中出错，已全部撤销，未写入任何数据。请把批次号告诉系统管理员查看日志。"
QUEUED = "排队等待"
NO_WORKER = (
    "排队等待：后台任务进程未运行，检查和导入要等它启动后才开始。"
    "请联系系统管理员启动它（manage.py run_worker）。"
)


class BatchNoLongerRunning(Exception):
    """The batch was failed (its worker judged lost) while the import ran: undo the import."""


def import_batch_upload(*, data: bytes, filename: str, user) -> ImportBatch:
    """Keep the upload and start checking it; nothing else is written."""
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            filename=filename[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
            uploaded_by=user,
            status=ImportBatch.Status.CHECKING,
            started_at=timezone.now(),
        )
        if settings.IMPORT_IN_BACKGROUND:
            _enqueue(batch)
    return batch if settings.IMPORT_IN_BACKGROUND else import_batch_run(pk=batch.pk)


def import_batch_confirm(*, batch: ImportBatch) -> ImportBatch:
    """Start importing a previewed upload for real; a second confirm does nothing."""
    with transaction.atomic():
        started = ImportBatch.objects.filter(
            pk=batch.pk, status=ImportBatch.Status.PREVIEWED
        ).update(status=ImportBatch.Status.IMPORTING, started_at=timezone.now())
        batch.refresh_from_db()
        if started and settings.IMPORT_IN_BACKGROUND:
            _enqueue(batch)
    if started and not settings.IMPORT_IN_BACKGROUND:
        return import_batch_run(pk=batch.pk)
    return batch


def _enqueue(batch: ImportBatch) -> None:
    # The task's row is written in the batch's own transaction: both are queued, or neither.
    from .tasks import run_import_batch

    result = run_import_batch.enqueue(batch.pk)
    batch.task_id = str(result.id)
    batch.save(update_fields=["task_id"])


def import_batch_run(*, pk: int) -> ImportBatch:
    """Do what the batch waits for: check it (a dry run) or import it.

    The batch's new status is written in the same transaction as the import, so it says
    "imported" exactly when the data is in.
    """
    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=pk)
    progress = ProgressCache(pk)
    try:
        for attempt in range(1, ATTEMPTS + 1):
            if attempt > 1:
                batch = ImportBatch.objects.select_related("uploaded_by").get(pk=pk)
            if not batch.is_running:
                return batch
            try:
                return _run(batch, progress)
            except BatchNoLongerRunning:
                batch.refresh_from_db()
                return batch
            except TRANSIENT:
                if attempt == ATTEMPTS:
                    raise
                logger.warning("workbook import batch %s: attempt %s failed", pk, attempt)
                if not connection.in_atomic_block:
                    connection.close()  # the next attempt opens a new connection
                time.sleep(attempt)
    except Exception:
        logger.exception("workbook import batch %s failed", pk)
        _fail(batch, FAILED)
    finally:
        progress.remove()
    return batch


def _run(batch: ImportBatch, progress: ProgressCache) -> ImportBatch:
    checking = batch.status == ImportBatch.Status.CHECKING
    if checking:
        # A check keeps nothing it writes: on SQLite it runs on a copy of the database, so
        # that the write lock stays free for everyone else's saves meanwhile.
        with checked_on_a_copy(), transaction.atomic():
            report = _import(batch, progress, dry_run=True)
            transaction.set_rollback(True)  # whatever the check wrote, none of it is kept
        with transaction.atomic():
            _finish(batch, report, checking=True)
        return batch
    with transaction.atomic():
        report = _import(batch, progress, dry_run=False)
        _finish(batch, report, checking=False)
    return batch


def _import(batch: ImportBatch, progress: ProgressCache, *, dry_run: bool):
    return workbook_import(
        data=bytes(batch.content),
        filename=batch.filename,
        dry_run=dry_run,
        user=batch.uploaded_by,
        progress=progress,
    )


def _finish(batch: ImportBatch, report, *, checking: bool) -> None:
    """Write the batch's outcome, in the caller's transaction (the import's, when importing)."""
    if not report.accepted:
        batch.status = ImportBatch.Status.REJECTED
    elif checking:
        batch.status = ImportBatch.Status.PREVIEWED
    else:
        batch.status = ImportBatch.Status.IMPORTED
    batch.summary = report.as_dict()
    batch.finished_at = timezone.now()
    # Only a batch still running takes its result: one failed meanwhile as lost keeps
    # its failure, and the import is undone with it.
    finished = ImportBatch.objects.filter(pk=batch.pk, status__in=ImportBatch.RUNNING).update(
        status=batch.status, summary=batch.summary, finished_at=batch.finished_at
    )
    if not finished:
        raise BatchNoLongerRunning


def _fail(batch: ImportBatch, message: str) -> bool:
    """Fail the batch with `message` if it is still running; return whether it was."""
    finished_at = timezone.now()
    summary = {"sheets": [], "problems": [message], "ignored_sheets": []}
    failed = ImportBatch.objects.filter(pk=batch.pk, status__in=ImportBatch.RUNNING).update(
        status=ImportBatch.Status.FAILED, summary=summary, finished_at=finished_at
    )
    batch.refresh_from_db()
    return bool(failed)


def _task(batch: ImportBatch):
    """Return the batch's queued task's row, or None (run inline, or gone)."""
    from django_tasks_db.models import DBTaskResult

    if not batch.task_id:
        return None
    return DBTaskResult.objects.filter(pk=batch.task_id).only("status", "started_at").first()


def _lost(batch: ImportBatch, task) -> bool:
    """Return whether a running batch has lost its worker.

    A task still waiting in the queue is not lost, however long it waits. Its worker beats
    while it works; a beat older than IMPORT_HEARTBEAT_TIMEOUT means it died. Without a
    beat (none yet, or the cache lost it) the queue decides: a task taken longer ago than
    the time-out, or finished without finishing its batch, is lost.
    """
    timeout = settings.IMPORT_HEARTBEAT_TIMEOUT
    if task is not None and task.status == TaskResultStatus.READY:
        return False  # a beat left by the batch's check says nothing of its queued import
    beat = last_beat(batch.pk)
    if beat is not None:
        return time.time() - beat > timeout
    if task is None:
        since = batch.started_at or batch.uploaded_at
        return (timezone.now() - since).total_seconds() > timeout
    if task.status == TaskResultStatus.RUNNING:
        return (timezone.now() - task.started_at).total_seconds() > timeout
    return True


def _fail_lost(batch: ImportBatch, task) -> bool:
    if not _fail(batch, LOST):
        return False
    logger.error("workbook import batch %s lost its worker", batch.pk)
    if task is not None:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path="",
            traceback=LOST,
        )
    return True


def import_batches_fail_lost() -> list[int]:
    """Fail every running batch whose worker is lost; return their numbers (workers' sweep)."""
    lost = []
    for batch in ImportBatch.objects.filter(status__in=ImportBatch.RUNNING).defer("content"):
        task = _task(batch)
        if _lost(batch, task) and _fail_lost(batch, task):
            lost.append(batch.pk)
    return lost


def batch_progress(batch: ImportBatch) -> dict:
    """Return how far the batch has got; a running batch whose worker is lost is failed."""
    state = None
    queued = False
    if batch.is_running:
        task = _task(batch)
        if _lost(batch, task):
            _fail_lost(batch, task)
        else:
            queued = task is not None and task.status == TaskResultStatus.READY
            state = None if queued else read_progress(batch.pk)
    running = batch.is_running
    no_worker = running and queued and not worker_running()
    if state:
        stage = state["stage"]
    elif running:
        stage = NO_WORKER if no_worker else QUEUED if queued else "等待开始"
    else:
        stage = ""
    return {
        "status": batch.status,
        "status_display": batch.get_status_display(),
        "running": running,
        "queued": queued,
        "worker_running": not no_worker,
        "stage": stage,
        "percent": state["percent"] if state else (0 if running else 100),
        "updated": state["updated"] if state else time.time(),
    }
