# Shared set-up steps for scripts/run.sh and scripts/test.sh. Each step is quick when already done.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

pick_python() {
  for candidate in python3.11 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] not in ((3, 11), (3, 12)))'; then
      echo "$candidate"; return 0
    fi
  done
  echo "Python 3.11 or 3.12 is required" >&2; return 1
}

# Debian packages the platform needs at run time (WeasyPrint: Pango, fonts) and, for tests, the
# browser the dashboard tests drive. Installed only when missing; needs root (or sudo).
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

RUNTIME_DEBIAN_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

# Creates .venv and installs the given requirements file; reinstalls only when it changed.
ensure_venv() {
  local requirements="$1"
  if [ ! -x "$PY" ]; then
    log "creating virtualenv in .venv"
    "$(pick_python)" -m venv "$VENV"
    "$PY" -m pip install -q --upgrade pip
  fi
  local stamp="$VENV/.installed-$(basename "$requirements")"
  local digest
  digest="$(cat "$ROOT/requirements.txt" "$ROOT/$requirements" | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
    log "installing $requirements"
    "$PY" -m pip install -q -r "$ROOT/$requirements"
    echo "$digest" > "$stamp"
  fi
}

# npm packages (dashboard browser libraries; the OpenID provider of the tests), installed from the committed lock file.
ensure_node_modules() {
  local dir="$1"
  [ -f "$dir/package.json" ] || return 0
  local stamp="$dir/node_modules/.installed"
  local digest
  digest="$(cat "$dir/package.json" "$dir/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
    log "installing npm packages in ${dir#$ROOT/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$digest" > "$stamp"
  fi
}

# Fails with a message that says which service is down and how to start it.
require_services() {
  "$PY" - <<'PY'
import os, sys, urllib.parse, socket

problems = []
def reachable(url, default_port):
    parts = urllib.parse.urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=3).close()
        return True
    except OSError:
        return False

db, redis = os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
if not reachable(db, 5432):
    problems.append(f"PostgreSQL is not reachable at {db}.\n  Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n  or point DATABASE_URL at a running server.")
if not reachable(redis, 6379):
    problems.append(f"Redis is not reachable at {redis}.\n  Start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no\n  or point REDIS_URL at a running server.")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
PY
}
