#!/usr/bin/env bash
# `npm start`: run Pulse on this machine with embedded defaults.
#   - Node 24 and npm dependencies (installed when missing)
#   - SQLite in .data/ (or DATABASE_URL=postgres://…)
#   - a local redis-server on a free port (or REDIS_URL=redis://…)
#   - the sandbox with two demo engagements (PULSE_DEMO=false to skip)
#   - worker + API serving the dashboard on PORT (default 3000)
# Ctrl-C stops everything this script started.
source "$(dirname "$0")/lib.sh"
ensure_node
ensure_deps
cd "$PULSE_ROOT"
export PATH="$PULSE_ROOT/node_modules/.bin:$PATH"

if [ -f .env ]; then
  log "reading .env"
  set -a; source .env; set +a
fi
export NODE_ENV="${NODE_ENV:-production}"
export PULSE_DATA_DIR="${PULSE_DATA_DIR:-$PULSE_ROOT/.data}"
export PORT="${PORT:-3000}"
# The terminal shows the banner and problems; set LOG_LEVEL=info for request logs.
export LOG_LEVEL="${LOG_LEVEL:-warn}"
export HOST="${HOST:-127.0.0.1}"
PULSE_DEMO="${PULSE_DEMO:-true}"
mkdir -p "$PULSE_DATA_DIR"
chmod 700 "$PULSE_DATA_DIR"

pids=()
cleanup() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    log "stopping…"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap cleanup INT TERM EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
wait_http() { # URL WHAT PID
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || die "$2 exited during start-up (see the messages above)"
    sleep 0.2
  done
  die "$2 did not answer at $1 within 60 s"
}

port_free "$PORT" || die "port $PORT is in use: stop what is using it or run PORT=3001 npm start"

log "building api, worker, sandbox and dashboard…"
nx run-many -t build --projects=api,worker,sandbox,dashboard --outputStyle=static >"$PULSE_DATA_DIR/build.log" 2>&1 \
  || { tail -40 "$PULSE_DATA_DIR/build.log" >&2; die "build failed (full log: $PULSE_DATA_DIR/build.log)"; }

if [ -z "${REDIS_URL:-}" ]; then
  ensure_redis
  redis_port="${PULSE_REDIS_PORT:-6390}"
  port_free "$redis_port" || redis_port="$(free_port)"
  mkdir -p "$PULSE_DATA_DIR/redis"
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$PULSE_DATA_DIR/redis" --save 60 1 --appendonly no \
    --protected-mode yes --loglevel warning >"$PULSE_DATA_DIR/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 || die "redis-server did not start (see $PULSE_DATA_DIR/redis.log)"
  export REDIS_URL="redis://127.0.0.1:$redis_port"
  log "redis-server on $REDIS_URL (data in $PULSE_DATA_DIR/redis)"
fi

if [ "$PULSE_DEMO" != "false" ]; then
  sandbox_port="${SANDBOX_PORT:-4100}"
  port_free "$sandbox_port" || sandbox_port="$(free_port)"
  # The demo world ends "now" (to the hour), so its latest weeks are this week.
  # The sandbox plays Slack's Events API sender: after /_sandbox/advance it posts the new
  # messages to Pulse, signed with the sandbox app's public test signing secret, which the
  # API verifies (its slash commands too).
  export PULSE_SLACK_SIGNING_SECRET="${PULSE_SLACK_SIGNING_SECRET:-sandbox-slack-signing-secret-0001}"
  SANDBOX_NOW="${SANDBOX_NOW:-$(date -u +%Y-%m-%dT%H:00:00Z)}" SANDBOX_PORT="$sandbox_port" \
    SANDBOX_SLACK_EVENTS_URL="${SANDBOX_SLACK_EVENTS_URL:-http://127.0.0.1:$PORT/api/slack/events}" \
    node dist/sandbox/apps/sandbox/src/main.js &
  pids+=($!)
  wait_http "http://127.0.0.1:$sandbox_port/_sandbox/manifest" "the sandbox" "${pids[-1]}"
  export PULSE_DEMO_SANDBOX_URL="http://127.0.0.1:$sandbox_port"
  # The sandbox listens on loopback, which connections may only reach when allowed:
  # allow exactly its host:port (API and worker both read this).
  export PULSE_ALLOWED_UPSTREAM_HOSTS="${PULSE_ALLOWED_UPSTREAM_HOSTS:+$PULSE_ALLOWED_UPSTREAM_HOSTS,}127.0.0.1:$sandbox_port"
  # A stable local admin for the demo, kept with the rest of the local data.
  if [ -z "${PULSE_ADMIN_PASSWORD:-}" ]; then
    pw_file="$PULSE_DATA_DIR/demo-admin-password"
    [ -s "$pw_file" ] || (umask 077; node -e 'console.log(require("crypto").randomBytes(12).toString("base64url"))' >"$pw_file")
    export PULSE_ADMIN_EMAIL="${PULSE_ADMIN_EMAIL:-admin@pulse.local}" PULSE_ADMIN_PASSWORD="$(cat "$pw_file")"
  fi
fi

node dist/api/apps/api/src/main.js &
pids+=($!)
wait_http "http://$HOST:$PORT/health" "the API" "${pids[-1]}"

node dist/worker/apps/worker/src/main.js &
pids+=($!)

cat >&2 <<MSG

  Pulse is running:   http://$HOST:$PORT
  API docs:           http://$HOST:$PORT/api/docs
  Health:             http://$HOST:$PORT/health
MSG
if [ -n "${PULSE_ADMIN_PASSWORD:-}" ]; then
  printf '  Sign in as:         %s / %s\n' "${PULSE_ADMIN_EMAIL:-admin@pulse.local}" "$PULSE_ADMIN_PASSWORD" >&2
else
  printf '  Sign in as:         %s (password printed by the API on its first start)\n' "${PULSE_ADMIN_EMAIL:-admin@pulse.local}" >&2
fi
[ -n "${PULSE_DEMO_SANDBOX_URL:-}" ] && printf '  Sandbox:            %s (demo engagements "Demo: steady", "Demo: slipping")\n' "$PULSE_DEMO_SANDBOX_URL" >&2
printf '\n  Ctrl-C stops everything.\n\n' >&2

# Stop everything as soon as any one part exits.
wait -n "${pids[@]}"
die "a Pulse process exited unexpectedly; stopping the rest"
