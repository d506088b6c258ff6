// Generates a TUF repository (consistent snapshots, as served over HTTP) with tuf-js's @tufjs/models, for the
// SupplyChain.Tuf tests: an implementation independent of the C# client writes and signs the metadata
// (canonical JSON by @tufjs/canonical-json) and checks every signature with tuf-js's own verifyDelegate.
//
//   node make-repo.js <scenario> <outDir> <trustedRootFile> <nowIso>
//
// scenarios: good | expired-timestamp | rotation-below-threshold | wrong-target-hash
// Keys: root = 2 ed25519 + 1 ecdsa-sha2-nistp256 (hex point) + 1 rsa (rsassa-pss-sha256), threshold 3 (v1) then 2 (v2);
// timestamp = ecdsa (PEM); snapshot = rsa; targets = ed25519; delegated "npm" (terminating, npm/*) = ecdsa (hex).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { Metadata, Root, Timestamp, Snapshot, Targets, Key, Signature, MetaFile, TargetFile } = require('@tufjs/models');

const [scenario, outDir, trustedRootFile, nowIso] = process.argv.slice(2);
if (!scenario || !outDir || !trustedRootFile || !nowIso) {
  console.error('usage: node make-repo.js <scenario> <outDir> <trustedRootFile> <nowIso>');
  process.exit(2);
}
const now = new Date(nowIso);
const expires = (days) => new Date(now.getTime() + days * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function newKey(kind) {
  let pair, keyType, scheme, publicValue;
  if (kind === 'ed25519') {
    pair = crypto.generateKeyPairSync('ed25519');
    keyType = 'ed25519'; scheme = 'ed25519';
    publicValue = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  } else if (kind === 'ecdsa-hex' || kind === 'ecdsa-pem') {
    pair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    scheme = 'ecdsa-sha2-nistp256';
    if (kind === 'ecdsa-hex') {
      keyType = 'ecdsa-sha2-nistp256';
      publicValue = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(26).toString('hex');
    } else {
      keyType = 'ecdsa';
      publicValue = pair.publicKey.export({ format: 'pem', type: 'spki' });
    }
  } else {
    pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    keyType = 'rsa'; scheme = 'rsassa-pss-sha256';
    publicValue = pair.publicKey.export({ format: 'pem', type: 'spki' });
  }
  const keyVal = { public: publicValue };
  // Keyids are arbitrary labels here (as in real Sigstore data, they need not be the key's hash).
  const keyID = crypto.createHash('sha256').update(kind + publicValue).digest('hex');
  const key = new Key({ keyID, keyType, scheme, keyVal });
  const sign = (bytes) => {
    let sig;
    if (kind === 'ed25519') sig = crypto.sign(null, bytes, pair.privateKey);
    else if (kind.startsWith('ecdsa')) sig = crypto.sign('sha256', bytes, pair.privateKey); // DER
    else sig = crypto.sign('sha256', bytes, { key: pair.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    return new Signature({ keyID, sig: sig.toString('hex') });
  };
  return { key, sign };
}

const write = (name, md) => fs.writeFileSync(path.join(outDir, name), JSON.stringify(md.toJSON(), null, 1));
const sha = (alg, data) => crypto.createHash(alg).update(data).digest('hex');
fs.mkdirSync(path.join(outDir, 'targets', 'npm'), { recursive: true });

const rootKeys = [newKey('ed25519'), newKey('ed25519'), newKey('ecdsa-hex'), newKey('rsa')];
const ts = newKey('ecdsa-pem');
const sn = newKey('rsa');
const tg = newKey('ed25519');
const npm = newKey('ecdsa-hex');

function makeRoot(version, keys, threshold) {
  // Role and DelegatedRole are not exported by @tufjs/models, so roles go through fromJSON.
  const all = [...keys, ts, sn, tg];
  const role = (ks, t) => ({ keyids: ks.map((k) => k.key.keyID), threshold: t });
  const root = Root.fromJSON({
    _type: 'root', spec_version: '1.0.31', version, expires: expires(365), consistent_snapshot: true,
    keys: Object.fromEntries(all.map((k) => [k.key.keyID, k.key.toJSON()])),
    roles: { root: role(keys, threshold), timestamp: role([ts], 1), snapshot: role([sn], 1), targets: role([tg], 1) },
  });
  return new Metadata(root);
}

// Root v1 (3 of 4) and v2 (drops one ed25519 key, 2 of 3), signed by both key sets.
const root1 = makeRoot(1, rootKeys, 3);
rootKeys.forEach((k) => root1.sign(k.sign));
root1.verifyDelegate('root', root1);
write('1.root.json', root1);

const root2 = makeRoot(2, rootKeys.slice(1), 2);
// Below threshold: v2 meets its own threshold (2 of 3) but only 2 of v1's required 3.
const v2Signers = scenario === 'rotation-below-threshold' ? rootKeys.slice(1, 3) : rootKeys;
v2Signers.forEach((k) => root2.sign(k.sign));
if (scenario !== 'rotation-below-threshold') {
  root1.verifyDelegate('root', root2);
}
root2.verifyDelegate('root', root2);
write('2.root.json', root2);

// Targets: trusted_root.json at the top, npm/keys.json through a terminating delegation.
const trustedRoot = fs.readFileSync(trustedRootFile);
const npmKeys = Buffer.from(JSON.stringify({ keys: ['example'] }));
const npmTargets = new Targets({ version: 4, specVersion: '1.0.31', expires: expires(30) });
npmTargets.addTarget(new TargetFile({ path: 'npm/keys.json', length: npmKeys.length, hashes: { sha256: sha('sha256', npmKeys) } }));
const npmMd = new Metadata(npmTargets);
npmMd.sign(npm.sign);

const targets = Targets.fromJSON({
  _type: 'targets', spec_version: '1.0.31', version: 3, expires: expires(30), targets: {},
  delegations: {
    keys: { [npm.key.keyID]: npm.key.toJSON() },
    roles: [{ name: 'npm', keyids: [npm.key.keyID], threshold: 1, terminating: true, paths: ['npm/*'] }],
  },
});
targets.addTarget(new TargetFile({ path: 'trusted_root.json', length: trustedRoot.length, hashes: { sha256: sha('sha256', trustedRoot), sha512: sha('sha512', trustedRoot) } }));
const targetsMd = new Metadata(targets);
targetsMd.sign(tg.sign);
root2.verifyDelegate('targets', targetsMd);
targetsMd.verifyDelegate('npm', npmMd);
write('3.targets.json', targetsMd);
write('4.npm.json', npmMd);

const served = Buffer.from(trustedRoot);
if (scenario === 'wrong-target-hash') served[10] ^= 1;
fs.writeFileSync(path.join(outDir, 'targets', `${sha('sha256', trustedRoot)}.trusted_root.json`), served);
fs.writeFileSync(path.join(outDir, 'targets', `${sha('sha512', trustedRoot)}.trusted_root.json`), served);
fs.writeFileSync(path.join(outDir, 'targets', 'npm', `${sha('sha256', npmKeys)}.keys.json`), npmKeys);

// Snapshot and timestamp with length and hashes.
const metaOf = (file, version) => {
  const data = fs.readFileSync(path.join(outDir, file));
  return new MetaFile({ version, length: data.length, hashes: { sha256: sha('sha256', data) } });
};
const snapshot = new Snapshot({ version: 5, specVersion: '1.0.31', expires: expires(7), meta: { 'targets.json': metaOf('3.targets.json', 3), 'npm.json': metaOf('4.npm.json', 4) } });
const snapshotMd = new Metadata(snapshot);
snapshotMd.sign(sn.sign);
root2.verifyDelegate('snapshot', snapshotMd);
write('5.snapshot.json', snapshotMd);

const timestamp = new Timestamp({ version: 6, specVersion: '1.0.31', expires: scenario === 'expired-timestamp' ? expires(-1) : expires(1), snapshotMeta: metaOf('5.snapshot.json', 5) });
const timestampMd = new Metadata(timestamp);
timestampMd.sign(ts.sign);
root2.verifyDelegate('timestamp', timestampMd);
write('timestamp.json', timestampMd);
console.log(`wrote ${scenario} repository to ${outDir}`);
