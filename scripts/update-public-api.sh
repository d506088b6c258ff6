#!/usr/bin/env bash
# Declares the current public API of every shipped assembly after a deliberate change: builds the solution with the
# analyzers' findings as warnings (the API files are touched first, so exactly the projects that declare an API compile
# again and report, while the rest of the build stays incremental), then adds what RS0016 reports (undeclared public symbols) to the project's
# PublicAPI.Unshipped.txt and drops what RS0017 reports (declared symbols that are gone). Review `git diff -- '*PublicAPI*'`
# afterwards: every line is a promise to the library's users. Needs python3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
find "$root/src" "$root/admission" -name 'PublicAPI.*.txt' -not -path '*/bin/*' -not -path '*/obj/*' -exec touch {} +
status=0
dotnet build "$root/SupplyChain.sln" "$@" -nologo -v q -p:TreatWarningsAsErrors=false -clp:NoSummary > "$log" 2>&1 || status=$?
python3 "$root/scripts/update-public-api.py" "$log"
if [ "$status" != 0 ]; then
  # Errors other than the analyzer's (a test project that does not compile) are the caller's to fix; the API files of
  # the projects that compiled are updated all the same.
  grep -E ' error ' "$log" | sort -u >&2
  exit "$status"
fi
