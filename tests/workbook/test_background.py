"""Imports in the background: the page follows a worker process, which may fail or die."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from parkportal.models import Enterprise, Park
from tests.workbook.books import ALL_SHEETS, xlsx
from tests.workbook.test_admin_views import upload
from workbook import services
from workbook.importer import workbook_import
from workbook.models import ImportBatch
from workbook.progress import ProgressFile, progress_path, read_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def background(settings):
    settings.IMPORT_IN_BACKGROUND = True
    return settings


def progress_of(client, batch):
    response = client.get(reverse("workbook:import_progress", args=[batch.pk]))
    assert response.status_code == 200
    return response.json()


def test_an_upload_is_checked_by_a_worker_started_after_commit(
    client, admin_user, background, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, ALL_SHEETS)
    batch = ImportBatch.objects.get()
    assert len(callbacks) == 1  # the worker starts once the batch is stored
    assert batch.status == ImportBatch.Status.CHECKING

    page = client.get(response["Location"]).content.decode()
    assert '<progress id="progress-bar"' in page and "尚未写入任何数据" in page
    assert "确认导入" not in page
    assert progress_of(client, batch) | {"updated": 0} == {
        "status": "checking",
        "status_display": "检查中",
        "running": True,
        "stage": "等待开始",
        "percent": 0,
        "updated": 0,
    }

    call_command("run_import_batch", str(batch.pk))  # what the worker process runs
    state = progress_of(client, batch)
    assert (state["status"], state["running"], state["percent"]) == ("previewed", False, 100)
    assert not Park.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "检查通过" in page and "<progress" not in page

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("workbook:import_confirm", args=[batch.pk]))
        client.post(reverse("workbook:import_confirm", args=[batch.pk]))
    assert len(callbacks) == 1  # confirming twice starts one import
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTING
    assert not Park.objects.exists()
    call_command("run_import_batch", str(batch.pk))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert Enterprise.objects.count() == 2


def test_the_page_shows_the_worker_progress(client, admin_user, background):
    client.force_login(admin_user)
    batch = ImportBatch.objects.create(
        filename="大表.xlsx", sha256="0" * 64, content=b"", status="importing"
    )
    ProgressFile(batch.pk)("检查并写入“月度指标”（60000行）", 0.42)
    assert read_progress(batch.pk)["pid"] == os.getpid()
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
    batch = ImportBatch.objects.create(
        filename="a.xlsx", sha256="0" * 64, content=xlsx(ALL_SHEETS), status="importing"
    )

    def half_then_crash(**kwargs):
        Park.objects.create(code="HALF", name="写了一半", kind="zone")
        raise MemoryError

    monkeypatch.setattr(services, "workbook_import", half_then_crash)
    with pytest.raises(CommandError, match="已全部撤销，未写入任何数据"):
        call_command("run_import_batch", str(batch.pk))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert not Park.objects.exists()
    assert not progress_path(batch.pk).exists()


def test_a_batch_whose_worker_died_is_marked_failed(client, admin_user, background):
    client.force_login(admin_user)
    batch = ImportBatch.objects.create(
        filename="a.xlsx", sha256="0" * 64, content=b"", status="importing"
    )
    ProgressFile(batch.pk)("检查并写入“企业”（2行）", 0.5)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    path = progress_path(batch.pk)
    path.write_text(path.read_text().replace(str(os.getpid()), str(dead.pid)))

    state = progress_of(client, batch)
    assert (state["status"], state["running"]) == ("failed", False)
    page = client.get(reverse("workbook:import_preview", args=[batch.pk])).content.decode()
    assert "导入进程意外中止，已全部撤销，未写入任何数据。请重新上传。" in page


def test_a_view_only_user_cannot_follow_a_batch(client, admin_user):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    batch = ImportBatch.objects.create(
        filename="a.xlsx", sha256="0" * 64, content=b"", status="checking"
    )
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


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker is a second process; SQLite's test database lives in this one's memory",
)
# The worker reads committed data; the serialized rollback brings back the catalog
# that an earlier transactional test's flush removed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_process_really_runs_the_batch(admin_user, monkeypatch):
    database = connection.settings_dict
    monkeypatch.setenv(
        "DATABASE_URL",
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
    )
    batch = ImportBatch.objects.create(
        filename="a.xlsx",
        sha256="0" * 64,
        content=xlsx(ALL_SHEETS),
        status="checking",
        uploaded_by=admin_user,
    )
    worker = services.spawn_worker(batch.pk)
    assert worker.wait(timeout=120) == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.summary["problems"]
    assert batch.summary["sheets"][2]["created"] == 2
