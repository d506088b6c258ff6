#!/usr/bin/env python3
"""Rewrites PublicAPI.Unshipped.txt of every project the Roslyn public API analyzer reports on, from a build log.

Usage (scripts/update-public-api.sh runs it): update-public-api.py BUILD_LOG
RS0016 (a public symbol not declared) adds the symbol to the project's PublicAPI.Unshipped.txt; RS0017 (a declared
symbol that is gone or no longer public) removes it from Unshipped (a symbol in Shipped is never removed here: removing
shipped API is a breaking change a person decides). Review the diff afterwards.
"""
import collections
import os
import re
import sys

DIAGNOSTIC = re.compile(r"(?:warning|error) (RS0016|RS0017): Symbol '(.*)' is (?:not part of the declared public API|part of the declared API, but is either not public or could not be found).*\[(.+\.csproj)\]$")

def main(log_path):
    added = collections.defaultdict(set)
    removed = collections.defaultdict(set)
    with open(log_path, encoding="utf-8") as log:
        for line in log:
            match = DIAGNOSTIC.search(line.rstrip())
            if not match:
                continue
            rule, symbol, project = match.groups()
            folder = os.path.dirname(project)
            (added if rule == "RS0016" else removed)[folder].add(symbol)
    for folder in sorted(set(added) | set(removed)):
        path = os.path.join(folder, "PublicAPI.Unshipped.txt")
        lines = []
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                lines = [l.rstrip("\n") for l in f if l.strip() and l.strip() != "#nullable enable"]
        kept = [l for l in lines if l not in removed[folder]]
        result = sorted(set(kept) | added[folder], key=lambda s: s.lstrip("~").removeprefix("abstract ").removeprefix("override ").removeprefix("virtual ").removeprefix("static ").removeprefix("const ").removeprefix("readonly "))
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("#nullable enable\n")
            f.writelines(l + "\n" for l in result)
        print(f"{os.path.relpath(path)}: +{len(added[folder])} -{len(lines) - len(kept)}")

if __name__ == "__main__":
    main(sys.argv[1])
