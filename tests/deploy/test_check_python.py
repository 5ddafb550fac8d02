"""`make` accepts Python 3.11, 3.12 and 3.13 and says in Chinese what it needs otherwise."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.test_make_run import clean_env

ROOT = Path(__file__).resolve().parents[2]


def check_python(tmp_path, version: tuple[int, int, int] | None = None):
    env = clean_env()
    if version is not None:
        # sitecustomize runs before `make check-python`'s code: the interpreter poses as `version`.
        (tmp_path / "sitecustomize.py").write_text(
            f"import sys\nsys.version_info = {(*version, 'final', 0)!r}\n"
            f"sys.version = '{'.'.join(map(str, version))} (posing)'\n"
        )
        env["PYTHONPATH"] = str(tmp_path)
    return subprocess.run(
        ["make", "--no-print-directory", "check-python", f"PYTHON={sys.executable}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize("version", [(3, 11, 9), (3, 12, 8), (3, 13, 1)])
def test_it_accepts_python_311_312_and_313(tmp_path, version):
    result = check_python(tmp_path, version)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("version", [(3, 10, 14), (3, 14, 0)])
def test_it_says_what_it_needs_otherwise(tmp_path, version):
    result = check_python(tmp_path, version)
    assert result.returncode != 0
    found = ".".join(map(str, version))
    assert f"ParkPortal 需要 Python 3.11、3.12 或 3.13（{sys.executable} 是 {found}）" in (
        result.stderr
    )
    assert "make PYTHON=python3.12" in result.stderr


def test_it_names_an_interpreter_it_cannot_find():
    result = subprocess.run(
        ["make", "--no-print-directory", "check-python", "PYTHON=/nonexistent/python3.12"],
        cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "找不到 Python 解释器 /nonexistent/python3.12" in result.stderr
