"""Imports in the background: tasks on the queue, progress and heartbeats in the shared cache."""

import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from parkportal.models import Enterprise, Park
from tests.workbook.books import ALL_SHEETS, xlsx
from tests.workbook.test_admin_views import upload
from workbook import services
from workbook.importer import workbook_import
from workbook.models import ImportBatch
from workbook.progress import (
    ProgressCache,
    heartbeat_key,
    last_beat,
    progress_key,
    read_progress,
    worker_seen,
)

pytestmark = pytest.mark.django_db

LOST = "导入进程意外中止，已全部撤销，未写入任何数据。请重新上传。"


@pytest.fixture
def background(settings):
    settings.IMPORT_IN_BACKGROUND = True
    settings.IMPORT_HEARTBEAT_TIMEOUT = 5
    return settings


@pytest.fixture
def work_the_queue(monkeypatch):
    """Run `manage.py run_worker --batch` here: every waiting task, then return."""
    # Between tasks the worker closes connections it thinks stale; here that is the test's.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("run_worker", "--batch", "--interval", "0")


def progress_of(client, batch):
    response = client.get(reverse("workbook:import_progress", args=[batch.pk]))
    assert response.status_code == 200
    return response.json()


def a_batch(status="importing", **fields):
    fields = {"content": xlsx(ALL_SHEETS), **fields}
    return ImportBatch.objects.create(filename="a.xlsx", sha256="0" * 64, status=status, **fields)


def test_an_upload_is_queued_in_its_own_transaction_and_a_worker_checks_it(
    client, admin_user, background, work_the_queue
):
    client.force_login(admin_user)
    response = upload(client, ALL_SHEETS)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.CHECKING
    task = DBTaskResult.objects.get(pk=batch.task_id)
    assert (task.status, task.queue_name, task.args_kwargs["args"]) == (
        "READY",
        "imports",
        [batch.pk],
    )

    page = client.get(response["Location"]).content.decode()
    assert '<progress id="progress-bar"' in page and "尚未写入任何数据" in page
    assert "确认导入" not in page
    # no worker has ever been seen: the page says so
    state = progress_of(client, batch)
    assert state | {"updated": 0} == {
        "status": "checking",
        "status_display": "检查中",
        "running": True,
        "queued": True,
        "worker_running": False,
        "stage": services.NO_WORKER,
        "percent": 0,
        "updated": 0,
    }
    assert "后台任务进程未运行" in page
    worker_seen()
    assert (progress_of(client, batch)["stage"], progress_of(client, batch)["worker_running"]) == (
        "排队等待",
        True,
    )

    work_the_queue()
    state = progress_of(client, batch)
    assert (state["status"], state["running"], state["percent"]) == ("previewed", False, 100)
    assert DBTaskResult.objects.get(pk=batch.task_id).status == TaskResultStatus.SUCCESSFUL
    assert not Park.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "检查通过" in page and "<progress" not in page

    client.post(reverse("workbook:import_confirm", args=[batch.pk]))
    client.post(reverse("workbook:import_confirm", args=[batch.pk]))
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # confirming twice queues one
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTING
    assert not Park.objects.exists()
    work_the_queue()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert Enterprise.objects.count() == 2
    # the finished batch leaves nothing in the cache
    assert read_progress(batch.pk) is None and last_beat(batch.pk) is None


def test_an_upload_that_cannot_be_queued_is_not_kept(client, admin_user, background, monkeypatch):
    from django_tasks_db.backend import DatabaseBackend

    def refuse(*args):
        raise OperationalError("queue unavailable")

    monkeypatch.setattr(DatabaseBackend, "enqueue", refuse)
    client.force_login(admin_user)
    with pytest.raises(OperationalError):
        upload(client, ALL_SHEETS)
    assert not ImportBatch.objects.exists()


def test_the_page_shows_the_progress_from_the_shared_cache(client, admin_user, background):
    client.force_login(admin_user)
    batch = a_batch(content=b"")
    ProgressCache(batch.pk)("检查并写入“月度指标”（60000行）", 0.42)
    assert read_progress(batch.pk)["percent"] == 42
    page = client.get(reverse("workbook:import_preview", args=[batch.pk])).content.decode()
    assert 'value="42"' in page and "检查并写入“月度指标”（60000行）" in page
    assert "出错则全部撤销" in page


def test_progress_goes_forward_to_the_end():
    calls = []
    report = workbook_import(
        data=xlsx(ALL_SHEETS), filename="a.xlsx", progress=lambda *call: calls.append(call)
    )
    assert report.accepted
    fractions = [fraction for _, fraction in calls]
    assert fractions == sorted(fractions)
    assert (fractions[0], fractions[-1]) == (0, 1)
    stages = [stage for stage, _ in calls]
    assert "检查并写入“月度指标”（3行）" in stages and stages[-1] == "提交"


def test_a_worker_that_fails_writes_nothing_and_says_so(admin_user, monkeypatch):
    batch = a_batch()
    calls = []

    def half_then_crash(**kwargs):
        calls.append(1)
        Park.objects.create(code="HALF", name="写了一半", kind="zone")
        raise MemoryError

    monkeypatch.setattr(services, "workbook_import", half_then_crash)
    with pytest.raises(CommandError, match="已全部撤销，未写入任何数据"):
        call_command("run_import_batch", str(batch.pk))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert not Park.objects.exists()
    assert calls == [1]  # not a transient error: not tried again
    assert read_progress(batch.pk) is None and last_beat(batch.pk) is None


