"""The worker as a process of its own: it runs queued batches, and one killed outright is
found by its stopped heartbeat. On PostgreSQL: the worker reads what this process commits."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.urls import reverse

from indicators.models import MonthlyValue
from parkportal.credit_code import with_check_character
from parkportal.models import Enterprise, Park
from tests.workbook.books import ALL_SHEETS, INDUSTRIES, PARKS, xlsx
from workbook import services
from workbook.importer import workbook_import
from workbook.models import ImportBatch
from workbook.progress import last_beat

ROOT = Path(__file__).resolve().parents[2]
LOST = "导入进程意外中止，已全部撤销，未写入任何数据。请重新上传。"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker is a second process; SQLite's test database lives in this one's memory",
    ),
    # The worker reads committed data; the serialized rollback brings back the catalog
    # that an earlier transactional test's flush removed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def database_url() -> str:
    database = connection.settings_dict
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


@pytest.fixture
def start_worker(tmp_path):
    """Start `manage.py run_worker` processes on this test's database and cache."""
    started = []

    def start():
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CACHE_DIR": str(settings.CACHE_DIR),
            "IMPORT_HEARTBEAT_SECONDS": "0.5",
        }
        env.pop("REDIS_URL", None)
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--processes", "1", "--interval", "0.2"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.poll() is None:
            worker.kill()
        worker.wait(timeout=10)


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"{what}: not within {timeout} s")


def large_workbook(enterprises: int) -> bytes:
    """A zone's workbook whose import takes a few seconds: `enterprises` × 12 months."""
    codes = [with_check_character(f"91130627MA{index:07d}") for index in range(enterprises)]
    rows = [["统一社会信用代码", "企业名称", "所属园区", "所属产业", "是否入统"]]
    rows += [
        [code, f"测试企业{index}有限公司", "CGC", "食品加工", "是"]
        for index, code in enumerate(codes)
    ]
    monthly = [["统一社会信用代码", "企业名称", "年份", "月份", "营业收入(万元)", "税收收入(万元)"]]
    monthly += [
        [code, "", 2026, month, str(100 * month + index), str(month)]
        for index, code in enumerate(codes)
        for month in range(1, 13)
    ]
    return xlsx({"园区": PARKS, "产业": INDUSTRIES, "企业": rows, "月度指标": monthly})


def test_the_worker_process_really_runs_the_batch(admin_user, settings, start_worker):
    settings.IMPORT_IN_BACKGROUND = True
    start_worker()
    batch = services.import_batch_upload(data=xlsx(ALL_SHEETS), filename="a.xlsx", user=admin_user)
    wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).status != "checking", 60, "the check ran")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.summary["problems"]
    assert batch.summary["sheets"][2]["created"] == 2
    assert not Park.objects.exists()


def test_a_worker_killed_during_an_import_is_found_dead_and_nothing_is_written(
    client, admin_user, settings, start_worker
):
    settings.IMPORT_IN_BACKGROUND = True
    settings.IMPORT_HEARTBEAT_TIMEOUT = 3
    client.force_login(admin_user)
    data = large_workbook(2000)
    batch = ImportBatch.objects.create(
        filename="大表.xlsx",
        sha256="0" * 64,
        content=data,
        status="previewed",
        uploaded_by=admin_user,
    )
    batch = services.import_batch_confirm(batch=batch)
    assert batch.status == ImportBatch.Status.IMPORTING
    worker = start_worker()
    progress_url = reverse("workbook:import_progress", args=[batch.pk])

    def writing():
        state = client.get(progress_url).json()
        assert state["running"], state
        # past the registers (written in bulk, in a moment), in the import's transaction
        return last_beat(batch.pk) and state["stage"].startswith("检查并写入“月度指标”")

    wait_for(writing, 60, "the import started writing the figures")
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    killed = time.monotonic()

    state = wait_for(
        lambda: (s := client.get(progress_url).json())["status"] == "failed" and s,
        settings.IMPORT_HEARTBEAT_TIMEOUT + 5,
        "the poll found the worker dead",
    )
    assert time.monotonic() - killed <= settings.IMPORT_HEARTBEAT_TIMEOUT + 2
    assert (state["running"], state["status_display"]) == (False, "出错中止")
    page = client.get(reverse("workbook:import_preview", args=[batch.pk])).content.decode()
    assert LOST in page
    assert not Park.objects.exists()
    assert not Enterprise.objects.exists()
    assert not MonthlyValue.objects.exists()


def test_an_import_whose_batch_was_failed_meanwhile_is_undone(admin_user, monkeypatch):
    batch = ImportBatch.objects.create(
        filename="a.xlsx", sha256="0" * 64, content=xlsx(ALL_SHEETS), status="importing",
        uploaded_by=admin_user,
    )  # fmt: skip
    other = connections.create_connection("default")  # what a poll on another server does

    def import_while_judged_lost(**kwargs):
        report = workbook_import(**kwargs)
        with other.cursor() as cursor:
            cursor.execute(
                "UPDATE workbook_importbatch SET status = 'failed' WHERE id = %s", [batch.pk]
            )
        return report

    monkeypatch.setattr(services, "workbook_import", import_while_judged_lost)
    try:
        done = services.import_batch_run(pk=batch.pk)
    finally:
        other.close()
    assert done.status == "failed"
    assert not Enterprise.objects.exists()
