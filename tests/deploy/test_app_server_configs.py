"""deploy/gunicorn.conf.py and deploy/nginx-parkportal.conf agree with each other and with
the portal's settings: nginx waits longer than gunicorn, takes the largest upload the
portal accepts, sends X-Forwarded-For as DJANGO_BEHIND_PROXY reads it, and is valid
nginx (when nginx is installed)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.deploy.test_make_run import clean_env

ROOT = Path(__file__).resolve().parents[2]
NGINX_SITE = ROOT / "deploy" / "nginx-parkportal.conf"
GUNICORN = Path(sys.executable).with_name("gunicorn")


def gunicorn_config(**env) -> dict[str, str]:
    """Return gunicorn's settings as it resolves deploy/gunicorn.conf.py with `env`."""
    result = subprocess.run(
        [str(GUNICORN), "--print-config", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT, env=clean_env(**env), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return dict(
        (name, value.strip())
        for name, value in re.findall(r"^(\w+)\s+=\s*(.*)$", result.stdout, re.MULTILINE)
    )


def nginx_value(directive: str) -> str:
    [value] = re.findall(rf"^\s*{directive}\s+([^;]+);", NGINX_SITE.read_text(), re.MULTILINE)
    return value


def seconds(value: str) -> int:
    return int(value.removesuffix("s"))


def test_gunicorn_serves_the_portal_on_the_address_the_environment_gives():
    config = gunicorn_config(
        GUNICORN_BIND="0.0.0.0:8001", GUNICORN_WORKERS="3", GUNICORN_FORWARDED_ALLOW_IPS="192.0.2.1"
    )
    assert config["wsgi_app"] == "parkportal.wsgi:application"
    assert config["bind"] == "['0.0.0.0:8001']"
    assert config["workers"] == "3"
    assert config["forwarded_allow_ips"] == "['192.0.2.1']"


def test_by_default_gunicorn_listens_on_the_loopback_only():
    assert gunicorn_config()["bind"] == "['127.0.0.1:8001']"


def test_nginx_waits_longer_than_gunicorn_so_gunicorn_ends_a_slow_page_first():
    gunicorn_timeout = int(gunicorn_config()["timeout"])
    assert seconds(nginx_value("proxy_read_timeout")) > gunicorn_timeout


def test_nginx_takes_the_largest_upload_the_portal_accepts():
    limit = nginx_value("client_max_body_size")
    assert limit.endswith("m")
    assert int(limit.removesuffix("m")) * 1024 * 1024 > settings.IMPORT_MAX_UPLOAD_BYTES


def test_nginx_appends_the_client_to_x_forwarded_for_as_the_portal_reads_it():
    site = NGINX_SITE.read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site


def test_nginx_balances_over_several_app_servers():
    upstream = re.search(r"upstream parkportal \{(.*?)\}", NGINX_SITE.read_text(), re.DOTALL)
    servers = re.findall(r"^\s*server\s+(\S+:8001)", upstream.group(1), re.MULTILINE)
    assert len(servers) >= 2


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_the_nginx_site_is_valid(tmp_path):
    key, certificate = tmp_path / "key.pem", tmp_path / "certificate.pem"
    made = subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=portal.example.gov.cn", "-keyout", str(key), "-out", str(certificate),
        ],
        capture_output=True, timeout=60,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    site = (
        NGINX_SITE.read_text()
        .replace("/etc/ssl/certs/portal.example.gov.cn.pem", str(certificate))
        .replace("/etc/ssl/private/portal.example.gov.cn.key", str(key))
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    include {tmp_path}/site.conf;\n}}\n"
    )
    checked = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
