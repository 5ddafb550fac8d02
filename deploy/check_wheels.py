"""Check that every pinned package installs from PyPI as a wheel on each supported Python.

    .venv/bin/python deploy/check_wheels.py [3.11 3.12 3.13]

For each version it asks pip to resolve requirements-dev.txt (which includes
requirements.txt) for CPython on Linux x86_64, wheels only, from PyPI alone (the
machine's own pip settings are ignored), and fails when a pin has no wheel for that
version or when the resolution pulls in a package that is not pinned. Nothing is
installed; the wheels land in a temporary directory. `.ci/run` runs it.
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
VERSIONS = ("3.11", "3.12", "3.13")
# The glibc x86_64 tags a current Debian or RHEL server accepts, and pure-Python wheels.
PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_28_x86_64", "any")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def pinned(paths=REQUIREMENTS) -> dict[str, str]:
    """Return the pinned packages of the requirement files, by canonical name."""
    pins = {}
    for path in paths:
        for line in path.read_text().splitlines():
            match = PIN.match(line.strip())
            if match:
                pins[canonicalize_name(match[1])] = match[2]
    return pins


def resolve(
    version: str, into: Path, requirements: Path = ROOT / "requirements-dev.txt"
) -> subprocess.CompletedProcess:
    """Download the wheels of `requirements` for CPython `version` on Linux x86_64 into `into`."""
    platforms = [arg for platform in PLATFORMS for arg in ("--platform", platform)]
    return subprocess.run(
        [
            sys.executable, "-m", "pip", "download", "--isolated", "--quiet", "--quiet",
            "--only-binary=:all:", "--implementation", "cp", "--python-version", version,
            *platforms, "--dest", str(into), "--requirement", str(requirements),
        ],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def check(version: str, pins: dict[str, str]) -> list[str]:
    """Return what is wrong with the pins on Python `version`; nothing when all is well."""
    with tempfile.TemporaryDirectory(prefix=f"wheels{version}-") as directory:
        return download(version, Path(directory), pins)


def download(
    version: str,
    into: Path,
    pins: dict[str, str],
    requirements: Path = ROOT / "requirements-dev.txt",
) -> list[str]:
    """Download the wheels of `requirements` for Python `version` into `into`; return what
    is wrong with them against `pins` (nothing when all is well)."""
    result = resolve(version, into, requirements)
    if result.returncode != 0:
        # pip's last lines name the pin it could not find; the ones before list versions.
        said = [line[:300] for line in result.stderr.strip().splitlines()[-2:]]
        return [f"pip 无法为 Python {version} 取得全部 wheel：", *said]
    wheels = {}
    for path in into.glob("*.whl"):
        name, wheel_version, _, _ = parse_wheel_filename(path.name)
        wheels[name] = str(wheel_version)
    problems = [
        f"{name}=={wheels[name]} 不在固定版本清单中（被其他包依赖）"
        for name in sorted(set(wheels) - set(pins))
    ]
    problems += [
        f"{name}：固定为 {pins[name]}，解析得到 {wheels.get(name, '（无）')}"
        for name in sorted(pins)
        if wheels.get(name) != pins[name]
    ]
    return problems


def main(versions: list[str]) -> int:
    pins = pinned()
    failed = False
    for version in versions:
        problems = check(version, pins)
        if problems:
            failed = True
            print(f"Python {version}：有问题", *problems, sep="\n  ", file=sys.stderr)
        else:
            print(f"Python {version}：{len(pins)} 个固定版本的包都有 Linux x86_64 wheel")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or list(VERSIONS)))
