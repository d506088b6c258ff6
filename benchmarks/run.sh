#!/usr/bin/env bash
# Verification throughput: SupplyChain vs sigstore-js on the same six conformance bundles, same
# machine, same run, one thread each, run one after the other (never concurrently). Prints both
# figures and their ratio. Usage: benchmarks/run.sh [seconds-per-side, default 10] [rounds, default 3]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-10}
rounds=${2:-3}
dotnet build -c Release "$here/SupplyChain.Benchmarks" -v quiet -nologo >/dev/null
if [ ! -d "$here/sigstore-js/node_modules" ]; then
  (cd "$here/sigstore-js" && npm ci --no-audit --no-fund >/dev/null)
fi
for round in $(seq 1 "$rounds"); do
  ours=$(dotnet "$here/SupplyChain.Benchmarks/bin/Release/net10.0/SupplyChain.Benchmarks.dll" throughput "$seconds")
  theirs=$(node "$here/sigstore-js/bench.mjs" "$seconds")
  echo "round $round: $ours"
  echo "round $round: $theirs"
  a=$(echo "$ours" | sed -E 's/.*: ([0-9.]+) .*/\1/')
  b=$(echo "$theirs" | sed -E 's/.*: ([0-9.]+) .*/\1/')
  awk -v a="$a" -v b="$b" -v r="$round" 'BEGIN { printf "round %d: ratio supplychain/sigstore-js = %.2f\n", r, a / b }'
done
