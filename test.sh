#!/usr/bin/env bash
# Runs every Hearth test: installs what the tests need (redis-server, npm packages), builds, runs the .NET suites
# (store conformance on embedded Garnet and a real redis-server, server integration tests with real worker
# processes), the runpod-sdk compatibility suite and the dashboard browser test (headless chromium). Ends with one
# line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
repo="$(pwd)"
mkdir -p artifacts

need() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  if need apt-get; then
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >/dev/null 2>&1 || true
    $sudo apt-get install -y -qq "$@" >/dev/null 2>&1
  fi
}

if ! need redis-server && [ -z "${HEARTH_TEST_REDIS:-}" ]; then
  echo "== installing redis-server"
  apt_install redis-server || { echo "redis-server is missing and could not be installed: install it or set HEARTH_TEST_REDIS=host:port"; exit 1; }
fi
need python3 || apt_install python3
# The cluster tests put node agents in network namespaces of their own (ip netns, veth; CI runs as root).
need ip || apt_install iproute2
need node || apt_install nodejs npm
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "== installing chromium"
  apt_install chromium || echo "chromium is missing and could not be installed: the dashboard browser test will fail (set CHROMIUM=/path/to/chrome)"
fi

# Adds a node:test suite's "ℹ pass N" / "ℹ fail N" to the totals; a suite that reports nothing counts as one failure.
count_node() {
  local p f
  p=$(grep -E '^ℹ pass [0-9]+' "$2" | awk '{print $3}' | tail -1)
  f=$(grep -E '^ℹ fail [0-9]+' "$2" | awk '{print $3}' | tail -1)
  if [ -z "$p" ]; then echo "$1 did not report results (see $2)"; f=$(( ${f:-0} + 1 )); fi
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}

passed=0; failed=0
count_dotnet() { # sums "Passed!/Failed!  - Failed: F, Passed: P" summary lines
  local f p
  while read -r f p; do passed=$((passed + p)); failed=$((failed + f)); done < <(
    grep -E '^(Passed|Failed)!' "$1" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+).*/\1 \2/')
}

echo "== building"
if ! dotnet build Hearth.sln -c Release -nologo -v q 2>&1 | tee artifacts/build.log | grep -E "error|Warn|Elapsed"; then :; fi
if ! grep -q " 0 Error(s)" artifacts/build.log; then
  echo "build failed (see artifacts/build.log)"
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== .NET tests"
for proj in tests/*/*.Tests.csproj; do
  name="$(basename "$proj" .csproj)"
  dotnet test "$proj" -c Release --no-build --nologo --logger "trx;LogFileName=$repo/artifacts/$name.trx" 2>&1 | tee "artifacts/$name.log" | grep -E "^(Passed|Failed)!|^\s+Failed |error"
  count_dotnet "artifacts/$name.log"
  grep -qE '^(Passed|Failed)!' "artifacts/$name.log" || { echo "$name did not report results"; failed=$((failed + 1)); }
done

echo "== runpod-sdk compatibility suite"
export HEARTH_CLI="$repo/src/Hearth.Cli/bin/Release/net10.0/hearth.dll"
bash tests/compat/run.sh 2>&1 | tee artifacts/compat.log | grep -E "^[✔✖]|^ℹ (pass|fail)|not ok"
count_node "compat suite" artifacts/compat.log

echo "== dashboard browser test (headless chromium)"
export HEARTH_ECHO="$repo/samples/Echo/bin/Release/net10.0/Echo.dll" CHROMIUM="$chromium"
bash tests/dashboard/run.sh 2>&1 | tee artifacts/dashboard.log | grep -E "^[✔✖]|^ℹ (pass|fail)|not ok"
count_node "dashboard browser test" artifacts/dashboard.log

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
