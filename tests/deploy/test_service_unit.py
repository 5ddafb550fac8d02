"""deploy/parkportal.service: the README shows it as it is, and its gunicorn command loads
the portal with production settings."""

import configparser
import shlex
import subprocess
import sys
from pathlib import Path

from tests.deploy.test_make_run import clean_env

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "parkportal.service"
INSTALLED_AT = "/srv/parkportal"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string(UNIT.read_text())
    return parser


def test_the_readme_shows_the_unit_file_as_it_is():
    readme = (ROOT / "README.md").read_text()
    assert f"```ini\n{UNIT.read_text().rstrip()}\n```" in readme


def test_the_unit_runs_gunicorn_from_the_portals_directory_as_its_own_user():
    service = unit()["Service"]
    assert service["WorkingDirectory"] == INSTALLED_AT
    assert service["User"] == "parkportal"
    command = shlex.split(service["ExecStart"])
    assert command[0] == f"{INSTALLED_AT}/.venv/bin/gunicorn"
    assert command[1] == "parkportal.wsgi"
    assert "--bind" in command and command[command.index("--bind") + 1] == "127.0.0.1:8001"
    # the file cache (CACHE_DIR's default, var/cache/) is the one place it may write
    assert service["ReadWritePaths"] == f"{INSTALLED_AT}/var"
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


def test_the_units_gunicorn_command_loads_the_portal_with_debug_off():
    command = shlex.split(unit()["Service"]["ExecStart"])
    command[0] = str(Path(sys.executable).parent / "gunicorn")
    result = subprocess.run(
        [*command, "--check-config"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env=clean_env(
            DJANGO_DEBUG="0", DJANGO_SECRET_KEY="s" * 50,
            DJANGO_ALLOWED_HOSTS="portal.example.gov.cn", DATABASE_URL="sqlite:///unused.sqlite3",
        ),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
