#!/usr/bin/env bash
# Admission webhook start-up (issue 16 item 4): the NativeAOT executable beside the framework-dependent build the
# container image shipped before (`dotnet SupplyChain.Admission.dll`), same machine, same run, alternating order.
# Each round starts the server with the Deployment's own flags (TLS pair, policy, a mounted trusted_root.json, so no
# network is needed), polls GET /readyz every 10 ms until it answers 200 (start-to-ready), reads VmRSS, posts one
# AdmissionReview (a Pod whose image no rule covers: denied SC5101 without a registry request) and reads VmRSS and
# VmHWM again, then stops it with SIGTERM. Prints the medians per build and the native/managed ratios, and the size of
# what each build puts in the image.
# Usage: benchmarks/admission-startup/run.sh [rounds, default 10]   (needs clang + zlib1g-dev for the native publish,
# openssl and curl)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rounds=${1:-10}
out="$repo/artifacts/admission-startup"
project="$repo/admission/SupplyChain.Admission"
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "publishing both builds (once; Release)..." >&2
rm -rf "$out"   # a stale file of the other build would be counted in the sizes
dotnet publish "$project" -c Release -o "$out/managed" -p:PublishAot=false -p:UseAppHost=false -nologo -v quiet >&2
dotnet publish "$project" -c Release -r linux-x64 -p:PublishAot=true -o "$out/native" -nologo -v quiet >&2

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
sed -n '/policy.yaml: |/,$p' "$repo/admission/deploy/base/policy-configmap.yaml" | tail -n +2 | sed 's/^    //' > "$work/policy.yaml"
cp "$repo/testdata/github-instance/trusted_root.staging.json" "$work/trusted_root.json"
review="$work/review.json"
cat > "$review" <<'JSON'
{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"7f0b2c1e-1111-4a4a-9b9b-000000000001",
"kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
"namespace":"default","operation":"CREATE","userInfo":{"username":"bench"},
"object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},
"spec":{"containers":[{"name":"c","image":"unruled.example/app@sha256:0000000000000000000000000000000000000000000000000000000000000000"}]}}}}
JSON

now_ms() { date +%s%3N; }
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# One round of BUILD: prints "ready_ms rss_ready_kib rss_after_review_kib hwm_kib".
run_once() {
  local build=$1 port=$((20000 + RANDOM % 20000)) start ready
  local flags=(--listen "127.0.0.1:$port" --tls-cert "$work/tls.crt" --tls-key "$work/tls.key" --policy "$work/policy.yaml" --trusted-root "$work/trusted_root.json")
  start=$(now_ms)
  if [ "$build" = native ]; then
    "$out/native/SupplyChain.Admission" "${flags[@]}" >"$work/$build.log" 2>&1 &
  else
    dotnet "$out/managed/SupplyChain.Admission.dll" "${flags[@]}" >"$work/$build.log" 2>&1 &
  fi
  pid=$!
  until [ "$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/readyz" || true)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/$build.log" >&2; exit 1; }
    sleep 0.01
  done
  ready=$(( $(now_ms) - start ))
  local rss_ready; rss_ready=$(status_kib "$pid" VmRSS)
  curl -sk -o "$work/answer.json" -H 'Content-Type: application/json' --data-binary "@$review" "https://127.0.0.1:$port/validate"
  grep -q '"allowed":false' "$work/answer.json" || { echo "unexpected answer: $(cat "$work/answer.json")" >&2; exit 1; }
  echo "$ready $rss_ready $(status_kib "$pid" VmRSS) $(status_kib "$pid" VmHWM)"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

: > "$work/native.txt"; : > "$work/managed.txt"
run_once native >/dev/null; run_once managed >/dev/null   # warm the page cache for both
for i in $(seq 1 "$rounds"); do
  if [ $((i % 2)) = 1 ]; then order="native managed"; else order="managed native"; fi
  for b in $order; do run_once "$b" >> "$work/$b.txt"; done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$2" '{ print $c }' "$work/$1.txt" | median; }
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %16s %16s %22s %14s\n' build "start-to-ready ms" "RSS ready MiB" "RSS after review MiB" "peak RSS MiB"
for b in native managed; do
  printf '%-8s %16s %16.1f %22.1f %14.1f\n' "$b" "$(col "$b" 1)" "$(echo "$(col "$b" 2) / 1024" | bc -l)" \
    "$(echo "$(col "$b" 3) / 1024" | bc -l)" "$(echo "$(col "$b" 4) / 1024" | bc -l)"
done
printf 'ratio native/managed: start-to-ready %.2f, RSS after review %.2f\n' \
  "$(echo "$(col native 1) / $(col managed 1)" | bc -l)" "$(echo "$(col native 3) / $(col managed 3)" | bc -l)"
printf 'image payload: native %s bytes (the executable, symbols excluded); managed %s bytes (the publish folder, plus the ASP.NET Core runtime in the base image)\n' \
  "$(stat -c %s "$out/native/SupplyChain.Admission")" "$(du -sb --exclude='*.pdb' --exclude='*.xml' "$out/managed" | cut -f1)"
