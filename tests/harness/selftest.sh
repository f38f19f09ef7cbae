#!/usr/bin/env bash
# Proves each counting rule of tests/harness/results.py against a fixture made to break it: a crashing .NET test
# host, a hanging .NET test, a suite past its time limit, a node test that times out, suites with no tests, skips
# with and without reasons, a non-zero exit behind clean results. test.sh runs it first; it records its own verdict
# as artifacts/results/harness-selftest.json (one test per rule). Run alone: bash tests/harness/selftest.sh
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
verdicts="$repo/artifacts/results"
results="$repo/artifacts/selftest"
source "$here/suites.sh"
rm -rf "$results"; mkdir -p "$results" "$verdicts"

proven=(); unproven=()
# rule DESCRIPTION FIXTURE_RESULT EXPRESSION: the fixture's counted result must satisfy the expression.
rule() {
  if "$python" "$harness/results.py" expect "$results/$2.json" "$3"; then
    echo "  ✔ $1"; proven+=("$1")
  else
    echo "  ✖ $1"; unproven+=("$1")
  fi
}

fixture="$here/fixtures/dotnet"
if ! dotnet build "$fixture" -c Release -nologo -v q >"$results/build.log" 2>&1; then
  echo "  ✖ the self-test's .NET fixture did not build (see $results/build.log)"; unproven+=("fixture build")
fi
dotnet_fixture() { local name=$1; shift; run_dotnet_suite "$name" "$fixture" "$@" >/dev/null; }
dotnet_fixture pass --filter Category=pass
dotnet_fixture fail --filter Category=fail
dotnet_fixture crash --filter Category=crash
HEARTH_TEST_HANG=5s dotnet_fixture hang --filter Category=hang
HEARTH_TEST_HANG=5m HEARTH_SUITE_LIMIT=8s dotnet_fixture limit --filter Category=hang
dotnet_fixture skip --filter Category=skip
dotnet_fixture none --filter Category=none

node_fixture() {
  local name=$1 dir=$2; shift 2
  run_node_suite "$name" "$results/$name.tap" bash -c "cd '$here/fixtures/node/$dir' && node --test \
    --test-timeout=2000 --test-reporter=tap --test-reporter-destination='$results/$name.tap' $*" >/dev/null
}
node_fixture node-hang hang
node_fixture node-empty empty
node_fixture node-skip skip
node_fixture node-bare-skip bare-skip
node_fixture node-fail fail
node_fixture node-exit skip "; exit 3"

echo "== harness self-test: each counting rule against a fixture that breaks it"
rule "a passing .NET fixture counts as passed, and only that" pass 'passed == 1 and failed == 0 and skipped == 0'
rule "a failing .NET test counts as one failure" fail 'passed == 0 and failed == 1'
rule "a crashed test host fails the run and names the test cut off" crash \
  'failed >= 1 and "the test host crashed" in text and "Is_running_when_the_host_dies" in text'
rule "a hanging .NET test aborts the run at the hang timeout and is named" hang \
  'failed >= 1 and "hang timeout" in text and "Fixtures.Hangs" in text'
rule "a suite past its time limit fails" limit 'failed >= 1 and "time limit" in text'
rule ".NET skips are counted and listed with their reasons" skip \
  'failed == 0 and skipped == 2 and "a declared skip with its reason" in text and "skipped at run time" in text'
rule "a .NET suite that runs no test fails" none 'failed >= 1 and "ran no tests" in text'
rule "a node test that times out (node: cancelled) fails" node-hang 'failed >= 1 and "cancelled" in text'
rule "a node test file that holds no test fails" node-empty 'failed >= 1 and "holds no test" in text'
rule "node skips and todos are counted and listed with their reasons" node-skip \
  'passed == 1 and failed == 0 and skipped == 2 and "todo: fixture" in text'
rule "a skip without a reason fails" node-bare-skip 'skipped == 1 and failed == 1'
rule "a failing node test inside describe() counts once" node-fail 'passed == 1 and failed == 1'
rule "a non-zero exit behind clean results fails" node-exit 'failed == 1 and "exited with code 3" in text'

"$python" - "$verdicts/harness-selftest.json" "${#proven[@]}" "${unproven[@]}" <<'PY'
import json, sys
path, proven, unproven = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
with open(path, "w") as f:
    json.dump({"suite": "harness self-test", "passed": proven, "failed": unproven, "skips": [], "problems": []}, f)
PY
[ "${#unproven[@]}" -eq 0 ]
