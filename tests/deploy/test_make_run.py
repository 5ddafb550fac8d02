"""`make run HOST=… PORT=…`: the development server answers to the host it serves, and
the addresses it prints carry the port."""

import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# make's own variables (from a surrounding `make test`) and the run's would change the plan.
LEFT_OUT = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "HOST", "PORT", "PYTEST_VERSION"}


def clean_env(**overrides) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in LEFT_OUT and not key.startswith("DJANGO_")
    }
    env.update(overrides)
    return env


def run_plan(*variables: str) -> dict[str, str]:
    """Return the commands `make run` would run, by what they start with."""
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", *variables],
        cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    lines = result.stdout.splitlines()
    seed = next(line for line in lines if "seed_demo" in line)
    serve = next(line for line in lines if "runserver" in line)
    echo = next(line for line in lines if "园区经济运行监测平台" in line)
    return {"seed": seed, "serve": serve, "echo": echo}


def this_machines_ipv4_addresses() -> list[str]:
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return []
    return [address for address in out.split() if ":" not in address]


def runserver_hosts(serve: str) -> str:
    return re.search(r'DJANGO_RUNSERVER_HOSTS="([^"]*)"', serve).group(1)


def test_by_default_it_serves_and_prints_the_loopback_address_with_the_port():
    plan = run_plan("PORT=8081")
    assert shlex.split(plan["seed"])[-2:] == ["--url", "http://127.0.0.1:8081/"]
    assert "http://127.0.0.1:8081/" in plan["echo"]
    assert runserver_hosts(plan["serve"]) == "127.0.0.1"
    assert plan["serve"].endswith("runserver 127.0.0.1:8081")


def test_on_every_address_it_answers_to_this_machine_and_prints_where_others_reach_it():
    plan = run_plan("HOST=0.0.0.0", "PORT=8080")
    addresses = [*this_machines_ipv4_addresses(), "127.0.0.1"]
    urls = [f"http://{address}:8080/" for address in addresses]
    assert re.findall(r"--url (\S+)", plan["seed"]) == urls
    assert all(url in plan["echo"] for url in urls)
    assert "0.0.0.0" not in plan["echo"]
    hosts = runserver_hosts(plan["serve"]).split(",")
    assert [*addresses, "localhost", socket.gethostname()] == hosts
    assert plan["serve"].endswith("runserver 0.0.0.0:8080")


def allowed_hosts(**env) -> list[str]:
    code = "from django.conf import settings; print(','.join(settings.ALLOWED_HOSTS))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
        # PYTEST_VERSION keeps a developer's .env out of it
        env=clean_env(DJANGO_SETTINGS_MODULE="parkportal.settings", PYTEST_VERSION="1", **env),
    )  # fmt: skip
    return result.stdout.strip().split(",")


def test_settings_add_the_runserver_hosts_with_debug_on_only():
    hosts = {"DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_RUNSERVER_HOSTS": "192.0.2.7"}
    assert allowed_hosts(DJANGO_DEBUG="1", **hosts) == ["127.0.0.1", "localhost", "192.0.2.7"]
    production = allowed_hosts(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50, **hosts)
    assert production == ["127.0.0.1", "localhost"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status_for_host(port: int, host: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/accounts/login/", headers={"Host": host}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def development_server(tmp_path):
    """Run the development server as `make run HOST=0.0.0.0` would, on the loopback address."""
    plan = run_plan("HOST=0.0.0.0", "PORT=8080")
    port = free_port()
    env = clean_env(
        DJANGO_DEBUG="1",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",  # as .env.example has it
        DJANGO_RUNSERVER_HOSTS=runserver_hosts(plan["serve"]),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_development_server_answers_other_machines_by_this_machines_address(
    development_server,
):
    for address in [*this_machines_ipv4_addresses(), socket.gethostname()]:
        assert status_for_host(development_server, f"{address}:8080") == 200, address
    assert status_for_host(development_server, "portal.elsewhere.example") == 400
