#!/usr/bin/env bash
# Run a command with Node 24 and the workspace's dependencies on PATH.
source "$(dirname "$0")/lib.sh"
ensure_node
ensure_deps
export PATH="$PULSE_ROOT/node_modules/.bin:$PATH"
exec "$@"
