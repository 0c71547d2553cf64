#!/usr/bin/env bash
# The embedded demo: a Celery worker (with its beat) in the background next to the development server, on the
# SQLite broker of the embedded settings. The worker stops when the server stops (Ctrl-C or an error).
set -euo pipefail
VENV=${VENV:-.venv}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var
"$VENV/bin/celery" -A zhengzhou_grants worker -B --concurrency=1 -l info \
  --schedule var/celerybeat-schedule >var/celery-worker.log 2>&1 &
worker=$!
stop_worker() {
  if kill -0 "$worker" 2>/dev/null; then
    kill -TERM "$worker" 2>/dev/null || true
    wait "$worker" 2>/dev/null || true
  fi
}
trap stop_worker EXIT INT TERM
echo "== Background worker (pid $worker) logs to var/celery-worker.log =="
DJANGO_RUN_HOST=$HOST "$VENV/bin/python" manage.py runserver "$HOST:$PORT"
