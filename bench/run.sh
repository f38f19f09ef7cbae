#!/usr/bin/env bash
# The benchmark suite in one command (issue 9). Starts a throwaway redis-server, runs the BullMQ peer on it, the
# cold-start script, and the end-to-end suite (bench/Hearth.Bench.Load) against embedded Garnet and that redis-server.
# Writes bench/results/<date>.json and <date>.md and regenerates docs/benchmarks/*.svg. About 6-8 minutes on 2 cores.
# Needs: .NET SDK, redis-server (apt-get install -y redis-server), node + npm (for the BullMQ peer).
# Usage: bench/run.sh [--quick] [--note "text"] [extra Hearth.Bench.Load args, e.g. --runs 3 --conc 1,4,16,64]
#   --quick: one run with small counts, to check the harness (figures not for publishing).
# The micro-benchmarks are separate: bench/run-micro.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${REDIS_PORT:-6395}"
QUICK=0
NOTE=""
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --note) NOTE="$2"; shift ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done
command -v redis-server >/dev/null || { echo "bench/run.sh: redis-server is needed (apt-get install -y redis-server)" >&2; exit 1; }
command -v node >/dev/null || { echo "bench/run.sh: node and npm are needed for the BullMQ peer" >&2; exit 1; }

WORK="$(mktemp -d /tmp/hearth-bench.XXXXXX)"
PIDFILE="$WORK/redis.pid"
cleanup() {
  if [ -f "$PIDFILE" ]; then
    local pid; pid="$(cat "$PIDFILE")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== build (Release) =="
dotnet build -c Release bench/Hearth.Bench.Load -v q -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
(cd bench/peer && [ -d node_modules/bullmq ] || npm ci --no-audit --no-fund --loglevel=error)

redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --maxmemory-policy noeviction \
  --daemonize yes --pidfile "$PIDFILE" --dir "$WORK" >/dev/null
for _ in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
echo "redis-server $(redis-server --version | grep -o 'v=[0-9.]*') on 127.0.0.1:$PORT"

if [ "$QUICK" = 1 ]; then
  PEER=(--jobs 1000 --lat 300 --warmup 50 --runs 1)
  LOAD=(--runs 1 --n 200 --warmup 50 --jobs 1000 --garnet-jobs 300 --warm-jobs 300 --memory 20000)
  COLD=2
  NOTE="${NOTE:-Quick harness check (bench/run.sh --quick): one run, small counts; not for publishing.}"
else
  PEER=(--jobs 5000 --lat 1000 --warmup 200 --runs 3)
  LOAD=(--runs 3)
  COLD=5
fi

echo "== peer: BullMQ on the same redis-server =="
node bench/peer/bullmq-bench.mjs --redis "127.0.0.1:$PORT" "${PEER[@]}" --out "$WORK/peer.json"
redis-cli -p "$PORT" flushall >/dev/null

echo "== cold start (bench/cold-start.py --runs $COLD) =="
python3 bench/cold-start.py --runs "$COLD" --json "$WORK/cold.json"

echo "== Hearth suite =="
dotnet bench/Hearth.Bench.Load/bin/Release/net10.0/Hearth.Bench.Load.dll --redis "127.0.0.1:$PORT" "${LOAD[@]}" \
  --peer "$WORK/peer.json" --cold "$WORK/cold.json" --note "$NOTE" "${ARGS[@]}"
