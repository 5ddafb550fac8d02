"""Work the portal's task queue: checks and imports of uploaded workbooks."""

import os
import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from workbook.progress import worker_seen
from workbook.services import import_batches_fail_lost
from workbook.tasks import QUEUE


class Pulse(threading.Thread):
    """Say that this worker lives, and fail the batches whose worker died, every few seconds."""

    def __init__(self, stderr):
        super().__init__(name="worker-pulse", daemon=True)
        self.stopped = threading.Event()
        self.stderr = stderr

    def run(self):
        while True:
            worker_seen()
            try:
                for pk in import_batches_fail_lost():
                    self.stderr.write(f"批次 {pk} 的导入进程已中止，已标记为出错中止。")
            except Exception as error:  # the database may be busy or away for a moment
                self.stderr.write(f"检查中止的导入批次时出错：{error}")
            finally:
                close_old_connections()
            if self.stopped.wait(settings.IMPORT_HEARTBEAT_SECONDS):
                return


class Command(BaseCommand):
    help = (
        "运行后台任务进程：从数据库中的任务队列取出工作簿的检查和导入任务并执行。"
        "进程数默认为 TASK_WORKERS，每个进程同时只执行一个任务。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--processes",
            type=int,
            default=settings.TASK_WORKERS,
            help="工作进程数（默认 TASK_WORKERS=%(default)s）",
        )
        parser.add_argument(
            "--batch", action="store_true", help="执行完队列中现有的任务后退出（不启动子进程）"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="队列为空时，两次查看之间的秒数"
        )

    def handle(self, *args, processes, batch, interval, **options):
        if batch or processes <= 1:
            self.work(batch=batch, interval=interval)
        else:
            self.supervise(processes, interval)

    def work(self, *, batch, interval):
        """Take tasks one at a time in this process."""
        worker = Worker(
            queue_names=[QUEUE],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=f"{os.uname().nodename}-{os.getpid()}-{get_random_string(6)}"[:64],
            excluded_queue_names=[],
        )
        if batch:
            # One sweep, in this thread: --batch runs in tests and by hand.
            worker_seen()
            import_batches_fail_lost()
            worker.run()
            return
        pulse = Pulse(self.stderr)
        pulse.start()
        try:
            worker.configure_signals()  # the first Ctrl+C lets the running task finish
            worker.run()
        finally:
            pulse.stopped.set()
            pulse.join()

    def supervise(self, processes, interval):
        """Run `processes` single workers and start again any that dies."""
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_worker"]
        command += ["--processes", "1", "--interval", str(interval)]

        def start():
            # A session of its own: a Ctrl+C in the terminal reaches this process alone, which
            # passes it on once (a second one would cut the running task short).
            return subprocess.Popen(command, start_new_session=True)

        children = [start() for _ in range(processes)]
        self.stdout.write(self.style.SUCCESS(f"后台任务进程已启动：{processes} 个工作进程。"))
        stopping = threading.Event()

        def stop(signum, frame):
            stopping.set()
            for child in children:
                if child.poll() is None:
                    child.send_signal(signum)

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, stop)
        while not stopping.is_set():
            for index, child in enumerate(children):
                if child.poll() is not None and not stopping.is_set():
                    self.stderr.write(
                        f"工作进程 {child.pid} 已退出（{child.returncode}），重新启动。"
                    )
                    children[index] = start()
            stopping.wait(1)
        for child in children:
            child.wait()
