// Verifies the six conformance bundles of testdata/benchmark with sigstore-js (@sigstore/verify),
// reusing one Verifier per trust root, on one thread, and prints verifications per second.
// Same bundles, same trust roots, same artifact and policy as SupplyChain.Benchmarks "throughput".
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const data = join(repo, 'testdata', 'benchmark');
const seconds = Number(process.argv[2] ?? 10);
const identity = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const issuer = 'https://token.actions.githubusercontent.com';
const cases = ['happy-path-v0.1', 'happy-path-v0.2', 'happy-path-v0.3', 'happy-path-v0.3-new-mediaType', 'happy-path-intoto-in-dsse-v3', 'rekor2-happy-path'];

const loadVerifier = (path) => new Verifier(toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(readFileSync(path, 'utf8')))));
const production = loadVerifier(join(repo, 'src', 'SupplyChain.Core', 'TrustRoots', 'trusted_root.production.json'));
const artifact = readFileSync(join(data, 'a.txt'));
const items = cases.map((name) => {
  const own = join(data, name, 'trusted_root.json');
  return { name, text: readFileSync(join(data, name, 'bundle.sigstore.json'), 'utf8'), verifier: existsSync(own) ? loadVerifier(own) : production };
});
const policy = { subjectAlternativeName: identity, extensions: { issuer } };

function verifyAll() {
  for (const item of items) {
    const bundle = bundleFromJSON(JSON.parse(item.text));
    const isDsse = bundle.content.$case === 'dsseEnvelope';
    // DSSE bundles are verified as attestations (no artifact bytes), as sigstore-js does; message bundles with the artifact.
    item.verifier.verify(toSignedEntity(bundle, isDsse ? undefined : artifact), policy);
  }
  return items.length;
}

const warmUntil = performance.now() + Math.min(3, seconds / 2) * 1000;
while (performance.now() < warmUntil) verifyAll();
let count = 0;
const start = performance.now();
while (performance.now() - start < seconds * 1000) count += verifyAll();
const elapsed = (performance.now() - start) / 1000;
console.log(`sigstore-js verifications/s: ${(count / elapsed).toFixed(1)} (${count} in ${elapsed.toFixed(1)} s, 6 bundles, 1 thread, @sigstore/verify)`);
