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

node --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$repo/artifacts/dashboard.tap"
