// Attaches a Sigstore bundle made by sigstore-js to an image with @sigstore/oci, the way GitHub's actions/attest does:
// the bundle is pushed as an OCI 1.1 referrer (artifactType: the bundle's media type, for DSSE bundles
// application/vnd.dev.sigstore.bundle.v0.3+json) and, when the registry has no referrers API (distribution 2.8), listed
// in the referrers tag-schema index sha256-<hex>. The bundle is signed with @sigstore/sign's builders (what
// sigstore.attest and sigstore.sign use) against the @sigstore/mock Fulcio, Rekor v1 and TSA of mock-sigstore.mjs,
// started in this process. Prints one JSON line: {"descriptor": <the referrer manifest's descriptor>,
// "trustedRoot": <trusted_root.json of the mock's keys>}.
//
// Usage: node attest-image.mjs <dsse|message> <registry host:port> <repository> <image-digest> <identity-token> [statement-digest]
//   dsse:    a DSSE bundle over an in-toto Statement v1 whose subject is <registry>/<repository> with sha256
//            <statement-digest> (default: the image digest), predicateType https://slsa.dev/provenance/v1; annotations
//            as actions/attest sets them: dev.sigstore.bundle.content=dsse-envelope, dev.sigstore.bundle.predicateType.
//   message: a message-signature bundle over the image manifest's bytes (so its messageDigest is the image digest);
//            annotation dev.sigstore.bundle.content=message-signature. @sigstore/sign makes these v0.2 bundles.
// The identity token is a JWT whose sub and iss the mock Fulcio certifies (it does not check the signature).
// Registry credentials, when the registry needs them: REGISTRY_USERNAME and REGISTRY_PASSWORD.
import { createHash } from 'node:crypto';
import { bundleToJSON } from '@sigstore/bundle';
import { attachArtifactToImage } from '@sigstore/oci';
import { DSSEBundleBuilder, FulcioSigner, MessageSignatureBundleBuilder, RekorWitness, TSAWitness } from '@sigstore/sign';
import { startMockSigstore } from './mock-sigstore.mjs';

const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

const [mode, registry, repository, imageDigest, token, statementDigestArg] = process.argv.slice(2);
if (!['dsse', 'message'].includes(mode) || !registry || !repository || !/^sha256:[0-9a-f]{64}$/.test(imageDigest ?? '') || !token) {
  console.error('usage: node attest-image.mjs <dsse|message> <registry> <repository> <sha256:digest> <identity-token> [statement-digest]');
  process.exit(2);
}

const imageName = `${registry}/${repository}`;
const credentials = process.env.REGISTRY_USERNAME
  ? { username: process.env.REGISTRY_USERNAME, password: process.env.REGISTRY_PASSWORD ?? '' }
  : undefined;
const fetchOptions = { retry: 0, timeout: 30000 };

// The signer and witnesses sigstore.attest/sign configure (sigstore/dist/config.js initSigner, initWitnesses).
function builderOptions(base) {
  return {
    signer: new FulcioSigner({ fulcioBaseURL: base, identityProvider: { getToken: () => Promise.resolve(token) }, ...fetchOptions }),
    witnesses: [
      new RekorWitness({ rekorBaseURL: base, entryType: 'dsse', fetchOnConflict: false, ...fetchOptions }),
      new TSAWitness({ tsaBaseURL: base, ...fetchOptions }),
    ],
  };
}

async function dsseBundle(base) {
  const statementDigest = statementDigestArg ?? imageDigest;
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: imageName, digest: { sha256: statementDigest.replace(/^sha256:/, '') } }],
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: { buildType: 'https://supplychain.example/interop/sigstore-oci/v1', externalParameters: { repository } },
      runDetails: { builder: { id: 'https://github.com/sigstore/sigstore-js' } },
    },
  };
  const bundle = bundleToJSON(await new DSSEBundleBuilder(builderOptions(base)).create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' }));
  return { bundle, annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': SLSA_PROVENANCE_V1 } };
}

async function messageBundle(base) {
  const url = `http://${registry}/v2/${repository}/manifests/${imageDigest}`;
  const headers = { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json' };
  if (credentials) headers.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const manifest = Buffer.from(await response.arrayBuffer());
  if (`sha256:${createHash('sha256').update(manifest).digest('hex')}` !== imageDigest) throw new Error('the manifest does not hash to the image digest');
  const bundle = bundleToJSON(await new MessageSignatureBundleBuilder(builderOptions(base)).create({ data: manifest }));
  return { bundle, annotations: { 'dev.sigstore.bundle.content': 'message-signature' } };
}

const mock = await startMockSigstore();
try {
  const { bundle, annotations } = mode === 'dsse' ? await dsseBundle(mock.baseUrl) : await messageBundle(mock.baseUrl);
  const descriptor = await attachArtifactToImage({
    credentials,
    imageName,
    imageDigest,
    artifact: Buffer.from(JSON.stringify(bundle)),
    mediaType: bundle.mediaType, // as actions/attest: the bundle's own media type
    annotations,
  });
  console.log(JSON.stringify({ descriptor, trustedRoot: mock.trustedRoot }));
} catch (err) {
  const cause = err?.cause ? ` (${err.cause.message ?? err.cause})` : '';
  console.log(`FAIL ${err?.code ?? ''} ${err?.message ?? err}${cause}`);
  process.exitCode = 1;
} finally {
  await mock.close();
}
