#!/usr/bin/env bash
# Rebuilds testdata/layout-lineage: a three-level image lineage as OCI image layouts (base -> runtime -> app), and a
# forged app whose claim names the runtime but whose layers do not start with the runtime's. Built with umoci (one
# work layout) and split into one layout per image with skopeo. Claims name the base by a path relative to the
# claiming layout (oci:../base:1.0), so the folder can be copied anywhere. Needs umoci and skopeo (Debian packages).
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/testdata/layout-lineage"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
umoci init --layout build
layer() { # tag text
  echo "$2" > "$work/f"; umoci insert --rootless --image "build:$1" "$work/f" "/$1.txt" >/dev/null
}
digest() { # tag -> manifest digest
  python3 -c 'import json,sys; i=json.load(open("build/index.json")); print([m["digest"] for m in i["manifests"] if m.get("annotations",{}).get("org.opencontainers.image.ref.name")==sys.argv[1]][0])' "$1"
}
umoci new --image build:base
layer base "the base image's only layer"
umoci config --image build:base --manifest.annotation org.opencontainers.image.base.name=scratch
umoci config --image build:base --tag runtime --clear=manifest.annotations
layer runtime "the runtime's layer"
umoci config --image build:runtime --manifest.annotation org.opencontainers.image.base.name=oci:../base:1.0 --manifest.annotation "org.opencontainers.image.base.digest=$(digest base)"
umoci config --image build:runtime --tag app --clear=manifest.annotations
layer app "the application's layer"
umoci config --image build:app --config.label org.opencontainers.image.base.name=oci:../runtime:1.0 --config.label "org.opencontainers.image.base.digest=$(digest runtime)"
# The forged app: built on something else, claiming the runtime all the same.
umoci new --image build:forged
layer forged "not the base image"
layer forged "not the runtime"
layer forged "the forged application"
umoci config --image build:forged --config.label org.opencontainers.image.base.name=oci:../runtime:1.0 --config.label "org.opencontainers.image.base.digest=$(digest runtime)"
rm -rf "$out"/base "$out"/runtime "$out"/app "$out"/forged
for image in base runtime app forged; do
  skopeo copy --quiet "oci:build:$image" "oci:$out/$image:1.0"
done
echo "wrote $out"
