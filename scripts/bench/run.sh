#!/usr/bin/env bash
# `npm run bench [10k|100k|1M]`: the KPI engine benchmark.
# `npm run bench api [sqlite,postgres] [--seconds=10] …`: the API load benchmark (starts its own
# redis-server, PostgreSQL, sandbox, API and worker on loopback).
# Results and how to read them: scripts/bench/README.md.
source "$(dirname "$0")/../lib.sh"
ensure_node
ensure_deps
cd "$PULSE_ROOT"
if [ "${1:-}" = "api" ]; then
  shift
  ensure_redis
  ensure_postgres
  exec node -r @swc-node/register scripts/bench/api-load.bench.ts "$@"
fi
for scale in "${@:-10k 100k 1M}"; do
  node -r @swc-node/register scripts/bench/kpi-engine.bench.ts $scale
done
