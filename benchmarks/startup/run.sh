#!/usr/bin/env bash
# Start-up (issue 16): one `signcli verify-blob` process on the README's public-good quick-start bundle, against node +
# sigstore-js doing the same verification (tests/interop/sigstore-js/verify.mjs: same bundle, artifact, identity and the
# production trusted_root.json signcli embeds), one process per run, whole wall time.
#
# Paired and alternating: each round runs every variant once, in an order rotated by one each round, so load from other
# processes falls on all of them alike. Per variant it prints the median wall time and the median over rounds of
# (variant / node in the same round). The first three rounds are warm-up (page cache) and not counted.
#
# Variants: signcli NativeAOT (`dotnet publish cli/SupplyChain.Cli -c Release`); the README's ./signcli (bash, the
# up-to-date `find`, then the same native executable, published once into artifacts/signcli before the timing);
# managed ReadyToRun (framework-dependent, what ./signcli publishes without clang); managed JIT-only (what `dotnet build`
# and the tool package run); each managed one also with TieredPGO off and with TieredCompilation off (runtime knobs, set
# as DOTNET_ environment variables).
#
# Usage: benchmarks/startup/run.sh [rounds, default 30]   (SKIP_PUBLISH=1 reuses artifacts/bench-startup)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rounds=${1:-30}
out="$repo/artifacts/bench-startup"
cd "$repo"

node="$repo/tests/interop/node-runtime/node_modules/.bin/node"
[ -x "$node" ] || (cd tests/interop/node-runtime && npm ci --no-audit --no-fund >/dev/null)
[ -d tests/interop/sigstore-js/node_modules ] || (cd tests/interop/sigstore-js && PATH="$(dirname "$node"):$PATH" npm ci --no-audit --no-fund >/dev/null)

if [ "${SKIP_PUBLISH:-}" != 1 ] || [ ! -x "$out/native/signcli" ]; then
  rm -rf "$out"
  dotnet publish cli/SupplyChain.Cli -c Release -o "$out/native" -nologo -v quiet
  dotnet publish cli/SupplyChain.Cli -c Release -o "$out/r2r" -nologo -v quiet -p:PublishAot=false -p:PublishReadyToRun=true --self-contained false
  dotnet publish cli/SupplyChain.Cli -c Release -o "$out/jit" -nologo -v quiet -p:PublishAot=false
fi

identity=https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main
issuer=https://token.actions.githubusercontent.com
bundle=testdata/quickstart/bundle.sigstore.json
artifact=testdata/quickstart/a.txt
verify=(verify-blob "$artifact" --bundle "$bundle" --certificate-identity "$identity" --certificate-oidc-issuer "$issuer")

names=(node native script r2r r2r-pgo0 r2r-tc0 jit jit-pgo0 jit-tc0)
run_variant() {
  case "$1" in
    node) "$node" tests/interop/sigstore-js/verify.mjs "$bundle" src/SupplyChain.Core/TrustRoots/trusted_root.production.json "$artifact" "$identity" "$issuer" ;;
    native) "$out/native/signcli" "${verify[@]}" ;;
    script) SIGNCLI_PUBLISH=native ./signcli "${verify[@]}" ;;
    r2r) "$out/r2r/signcli" "${verify[@]}" ;;
    r2r-pgo0) DOTNET_TieredPGO=0 "$out/r2r/signcli" "${verify[@]}" ;;
    r2r-tc0) DOTNET_TieredCompilation=0 "$out/r2r/signcli" "${verify[@]}" ;;
    jit) "$out/jit/signcli" "${verify[@]}" ;;
    jit-pgo0) DOTNET_TieredPGO=0 "$out/jit/signcli" "${verify[@]}" ;;
    jit-tc0) DOTNET_TieredCompilation=0 "$out/jit/signcli" "${verify[@]}" ;;
  esac
}

# Every variant must succeed before anything is timed.
for name in "${names[@]}"; do
  run_variant "$name" >/dev/null 2>&1 || { echo "$name failed:" >&2; run_variant "$name" >&2 || true; exit 1; }
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
samples=$(mktemp)
trap 'rm -f "$samples"' EXIT
count=${#names[@]}
for round in $(seq -2 "$rounds"); do
  for i in $(seq 0 $((count - 1))); do
    name=${names[$(( (i + round + count * 4) % count ))]}
    start=$EPOCHREALTIME
    run_variant "$name" >/dev/null 2>&1
    end=$EPOCHREALTIME
    [ "$round" -ge 1 ] && echo "$round $name $start $end" >> "$samples"
  done
done

echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg); $rounds rounds; $(nproc) cores"
printf '| variant | median wall time | ratio to node (median of per-round ratios) | runs |\n| --- | --- | --- | --- |\n'
awk -v order="${names[*]}" '
  function median(values, n,    i, j, t) {
    for (i = 2; i <= n; i++) { t = values[i]; for (j = i - 1; j >= 1 && values[j] > t; j--) values[j + 1] = values[j]; values[j + 1] = t }
    return n % 2 ? values[(n + 1) / 2] : (values[n / 2] + values[n / 2 + 1]) / 2
  }
  { t[$2, $1] = $4 - $3; seen[$1] = 1 }
  END {
    split(order, names, " ")
    for (k = 1; k in names; k++) {
      name = names[k]; n = 0; m = 0; delete v; delete r
      for (round in seen) { v[++n] = t[name, round]; r[++m] = t[name, round] / t["node", round] }
      printf "| %s | %.3f s | %.2f | %d |\n", name, median(v, n), median(r, m), n
    }
  }' "$samples"
echo
echo "sizes: native $(du -h "$out/native/signcli" | cut -f1) (executable), r2r $(du -sh --exclude='*.pdb' --exclude='*.xml' "$out/r2r" | cut -f1), jit $(du -sh --exclude='*.pdb' --exclude='*.xml' "$out/jit" | cut -f1) (folders without pdb/xml)"
