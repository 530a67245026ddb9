#!/usr/bin/env bash
# Runs the platform with demo data: installs what is missing, migrates, loads demo data, starts a
# Celery worker and Celery beat (separate processes) and the web server (gunicorn), and prints
# where everything is. Ctrl-C stops all of it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_debian_packages "${RUNTIME_DEBIAN_PACKAGES[@]}" || log "could not install Debian packages; PDF rendering needs Pango"
ensure_venv requirements.txt
ensure_node_modules "$ROOT/frontend"
mkdir -p var/log

PORT="${PORT:-8000}"
export DEBUG="${DEBUG:-true}"
export DEMO_LOCAL_LOGIN="${DEMO_LOCAL_LOGIN:-true}"
if [ -z "${SECRET_KEY:-}" ]; then
  [ -f var/secret_key ] || "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
  SECRET_KEY="$(cat var/secret_key)"; export SECRET_KEY
fi

# PostgreSQL is required (the models use its arrays and JSON operators); Redis has embedded
# stand-ins (a filesystem broker and a file cache) when it does not answer.
port_open() { "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), timeout=1)" 2>/dev/null; }
if [ -z "${DATABASE_URL:-}" ] && ! port_open 5432; then
  echo "PostgreSQL is not reachable on 127.0.0.1:5432 and DATABASE_URL is not set." >&2
  echo "  Start it: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
  echo "  or point DATABASE_URL at a running server." >&2
  exit 1
fi
if [ -z "${DATABASE_URL:-}" ]; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/eximee_demo"
  "$PY" - <<'PY'
import psycopg
with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'eximee_demo'").fetchone():
        conn.execute("CREATE DATABASE eximee_demo")
PY
fi
if [ -z "${REDIS_URL:-}" ] && port_open 6379; then
  export REDIS_URL="redis://127.0.0.1:6379/15"
fi
log "database: ${DATABASE_URL}; broker: ${CELERY_BROKER_URL:-${REDIS_URL:-filesystem queue in var/broker}}"
mkdir -p var/broker var/broker-processed

"$PY" manage.py migrate --noinput -v0
log "loading demo data"
"$PY" manage.py load_demo
"$PY" manage.py collectstatic --noinput -v0

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

"$VENV/bin/celery" -A eximee worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
pids+=($!)
"$VENV/bin/celery" -A eximee beat --loglevel=INFO >var/log/beat.log 2>&1 &
pids+=($!)

cat <<TXT

  Eximee API is starting on http://127.0.0.1:$PORT
    Dashboard       http://127.0.0.1:$PORT/
    Admin           http://127.0.0.1:$PORT/admin/
    API docs        http://127.0.0.1:$PORT/v1/docs/   (ReDoc: /v1/redoc/, schema: /v1/schema/)
    Health          http://127.0.0.1:$PORT/health/ready
    Metrics         http://127.0.0.1:$PORT/metrics
  Demo logins (password "demo"): admin, anna (task worker), tomasz (task manager), olga (operator)
  Logs: web on this terminal; worker in var/log/worker.log; beat in var/log/beat.log

TXT
"$VENV/bin/gunicorn" eximee.wsgi -c gunicorn.conf.py --bind "127.0.0.1:$PORT" &
pids+=($!)
wait "${pids[-1]}"
