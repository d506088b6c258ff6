#!/usr/bin/env bash
# Admission webhook (issue 7), same machine, same run:
#   (a) warm cache: Debian's `hey` posts a Pod AdmissionReview (one key-signed image, verdict cached) over TLS at a
#       fixed 1,000 requests/s (10 workers x 100/s) for SECONDS to the webhook, then to the peer baseline: a trivial
#       Kestrel TLS endpoint on the same certificate that reads the body and answers a constant AdmissionReview (the
#       floor of the HTTP/TLS stack). p50/p90/p99, achieved rate, status codes; webhook/baseline ratios. Then an
#       unthrottled run (32 workers, 20 s) against each for the throughput ceiling.
#       (`SupplyChain.Benchmarks admission-serve DIR` serves both, with docker-registry on 127.0.0.1.)
#   (b) cold: `SupplyChain.Benchmarks admission-cold RUNS`: a Pod whose image has a 3-level signed lineage, empty
#       verdict cache per run, registry client cold and warm; median and p95.
# hey, not bombardier: Debian's "bombardier" package is a game, not the HTTP load tool.
# Usage: benchmarks/admission/run.sh [seconds at 1,000/s, default 60] [cold runs, default 30]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
seconds=${1:-60}
runs=${2:-30}
command -v hey >/dev/null || { echo "hey is missing: apt-get install hey" >&2; exit 1; }
dotnet build -c Release "$repo/benchmarks/SupplyChain.Benchmarks" -v quiet -nologo >/dev/null
bench="$repo/benchmarks/SupplyChain.Benchmarks/bin/Release/net10.0/SupplyChain.Benchmarks.dll"

work=$(mktemp -d)
mkfifo "$work/stdin"
dotnet "$bench" admission-serve "$work" <"$work/stdin" >"$work/serve.log" 2>&1 &
serve_pid=$!
exec 3>"$work/stdin" # closing fd 3 ends admission-serve's standard input: it stops
cleanup() { exec 3>&- || true; for _ in $(seq 1 100); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.1; done; kill "$serve_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 900); do
  [ -f "$work/ready" ] && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
[ -f "$work/ready" ] || { echo "admission-serve did not become ready" >&2; cat "$work/serve.log" >&2; exit 1; }
webhook=$(cat "$work/webhook.url")
baseline=$(cat "$work/baseline.url")

# One hey run; prints "rps p50 p90 p99" (ms) and keeps the whole output in $work/NAME.txt.
load() {
  local name=$1 url=$2; shift 2
  hey -m POST -T application/json -D "$work/body.json" -t 10 "$@" "$url" >"$work/$name.txt"
  awk '/Requests\/sec:/ { rps = $2 } /^ *50% in/ { p50 = $3 * 1000 } /^ *90% in/ { p90 = $3 * 1000 } /^ *99% in/ { p99 = $3 * 1000 }
       END { printf "%.1f %.2f %.2f %.2f\n", rps, p50, p90, p99 }' "$work/$name.txt"
}
codes() { sed -n '/Status code distribution:/,$p' "$work/$1.txt" | grep -E '^\s+\[' | tr -s ' \t' ' ' | paste -sd';' -; }

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; dotnet $(dotnet --version); hey $(dpkg-query -W -f='${Version}' hey 2>/dev/null)"
printf '%-34s %10s %9s %9s %9s  %s\n' "run" "req/s" "p50 ms" "p90 ms" "p99 ms" "status codes / errors"
read -r w_rps w_p50 w_p90 w_p99 < <(load webhook-rate "$webhook" -c 10 -q 100 -z "${seconds}s")
printf '%-34s %10s %9s %9s %9s  %s\n' "webhook, 1,000/s, ${seconds} s" "$w_rps" "$w_p50" "$w_p90" "$w_p99" "$(codes webhook-rate)"
read -r b_rps b_p50 b_p90 b_p99 < <(load baseline-rate "$baseline" -c 10 -q 100 -z "${seconds}s")
printf '%-34s %10s %9s %9s %9s  %s\n' "baseline, 1,000/s, ${seconds} s" "$b_rps" "$b_p50" "$b_p90" "$b_p99" "$(codes baseline-rate)"
awk -v a="$w_p50" -v b="$b_p50" -v c="$w_p99" -v d="$b_p99" 'BEGIN { printf "webhook / baseline at 1,000/s: p50 x%.2f, p99 x%.2f\n", a / b, c / d }'
read -r w_max w_mp50 _ w_mp99 < <(load webhook-max "$webhook" -c 32 -z 20s)
printf '%-34s %10s %9s %9s %9s  %s\n' "webhook, unthrottled, 32 workers" "$w_max" "$w_mp50" "-" "$w_mp99" "$(codes webhook-max)"
read -r b_max b_mp50 _ b_mp99 < <(load baseline-max "$baseline" -c 32 -z 20s)
printf '%-34s %10s %9s %9s %9s  %s\n' "baseline, unthrottled, 32 workers" "$b_max" "$b_mp50" "-" "$b_mp99" "$(codes baseline-max)"
awk -v a="$w_max" -v b="$b_max" 'BEGIN { printf "webhook / baseline throughput: x%.2f\n", a / b }'
echo "load after the warm runs: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$bench" admission-cold "$runs"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
