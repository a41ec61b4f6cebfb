#!/usr/bin/env bash
# `bash scripts/kpis-doc.sh`: regenerate docs/kpis.md from the KPI catalogue in code
# (libs/contracts/src/kpi.ts) and the decisions (libs/kpi/src/decisions.ts).
source "$(dirname "$0")/lib.sh"
ensure_node
ensure_deps
cd "$PULSE_ROOT"
node -r @swc-node/register -e '
const { renderKpiCatalogue } = require("./libs/kpi/src/catalogue-doc.ts");
require("node:fs").writeFileSync("docs/kpis.md", renderKpiCatalogue());
console.log("docs/kpis.md written");
'
