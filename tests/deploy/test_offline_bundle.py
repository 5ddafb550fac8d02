"""The offline bundle installs and serves on a machine without network.

The test builds a bundle of HEAD for the running Python only (deploy/bundle.py --python;
pip's cache makes the download cheap after the first time), unpacks it, and then, with
the network cut off, runs its install-offline.sh (a .venv from wheels/ alone, .env,
migrate on SQLite, collectstatic), `manage.py check`, and gunicorn with
deploy/gunicorn.conf.py answering the log-in page and the ECharts file over HTTP.

No network: as root on Linux, `unshare --net` runs all of it in a network namespace of
its own, whose only interface is the loopback (the test checks it). Where unshare is not
available, pip is told to use no index and a proxy that refuses every connection instead,
which is weaker: the test then warns that it ran that way.
"""

import os
import shutil
import socket
import subprocess
import sys
import tarfile
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = "{}.{}".format(*sys.version_info[:2])
# What a test run sets that the installed portal must not see.
LEFT_OUT = {"PYTEST_VERSION", "DATABASE_URL", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the bundle installs onto SQLite of its own: the SQLite pass already ran it",
)

# Run inside the unpacked bundle, with the bundle's own Python after the install.
SERVE = r"""
import os, subprocess, sys, time, urllib.request

port = sys.argv[1]


def said(line):
    # One write per line: gunicorn logs to the same stdout, and print's separate writes of
    # its arguments let a log line land in the middle of one.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()

env = {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"}
server = subprocess.Popen(
    [".venv/bin/gunicorn", "-c", "deploy/gunicorn.conf.py"],
    env={**os.environ, **env},
)
try:
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as page:
                said(f"login {page.status} {'用户登录' in page.read().decode()}")
            break
        except OSError:
            time.sleep(0.3)
    else:
        sys.exit("gunicorn did not answer")
    with urllib.request.urlopen(
        f"http://127.0.0.1:{port}/static/vendor/echarts/echarts.min.js"
    ) as script:
        said(f"echarts {script.status} {len(script.read()) > 100_000}")
finally:
    server.terminate()
    server.wait(timeout=30)
"""


def network_cut_off() -> list[str] | None:
    """Return the command prefix that runs a command without network, if this machine has one."""
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("unshare") is None:
        return None
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True)
    return ["unshare", "--net"] if probe.returncode == 0 else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_bundle_installs_and_serves_without_network(tmp_path):
    if not (ROOT / "static/vendor/echarts/echarts.min.js").exists():
        pytest.fail("static/vendor/ is missing: run `make assets` (make test does) first")
    built = subprocess.run(
        [sys.executable, "deploy/bundle.py", "--python", PYTHON, "--dest", str(tmp_path / "dist")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    [bundle] = (tmp_path / "dist").glob("parkportal-*-offline.tar.gz")
    with tarfile.open(bundle) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    [folder] = (tmp_path / "unpacked").iterdir()
    assert bundle.name == f"{folder.name}-offline.tar.gz"
    assert f"python={PYTHON}\n" in (folder / "BUNDLE").read_text()
    assert not (folder / "node_modules").exists()
    (folder / "serve.py").write_text(SERVE)

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in LEFT_OUT and not key.startswith(("DJANGO_", "PIP_", "GUNICORN_"))
    }
    env["PYTHON"] = sys.executable  # the bundle's .venv is made from the running Python
    steps = [
        "./install-offline.sh",
        ".venv/bin/python manage.py check",
        f".venv/bin/python serve.py {free_port()}",
    ]
    prefix = network_cut_off()
    if prefix:
        how = "unshare --net"
        # The namespace has a loopback only (/proc/net is the namespace's own; /sys is the
        # machine's), and it starts down; gunicorn listens on it.
        interfaces = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"
        steps[:0] = ["ip link set lo up", f'test "$({interfaces})" = lo']
    else:
        how = "PIP_NO_INDEX=1 and a proxy that refuses connections"
        prefix = []
        refused = f"http://127.0.0.1:{free_port()}"
        env |= {"PIP_NO_INDEX": "1", "HTTP_PROXY": refused, "HTTPS_PROXY": refused}
        env |= {"http_proxy": refused, "https_proxy": refused, "NO_PROXY": "127.0.0.1"}
        warnings.warn(f"offline install ran with {how}: unshare is not available", stacklevel=1)
    script = " && ".join(steps)
    installed = subprocess.run(
        [*prefix, "bash", "-c", f"set -eu; {script}"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    said = f"[network cut off by {how}]\n{installed.stdout}\n{installed.stderr}"
    assert installed.returncode == 0, said
    assert "System check identified no issues" in installed.stdout, said
    assert "login 200 True" in installed.stdout, said
    assert "echarts 200 True" in installed.stdout, said
    # Everything came from wheels/: the .venv holds the bundle's pins.
    assert (folder / ".venv/.installed").exists()
    assert (folder / "db.sqlite3").exists()
    assert "DJANGO_SECRET_KEY=\n" not in (folder / ".env").read_text()

    # `make run` there needs no npm and installs nothing more.
    plan = subprocess.run(
        ["make", "--no-print-directory", "-n", "run"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "npm" not in plan.stdout
    assert "pip install" not in plan.stdout
    assert "manage.py runserver" in plan.stdout
