#!/usr/bin/env bash
# Back up the portal: its PostgreSQL database and its import spool directory.
#
#   deploy/backup.sh /var/backups/parkportal
#
# writes /var/backups/parkportal/<date-time>/ with
#   database.dump    pg_dump -Fc of DATABASE_URL: every record, users and uploaded workbooks
#   imports.tar.gz   IMPORT_SPOOL_DIR (var/imports/): the import workers' progress and logs
# and prints that directory. DATABASE_URL and IMPORT_SPOOL_DIR come from the environment,
# else from the portal's .env; DATABASE_URL must be postgres://… or postgresql://….
# Run it from the portal's directory as a user that may read both (e.g. parkportal).
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/settings.sh

target="${1:?usage: deploy/backup.sh <backup directory>}/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$target"
pg_dump --format=custom --no-owner --file="$target/database.dump" --dbname="$DATABASE_URL"
mkdir -p "$IMPORT_SPOOL_DIR"
tar -czf "$target/imports.tar.gz" -C "$IMPORT_SPOOL_DIR" .
echo "$target"
