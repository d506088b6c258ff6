// Signs a file with sigstore-js's @sigstore/sign driven by a signing_config.json (v0.2), as sigstore-js picks
// services from it: the highest supported Rekor API version (2 for the local instance), the CA and the TSA.
// Used against `signcli instance serve` (tests/SupplyChain.Instance.Tests, docs/instance.md).
// Usage: node sign-config.mjs <message|dsse> <artifact> <bundle-out.json> <signing_config.json> <identity-token> [repeat]
//   repeat: sign that many times in this process and print {"runs": N, "millis": [...]} (benchmarks).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { bundleToJSON } from '@sigstore/bundle';
import { SigningConfig } from '@sigstore/protobuf-specs';
import { bundleBuilderFromSigningConfig } from '@sigstore/sign';

const [mode, artifactPath, outPath, configPath, token, repeatArg] = process.argv.slice(2);
if (!['message', 'dsse'].includes(mode) || !artifactPath || !outPath || !configPath || !token) {
  console.error('usage: node sign-config.mjs <message|dsse> <artifact> <bundle-out.json> <signing_config.json> <identity-token> [repeat]');
  process.exit(2);
}

const signingConfig = SigningConfig.fromJSON(JSON.parse(readFileSync(configPath, 'utf8')));
const builder = bundleBuilderFromSigningConfig({
  signingConfig,
  identityProvider: { getToken: () => Promise.resolve(token) },
  bundleType: mode === 'message' ? 'messageSignature' : 'dsseEnvelope',
  fetchOptions: { retry: 0, timeout: 30000 },
});
const artifact = readFileSync(artifactPath);

async function once() {
  if (mode === 'message') return builder.create({ data: artifact });
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: basename(artifactPath), digest: { sha256: createHash('sha256').update(artifact).digest('hex') } }],
    predicateType: 'https://supplychain.example/interop/v1',
    predicate: {},
  };
  return builder.create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' });
}

try {
  const runs = repeatArg ? Number.parseInt(repeatArg, 10) : 1;
  const millis = [];
  let bundle;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    bundle = await once();
    millis.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  writeFileSync(outPath, JSON.stringify(bundleToJSON(bundle)));
  console.log(repeatArg ? JSON.stringify({ runs, millis }) : 'OK');
} catch (err) {
  console.log(`FAIL ${err?.code ?? ''} ${err?.message ?? err}${err?.cause ? ` (${err.cause.message ?? err.cause})` : ''}`);
  process.exit(1);
}
