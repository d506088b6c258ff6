#!/usr/bin/env bash
# Keyless signing against a loopback Sigstore stack: SupplyChain's BundleSigner (what sign-blob runs) vs sigstore-js,
# same machine, same run, same mock stack, one after the other (never concurrently).
#
# Starts tests/interop/sigstore-mock/server.mjs (@sigstore/mock Fulcio, Rekor v1 and TSA on 127.0.0.1), makes an
# unsigned JWT the mock Fulcio accepts, then per round:
#   - `SupplyChain.Benchmarks sign`: 1 warm-up + N timed keyless message signings of a small file in one process;
#   - `tests/interop/sigstore-js/sign.mjs message ... N+1`: the same with sigstore.sign in one node process (the first,
#     cold signing is dropped).
# Each side reports, per signing, the wall time and the time at least one HTTP request was in flight; own code =
# wall - HTTP. Prints the medians. Then times whole processes that sign once each: the benchmark process, node, and the
# real `signcli sign-blob` command. Usage: benchmarks/signing/run.sh [runs, default 20] [rounds, default 3]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runs=${1:-20}
rounds=${2:-3}
mock="$repo/tests/interop/sigstore-mock"
js="$repo/tests/interop/sigstore-js"
for dir in "$mock" "$js"; do
  [ -d "$dir/node_modules" ] || (cd "$dir" && npm ci --no-audit --no-fund >/dev/null)
done
dotnet build -c Release "$repo/benchmarks/SupplyChain.Benchmarks" -v quiet -nologo >/dev/null
dotnet build -c Release "$repo/cli/SupplyChain.Cli" -v quiet -nologo >/dev/null
bench="$repo/benchmarks/SupplyChain.Benchmarks/bin/Release/net10.0/SupplyChain.Benchmarks.dll"
signcli="$repo/cli/SupplyChain.Cli/bin/Release/net10.0/signcli.dll"

work=$(mktemp -d)
coproc MOCK { cd "$mock" && exec node server.mjs; }
mock_pid=$MOCK_PID
trap 'kill "$mock_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
read -r -t 60 line <&"${MOCK[0]}"
printf '%s' "$line" > "$work/server.json"
port=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).port)' "$work/server.json")
node -e 'const fs=require("fs");fs.writeFileSync(process.argv[2], JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1], "utf8")).trustedRoot))' \
  "$work/server.json" "$work/trusted_root.json"
base="http://127.0.0.1:$port"

# The mock Fulcio decodes the JWT without checking its signature.
b64u() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
exp=$(( $(date +%s) + 3600 ))
token="$(b64u '{"alg":"ES256","typ":"JWT"}').$(b64u "{\"iss\":\"https://token.actions.githubusercontent.com\",\"sub\":\"https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main\",\"aud\":\"sigstore\",\"exp\":$exp}").$(b64u not-a-signature)"
printf 'a small artifact for the signing benchmark\n' > "$work/artifact.txt"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; dotnet $(dotnet --version), node $(node --version)"
for round in $(seq 1 "$rounds"); do
  dotnet "$bench" sign "$base" "$work/trusted_root.json" "$token" "$runs" | grep -E 'warm-up|median' | sed "s/^/round $round: /"
  (cd "$js" && node sign.mjs message "$work/artifact.txt" "$work/js-bundle.json" "$base" "$token" $((runs + 1))) | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const r = JSON.parse(s);
      const median = (a) => { const b = [...a].sort((x, y) => x - y); const n = b.length; return n % 2 ? b[(n - 1) / 2] : (b[n / 2 - 1] + b[n / 2]) / 2; };
      const wall = r.millis.slice(1), http = r.httpMillis.slice(1), own = wall.map((w, i) => w - http[i]);
      const [mw, mh, mo] = [median(wall), median(http), median(own)];
      console.log(`round ${process.argv[1]}: sigstore-js warm-up (first signing in the process): ${r.millis[0].toFixed(1)} ms`);
      console.log(`round ${process.argv[1]}: sigstore-js sign median of ${wall.length}: wall ${mw.toFixed(2)} ms, http ${mh.toFixed(2)} ms, own code ${mo.toFixed(2)} ms (${(100 * mo / mw).toFixed(0)}% of wall)`);
    });' "$round"
done
# One signing per process, as a one-shot sign-blob (or a sigstore-js CLI) run does: runtime start-up, JIT and
# first-use costs included. Wall time of the whole process, median of $runs each.
elapsed_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "a timed signing failed: $*" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ours_proc=$(for _ in $(seq 1 "$runs"); do elapsed_ms dotnet "$bench" sign "$base" "$work/trusted_root.json" "$token" 0; done | median)
theirs_proc=$(cd "$js" && for _ in $(seq 1 "$runs"); do elapsed_ms node sign.mjs message "$work/artifact.txt" "$work/js-bundle.json" "$base" "$token"; done | median)
signcli_proc=$(for _ in $(seq 1 "$runs"); do elapsed_ms dotnet "$signcli" sign-blob "$work/artifact.txt" --bundle "$work/signcli-bundle.json" \
  --identity-token "$token" --trusted-root "$work/trusted_root.json" --rekor-version 1 --fulcio-url "$base" --rekor-url "$base" \
  --timestamp-server-url "$base/api/v1/timestamp"; done | median)
echo "one signing per process, median of $runs: supplychain $ours_proc ms, sigstore-js $theirs_proc ms, signcli sign-blob $signcli_proc ms"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
