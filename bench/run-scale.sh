#!/usr/bin/env bash
# The store at production size (issue 16): jobs queued up to LEVELS (default 0,100000,1000000) on the embedded store
# (its default, machine-derived sizing) and on a throwaway redis-server, each in a process of its own; submit and
# /status latency at each depth, cancel and TTL expiry with the queue deep, memory and disk, checkpoint and restart
# time. Writes bench/results/scale-<date>.md. About 10 minutes on 2 cores at 1,000,000; needs redis-server.
# Usage: bench/run-scale.sh [LEVELS] [NOTE]
set -euo pipefail
cd "$(dirname "$0")/.."
LEVELS="${1:-0,100000,1000000}"
NOTE="${2:-}"
PORT="${REDIS_PORT:-6396}"
OUT="bench/results/scale-$(date +%F).md"
command -v redis-server >/dev/null || { echo "bench/run-scale.sh: redis-server is needed (apt-get install -y redis-server)" >&2; exit 1; }
WORK="$(mktemp -d /tmp/hearth-scale.XXXXXX)"
cleanup() { if [ -f "$WORK/redis.pid" ]; then kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT
dotnet build -c Release bench/Hearth.Bench.Load -v q -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --maxmemory-policy noeviction \
  --daemonize yes --pidfile "$WORK/redis.pid" --dir "$WORK" >/dev/null
for _ in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
rm -f "$OUT"
BENCH=bench/Hearth.Bench.Load/bin/Release/net10.0/Hearth.Bench.Load.dll
dotnet "$BENCH" --scale "$LEVELS" --out "$OUT" --note "$NOTE"
dotnet "$BENCH" --scale "$LEVELS" --out "$OUT" --note "$NOTE" --redis "127.0.0.1:$PORT"
echo "written to $OUT"
