#!/usr/bin/env bash
# Runs the runpod-sdk (npm, pinned) compatibility suite against a locally started Hearth server.
# Set HEARTH_CLI to a built hearth executable or Hearth.Cli.dll to skip `dotnet run`.
# Writes a TAP report to <repo>/artifacts/compat.tap and child logs to <repo>/artifacts/compat-logs/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
mkdir -p "$repo/artifacts"

cd "$here/runpod-sdk"
npm ci --no-audit --no-fund

status=0
# --test-timeout bounds every test (node 20 applies it to each file's own run as well): a hang fails in 10 minutes at
# most, and each test waits with a tighter bound of its own.
node --test --test-timeout=600000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$repo/artifacts/compat.tap" \
  || status=$?
exit "$status"
