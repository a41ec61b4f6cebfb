# Shared shell helpers for Pulse scripts. Source it; do not run it.
# Puts Node 24 LTS first on PATH (fetching it from the npm registry into .tools/ when the
# machine's node is older), installs npm dependencies when they are missing or stale, and
# installs Debian packages on demand.
set -euo pipefail

PULSE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PULSE_ROOT
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false NX_SKIP_NX_CACHE_WARNING=true
export DO_NOT_TRACK=1 NX_VERBOSE_LOGGING=false
# npm on some machines carries a nodedir of an older Node; native builds must not use it.
unset npm_config_nodedir NPM_CONFIG_NODEDIR || true

log() { printf '\033[1;36m[pulse]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[pulse] error:\033[0m %s\n' "$*" >&2; exit 1; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local tools="$PULSE_ROOT/.tools"
  if [ -x "$tools/node_modules/.bin/node" ]; then
    export PATH="$tools/node_modules/.bin:$PATH"
  fi
  if [ "$(node_major)" -ge 24 ] 2>/dev/null; then return 0; fi
  log "Node $(node --version 2>/dev/null || echo missing) is older than 24 LTS; fetching Node 24 into .tools/ (one time)…"
  command -v npm >/dev/null || die "npm is required to fetch Node 24 (install Node.js 24 LTS from your distribution)."
  npm install --prefix "$tools" --no-audit --no-fund --no-save --loglevel=error node@24 >/dev/null \
    || die "could not fetch node@24 from the npm registry"
  export PATH="$tools/node_modules/.bin:$PATH"
  [ "$(node_major)" -ge 24 ] || die "Node 24 did not install correctly into .tools/"
  log "using Node $(node --version) from .tools/"
}

# ensure_deps [--strict-lockfile]: install npm dependencies when they are missing or older than
# package.json / package-lock.json. A fresh checkout gets exactly the lockfile (`npm ci`).
# With --strict-lockfile (npm test, CI) an install that rewrites package-lock.json fails: the
# committed lockfile must be what an install writes, or `npm ci` and other machines diverge.
ensure_deps() {
  local strict=false
  [ "${1:-}" = "--strict-lockfile" ] && strict=true
  cd "$PULSE_ROOT"
  local stamp="node_modules/.pulse-install-stamp"
  if [ -f "$stamp" ] && [ "$stamp" -nt package.json ] && [ "$stamp" -nt package-lock.json ] \
     && [ "$(cat "$stamp")" = "$(node --version)" ]; then
    return 0
  fi
  local before
  before="$(lockfile_digest)"
  if [ ! -e node_modules ] && [ -f package-lock.json ]; then
    log "installing npm dependencies from package-lock.json (first run takes 1–2 minutes)…"
    if ! npm ci --no-audit --no-fund --loglevel=error; then
      [ "$strict" = true ] && die "npm ci failed: package-lock.json does not install as committed (see the npm messages above)"
      log "npm ci failed; trying npm install…"
      npm install --no-audit --no-fund --loglevel=error || die "npm install failed"
    fi
  else
    log "installing npm dependencies (first run takes 1–2 minutes)…"
    npm install --no-audit --no-fund --loglevel=error || die "npm install failed"
  fi
  if [ "$(lockfile_digest)" != "$before" ]; then
    if [ "$strict" = true ]; then
      die "installing dependencies changed package-lock.json. The committed lockfile is not what npm writes
  for package.json, so \`npm ci\` and other machines would install something else. Review the change
  (git diff package-lock.json) and commit it together with the package.json change that caused it."
    fi
    log "note: installing dependencies changed package-lock.json (git diff package-lock.json); commit it if intended"
  fi
  node --version > "$stamp"
}

lockfile_digest() {
  if [ -f package-lock.json ]; then sha256sum package-lock.json | cut -d' ' -f1; else echo none; fi
}

# apt_ensure CMD PACKAGE [CMD PACKAGE …]: install each Debian PACKAGE whose CMD is missing.
apt_ensure() {
  local missing=()
  while [ $# -ge 2 ]; do
    command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || missing+=("$2")
    shift 2
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    die "missing ${missing[*]}: install them (Debian: apt-get install -y ${missing[*]})"
  fi
  log "installing Debian packages: ${missing[*]}…"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

# The PostgreSQL server binaries live outside PATH on Debian.
pg_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null && dirname "$(command -v initdb)" && return 0
  return 1
}

ensure_postgres() {
  pg_bindir >/dev/null || apt_ensure /nonexistent/initdb postgresql
  pg_bindir >/dev/null || die "PostgreSQL server binaries not found after install"
}

ensure_redis() { apt_ensure redis-server redis-server; }
ensure_chromium() { apt_ensure chromium chromium; }
