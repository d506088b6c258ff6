// Signs a file with sigstore-js (an independent Sigstore signer) against a Fulcio/Rekor v1/TSA stack, e.g. the
// @sigstore/mock stack of tests/interop/sigstore-mock/server.mjs, and writes the bundle JSON.
// Usage: node sign.mjs <message|dsse> <artifact> <bundle-out.json> <base-url> <identity-token> [repeat]
//   message: a message-signature bundle over the artifact's bytes (sigstore.sign).
//   dsse:    a DSSE bundle whose payload is an in-toto Statement v1 naming the artifact's SHA-256 (sigstore.attest).
//   repeat:  sign that many times in this process (the last bundle is written) and print one JSON line
//            {"runs": N, "millis": [...], "httpMillis": [...]}: the wall time of each signing and the time at least
//            one HTTP request was in flight (node:http requests, which minipass-fetch makes; from the request until
//            the response ends), used by benchmarks/signing/run.sh.
// Fulcio, Rekor and the TSA are all served under <base-url> (the TSA at <base-url>/api/v1/timestamp).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { basename } from 'node:path';
import { attest, sign } from 'sigstore';

const [mode, artifactPath, outPath, baseUrl, token, repeatArg] = process.argv.slice(2);
if (!['message', 'dsse'].includes(mode) || !artifactPath || !outPath || !baseUrl || !token) {
  console.error('usage: node sign.mjs <message|dsse> <artifact> <bundle-out.json> <base-url> <identity-token> [repeat]');
  process.exit(2);
}

const base = baseUrl.replace(/\/+$/, '');
const options = {
  fulcioURL: base,
  rekorURL: base,
  tsaServerURL: base,
  identityToken: token,
  retry: 0,
  timeout: 30000,
};
const artifact = readFileSync(artifactPath);

// Time during which at least one HTTP request is in flight (overlapping requests count once).
let active = 0;
let since = 0n;
let inFlight = 0n;
const request = http.request;
http.request = (...args) => {
  const req = request(...args);
  if (active++ === 0) since = process.hrtime.bigint();
  let done = false;
  const leave = () => {
    if (done) return;
    done = true;
    if (--active === 0) inFlight += process.hrtime.bigint() - since;
  };
  req.on('response', (res) => res.on('end', leave));
  req.on('error', leave);
  req.on('close', leave);
  return req;
};

async function once() {
  if (mode === 'message') return sign(artifact, options);
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: basename(artifactPath), digest: { sha256: createHash('sha256').update(artifact).digest('hex') } }],
    predicateType: 'https://supplychain.example/interop/v1',
    predicate: {},
  };
  return attest(Buffer.from(JSON.stringify(statement)), 'application/vnd.in-toto+json', options);
}

try {
  const runs = repeatArg ? Number.parseInt(repeatArg, 10) : 1;
  const millis = [];
  const httpMillis = [];
  let bundle;
  for (let i = 0; i < runs; i++) {
    inFlight = 0n;
    const start = process.hrtime.bigint();
    bundle = await once();
    millis.push(Number(process.hrtime.bigint() - start) / 1e6);
    httpMillis.push(Number(inFlight) / 1e6);
  }
  writeFileSync(outPath, JSON.stringify(bundle));
  console.log(repeatArg ? JSON.stringify({ runs, millis, httpMillis }) : 'OK');
} catch (err) {
  console.log(`FAIL ${err?.code ?? ''} ${err?.message ?? err}${err?.cause ? ` (${err.cause.message ?? err.cause})` : ''}`);
  process.exit(1);
}
