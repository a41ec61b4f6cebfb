#!/usr/bin/env bash
# `npm run bench [10k|100k|1M]`: the KPI engine benchmark (results in scripts/bench/README.md).
source "$(dirname "$0")/../lib.sh"
ensure_node
ensure_deps
cd "$PULSE_ROOT"
for scale in "${@:-10k 100k 1M}"; do
  node -r @swc-node/register scripts/bench/kpi-engine.bench.ts $scale
done
