#!/usr/bin/env bash
# Keyless signing with the embedded local instance (issue 8): `sign-blob --instance local` in process vs the same
# signing over loopback HTTP against the served instance, and sigstore-js (@sigstore/sign from the instance's
# signing_config.json, Rekor v2) against `signcli instance serve`, same machine, same run, one after the other.
#   - `SupplyChain.Benchmarks instance N`: 1 warm-up + N timed signings in process, then 1 + N over loopback HTTP
#     (one BundleSigner each, a local token minted per signing); mean, p50, p95.
#   - `tests/interop/sigstore-js/sign-config.mjs message ... N+1` against `signcli instance serve` (first signing dropped).
#   - whole processes: N one-shot `signcli sign-blob --instance DIR` runs (runtime start-up included), median.
# Usage: benchmarks/instance/run.sh [runs, default 50] [rounds, default 2]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runs=${1:-50}
rounds=${2:-2}
js="$repo/tests/interop/sigstore-js"
[ -d "$js/node_modules" ] || (cd "$js" && npm ci --no-audit --no-fund >/dev/null)
dotnet build -c Release "$repo/benchmarks/SupplyChain.Benchmarks" -v quiet -nologo >/dev/null
dotnet build -c Release "$repo/cli/SupplyChain.Cli" -v quiet -nologo >/dev/null
bench="$repo/benchmarks/SupplyChain.Benchmarks/bin/Release/net10.0/SupplyChain.Benchmarks.dll"
signcli="$repo/cli/SupplyChain.Cli/bin/Release/net10.0/signcli.dll"

work=$(mktemp -d)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})')
dotnet "$signcli" instance init --dir "$work/served" --port "$port" >/dev/null
dotnet "$signcli" instance serve --dir "$work/served" 2>"$work/serve.log" &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf -X POST "http://127.0.0.1:$port/oidc/token" -o "$work/token.json" && break; sleep 0.1; done
token=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).id_token)' "$work/token.json")
printf 'a small artifact for the signing benchmark\n' > "$work/artifact.txt"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; dotnet $(dotnet --version), node $(node --version)"
for round in $(seq 1 "$rounds"); do
  dotnet "$bench" instance "$runs" | sed "s/^/round $round: /"
  (cd "$js" && node sign-config.mjs message "$work/artifact.txt" "$work/js-bundle.json" "$work/served/signing_config.json" "$token" $((runs + 1))) | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const r = JSON.parse(s);
      const t = r.millis.slice(1), b = [...t].sort((x, y) => x - y), p = (q) => b[Math.min(b.length - 1, Math.ceil(q * b.length) - 1)];
      const mean = t.reduce((a, x) => a + x, 0) / t.length;
      console.log(`round ${process.argv[1]}: sigstore-js warm-up (first signing in the process): ${r.millis[0].toFixed(1)} ms`);
      console.log(`round ${process.argv[1]}: sigstore-js against instance serve, ${t.length} signings: mean ${mean.toFixed(2)} ms, p50 ${p(0.5).toFixed(2)} ms, p95 ${p(0.95).toFixed(2)} ms`);
    });' "$round"
done
elapsed_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "a timed signing failed: $*" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
dotnet "$signcli" instance init --dir "$work/oneshot" >/dev/null
oneshot=$(for _ in $(seq 1 20); do elapsed_ms dotnet "$signcli" sign-blob --instance "$work/oneshot" "$work/artifact.txt" --bundle "$work/oneshot.json"; done | median)
echo "one signing per process (signcli sign-blob --instance DIR), median of 20: $oneshot ms"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
