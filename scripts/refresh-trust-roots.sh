#!/usr/bin/env bash
# Refreshes the embedded Sigstore trusted roots from the npm package @sigstore/tuf.
#
#   scripts/refresh-trust-roots.sh [VERSION]      (default: the registry's latest)
#
# @sigstore/tuf ships seeds.json: for each TUF repository URL, the base64 of its root.json and of some
# target files, including trusted_root.json. This script writes
#   https://tuf-repo-cdn.sigstore.dev     -> src/SupplyChain.Core/TrustRoots/trusted_root.production.json
#   a *sigstage.dev* repository, if any   -> src/SupplyChain.Core/TrustRoots/trusted_root.staging.json
# and prints the package version and the sha256 of each file it wrote. A repository missing from the
# seeds leaves its file unchanged (say so in TrustRoots/README.md).
#
# Trust: the bytes are those of the npm tarball (npm checks the registry's integrity hash); they are
# not re-verified through the TUF metadata here. Record the version and hashes in TrustRoots/README.md.
# Needs: npm, node, tar, sha256sum.
set -euo pipefail

version="${1:-latest}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo/src/SupplyChain.Core/TrustRoots"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
tarball="$(npm pack "@sigstore/tuf@$version" --silent 2>/dev/null | tail -n 1)"
tar xzf "$tarball"
resolved="$(node -p 'require("./package/package.json").version')"
echo "@sigstore/tuf $resolved ($tarball, sha256 $(sha256sum "$tarball" | cut -d' ' -f1))"

node - "$work/package/seeds.json" "$out" <<'JS'
const fs = require("fs");
const path = require("path");
const [seedsPath, out] = process.argv.slice(2);
const seeds = JSON.parse(fs.readFileSync(seedsPath, "utf8"));
const wanted = { production: null, staging: null };
for (const [url, repo] of Object.entries(seeds)) {
  const target = repo.targets && repo.targets["trusted_root.json"];
  if (!target) continue;
  const kind = url === "https://tuf-repo-cdn.sigstore.dev" ? "production" : /sigstage\.dev/.test(url) ? "staging" : null;
  if (!kind) { console.error(`skipping unknown TUF repository ${url}`); continue; }
  const bytes = Buffer.from(target, "base64");
  const doc = JSON.parse(bytes.toString("utf8"));
  if (!/^application\/vnd\.dev\.sigstore\.trustedroot/.test(doc.mediaType || "")) {
    throw new Error(`${url}: trusted_root.json has media type ${doc.mediaType}`);
  }
  wanted[kind] = { url, bytes };
}
for (const [kind, found] of Object.entries(wanted)) {
  const file = path.join(out, `trusted_root.${kind}.json`);
  if (!found) {
    console.log(`${kind}: not in the seeds; ${path.basename(file)} left unchanged`);
    continue;
  }
  const before = fs.existsSync(file) ? fs.readFileSync(file) : null;
  fs.writeFileSync(file, found.bytes);
  const sha = require("crypto").createHash("sha256").update(found.bytes).digest("hex");
  const same = before && Buffer.compare(before, found.bytes) === 0;
  console.log(`${kind}: ${found.url} -> ${file} sha256 ${sha} (${same ? "unchanged" : "CHANGED"})`);
}
JS
