"""Build the offline bundle: all an intranet server without network needs to install ParkPortal.

    make bundle                                   # every supported Python
    .venv/bin/python deploy/bundle.py [--python 3.11 …] [--dest dist]

Run on a machine that reaches PyPI, after `make assets`. It writes
dist/parkportal-<version>-offline.tar.gz, whose one folder parkportal-<version>/ holds:

- the source at HEAD (`git archive`: uncommitted changes are not in it);
- static/vendor/, the front-end files `make assets` copied from node_modules, so that
  the server needs no npm;
- wheels/: every pin of HEAD's requirements.txt for CPython 3.11, 3.12 and 3.13 on Linux
  x86_64 (deploy/check_wheels.py resolves them and checks that nothing unpinned comes
  along), and pip's own wheel;
- install-offline.sh (deploy/install-offline.sh), which installs it all without network;
- BUNDLE: the version, the commit and the Pythons the wheels are for.

The version is pyproject.toml's, the commit's date and its short hash
(0.1.0-20261130-8e60685), so that a newer bundle sorts after an older one.
"""

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from check_wheels import ROOT, VERSIONS, download, pinned

# The pip that install-offline.sh puts into the new .venv (pure Python, any version).
PIP = "pip==26.3"
VENDOR = Path("static/vendor")
VENDOR_CHECK = VENDOR / "echarts" / "echarts.min.js"


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def bundle_version(commit: str) -> str:
    """Return pyproject.toml's version, the commit's date and its short hash."""
    project = next(
        line.split("=", 1)[1].strip().strip('"')
        for line in git("show", f"{commit}:pyproject.toml").splitlines()
        if line.startswith("version")
    )
    day = git("show", "-s", "--format=%cd", "--date=format:%Y%m%d", commit)
    return f"{project}-{day}-{git('rev-parse', '--short', commit)}"


def fetch_wheels(versions: list[str], requirements: Path, into: Path) -> list[str]:
    """Download the wheels of `requirements` for each Python and pip's into `into`;
    return what went wrong."""
    pins = pinned([requirements])
    problems = []
    for version in versions:
        print(f"Python {version}：下载 wheel …", flush=True)
        found = download(version, into, pins, requirements)
        problems += [f"Python {version}：{problem}" for problem in found]
    result = subprocess.run(
        [
            sys.executable, "-m", "pip", "download", "--isolated", "--quiet", "--no-deps",
            "--only-binary=:all:", "--dest", str(into), PIP,
        ],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if result.returncode != 0:
        problems.append(f"无法下载 {PIP}：{result.stderr.strip()[-300:]}")
    return problems


def owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Store a file without this machine's user: it unpacks as whoever unpacks it."""
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def add_bytes(archive: tarfile.TarFile, name: str, content: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(content), mode, int(time.time())
    archive.addfile(owned_by_root(info), io.BytesIO(content))


def build(versions: list[str], dest: Path, commit: str = "HEAD") -> Path:
    """Write the bundle of `commit` with wheels for `versions` into `dest`; return its path."""
    if not (ROOT / VENDOR_CHECK).exists():
        raise SystemExit(f"缺少 {VENDOR_CHECK}：请先运行 make assets（需要 npm），再打包。")
    commit = git("rev-parse", commit)
    version = bundle_version(commit)
    top = f"parkportal-{version}"
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / f"{top}-offline.tar.gz"
    with tempfile.TemporaryDirectory(prefix="parkportal-bundle-") as work:
        work = Path(work)
        source = work / "source.tar"
        requirements = work / "requirements.txt"
        requirements.write_text(git("show", f"{commit}:requirements.txt") + "\n")
        subprocess.run(
            ["git", "archive", "--format=tar", f"--prefix={top}/", "--output", str(source), commit],
            cwd=ROOT, check=True,
        )  # fmt: skip
        wheels = work / "wheels"
        wheels.mkdir()
        problems = fetch_wheels(versions, requirements, wheels)
        if problems:
            raise SystemExit("无法打包：\n  " + "\n  ".join(problems))
        partial = target.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive, tarfile.open(source) as sources:
            for member in sources:
                content = sources.extractfile(member) if member.isfile() else None
                archive.addfile(owned_by_root(member), content)
                if member.name == f"{top}/deploy/install-offline.sh":
                    content = sources.extractfile(member).read()
                    add_bytes(archive, f"{top}/install-offline.sh", content, 0o755)
            archive.add(ROOT / VENDOR, f"{top}/{VENDOR}", filter=owned_by_root)
            archive.add(wheels, f"{top}/wheels", filter=owned_by_root)
            manifest = (
                f"version={version}\ncommit={commit}\npython={' '.join(versions)}\n"
                f"built={time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n"
            )
            add_bytes(archive, f"{top}/BUNDLE", manifest.encode())
        partial.replace(target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(
        description="打包离线安装包（源代码、wheel、前端文件、安装脚本）。"
    )
    parser.add_argument(
        "--python",
        action="append",
        choices=VERSIONS,
        help="只为这个 Python 版本打包 wheel（可重复）；默认 3.11、3.12 和 3.13",
    )
    parser.add_argument(
        "--dest", type=Path, default=ROOT / "dist", help="写到这个目录（默认 dist/）"
    )
    args = parser.parse_args()
    target = build(args.python or list(VERSIONS), args.dest)
    size = target.stat().st_size / 1024 / 1024
    print(f"离线安装包：{target}（{size:.0f} MB）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
