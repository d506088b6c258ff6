#!/usr/bin/env bash
# Dogfood (docs/ci.md, "Dogfood"): the project's own NuGet packages get a CycloneDX SBOM (the CycloneDX dotnet tool,
# pinned in .config/dotnet-tools.json) and SLSA provenance, both attested by signcli over the packages' digests and
# signed with a Sigstore instance, then verified by signcli and by sigstore-js. CI runs it against the local instance.
#
# Usage: scripts/dogfood.sh OUT_DIR
#   OUT_DIR/packages/*.nupkg         dotnet pack (Release) of src/* and the signcli tool
#   OUT_DIR/SHA256SUMS               the packages' digests (the attestations' subjects)
#   OUT_DIR/sbom.cdx.json            CycloneDX 1.6 SBOM of the packed projects (test projects excluded)
#   OUT_DIR/provenance.sigstore.json SLSA v1 provenance: from the CI run in a recognised CI, else a self-described
#                                    builder (DOGFOOD_BUILDER_ID) with this checkout's commit
#   OUT_DIR/sbom.sigstore.json       the SBOM attestation (predicate type https://cyclonedx.org/bom)
# Environment: DOGFOOD_INSTANCE (a local instance directory; default OUT_DIR/instance, created), DOGFOOD_BUILDER_ID
# (default https://supplychain.dev/builders/dogfood-script), DOGFOOD_SKIP_SIGSTORE_JS=1 to skip the sigstore-js check.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:?usage: scripts/dogfood.sh OUT_DIR}"
mkdir -p "$out/packages"
out="$(cd "$out" && pwd)"
instance="${DOGFOOD_INSTANCE:-$out/instance}"
builder="${DOGFOOD_BUILDER_ID:-https://supplychain.dev/builders/dogfood-script}"

# 1. Pack the libraries and the tool (Release).
for project in src/*/ cli/SupplyChain.Cli; do
  dotnet pack "$project" -c Release -o "$out/packages" --nologo -v quiet >&2
done
signcli=(dotnet "cli/SupplyChain.Cli/bin/Release/net10.0/signcli.dll")
(cd "$out/packages" && sha256sum -- *.nupkg > "$out/SHA256SUMS")

# 2. The SBOM, by the CycloneDX dotnet tool (test projects excluded; CycloneDX 1.6 JSON).
dotnet tool restore >&2
dotnet tool run dotnet-CycloneDX SupplyChain.sln --exclude-test-projects --spec-version 1.6 --output-format Json \
  --output "$out" --filename sbom.cdx.json --set-name SupplyChain --set-version "$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)" >&2

# 3. Attest provenance and SBOM over the packages with signcli (the local instance, in process).
if [ ! -f "$instance/config.json" ]; then "${signcli[@]}" instance init --dir "$instance" >&2; fi
provenance=(--provenance)
ci_detected="$(env | grep -E '^(GITHUB_ACTIONS|GITLAB_CI|BUILDKITE|CIRCLECI)=true$' || true)"
commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
if [ -z "$ci_detected" ]; then
  provenance+=(--builder-id "$builder" --source-repository "https://supplychain.dev/source/supplychain" --source-ref "$(git symbolic-ref -q HEAD || echo HEAD)" --source-digest "$commit")
fi
"${signcli[@]}" attest-blob --subject-checksums "$out/SHA256SUMS" "${provenance[@]}" --bundle "$out/provenance.sigstore.json" --instance "$instance" >&2
"${signcli[@]}" attest-blob --subject-checksums "$out/SHA256SUMS" --predicate "$out/sbom.cdx.json" --type cyclonedx --bundle "$out/sbom.sigstore.json" --instance "$instance" >&2

# 4. Verify every package: signcli (predicate type, source digest, builder) and sigstore-js (an independent verifier).
identity="local-user@supplychain.localhost"
issuer="https://oidc.supplychain.localhost"
checks=()
# Source checks read the CI certificate's extensions; the local user's certificate has none, so outside CI only the
# self-described builder is checked (and the commit is read back from the verified provenance below).
if [ -z "$ci_detected" ]; then checks=(--builder-id "$builder"); fi
for package in "$out"/packages/*.nupkg; do
  "${signcli[@]}" verify-blob-attestation "$package" --bundle "$out/provenance.sigstore.json" --instance "$instance" \
    --certificate-identity "$identity" --certificate-oidc-issuer "$issuer" "${checks[@]}" >&2
  "${signcli[@]}" verify-blob-attestation "$package" --bundle "$out/sbom.sigstore.json" --type cyclonedx --instance "$instance" \
    --certificate-identity "$identity" --certificate-oidc-issuer "$issuer" >&2
  if [ "${DOGFOOD_SKIP_SIGSTORE_JS:-}" != "1" ]; then
    for bundle in provenance sbom; do
      (cd tests/interop/sigstore-js && node verify.mjs "$out/$bundle.sigstore.json" "$instance/trusted_root.json" "$package" "$identity" "$issuer") >&2
    done
  fi
done
if [ -z "$ci_detected" ]; then
  "${signcli[@]}" verify-blob-attestation "$package" --bundle "$out/provenance.sigstore.json" --instance "$instance" --output json \
    --certificate-identity "$identity" --certificate-oidc-issuer "$issuer" | grep -q "\"gitCommit\": \"$commit\"" \
    || { echo "dogfood: the verified provenance does not name commit $commit" >&2; exit 1; }
fi
echo "dogfood: $(wc -l < "$out/SHA256SUMS") packages attested (provenance and SBOM) and verified"
