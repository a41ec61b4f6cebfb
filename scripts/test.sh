#!/usr/bin/env bash
# `npm test`: the whole suite, as CI runs it.
#   format check → lint (module boundaries) → type check → production builds → unit,
#   integration (real Redis, SQLite and PostgreSQL started by the harness) and end-to-end
#   tests (the built dashboard in Debian's Chromium).
# Installs what it needs: Node 24, npm dependencies, Debian's redis-server, postgresql, chromium.
source "$(dirname "$0")/lib.sh"
started=$SECONDS
ensure_node
ensure_deps --strict-lockfile
ensure_redis
ensure_postgres
ensure_chromium
cd "$PULSE_ROOT"
export PATH="$PULSE_ROOT/node_modules/.bin:$PATH"
export NODE_ENV=test
mkdir -p test-output

step() { log "── $* ──"; }

step "format (prettier --check)"
prettier --check . --log-level warn || die "formatting differs: run npm run format"

step "lint (eslint, with @nx/enforce-module-boundaries)"
nx run-many -t lint --outputStyle=static --parallel=2 >test-output/lint.log 2>&1 \
  || { cat test-output/lint.log >&2; die "lint failed"; }

step "type check"
tsc -p tsconfig.json
tsc -p apps/dashboard/tsconfig.json

step "production builds"
nx run-many -t build --outputStyle=static >test-output/build.log 2>&1 \
  || { cat test-output/build.log >&2; die "build failed"; }

step "unit, integration and end-to-end tests (jest; screenshots in test-output/screenshots)"
rm -rf test-output/screenshots
set +e
jest --config jest.config.cjs --ci --forceExit --json --outputFile=test-output/jest.json "$@"
jest_status=$?
set -e
summary=$(node -e '
const r = require("./test-output/jest.json");
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' 2>/dev/null || echo "0 passed, 1 failed")

[ -d test-output/screenshots ] && log "screenshots of the dashboard: $PULSE_ROOT/test-output/screenshots"
log "finished in $((SECONDS - started)) s"
echo "$summary"
exit $jest_status
