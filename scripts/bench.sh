#!/usr/bin/env bash
# Runs benchmarks against real PostgreSQL and Redis in a database of their own (eximee_bench):
#   scripts/bench.sh            lists the benchmarks
#   scripts/bench.sh engine     runs one and prints its figures
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_debian_packages "${RUNTIME_DEBIAN_PACKAGES[@]}"
ensure_venv requirements-dev.txt
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eximee_bench}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/14}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-$REDIS_URL}"
export SECRET_KEY="${SECRET_KEY:-bench-only-secret-key}"
require_services
"$PY" - <<'PY'
import os, urllib.parse, psycopg
url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
admin = url._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
with psycopg.connect(admin, autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
PY
"$PY" manage.py migrate --noinput -v0
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" manage.py bench "$@"
