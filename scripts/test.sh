#!/usr/bin/env bash
# Runs every test from a fresh clone: installs the tools the tests need, builds with warnings as
# errors, runs all test projects, and lints the committed OpenAPI contract.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NPM_CONFIG_UPDATE_NOTIFIER=false

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (https://dot.net)." >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js 20+ with npm is required for the OpenAPI linter and the client generator." >&2; exit 1; }

# tools/package-lock.json pins @redocly/cli (lint below) and nswag, which the client drift test
# (tests/DataVault.Client.Tests) runs through scripts/generate-client.sh.
echo "==> Installing Node tools (tools/package-lock.json)"
npm ci --prefix tools --no-audit --no-fund --loglevel=error

# The portal's browser tests drive Debian's chromium (Playwright is told never to download one).
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -x /usr/bin/chromium ]; then
  echo "==> Installing chromium for the browser tests (apt-get)"
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo --preserve-env=DEBIAN_FRONTEND)
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq chromium chromium-driver
fi

echo "==> Building (warnings are errors)"
dotnet build DataVault.sln --configuration Release

echo "==> Testing"
dotnet test DataVault.sln --configuration Release --no-build

echo "==> Linting openapi.yaml"
tools/node_modules/.bin/redocly lint openapi.yaml --config redocly.yaml
