// Verifies a Sigstore bundle with sigstore-js (an independent verifier) against a trusted root.
// Usage: node verify.mjs <bundle.json> <trusted_root.json> <artifact> <identity> <issuer>
// A key-signed bundle passes identity 'key:<path to PEM public key>' (the issuer is then ignored).
// Prints OK and exits 0 on success; prints the error and exits 1 on failure.
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bundleFromJSON } from '@sigstore/bundle';
import { PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';

const [bundlePath, rootPath, artifactPath, identity, issuer] = process.argv.slice(2);
if (!bundlePath || !rootPath || !artifactPath || !identity || !issuer) {
  console.error('usage: node verify.mjs <bundle.json> <trusted_root.json> <artifact> <identity> <issuer>');
  process.exit(2);
}

try {
  const bundle = bundleFromJSON(JSON.parse(readFileSync(bundlePath, 'utf8')));
  const root = TrustedRoot.fromJSON(JSON.parse(readFileSync(rootPath, 'utf8')));
  const artifact = readFileSync(artifactPath);
  const keyPath = identity.startsWith('key:') ? identity.slice(4) : undefined;
  const keys = keyPath && bundle.verificationMaterial.content.$case === 'publicKey'
    ? {
        [bundle.verificationMaterial.content.publicKey.hint]: {
          rawBytes: createPublicKey(readFileSync(keyPath, 'utf8')).export({ type: 'spki', format: 'der' }),
          keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
          validFor: { start: new Date(0) },
        },
      }
    : undefined;
  const verifier = new Verifier(toTrustMaterial(root, keys), {
    tlogThreshold: 1,
    ctlogThreshold: keyPath ? 0 : 1,
    timestampThreshold: 1,
  });
  const dsse = bundle.content.$case === 'dsseEnvelope' ? bundle.content.dsseEnvelope : undefined;
  // A DSSE bundle signs the envelope, not the artifact: sigstore-js checks the signature, and
  // this script checks that an in-toto subject carries the artifact's SHA-256.
  const entity = dsse ? toSignedEntity(bundle) : toSignedEntity(bundle, artifact);
  verifier.verify(entity, keyPath ? undefined : { subjectAlternativeName: identity, extensions: { issuer } });
  if (dsse) {
    const digest = createHash('sha256').update(artifact).digest('hex');
    const statement = JSON.parse(Buffer.from(dsse.payload).toString('utf8'));
    if (dsse.payloadType !== 'application/vnd.in-toto+json' || !statement.subject?.some((s) => s.digest?.sha256 === digest)) {
      throw new Error(`no in-toto subject has sha256 ${digest}`);
    }
  }
  console.log('OK');
} catch (err) {
  console.log(`FAIL ${err?.code ?? ''} ${err?.message ?? err}`);
  process.exit(1);
}
