#!/usr/bin/env bash
# The benchmark suite in one command: builds Release, seeds a fresh vault (100,000 subjects by default),
# starts the service in the background, runs every scenario at 64 connections over loopback, stops the
# service, prints the results table and writes it to bench/results/. Not part of the test command.
#   bench/run.sh                              # default data set
#   bench/run.sh --large-subjects 1000000     # also the consented read on 1,000,000 subjects
#   bench/run.sh --subjects 20000 --seconds 5 # a quick look
# Options: --subjects N --seconds S --connections C --erasures E --large-subjects N --results DIR
set -euo pipefail
cd "$(dirname "$0")/.."

# The load generator is C# (bench/DataVault.Load); it needs nothing but the .NET SDK.
dotnet build -c Release -nologo -v quiet api/DataVault.Api/DataVault.Api.csproj
dotnet build -c Release -nologo -v quiet bench/DataVault.Load/DataVault.Load.csproj
dotnet bench/DataVault.Load/bin/Release/net10.0/DataVault.Load.dll suite "$@"