@pytest.mark.parametrize(
    ("status", "errors", "attempts", "ends"),
    [
        ("checking", [OperationalError], 2, "previewed"),
        ("importing", [OperationalError], 2, "imported"),
        ("importing", [OperationalError, OperationalError], 3, "imported"),
        ("importing", [OperationalError] * 3, 3, "failed"),
        ("checking", [ValueError], 1, "failed"),
        ("importing", [KeyError], 1, "failed"),
    ],
)
def test_transient_database_errors_are_tried_again_and_others_are_not(
    admin_user, monkeypatch, status, errors, attempts, ends
):
    batch = a_batch(status=status, uploaded_by=admin_user)
    pending = list(errors)
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if pending:
            # what a first attempt wrote is undone with it
            Park.objects.create(code=f"HALF{len(calls)}", name="写了一半", kind="zone")
            raise pending.pop(0)("连接中断")
        return workbook_import(**kwargs)

    monkeypatch.setattr(services, "workbook_import", flaky)
    monkeypatch.setattr(services.time, "sleep", lambda seconds: None)
    done = services.import_batch_run(pk=batch.pk)
    assert (done.status, len(calls)) == (ends, attempts)
    assert not Park.objects.filter(code__startswith="HALF").exists()
    assert Enterprise.objects.count() == (2 if ends == "imported" else 0)


def test_a_retry_of_an_import_that_committed_does_nothing(admin_user, monkeypatch):
    batch = a_batch(status="imported")
    monkeypatch.setattr(services, "workbook_import", lambda **kwargs: pytest.fail("ran again"))
    assert services.import_batch_run(pk=batch.pk).status == "imported"


def _task(status, started_ago=None):
    started = (
        None if started_ago is None else timezone.now() - timezone.timedelta(seconds=started_ago)
    )
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="workbook.tasks.run_import_batch",
        queue_name="imports",
        backend_name="default",
        run_after=timezone.now(),
        status=status,
        started_at=started,
    )


# IMPORT_HEARTBEAT_TIMEOUT is 5 s here.
@pytest.mark.parametrize(
    ("task_status", "started_ago", "beat_ago", "lost"),
    [
        ("RUNNING", 600, 1, False),  # beating: alive however long it runs
        ("RUNNING", 600, 6, True),  # its beat stopped: dead
        ("READY", None, None, False),  # queued, not yet taken: not dead, however long it waits
        ("READY", None, 600, False),  # an import queued after its check, whose beat is old
        ("RUNNING", 2, None, False),  # just taken, first beat not seen yet
        ("RUNNING", 6, None, True),  # taken long ago and never beat (or the cache lost it)
        ("SUCCESSFUL", 6, None, True),  # the task ended without finishing its batch
    ],
)
def test_a_running_batch_whose_heartbeat_stopped_is_failed_by_the_poll(
    client, admin_user, background, task_status, started_ago, beat_ago, lost
):
    from django.core.cache import cache

    client.force_login(admin_user)
    worker_seen()
    task = _task(task_status, started_ago)
    batch = a_batch(task_id=str(task.pk), started_at=timezone.now() - timezone.timedelta(hours=1))
    if beat_ago is not None:
        cache.set(heartbeat_key(batch.pk), time.time() - beat_ago)
        cache.set(progress_key(batch.pk), {"stage": "提交", "percent": 99, "updated": 0})
    state = progress_of(client, batch)
    assert (state["status"], state["running"]) == (
        ("failed", False) if lost else ("importing", True)
    )
    batch.refresh_from_db()
    if lost:
        assert batch.summary["problems"] == [LOST]
        page = client.get(reverse("workbook:import_preview", args=[batch.pk])).content.decode()
        assert LOST in page
        task.refresh_from_db()
        assert task.status == ("FAILED" if task_status == "RUNNING" else task_status)
    else:
        assert state["stage"] == (
            "排队等待" if task_status == "READY" else "提交" if beat_ago else "等待开始"
        )


def test_the_workers_sweep_fails_lost_batches_and_leaves_the_others(background):
    from django.core.cache import cache

    dead = a_batch(task_id=str(_task("RUNNING", 600).pk))
    cache.set(heartbeat_key(dead.pk), time.time() - 60)
    alive = a_batch(task_id=str(_task("RUNNING", 600).pk))
    cache.set(heartbeat_key(alive.pk), time.time())
    waiting = a_batch(status="checking", task_id=str(_task("READY").pk))
    assert services.import_batches_fail_lost() == [dead.pk]
    statuses = dict(ImportBatch.objects.values_list("pk", "status"))
    assert statuses == {dead.pk: "failed", alive.pk: "importing", waiting.pk: "checking"}


def test_the_poll_pins_its_queries(client, admin_user, background, django_assert_max_num_queries):
    client.force_login(admin_user)
    batch = a_batch(task_id=str(_task("RUNNING", 1).pk))
    # session, user, permissions (2), the batch, its task
    with django_assert_max_num_queries(6):
        progress_of(client, batch)


def test_a_view_only_user_cannot_follow_a_batch(client, admin_user):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    batch = a_batch(status="checking", content=b"")
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_importbatch"))
    client.force_login(viewer)
    assert client.get(reverse("workbook:import_progress", args=[batch.pk])).status_code == 403
    assert client.get(reverse("workbook:import_preview", args=[batch.pk])).status_code == 403


def test_the_preview_shows_the_first_rows_of_each_sheet(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, ALL_SHEETS)
    page = client.get(response["Location"]).content.decode()
    assert "“企业”的前 2 行" in page
    assert "<td>91130627MA00000010</td>" in page
