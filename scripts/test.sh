#!/usr/bin/env bash
# Runs the whole test suite (or the pytest arguments given) against real PostgreSQL, Redis,
# Celery workers, an OpenID provider and headless Chromium. Installs whatever is missing first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_debian_packages "${RUNTIME_DEBIAN_PACKAGES[@]}" chromium poppler-utils
ensure_venv requirements-dev.txt
# The OpenID provider of the security tests runs on Node (Debian: nodejs + npm).
command -v npm >/dev/null 2>&1 || ensure_debian_packages nodejs npm
# The fault tests run a private redis-server of their own (and kill it), next to the shared one.
command -v redis-server >/dev/null 2>&1 || ensure_debian_packages redis-server
ensure_node_modules "$ROOT/tests/oidc"
ensure_node_modules "$ROOT/frontend"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eximee}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-$REDIS_URL}"
export SECRET_KEY="${SECRET_KEY:-test-only-secret-key-not-for-production}"
export DJANGO_SETTINGS_MODULE=eximee.settings
require_services
# Static files are served the way production serves them (whitenoise with a manifest).
"$PY" manage.py collectstatic --noinput -v0

set +e
"$PY" -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure, not a pass." >&2
  exit 1
fi
exit "$status"
