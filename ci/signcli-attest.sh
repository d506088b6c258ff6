#!/usr/bin/env bash
# The CI attestation step (docs/ci.md): install signcli as a .NET tool, sign an image, attest its SLSA provenance
# (built by signcli from the CI run) and, when given, its SBOM, each attached to the image as an OCI 1.1 referrer.
# Used by the GitHub composite action (ci/github/action.yml); the GitLab template (ci/gitlab/signcli.gitlab-ci.yml)
# runs the same commands. Keyless: the identity is the CI job's OIDC token (GitHub: permissions id-token: write;
# GitLab: id_tokens SIGSTORE_ID_TOKEN with aud sigstore).
#
# Inputs (environment):
#   SIGNCLI_IMAGE           the image to sign and attest (registry/repository:tag or @sha256:...), required
#   SIGNCLI_SBOM            a CycloneDX (1.4-1.6) or SPDX 2.3 JSON SBOM to attest, optional
#   SIGNCLI_SBOM_TYPE       cyclonedx (default) or spdxjson
#   SIGNCLI_VERSION         the SupplyChain.Cli tool version to install (default: the latest the sources have)
#   SIGNCLI_TOOL_SOURCE     an extra NuGet source for the tool (a feed URL or a folder of .nupkg files), optional
#   SIGNCLI_TOOL_PATH       where the tool is installed (default: $RUNNER_TEMP or $TMPDIR or /tmp, + /signcli-tool)
#   SIGNCLI_SIGNING_ARGS    extra signing flags, e.g. "--signing-config FILE --trusted-root FILE" for a private
#                           Sigstore; default: public-good Sigstore (as cosign)
# Outputs: the image digest on stdout as "digest=sha256:..." (GitHub: appended to $GITHUB_OUTPUT when set).
set -euo pipefail

image="${SIGNCLI_IMAGE:?SIGNCLI_IMAGE is required}"
sbom_type="${SIGNCLI_SBOM_TYPE:-cyclonedx}"
tool_path="${SIGNCLI_TOOL_PATH:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/signcli-tool}"
read -r -a signing_args <<< "${SIGNCLI_SIGNING_ARGS:-}"

# 1. Install signcli as a .NET tool (dotnet tool install, pinned when SIGNCLI_VERSION is set).
if [ ! -x "$tool_path/signcli" ]; then
  install=(dotnet tool install SupplyChain.Cli --tool-path "$tool_path")
  if [ -n "${SIGNCLI_VERSION:-}" ]; then install+=(--version "$SIGNCLI_VERSION"); fi
  if [ -n "${SIGNCLI_TOOL_SOURCE:-}" ]; then install+=(--add-source "$SIGNCLI_TOOL_SOURCE"); fi
  "${install[@]}" >&2
fi
signcli="$tool_path/signcli"

# 2. Resolve the tag once (signcli resolve prints registry/repository@sha256:...): everything is about this digest.
ref="$("$signcli" resolve "$image")"
digest="${ref##*@}"
echo "signcli: $image is $digest" >&2

# 3. Sign, 4. attest provenance from the CI run, 5. attest the SBOM.
"$signcli" sign "$ref" "${signing_args[@]}" >&2
"$signcli" attest "$ref" --provenance "${signing_args[@]}" >&2
if [ -n "${SIGNCLI_SBOM:-}" ]; then
  "$signcli" attest "$ref" --predicate "$SIGNCLI_SBOM" --type "$sbom_type" "${signing_args[@]}" >&2
fi

echo "digest=$digest"
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "digest=$digest" >> "$GITHUB_OUTPUT"; fi
