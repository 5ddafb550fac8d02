#!/usr/bin/env bash
# Install ParkPortal from its offline bundle (deploy/bundle.py), with no network at all:
#
#   tar -xzf parkportal-<version>-offline.tar.gz && cd parkportal-<version>
#   ./install-offline.sh                     # or PYTHON=python3.12 ./install-offline.sh
#
# It creates .venv with the machine's python3 (3.11, 3.12 or 3.13, with its venv module),
# installs the pinned packages from wheels/ only, writes .env from .env.example (once, with a
# random DJANGO_SECRET_KEY; an existing .env is kept), migrates the database that .env
# names, collects the static files and prints the next steps. Run it again after changing
# .env, or in the folder of a newer bundle (README, "Installing without network").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# The bundle's copy sits beside manage.py; the source's own in deploy/.
if [ -f "$here/manage.py" ]; then cd "$here"; else cd "$here/.."; fi

PYTHON=${PYTHON:-python3}
bundled=$(sed -n 's/^python=//p' BUNDLE 2>/dev/null || true)
bundled=${bundled:-3.11 3.12 3.13}

fail() { echo "安装失败：$*" >&2; exit 1; }

[ -d wheels ] || fail "找不到 wheels/ 目录：请在解压后的离线安装包目录中运行本脚本。"
command -v "$PYTHON" >/dev/null 2>&1 \
    || fail "找不到 Python 解释器 $PYTHON。需要 Python ${bundled// /、}，可用 PYTHON=python3.12 $0 指定。"
found=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
case " $bundled " in
    *" $found "*) ;;
    *) fail "$PYTHON 是 Python $found，本安装包的 wheel 只适用于 Python ${bundled// /、}。请安装其中之一，或用 PYTHON=python3.X $0 指定。" ;;
esac
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null \
    || fail "$PYTHON 缺少 venv 模块。Debian 上请安装 python3-venv（其他版本为 python3.X-venv）。"

# Packages from wheels/ alone: --isolated ignores the machine's pip settings (an index or a
# proxy they may name), --no-index never asks a package index.
pip_offline=(.venv/bin/python -m pip --isolated --disable-pip-version-check install
    --quiet --no-index --find-links wheels)

echo "== 1/5 创建 .venv（Python $found）并安装依赖包（仅使用 wheels/，不联网）"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
pip_wheel=$(ls wheels/pip-*.whl 2>/dev/null | head -n 1 || true)
if [ -n "$pip_wheel" ]; then "${pip_offline[@]}" --upgrade "$pip_wheel"; fi
"${pip_offline[@]}" --requirement requirements.txt
touch .venv/.installed          # `make run` then installs nothing more

echo "== 2/5 设置（.env）"
if [ -f .env ]; then
    echo ".env 已存在，保留不变。"
else
    key=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')
    sed "s|^DJANGO_SECRET_KEY=.*|DJANGO_SECRET_KEY=$key|" .env.example > .env
    chmod 600 .env
    echo "已由 .env.example 生成 .env（含随机 DJANGO_SECRET_KEY）。"
fi
mkdir -p var/cache

echo "== 3/5 迁移数据库"
.venv/bin/python manage.py migrate --noinput

echo "== 4/5 收集静态文件"
.venv/bin/python manage.py collectstatic --noinput --verbosity 0

echo "== 5/5 检查"
.venv/bin/python manage.py check

version=$(sed -n 's/^version=//p' BUNDLE 2>/dev/null || true)
cat <<EOF

ParkPortal ${version:-} 已安装在 $(pwd)。接下来：
  - 试用（演示数据，本机 http://127.0.0.1:8000/）：make run
  - 正式使用：编辑 .env（DJANGO_DEBUG=0、DJANGO_ALLOWED_HOSTS、DATABASE_URL 等，见 README
    "Settings"），再次运行 ./install-offline.sh 以迁移 .env 所指的数据库，然后
    .venv/bin/python manage.py check --deploy
    .venv/bin/python manage.py add_user admin --role admin
  - 用 gunicorn 和 nginx 提供服务：deploy/parkportal.service、deploy/gunicorn.conf.py、
    deploy/nginx-parkportal.conf（README "Deploying" 与 "多台服务器部署"）。
EOF
