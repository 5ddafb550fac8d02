"""Load-test the leaders' dashboard on the large benchmark zone, closed loop, by hand.

The same zone as benchmarks/dashboard_bench.py (about 1.1 million monthly figures), served
by gunicorn on loopback with DEBUG off, and USERS signed-in leaders each asking for the
page again as soon as the last answer came (no think time), for DURATION seconds. wrk is
not needed: the clients are threads with http.client. Prints, for the cold page (the
cache emptied before each of COLD requests, one at a time) and for the warm load, the
requests/s, p50/p95/p99 and errors, and the gunicorn workers' CPU per warm request (what
stays comparable when the machine is busy with other work).

    .venv/bin/python benchmarks/load_bench.py                # SQLite, var/bench/dashboard.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parkportal_bench_dash \
        .venv/bin/python benchmarks/load_bench.py

WORKERS (2, one per core), USERS (20), DURATION (30), COLD (5), URL_PATH and PORT may be
set. The cache is a file cache of its own under a temporary directory (CACHE_DIR), unless
REDIS_URL is set. Goal: warm p95 under 300 ms. Only 127.0.0.1 is ever requested.
"""

import http.client
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("PORT", "8791"))
WORKERS = os.environ.get("WORKERS", "2")
USERS = int(os.environ.get("USERS", "20"))
DURATION = float(os.environ.get("DURATION", "30"))
COLD = int(os.environ.get("COLD", "5"))
URL_PATH = os.environ.get("URL_PATH", "/?park=BENCH&year=2026&month=12")
GOAL = 0.3  # seconds, warm p95


def environment(cache_dir: Path) -> dict:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'dashboard.sqlite3'}")
    # As in production: DEBUG off; plain HTTP on loopback.
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="load-test-only-not-a-secret",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        CACHE_DIR=str(cache_dir),
    )
    return env


def run(args: list[str], env: dict, **extra) -> str:
    return subprocess.run(
        args, env=env, cwd=ROOT, check=True, capture_output=True, text=True, **extra
    ).stdout


def get(cookie: str) -> tuple[float, int]:
    """Return the seconds and status of one request (a new connection, as gunicorn's
    sync workers close each)."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    try:
        connection.request("GET", URL_PATH, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return time.perf_counter() - start, status


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(label: str, times: list[float], errors: int, seconds: float | None = None) -> str:
    rate = f"{len(times) / seconds:.1f} requests/s; " if seconds else ""
    return (
        f"{label}: {len(times)} requests, {rate}p50 {percentile(times, 50) * 1000:.0f} ms, "
        f"p95 {percentile(times, 95) * 1000:.0f} ms, p99 {percentile(times, 99) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms; errors {errors}"
    )


def closed_loop(cookie: str) -> tuple[list[float], int, float]:
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + DURATION

    def client():
        while time.perf_counter() < stop:
            seconds, status = get(cookie)
            with lock:
                times.append(seconds)
                if status != 200:
                    errors[0] += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, errors[0], time.perf_counter() - start


def workers_cpu(master: int) -> float:
    """Return the CPU seconds gunicorn's workers (the children of `master`) have used: on a
    machine shared with other work, the server's CPU per request is what stays comparable."""
    seconds = 0.0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        seconds += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def empty(cache_dir: Path) -> None:
    """Empty the file caches (the reports' own under reports/ among them)."""
    for path in cache_dir.rglob("*.djcache"):
        path.unlink(missing_ok=True)


def main() -> None:
    cache_dir = Path(tempfile.mkdtemp(prefix="load-bench-cache-"))
    env = environment(cache_dir)
    bench = str(ROOT / "benchmarks" / "dashboard_bench.py")
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    run([PY, bench, "--build"], {**env, "DJANGO_DEBUG": "1"})
    cookie = "sessionid=" + run([PY, bench, "--session"], {**env, "DJANGO_DEBUG": "1"}).split()[-1]
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
    try:
        for _ in range(100):
            if get(cookie)[1] == 200:
                break
            time.sleep(0.2)
        else:
            raise SystemExit(f"GET {URL_PATH} never answered 200")
        print(
            f"database: {env['DATABASE_URL'].split(':')[0]}; gunicorn workers: {WORKERS}; "
            f"users: {USERS}; duration: {DURATION:.0f} s"
        )
        cold = []
        for _ in range(COLD):
            empty(cache_dir)
            cold.append(get(cookie))
        print(
            summary(
                "cold (cache emptied, one at a time)",
                [s for s, _ in cold],
                sum(status != 200 for _, status in cold),
            )
        )
        get(cookie)  # the page's data kept again
        cpu = workers_cpu(gunicorn.pid)
        times, errors, seconds = closed_loop(cookie)
        cpu = workers_cpu(gunicorn.pid) - cpu
        print(summary(f"warm ({USERS} leaders, closed loop)", times, errors, seconds))
        print(f"server CPU per warm request: {cpu / len(times) * 1000:.1f} ms")
        p95 = percentile(times, 95)
        print(f"goal: warm p95 under {GOAL * 1000:.0f} ms: {'met' if p95 < GOAL else 'NOT met'}")
        print(f"median of the warm requests: {statistics.median(times) * 1000:.0f} ms")
    finally:
        gunicorn.terminate()
        gunicorn.wait()
        shutil.rmtree(cache_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
