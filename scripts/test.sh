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

echo "==> Building (warnings are errors)"
dotnet build DataVault.sln --configuration Release

echo "==> Testing"
dotnet test DataVault.sln --configuration Release --no-build

echo "==> Linting openapi.yaml"
tools/node_modules/.bin/redocly lint openapi.yaml --config redocly.yaml
