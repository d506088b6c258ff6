#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with afl-fuzz (Debian's afl++) and SharpFuzz (docs/fuzzing.md).
#
#   scripts/fuzz.sh TARGET SECONDS        publish + instrument (when stale), then fuzz TARGET for SECONDS
#   scripts/fuzz.sh --build               publish + instrument only
#   scripts/fuzz.sh --list                the targets
#   scripts/fuzz.sh --all SECONDS [T...]  every target (or those named), one after another, SECONDS each
#
# Findings go to artifacts/fuzz/findings/TARGET (crashes/, hangs/, queue/, fuzzer_stats); a summary line with the
# executions per second, edges and map density is printed at the end and appended to artifacts/fuzz/campaigns.tsv.
# Each target names its dictionary, per-input timeout and GC heap limit (`--list`). Environment: FUZZ_NICE (default 19),
# FUZZ_MEMORY / FUZZ_TIMEOUT_MS (override the target's), FUZZ_RESUME=1 (continue an earlier campaign), FUZZ_NO_BUILD=1
# (use the instrumented build as it is), FUZZ_IN_PROCESS=1 (SharpFuzz in-process mode: faster, but a stack overflow
# ends the campaign).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/fuzz/SupplyChain.Fuzz"
out="$root/artifacts/fuzz"
bin="$out/bin"
export PATH="$PATH:$HOME/.dotnet/tools"

build() {
  if [ "${FUZZ_NO_BUILD:-0}" = 1 ] && [ -f "$bin/.instrumented" ]; then return 0; fi
  local stamp="$bin/.instrumented"
  local newest
  newest="$(find "$root/src" "$root/admission/SupplyChain.Admission" "$project" -name '*.cs' -newer "$stamp" -print -quit 2>/dev/null || true)"
  if [ -f "$stamp" ] && [ -z "$newest" ]; then return 0; fi
  # Built and instrumented beside the current build, which is replaced only when both succeed.
  local next="$out/bin.next"
  rm -rf "$next"
  # The stamp carries the time the build started, so a source edited while it runs makes the next campaign rebuild.
  mkdir -p "$out"
  touch "$out/.build-started"
  nice -n "${FUZZ_NICE:-19}" dotnet publish "$project" -c Release -o "$next" -p:UseAppHost=false --nologo -v quiet
  command -v sharpfuzz >/dev/null 2>&1 || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0
  # Instrument the SupplyChain libraries only: the BCL and third-party packages are not ours to steer into.
  for dll in "$next"/SupplyChain.*.dll; do
    case "$(basename "$dll")" in SupplyChain.Fuzz.dll) continue ;; esac
    sharpfuzz "$dll" >/dev/null
  done
  touch -r "$out/.build-started" "$next/.instrumented"
  rm -rf "$bin"
  mv "$next" "$bin"
}

case "${1:-}" in
  --build) build; exit 0 ;;
  --list) build; dotnet "$bin/SupplyChain.Fuzz.dll" list; exit 0 ;;
  --all)
    seconds="${2:?usage: scripts/fuzz.sh --all SECONDS [TARGET...]}"; shift 2
    build
    targets=("$@")
    [ "${#targets[@]}" -gt 0 ] || mapfile -t targets < <(dotnet "$bin/SupplyChain.Fuzz.dll" list | awk '{ print $1 }')
    status=0
    # Each campaign rebuilds first when a source changed since the last build (a fix lands in the next campaign).
    for t in "${targets[@]}"; do "$0" "$t" "$seconds" || status=1; done
    exit "$status" ;;
  ""|-h|--help) sed -n '2,15p' "$0"; exit 2 ;;
esac

target="$1"
seconds="${2:?usage: scripts/fuzz.sh TARGET SECONDS}"
command -v afl-fuzz >/dev/null 2>&1 || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 1; }
build
corpus="$root/fuzz/corpus/$target"
[ -d "$corpus" ] || { echo "no corpus folder $corpus" >&2; exit 1; }
read -r _ dict timeout memory _ < <(dotnet "$bin/SupplyChain.Fuzz.dll" list | awk -v t="$target" '$1 == t') || true
[ -n "${dict:-}" ] || { echo "unknown target $target" >&2; exit 1; }
findings="$out/findings/$target"
input=(-i "$corpus")
if [ "${FUZZ_RESUME:-0}" = 1 ] && [ -d "$findings" ]; then input=(-i -); else rm -rf "$findings"; fi
mkdir -p "$out/findings"

mode=afl
[ "${FUZZ_IN_PROCESS:-0}" = 1 ] && mode=afl-in-process
# The .NET host is not compiled with afl's instrumentation (SharpFuzz reports coverage itself), hence AFL_SKIP_BIN_CHECK.
# The GC hard limit turns unbounded allocation into an OutOfMemoryException, which escapes the contract as a crash.
env AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    AFL_AUTORESUME=1 DOTNET_GCHeapHardLimit="${FUZZ_MEMORY:-$memory}" DOTNET_TieredPGO=0 DOTNET_gcServer=0 \
  nice -n "${FUZZ_NICE:-19}" afl-fuzz "${input[@]}" -o "$findings" -x "$root/fuzz/dict/$dict" -t "${FUZZ_TIMEOUT_MS:-$timeout}" -m none \
    -V "$seconds" -- dotnet "$bin/SupplyChain.Fuzz.dll" "$mode" "$target" > "$out/$target.log" 2>&1 || {
  echo "afl-fuzz failed; see $out/$target.log" >&2; tail -20 "$out/$target.log" >&2; exit 1; }

stats="$findings/default/fuzzer_stats"
field() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
line="$(printf '%s\t%ss\texecs=%s\texecs/s=%s\tedges=%s\tdensity=%s\tcorpus=%s\tcrashes=%s\thangs=%s' \
  "$target" "$seconds" "$(field execs_done)" "$(field execs_per_sec)" "$(field edges_found)" "$(field bitmap_cvg)" \
  "$(field corpus_count)" "$(field saved_crashes)" "$(field saved_hangs)")"
echo "$line"
echo "$(date -u +%FT%TZ)	$line" >> "$out/campaigns.tsv"
