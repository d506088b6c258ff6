// Attaches a Sigstore bundle made by sigstore-js to an image with @sigstore/oci, the way GitHub's actions/attest does:
// the bundle is pushed as an OCI 1.1 referrer (artifactType application/vnd.dev.sigstore.bundle.v0.3+json) and, when
// the registry has no referrers API (distribution 2.8), listed in the referrers tag-schema index sha256-<hex>.
// Prints the referrer manifest's descriptor as one JSON line.
//
// Usage: node attest-image.mjs <dsse|message> <registry host:port> <repository> <image-digest> <sigstore-base-url> <identity-token>
//          [statement-digest]
//   dsse:    a DSSE bundle (as sigstore.attest makes) over an in-toto Statement v1 whose subject is <registry>/<repository> with
//            sha256 <statement-digest> (default: the image digest), predicateType https://slsa.dev/provenance/v1;
//            annotations dev.sigstore.bundle.content=dsse-envelope, dev.sigstore.bundle.predicateType=<type>.
//   message: a message-signature bundle (as sigstore.sign makes) over the image manifest's bytes, so its messageDigest is the
//            image digest; annotation dev.sigstore.bundle.content=message-signature.
// Fulcio, Rekor v2 and the TSA are all served under <sigstore-base-url> (e.g. tests/interop/sigstore-mock/server.mjs).
// Registry credentials, when the registry needs them: REGISTRY_USERNAME and REGISTRY_PASSWORD.
import { createHash } from 'node:crypto';
import { attachArtifactToImage } from '@sigstore/oci';
import { bundleToJSON } from '@sigstore/bundle';
import { DSSEBundleBuilder, FulcioSigner, MessageSignatureBundleBuilder, RekorWitness, TSAWitness } from '@sigstore/sign';

const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

const [mode, registry, repository, imageDigest, baseUrl, token, statementDigestArg] = process.argv.slice(2);
if (!['dsse', 'message'].includes(mode) || !registry || !repository || !/^sha256:[0-9a-f]{64}$/.test(imageDigest ?? '') || !baseUrl || !token) {
  console.error('usage: node attest-image.mjs <dsse|message> <registry> <repository> <sha256:digest> <sigstore-base-url> <identity-token> [statement-digest]');
  process.exit(2);
}

const base = baseUrl.replace(/\/+$/, '');
const fetchOptions = { retry: 0, timeout: 30000 };

// The witnesses of sigstore.attest/sign (sigstore/dist/config.js), with Rekor v2: @sigstore/mock's Rekor v1 stores a
// proposed dsse entry verbatim where Rekor canonicalizes it (envelopeHash/payloadHash), so a v1 dsse entry from the
// mock does not describe the envelope and verifiers rightly refuse it; its Rekor v2 log entries are well-formed.
function builderOptions() {
  return {
    signer: new FulcioSigner({ fulcioBaseURL: base, identityProvider: { getToken: () => Promise.resolve(token) }, ...fetchOptions }),
    witnesses: [
      new RekorWitness({ rekorBaseURL: base, majorApiVersion: 2, entryType: 'dsse', fetchOnConflict: false, ...fetchOptions }),
      new TSAWitness({ tsaBaseURL: base, ...fetchOptions }),
    ],
  };
}
const imageName = `${registry}/${repository}`;
const credentials = process.env.REGISTRY_USERNAME
  ? { username: process.env.REGISTRY_USERNAME, password: process.env.REGISTRY_PASSWORD ?? '' }
  : undefined;

async function dsseBundle() {
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
  const bundle = bundleToJSON(await new DSSEBundleBuilder(builderOptions()).create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' }));
  return { bundle, annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': SLSA_PROVENANCE_V1 } };
}

async function messageBundle() {
  const url = `http://${registry}/v2/${repository}/manifests/${imageDigest}`;
  const headers = { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json' };
  if (credentials) headers.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const manifest = Buffer.from(await response.arrayBuffer());
  if (`sha256:${createHash('sha256').update(manifest).digest('hex')}` !== imageDigest) throw new Error('the manifest does not hash to the image digest');
  const bundle = bundleToJSON(await new MessageSignatureBundleBuilder(builderOptions()).create({ data: manifest }));
  return { bundle, annotations: { 'dev.sigstore.bundle.content': 'message-signature' } };
}

try {
  const { bundle, annotations } = mode === 'dsse' ? await dsseBundle() : await messageBundle();
  const descriptor = await attachArtifactToImage({
    credentials,
    imageName,
    imageDigest,
    artifact: Buffer.from(JSON.stringify(bundle)),
    mediaType: bundle.mediaType, // as actions/attest: the bundle's own media type, application/vnd.dev.sigstore.bundle.v0.3+json
    annotations,
  });
  console.log(JSON.stringify(descriptor));
} catch (err) {
  const cause = err?.cause ? ` (${err.cause.message ?? err.cause})` : '';
  console.log(`FAIL ${err?.code ?? ''} ${err?.message ?? err}${cause}`);
  process.exit(1);
}
