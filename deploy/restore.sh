#!/usr/bin/env bash
# Restore a backup of deploy/backup.sh into an empty database.
#
#   sudo systemctl stop parkportal
#   sudo -u postgres dropdb parkportal
#   sudo -u postgres createdb --owner parkportal parkportal
#   deploy/restore.sh /var/backups/parkportal/20261031-020000
#   sudo systemctl start parkportal
#
# DATABASE_URL comes from the environment, else from the portal's .env.
# It refuses a database that already has tables: restore into a new, empty one.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/settings.sh

backup="${1:?usage: deploy/restore.sh <backup directory>}"
[ -f "$backup/database.dump" ] || { echo "备份不完整：缺少 $backup/database.dump" >&2; exit 1; }
tables=$(psql --no-psqlrc --tuples-only --no-align --dbname="$DATABASE_URL" \
    --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
    echo "目标数据库已有 $tables 张表，未恢复。请恢复到新建的空数据库（dropdb 后 createdb）。" >&2
    exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$backup/database.dump"
echo "已恢复：数据库（含上传的工作簿）"
