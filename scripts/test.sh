#!/usr/bin/env bash
# `npm test`: the whole suite, as CI runs it.
#   format check → lint (module boundaries) → type check → unit + integration tests (real
#   Redis, SQLite and PostgreSQL started by the harness) → production builds.
# Installs what it needs: Node 24, npm dependencies, Debian's redis-server and postgresql.
source "$(dirname "$0")/lib.sh"
started=$SECONDS
ensure_node
ensure_deps
ensure_redis
ensure_postgres
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

step "unit and integration tests (jest)"
set +e
jest --config jest.config.cjs --ci --json --outputFile=test-output/jest.json "$@"
jest_status=$?
set -e
summary=$(node -e '
const r = require("./test-output/jest.json");
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' 2>/dev/null || echo "0 passed, 1 failed")

if [ $jest_status -eq 0 ]; then
  step "production builds"
  nx run-many -t build --outputStyle=static >test-output/build.log 2>&1 \
    || { cat test-output/build.log >&2; jest_status=1; }
fi

log "finished in $((SECONDS - started)) s"
echo "$summary"
exit $jest_status
