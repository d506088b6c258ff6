// The Sigstore project's @sigstore/mock Fulcio, Rekor v1 and TSA, served in-process on 127.0.0.1 for attest-image.mjs,
// and the trusted_root.json (protobuf-specs TrustedRoot) made from their keys.
//
// One difference from tests/interop/sigstore-mock/server.mjs: @sigstore/mock's Rekor v1 logs the proposed dsse entry
// verbatim (spec.proposedContent), where Rekor canonicalizes it (rekor pkg/types/dsse/v0.0.1: spec.envelopeHash,
// spec.payloadHash, spec.signatures[{signature, verifier}]); verifiers (signcli, sigstore-js) check the payloadHash and
// signatures of that canonical body, so this log canonicalizes dsse entries as Rekor does before logging them.
// (Its Rekor v2 is no alternative: its inclusion proofs name a random logIndex in a tree of size 1.)
import crypto from 'node:crypto';
import http from 'node:http';
import { fulcioHandler, initializeCA, initializeCTLog, initializeTLog, initializeTSA, rekorHandler, tsaHandler } from '@sigstore/mock';

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

/** Rekor's canonical dsse 0.0.1 body for a proposed entry (rekor pkg/types/dsse/v0.0.1/entry.go, Canonicalize). */
function canonicalDsse(proposed) {
  const { envelope, verifiers } = proposed.spec.proposedContent;
  const parsed = JSON.parse(envelope);
  return {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(envelope) },
      payloadHash: { algorithm: 'sha256', value: sha256(Buffer.from(parsed.payload, 'base64')) },
      signatures: parsed.signatures.map((s) => ({ signature: s.sig, verifier: verifiers[0] })),
    },
  };
}

/** Starts the services; returns { baseUrl, trustedRoot, close }. */
export async function startMockSigstore() {
  const keyPair = () => crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ctKeys = keyPair();
  const tlogKeys = keyPair();
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${server.address().port}`;

  const ctlog = await initializeCTLog(ctKeys);
  const ca = await initializeCA(keyPair(), ctlog);
  const tlog = await initializeTLog(baseUrl, tlogKeys);
  const tsa = await initializeTSA(keyPair());
  const log = tlog.log.bind(tlog);
  tlog.log = (proposed) => log(proposed?.kind === 'dsse' && proposed.spec?.proposedContent ? canonicalDsse(proposed) : proposed);

  // DER GeneralizedTime drops trailing zeros of fractional seconds (X.690 section 11.7.3) and sigstore-js's parser
  // accepts only three fraction digits: keep the TSA's clock off multiples of 10 ms (as server.mjs does).
  tsa.getCurrentTime = () => {
    const now = new Date();
    if (now.getMilliseconds() % 10 === 0) now.setMilliseconds(now.getMilliseconds() + 1);
    return now;
  };

  const handlers = [fulcioHandler(ca, { strict: true }), rekorHandler(tlog, { strict: true }), tsaHandler(tsa, { strict: true })];
  server.on('request', (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const handler = req.method === 'POST' ? handlers.find((h) => h.path === req.url) : undefined;
      let result;
      try {
        result = handler ? await handler.fn(Buffer.concat(chunks).toString('utf8')) : { statusCode: 404, response: 'not found' };
      } catch (e) {
        result = { statusCode: 500, response: String(e?.message) };
      }
      res.writeHead(result.statusCode, { 'Content-Type': result.contentType || 'text/plain' });
      res.end(result.response);
    });
  });

  const b64 = (b) => Buffer.from(b).toString('base64');
  const start = '2000-01-01T00:00:00Z';
  const keyId = (spki) => crypto.createHash('sha256').update(spki).digest('base64');
  const log0 = (spki) => ({
    baseUrl, hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: b64(spki), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
    logId: { keyId: keyId(spki) },
  });
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [log0(tlog.publicKey)],
    certificateAuthorities: [{
      subject: { organization: 'sigstore.mock', commonName: 'sigstore' }, uri: baseUrl,
      certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] }, validFor: { start },
    }],
    ctlogs: [log0(ctlog.publicKey)],
    timestampAuthorities: [{
      subject: { organization: 'sigstore.mock', commonName: 'sigstore-tsa' }, uri: baseUrl,
      certChain: { certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }] },
      validFor: { start },
    }],
  };

  return { baseUrl, trustedRoot, close: () => new Promise((resolve) => server.close(resolve)) };
}
