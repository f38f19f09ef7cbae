#!/usr/bin/env bash
# Dispatch-latency benchmark: builds in Release, runs against embedded Garnet, then (when redis-server is
# installed) against a throwaway redis-server. Results are appended to bench/results/dispatch-<date>.md.
# Usage: bench/run-dispatch.sh [extra args, e.g. --n 2000 --warmup 200 --durability FsyncAlways]
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${REDIS_PORT:-6390}"
dotnet build -c Release bench/Hearth.Bench.Dispatch -v q -nologo
BIN=bench/Hearth.Bench.Dispatch/bin/Release/net10.0/Hearth.Bench.Dispatch.dll

echo "== without redis (embedded Garnet) =="
dotnet "$BIN" "$@"

if ! command -v redis-server >/dev/null; then
  echo "redis-server not found: skipping the redis run" >&2
  exit 0
fi

PIDFILE="$(mktemp -u /tmp/hearth-bench-redis.XXXXXX.pid)"
redis-server --port "$PORT" --save '' --appendonly no --maxmemory-policy noeviction --daemonize yes --pidfile "$PIDFILE" >/dev/null
stop_redis() {
  [ -f "$PIDFILE" ] || return 0
  local pid; pid="$(cat "$PIDFILE")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}
trap stop_redis EXIT
for _ in $(seq 50); do [ -f "$PIDFILE" ] && break; sleep 0.1; done

echo "== with redis-server on 127.0.0.1:$PORT =="
dotnet "$BIN" --redis "127.0.0.1:$PORT" "$@"
