# Sourced by deploy/backup.sh and deploy/restore.sh from the portal's directory: set
# DATABASE_URL as the portal reads it (environment first, then .env),
# with the portal's Python (PYTHON, by default .venv/bin/python).
portal_setting() {
    "${PYTHON:-.venv/bin/python}" - "$1" "$2" <<'PY'
import os
import sys

from dotenv import dotenv_values

name, default = sys.argv[1:]
print(os.environ.get(name) or dotenv_values(".env").get(name) or default)
PY
}
DATABASE_URL=$(portal_setting DATABASE_URL "")
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) echo "DATABASE_URL 须为 postgres://…（PostgreSQL）；SQLite 请直接复制 db.sqlite3。" >&2; exit 1 ;;
esac
