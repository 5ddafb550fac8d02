"""Load-test the monthly entry page: STAFF people of one park at once, each reading the
page and saving their own enterprise's row, closed loop, by hand.

The park of benchmarks/entry_bench.py (50 enterprises × 6 indicators, two years of
figures, September being filled), served by gunicorn on loopback with DEBUG off. Each
of STAFF signed-in staff of the park, for DURATION seconds: GET September's page, then
save it with their own enterprise's six figures one up (or, next time, one down) and
every other cell as the page showed it, as the browser posts it. A save answered with a
redirect is stored; one answered with the page again was refused (someone changed a
figure it showed) and is counted apart: each client reads the page again before each
save, so a refusal means two saves crossed. Prints p50/p95/p99 of the GETs and of the
saves, requests/s, refusals and errors, and the gunicorn workers' CPU per request.

    .venv/bin/python benchmarks/entry_load_bench.py            # SQLite, var/bench/entry.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parkportal_bench_entry \
        .venv/bin/python benchmarks/entry_load_bench.py

WORKERS (2), STAFF (8), DURATION (30) and PORT may be set. Goal: p95 under 300 ms for
both. Only 127.0.0.1 is ever requested.
"""

import http.client
import os
import re
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from load_bench import environment, percentile, workers_cpu  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("PORT", "8792"))
WORKERS = os.environ.get("WORKERS", "2")
STAFF = int(os.environ.get("STAFF", "8"))
DURATION = float(os.environ.get("DURATION", "30"))
URL_PATH = "/entry/EB/2026/9/"
GOAL = 0.3

# Run in a Django process of its own (DEBUG on, as entry_bench builds): build the park,
# make STAFF staff users of it, print one signed-in session key a line.
PREPARE = """
import sys
sys.path.insert(0, "benchmarks")
import entry_bench
from importlib import import_module
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from parkportal.choices import Role
from parkportal.services import user_save
entry_bench.ensure_park()
for number in range({staff}):
    user = user_save(username=f"bench_entry_staff{{number}}", role=Role.STAFF,
                     park_codes=[entry_bench.PARK], password=None)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    print(store.session_key)
"""


def request(method: str, cookie: str, body: str | None = None):
    """Return the seconds, status, body and cookies set of one request."""
    headers = {"Cookie": cookie}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{PORT}{URL_PATH}"
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    try:
        connection.request(method, URL_PATH, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode()
        status, cookies = response.status, response.headers.get_all("Set-Cookie") or []
    except OSError:
        status, content, cookies = 0, "", []
    finally:
        connection.close()
    return time.perf_counter() - start, status, content, cookies


def save_fields(page: str, row: int, step: int) -> dict | None:
    """Return the form as the page posts it, with the `row`-th enterprise's figures moved
    by `step`; None when the page has no such row."""
    fields = dict(re.findall(r'name="((?:o|on|n)-\d+-\d+)" value="([^"]*)"', page))
    values = re.findall(r'name="(v-(\d+)-\d+)" value="([^"]*)"', page)
    enterprises = sorted({int(e) for _, e, _ in values})
    if row >= len(enterprises):
        return None
    mine = str(enterprises[row])
    for name, enterprise, value in values:
        fields[name] = str(Decimal(value) + step) if enterprise == mine and value else value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    fields["csrfmiddlewaretoken"] = token.group(1) if token else ""
    fields["action"] = "save"
    return fields


def main() -> None:
    env = environment(Path("/tmp/entry-load-bench-cache"))
    env["DATABASE_URL"] = os.environ.get(
        "DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'entry.sqlite3'}"
    )
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    sessions = subprocess.run(
        [PY, "-c", PREPARE.format(staff=STAFF)],
        env={**env, "DJANGO_DEBUG": "1"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-STAFF:]
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "parkportal.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            WORKERS,
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    gets, saves = [], []
    counts = {"refused": 0, "errors": 0}
    lock = threading.Lock()
    try:
        for _ in range(100):
            if request("GET", f"sessionid={sessions[0]}")[1] == 200:
                break
            time.sleep(0.2)
        else:
            raise SystemExit(f"GET {URL_PATH} never answered 200")
        stop = time.perf_counter() + DURATION

        def client(number: int):
            cookie = f"sessionid={sessions[number]}"
            step = 1
            while time.perf_counter() < stop:
                seconds, status, page, cookies = request("GET", cookie)
                csrf = next((c.split(";")[0] for c in cookies if c.startswith("csrftoken=")), "")
                with lock:
                    gets.append(seconds)
                    counts["errors"] += status != 200
                fields = save_fields(page, number, step) if status == 200 else None
                if fields is None:
                    continue
                body = urlencode(fields)
                seconds, status, _, _ = request("POST", f"{cookie}; {csrf}", body)
                with lock:
                    saves.append(seconds)
                    if status == 200:
                        counts["refused"] += 1
                    elif status != 302:
                        counts["errors"] += 1
                step = -step

        start = time.perf_counter()
        cpu = workers_cpu(gunicorn.pid)
        threads = [threading.Thread(target=client, args=(n,)) for n in range(STAFF)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - start
        cpu = workers_cpu(gunicorn.pid) - cpu
    finally:
        gunicorn.terminate()
        gunicorn.wait()
    print(
        f"database: {env['DATABASE_URL'].split(':')[0]}; gunicorn workers: {WORKERS}; "
        f"staff: {STAFF}; duration: {DURATION:.0f} s; "
        f"{(len(gets) + len(saves)) / seconds:.1f} requests/s"
    )
    for label, times in (("GET", gets), ("save", saves)):
        if times:
            print(
                f"{label}: {len(times)}, p50 {percentile(times, 50) * 1000:.0f} ms, "
                f"p95 {percentile(times, 95) * 1000:.0f} ms, "
                f"p99 {percentile(times, 99) * 1000:.0f} ms, "
                f"max {max(times) * 1000:.0f} ms"
            )
    print(f"saves refused (crossed): {counts['refused']}; errors: {counts['errors']}")
    print(f"server CPU per request: {cpu / (len(gets) + len(saves)) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
