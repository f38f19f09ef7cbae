#!/usr/bin/env bash
# Runs the dashboard browser test: playwright-core (npm, pinned) drives Debian's chromium headless against a real
# `hearth dev` of samples/Echo. Set HEARTH_ECHO to a built Echo.dll to skip `dotnet run`, CHROMIUM to another browser.
# Writes a TAP report to <repo>/artifacts/dashboard.tap and screenshots to <repo>/artifacts/dashboard/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
mkdir -p "$repo/artifacts"

cd "$here"
npm ci --no-audit --no-fund

# --test-timeout bounds every test (node 20 applies it to each file's own run as well): a hang fails in 10 minutes at
# most, and each test waits with a tighter bound of its own.
node --test --test-timeout=600000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$repo/artifacts/dashboard.tap"
