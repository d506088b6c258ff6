// Reads Sigstore bundles with sigstore-js (@sigstore/bundle bundleFromJSON, which checks each version's rules) and
// writes them back with bundleToJSON (the protobuf-specs generated toJSON: proto3 JSON, fields in declaration order,
// default values left out), serialized with JSON.stringify: sigstore-js's canonical bundle JSON.
// Usage: node roundtrip.mjs <bundle.json>...
// Prints one line per bundle: "<path>\tOK\t<json>" or "<path>\tERR\t<message>". Exits 0.
import { readFileSync } from 'node:fs';
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';

for (const path of process.argv.slice(2)) {
  try {
    const bundle = bundleFromJSON(JSON.parse(readFileSync(path, 'utf8')));
    console.log(`${path}\tOK\t${JSON.stringify(bundleToJSON(bundle))}`);
  } catch (e) {
    console.log(`${path}\tERR\t${String(e.message ?? e).replace(/\s+/g, ' ')}`);
  }
}
