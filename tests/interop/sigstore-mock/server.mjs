// Serves the Sigstore project's @sigstore/mock handlers (Fulcio, Rekor v1/v2, TSA) on 127.0.0.1 on a
// free port, so BundleSigner can be tested against an independent implementation of the services.
// Prints one JSON line: {"port": N, "trustedRoot": {...}} where trustedRoot is a trusted_root.json
// (protobuf-specs TrustedRoot) built from the mock's CA, CT log, transparency log and TSA keys.
// Runs until stdin closes (the test process ends) or SIGTERM.
//
// The mock TSA handler takes the Sigstore timestamp-authority JSON request; RFC 3161 clients send a DER
// TimeStampReq (RFC 3161 section 2.4.1, content type application/timestamp-query), so this server
// decodes the DER request with pkijs and hands the fields to the mock TSA.
import http from 'node:http';
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  fulcioHandler, initializeCA, initializeCTLog, initializeTLog, initializeTSA,
  rekorHandler, rekorV2Handler, tsaHandler,
} from '@sigstore/mock';

const keyPair = () => crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ctKeys = keyPair();
const caKeys = keyPair();
const tlogKeys = keyPair();
const tsaKeys = keyPair();

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;
const base = `http://127.0.0.1:${port}`;

const ctlog = await initializeCTLog(ctKeys);
const ca = await initializeCA(caKeys, ctlog);
const tlog = await initializeTLog(base, tlogKeys);
const tsa = await initializeTSA(tsaKeys);

// DER GeneralizedTime drops trailing zeros of fractional seconds (X.690 section 11.7.3), so pkijs writes
// "...05.12Z" when the milliseconds end in 0, and sigstore-js's parser accepts only three fraction digits.
// Keep the TSA's clock off multiples of 10 ms so every genTime has three digits.
tsa.getCurrentTime = () => {
  const now = new Date();
  if (now.getMilliseconds() % 10 === 0) now.setMilliseconds(now.getMilliseconds() + 1);
  return now;
};

// Keep an RFC 3161 request's nonce bytes exactly (the mock encodes a JS number, which cannot hold a 64-bit nonce).
// JSON requests (sigstore-js) carry no nonceHex and keep the mock's own nonce: an Integer made from an undefined
// valueHex would be a zero-length INTEGER, which is not DER (X.690 section 8.3.1).
const tstInfo = tsa.tstInfo.bind(tsa);
tsa.tstInfo = (req) => {
  if (req.nonceHex === undefined) return tstInfo(req);
  const info = tstInfo({ ...req, nonce: 0 });
  info.nonce = new asn1js.Integer({ valueHex: req.nonceHex });
  return info;
};

const fulcio = fulcioHandler(ca, { strict: true });
const rekor = rekorHandler(tlog, { strict: true });
const rekorV2 = rekorV2Handler(tlog, { strict: true });
const timestamp = tsaHandler(tsa, { strict: true });
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

async function rfc3161(body) {
  const req = pkijs.TimeStampReq.fromBER(new Uint8Array(body).buffer);
  const response = await tsa.timestamp({
    artifactHash: Buffer.from(req.messageImprint.hashedMessage.valueBlock.valueHexView),
    hashAlgorithmOID: req.messageImprint.hashAlgorithm.algorithmId,
    nonce: 0,
    nonceHex: req.nonce ? req.nonce.valueBlock.valueHexView : new Uint8Array([0]),
    policyOID: req.reqPolicy || '1.3.6.1.4.1.57264.2',
    certReq: req.certReq ?? false,
  });
  return { statusCode: 200, response, contentType: 'application/timestamp-reply' };
}

server.on('request', (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const body = Buffer.concat(chunks);
    let result;
    try {
      if (req.method === 'POST' && req.url === fulcio.path) result = await fulcio.fn(body.toString('utf8'));
      else if (req.method === 'POST' && req.url === rekor.path) result = await rekor.fn(body.toString('utf8'));
      else if (req.method === 'POST' && req.url === rekorV2.path) result = await rekorV2.fn(body.toString('utf8'));
      else if (req.method === 'POST' && req.url === timestamp.path && (req.headers['content-type'] || '').startsWith('application/timestamp-query')) result = await rfc3161(body);
      else if (req.method === 'POST' && req.url === timestamp.path) result = await timestamp.fn(body.toString('utf8'));
      else result = { statusCode: 404, response: 'not found' };
    } catch (e) {
      result = { statusCode: 500, response: String(e && e.message) };
    }
    res.writeHead(result.statusCode, { 'Content-Type': result.contentType || 'text/plain' });
    res.end(result.response);
  });
});

const b64 = (b) => Buffer.from(b).toString('base64');
const start = '2000-01-01T00:00:00Z';
const keyId = (spki) => crypto.createHash('sha256').update(spki).digest('base64');
const ctSpki = ctlog.publicKey;
const tlogSpki = tlog.publicKey;
const trustedRoot = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [{
    baseUrl: base, hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: b64(tlogSpki), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
    logId: { keyId: keyId(tlogSpki) },
  }],
  certificateAuthorities: [{
    subject: { organization: 'sigstore.mock', commonName: 'sigstore' }, uri: base,
    certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] }, validFor: { start },
  }],
  ctlogs: [{
    baseUrl: base, hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: b64(ctSpki), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
    logId: { keyId: keyId(ctSpki) },
  }],
  timestampAuthorities: [{
    subject: { organization: 'sigstore.mock', commonName: 'sigstore-tsa' }, uri: base,
    certChain: { certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }] },
    validFor: { start },
  }],
};

process.stdout.write(JSON.stringify({ port, trustedRoot }) + '\n');
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
