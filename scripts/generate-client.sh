#!/usr/bin/env bash
# Regenerates the C# client SDK from the committed REST contract:
#   openapi.yaml  ->  clients/DataVault.Client/Generated/DataVaultApiClient.g.cs
# with the NSwag version pinned in tools/package.json (install it once: npm ci --prefix tools).
#
#   scripts/generate-client.sh             regenerate the committed file (commit the result)
#   scripts/generate-client.sh OUT.cs      write to OUT.cs instead (the drift test compares it)
#
# The generated file is never edited by hand; the hand-written layer beside it (token handler,
# Problem Details exception, paging) adapts it. A test fails when this script would change it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
output="$(realpath -m "${1:-$root/clients/DataVault.Client/Generated/DataVaultApiClient.g.cs}")"
nswag="$root/tools/node_modules/.bin/nswag"

[[ -x "$nswag" ]] || { echo "NSwag is not installed: run 'npm ci --prefix tools' first." >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NPM_CONFIG_UPDATE_NOTIFIER=false

# Relative paths would be resolved against the caller's directory; run from the root instead.
cd "$root"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# /runtime:Net100 runs NSwag's own net10.0 build on the installed .NET 10 runtime (no roll-forward).
# One client class named by operation id (GetSubjectForPurposeAsync, not ApiV1SubjectsGet2Async) and its
# interface; the HttpClient is injected and its BaseAddress is the service root (/useBaseUrl:false).
# Errors are thrown as the hand-written DataVaultProblemException (/generateExceptionClasses:false),
# which reads the RFC 9457 Problem Details body. Optional query parameters come last and default to
# null; optional schema properties are nullable. Date-time query parameters keep their offset
# (round-trip "o"; NSwag's default "s" would drop it and shift `from`/`to` by the caller's zone).
if ! "$nswag" openapi2csclient /runtime:Net100 \
    /input:openapi.yaml \
    /output:"$output" \
    /namespace:DataVault.Client \
    /className:DataVaultApiClient \
    /operationGenerationMode:SingleClientFromOperationId \
    /generateClientInterfaces:true \
    /injectHttpClient:true \
    /disposeHttpClient:false \
    /useBaseUrl:false \
    /generateBaseUrlProperty:false \
    /generateExceptionClasses:false \
    /exceptionClass:DataVaultProblemException \
    /wrapDtoExceptions:true \
    /generateResponseClasses:false \
    /generateOptionalParameters:true \
    /parameterDateTimeFormat:o \
    /jsonLibrary:SystemTextJson \
    /jsonLibraryVersion:10.0 \
    /generateNullableReferenceTypes:true \
    /generateOptionalPropertiesAsNullable:true \
    /generateJsonMethods:false \
    /generateDataAnnotations:false \
    /arrayType:System.Collections.Generic.IList \
    /arrayInstanceType:System.Collections.Generic.List \
    /responseArrayType:System.Collections.Generic.IList \
    /dictionaryType:System.Collections.Generic.IDictionary \
    /dictionaryInstanceType:System.Collections.Generic.Dictionary \
    /newLineBehavior:LF >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi

echo "Generated ${output#"$root/"} from openapi.yaml"
