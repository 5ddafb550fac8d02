"""deploy/parkportal-worker.service: the README shows it as it is; it runs the task worker
as the portal's user and stops it gracefully."""

import configparser
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "parkportal-worker.service"
INSTALLED_AT = "/srv/parkportal"


def service() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string(UNIT.read_text())
    return parser["Service"]


def test_the_readme_names_the_worker_unit_and_how_to_enable_it():
    readme = (ROOT / "README.md").read_text()
    assert "deploy/parkportal-worker.service" in readme
    assert "systemctl enable --now parkportal-worker" in readme


def test_the_unit_runs_the_worker_from_the_portals_directory_as_its_own_user():
    unit = service()
    assert (unit["WorkingDirectory"], unit["User"]) == (INSTALLED_AT, "parkportal")
    command = shlex.split(unit["ExecStart"])
    assert command == [f"{INSTALLED_AT}/.venv/bin/python", "manage.py", "run_worker"]
    assert unit["ReadWritePaths"] == f"{INSTALLED_AT}/var"


def test_a_stop_reaches_run_worker_alone_so_running_tasks_finish():
    # systemd's default (control-group) would signal every worker process as well as
    # run_worker, which passes the signal on: a second signal cuts a running task short.
    unit = service()
    assert unit["KillMode"] == "mixed"
    assert int(unit["TimeoutStopSec"]) >= 60
