#!/usr/bin/env bash
# BenchmarkDotNet micro-benchmarks (memory diagnoser) of the dispatch hot paths: the store scripts and the JSON per job.
# Not part of bench/run.sh (BenchmarkDotNet's pilot/warm-up phases take minutes). Starts a throwaway redis-server.
# Usage: bench/run-micro.sh [BenchmarkDotNet args, default --filter '*']
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${REDIS_PORT:-6396}"
WORK="$(mktemp -d /tmp/hearth-micro.XXXXXX)"
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$WORK/redis.pid" --dir "$WORK" >/dev/null
trap 'kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true; rm -rf "$WORK"' EXIT
[ $# -gt 0 ] || set -- --filter '*'
HEARTH_BENCH_REDIS="127.0.0.1:$PORT" dotnet run -c Release --project bench/Hearth.Bench.Micro -- --artifacts "$WORK/bdn" "$@"
