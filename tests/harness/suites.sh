# Runs one test suite under a time limit and records what it really did as <results>/<name>.json
# (tests/harness/results.py decides what counts as passed, failed and skipped). Sourced by test.sh and selftest.sh.
#
#   run_dotnet_suite NAME PROJECT [dotnet test args...]   HEARTH_TEST_HANG (default 5m): no single test may run
#                                                         longer (vstest's blame collector aborts the run and names
#                                                         the test); HEARTH_SUITE_LIMIT (default 30m): whole suite
#   run_node_suite NAME TAP COMMAND...                    COMMAND writes a node:test TAP report to TAP
#
# Both print the suite's console output to <results>/<name>.log and a one-line verdict to stdout.

harness="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
results="${results:-$harness/../../artifacts/results}"
python="$(command -v python3)"

run_dotnet_suite() {
  local name=$1 proj=$2; shift 2
  local trx="$results/$name.trx" log="$results/$name.log" rc started=$SECONDS
  mkdir -p "$results"; rm -f "$trx"
  timeout --kill-after=30s "${HEARTH_SUITE_LIMIT:-30m}" dotnet test "$proj" -c Release --no-build --nologo \
    --blame-hang-timeout "${HEARTH_TEST_HANG:-5m}" --blame-hang-dump-type none \
    --results-directory "$results/$name.attachments" --logger "trx;LogFileName=$trx" "$@" >"$log" 2>&1
  rc=$?
  "$python" "$harness/results.py" dotnet "$name" "$trx" "$log" "$rc" >"$results/$name.json"
  verdict "$name" $((SECONDS - started))
}

run_node_suite() {
  local name=$1 tap=$2; shift 2
  local log="$results/$name.log" rc started=$SECONDS
  mkdir -p "$results"; rm -f "$tap"
  timeout --kill-after=30s "${HEARTH_SUITE_LIMIT:-30m}" "$@" >"$log" 2>&1
  rc=$?
  "$python" "$harness/results.py" node "$name" "$tap" "$rc" >"$results/$name.json"
  verdict "$name" $((SECONDS - started))
}

verdict() { "$python" "$harness/results.py" show "$results/$1.json" "$2"; }
