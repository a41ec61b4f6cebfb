#!/usr/bin/env bash
# `npm run db:migrate` / `npm run db:reset`: bring the schema up to date, or start over.
source "$(dirname "$0")/lib.sh"
ensure_node
ensure_deps
cd "$PULSE_ROOT"
export PATH="$PULSE_ROOT/node_modules/.bin:$PATH"
[ -f .env ] && { set -a; source .env; set +a; }
action="${1:-migrate}"
case "$action" in
  migrate|reset) ;;
  *) die "usage: scripts/db.sh migrate|reset" ;;
esac
if [ "$action" = reset ] && [ -t 0 ] && [ "${CI:-}" != true ]; then
  read -r -p "This deletes every engagement and all synced data in ${DATABASE_URL:-.data/pulse.sqlite}. Type 'reset' to go on: " answer
  [ "$answer" = reset ] || die "not reset"
fi
swc libs --config-file .swcrc -d dist/tools --quiet
node -e '
const { createDataSource, migrate, resetDatabase, databaseConfigFrom } = require("./dist/tools/libs/db/src");
const env = { PULSE_DATA_DIR: process.env.PULSE_DATA_DIR || ".data", DATABASE_URL: process.env.DATABASE_URL || undefined };
const ds = createDataSource(databaseConfigFrom(env));
(process.argv[1] === "reset" ? resetDatabase(ds) : migrate(ds))
  .then((ran) => { console.log(ran.length ? "applied: " + ran.join(", ") : "schema is up to date"); return ds.destroy(); })
  .catch((e) => { console.error("migration failed: " + e.message); process.exit(1); });
' "$action"
