#!/usr/bin/env bash
# Runs every Hearth test: installs what the tests need (redis-server, npm packages), builds, runs the .NET suites
# (store conformance on embedded Garnet and a real redis-server, server integration tests with real worker
# processes), the runpod-sdk compatibility suite and the dashboard browser test (headless chromium). Ends with one
# line: "N passed, N failed, N skipped", every skip listed above it with its reason.
#
# What counts (tests/harness/results.py, each rule proven first by tests/harness/selftest.sh): a suite that exits
# non-zero, a crashed or hung .NET test host, a timed-out node test, a suite or test file with no tests, a suite past
# its time limit and a skip without a reason are failures. Every suite runs under a bound: HEARTH_TEST_HANG (default
# 5m) per .NET test, node's --test-timeout per test file, HEARTH_SUITE_LIMIT (default 30m) per suite.
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
# The genuine runpod-python worker SDK (../shared/vendor/runpod-python) runs on Debian's python3 and these packages.
if ! /usr/bin/python3 -c "import aiohttp, backoff, fastapi, boto3, paramiko, psutil, cpuinfo, tqdm" 2>/dev/null; then
  echo "== installing Debian's python3 packages for runpod-python"
  apt_install python3 python3-aiohttp python3-boto3 python3-paramiko python3-fastapi python3-uvicorn \
    python3-requests python3-tomli python3-tomlkit python3-watchdog python3-backoff python3-click python3-colorama \
    python3-cryptography python3-prettytable python3-psutil python3-cpuinfo python3-tqdm \
    || echo "Debian's python3 packages for runpod-python could not be installed: its conformance test will fail"
fi
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "== installing chromium"
  apt_install chromium || echo "chromium is missing and could not be installed: the dashboard browser test will fail (set CHROMIUM=/path/to/chrome)"
fi

echo "== building"
if ! dotnet build Hearth.sln -c Release -nologo -v q 2>&1 | tee artifacts/build.log | grep -E "error|Warn|Elapsed"; then :; fi
if ! grep -q " 0 Error(s)" artifacts/build.log; then
  echo "build failed (see artifacts/build.log)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

results="$repo/artifacts/results"
rm -rf "$results"; mkdir -p "$results"
source tests/harness/suites.sh

bash tests/harness/selftest.sh

echo "== .NET tests"
for proj in tests/*/*.Tests.csproj; do
  run_dotnet_suite "$(basename "$proj" .csproj)" "$proj"
done

echo "== runpod-sdk compatibility suite"
export HEARTH_CLI="$repo/src/Hearth.Cli/bin/Release/net10.0/hearth.dll"
run_node_suite runpod-sdk-compat "$repo/artifacts/compat.tap" bash tests/compat/run.sh

echo "== dashboard browser test (headless chromium)"
export HEARTH_ECHO="$repo/samples/Echo/bin/Release/net10.0/Echo.dll" CHROMIUM="$chromium"
run_node_suite dashboard-browser "$repo/artifacts/dashboard.tap" bash tests/dashboard/run.sh

echo "== results (logs, .trx and TAP reports in artifacts/results/)"
python3 tests/harness/results.py total "$results"/*.json
