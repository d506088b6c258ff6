#!/usr/bin/env bash
# Issue 13 item 5, measured: the published Release webhook, started with the air-gapped deploy overlay's args under
# DOTNET_GCHeapHardLimit=0x10000000 (256 MiB), reviews Pods of 16 images over TLS: honest key-signed images, then
# images carrying maximum-size hostile attachments (garbage bundle referrers just under the 1 MiB signature limit, one
# over it, a legacy .sig of 32 fat layers; or garbage attestation referrers just under 32 MiB under a rule requiring an
# attestation). Prints per group: answers and codes, latency p50/p90/max, peak RSS, peak managed heap, bytes read, and
# the hostile/honest ratios. Exit 0 only if every review was answered within its 10 s deadline, honest pods were allowed,
# hostile pods denied, and the webhook never crashed. Needs docker-registry (apt-get install docker-registry).
# Usage: benchmarks/admission-memory/run.sh [reviews per group, default 8] [concurrency, default 4]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
reviews=${1:-8}
concurrency=${2:-4}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The framework-dependent build its figures were measured on (the harness runs the dll; the project defaults to native).
dotnet publish "$repo/admission/SupplyChain.Admission" -c Release -p:PublishAot=false -o "$work/webhook" -v quiet -nologo >/dev/null
dotnet build -c Release "$repo/benchmarks/SupplyChain.Benchmarks" -v quiet -nologo >/dev/null
dotnet "$repo/benchmarks/SupplyChain.Benchmarks/bin/Release/net10.0/SupplyChain.Benchmarks.dll" admission-memory "$work/webhook" "$repo" "$reviews" "$concurrency"
