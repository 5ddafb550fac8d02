#!/usr/bin/env bash
# Back up the portal: its PostgreSQL database, which holds every record, the users and the
# uploaded workbooks. (var/cache/ holds only running imports' progress and the workers'
# heartbeats, which a restored portal does not need.)
#
#   deploy/backup.sh /var/backups/parkportal
#
# writes /var/backups/parkportal/<date-time>/ with
#   database.dump    pg_dump -Fc of DATABASE_URL: every record, users and uploaded workbooks
# and prints that directory. DATABASE_URL comes from the environment, else from the portal's
# .env, and must be postgres://… or postgresql://…. Run it from the portal's directory as a
# user that may read the database (e.g. parkportal).
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/settings.sh

target="${1:?usage: deploy/backup.sh <backup directory>}/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$target"
pg_dump --format=custom --no-owner --file="$target/database.dump" --dbname="$DATABASE_URL"
echo "$target"
