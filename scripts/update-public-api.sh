#!/usr/bin/env bash
# Declares the current public API of every shipped assembly after a deliberate change: rebuilds the solution with the
# analyzers' findings as warnings, then adds what RS0016 reports (undeclared public symbols) to the project's
# PublicAPI.Unshipped.txt and drops what RS0017 reports (declared symbols that are gone). Review `git diff -- '*PublicAPI*'`
# afterwards: every line is a promise to the library's users. Needs python3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet build "$root/SupplyChain.sln" --no-incremental -nologo -v q -p:TreatWarningsAsErrors=false -clp:NoSummary > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
python3 "$root/scripts/update-public-api.py" "$log"
