"""Two app servers and a worker on one PostgreSQL database and one shared cache: an upload
through one server is followed to its end through the other, and a figure saved through
one is on the other's dashboard at once."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from tests.workbook.books import ALL_SHEETS, xlsx

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Two-servers-2026"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="servers on several processes need PostgreSQL"
    ),
]


def database_url(name: str) -> str:
    params = connection.settings_dict
    port = f":{params['PORT']}" if params["PORT"] else ""
    return f"postgres://{params['USER']}@{params['HOST'] or ''}{port}/{name}"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def portal(tmp_path):
    """A fresh database, migrated, with an admin; its environment for the processes."""
    name = f"{connection.settings_dict['NAME']}_two_servers"
    server = psycopg2.connect(database_url("postgres"))
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": database_url(name),
        "DJANGO_DEBUG": "1",  # runserver serves the static files
        "IMPORT_IN_BACKGROUND": "1",
        "IMPORT_HEARTBEAT_SECONDS": "0.5",
        "DJANGO_CONN_MAX_AGE": "0",
    }
    # One shared cache: Redis where it runs (keys of this run only), else files in one place.
    if redis_answers():
        env |= {"REDIS_URL": "redis://127.0.0.1:6379/0", "CACHE_KEY_PREFIX": uuid.uuid4().hex}
    else:
        env.pop("REDIS_URL", None)
        env["CACHE_DIR"] = str(tmp_path / "cache")
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--noinput"],
        ["add_user", "admin", "--role", "admin", "--password", PASSWORD],
    ):
        result = subprocess.run(
            manage + command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
    try:
        yield env
    finally:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


@pytest.fixture
def processes(portal, tmp_path):
    """Start app servers and workers; stop them all afterwards."""
    started = []

    def start(*command):
        log = (tmp_path / f"process-{len(started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "manage.py", *command],
            cwd=ROOT, env=portal, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append(process)
        return process

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Browser:
    """A signed-in user of one app server: cookies, CSRF token, forms."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.get("/health/")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        pytest.fail(f"{self.base} did not start")

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def post(self, path: str, body: bytes, content_type: str) -> tuple[str, str]:
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Content-Type": content_type}
        )
        with self.opener.open(request, timeout=60) as response:
            return response.geturl(), response.read().decode()

    def token(self, page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def submit(self, path: str, fields: dict) -> tuple[str, str]:
        body = urllib.parse.urlencode(fields).encode()
        return self.post(path, body, "application/x-www-form-urlencoded")

    def sign_in(self) -> None:
        _, page = self.get("/accounts/login/")
        fields = {
            "username": "admin",
            "password": PASSWORD,
            "csrfmiddlewaretoken": self.token(page),
        }
        url, _ = self.submit("/accounts/login/", fields)
        assert "/accounts/login/" not in url, "sign-in failed"

    def upload(self, path: str, filename: str, data: bytes) -> tuple[str, str]:
        _, page = self.get(path)
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{self.token(page)}\r\n".encode(),
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        return self.post(path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def progress(self, pk: int) -> dict:
        import json

        return json.loads(self.get(f"/admin/workbook/import/{pk}/progress/")[1])


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"{what}: not within {timeout} s")


def entry_fields(page: str) -> dict:
    """The entry page's form as the browser would send it back."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def cell(page: str, indicator: str) -> str:
    """The entry page's cell of the one enterprise of 长古城工业园 for `indicator`."""
    pattern = rf'name="(v-\d+-\d+)"[^>]*aria-label="河北甲食品有限公司 {indicator}"'
    return re.search(pattern, page).group(1)


def test_two_app_servers_share_the_queue_the_progress_and_the_figures(processes):
    port_a, port_b = free_port(), free_port()
    processes("runserver", "--noreload", f"127.0.0.1:{port_a}")
    processes("runserver", "--noreload", f"127.0.0.1:{port_b}")
    processes("run_worker", "--processes", "1", "--interval", "0.2")
    a, b = Browser(port_a), Browser(port_b)
    for server in (a, b):
        server.wait_until_up()
        server.sign_in()

    # upload through A, follow it through B
    url, _ = a.upload("/admin/workbook/import/", "园区数据.xlsx", xlsx(ALL_SHEETS))
    pk = int(re.search(r"/import/(\d+)/$", url).group(1))
    state = wait_for(lambda: (s := b.progress(pk))["status"] != "checking" and s, 30, "checked")
    assert state["status"] == "previewed", state
    _, page = a.get(f"/admin/workbook/import/{pk}/")
    a.submit(f"/admin/workbook/import/{pk}/confirm/", {"csrfmiddlewaretoken": a.token(page)})
    state = wait_for(lambda: (s := b.progress(pk))["status"] != "importing" and s, 30, "imported")
    assert state["status"] == "imported", state
    assert "已导入" in b.get(f"/admin/workbook/import/{pk}/")[1]

    # a figure submitted through A's entry page is on B's dashboard at once
    entry, dashboard = "/entry/CGC/2026/4/", "/?park=CGC&year=2026&month=4"
    page = a.get(entry)[1]
    fields = entry_fields(page)
    assert "0.2346" not in b.get(dashboard)[1]
    # 1-4月: revenue 2345.67 (亿元 0.2346), profit and employees as in March, so no warning
    fields |= {
        cell(page, "营业收入"): "2345.67",
        cell(page, "利润总额"): "-10",
        cell(page, "从业人员"): "118",
        "action": "submit",
    }
    url, _ = a.submit(entry, fields)
    assert url.endswith(entry)
    assert "0.2346" in b.get(dashboard)[1]
