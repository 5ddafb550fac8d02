#!/usr/bin/env bash
# Load-test the leaders' dashboard on the large benchmark zone: gunicorn on loopback, wrk as
# 20 concurrent signed-in users for 30 s; prints requests/s and latency percentiles.
#
#   benchmarks/load_dashboard.sh                      # SQLite, var/bench/dashboard.sqlite3
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/parkportal_bench_dash benchmarks/load_dashboard.sh
#
# Needs wrk (Debian: apt-get install -y wrk). WORKERS (default 2, one per core), USERS (20),
# DURATION (30s) and URL_PATH may be set. The zone is built by benchmarks/dashboard_bench.py
# when missing. Only 127.0.0.1 is ever requested.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT=${PORT:-8790}
WORKERS=${WORKERS:-2}
USERS=${USERS:-20}
DURATION=${DURATION:-30s}
URL_PATH=${URL_PATH:-"/?park=BENCH&year=2026&month=12"}
export DATABASE_URL=${DATABASE_URL:-"sqlite:///$PWD/var/bench/dashboard.sqlite3"}
# As in production: DEBUG off, the manifest static files storage; plain HTTP on loopback.
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY=load-test-only-not-a-secret
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0
export DJANGO_HSTS_SECONDS=0

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
make --no-print-directory assets >/dev/null
$PY manage.py collectstatic --noinput -v0
DJANGO_DEBUG=1 $PY benchmarks/dashboard_bench.py --build
COOKIE="sessionid=$(DJANGO_DEBUG=1 $PY benchmarks/dashboard_bench.py --session | tail -1)"

.venv/bin/gunicorn parkportal.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --timeout 120 --log-level warning &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break
    sleep 0.2
done
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$URL_PATH")
[ "$STATUS" = 200 ] || { echo "GET $URL_PATH answered $STATUS, not 200" >&2; exit 1; }

echo "database: ${DATABASE_URL%%:*}; gunicorn workers: $WORKERS; users: $USERS; duration: $DURATION"
LOAD_COOKIE="$COOKIE" wrk --threads 2 --connections "$USERS" --duration "$DURATION" \
    --timeout 30s --latency --script benchmarks/load_dashboard.lua "http://127.0.0.1:$PORT$URL_PATH"
