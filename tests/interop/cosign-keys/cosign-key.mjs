// An independent implementation of cosign's encrypted private key format (go-securesystemslib "encrypted"):
// key = scrypt(password, salt, N, r, p, 32) (RFC 7914, node's crypto.scryptSync), box = NaCl secretbox
// (tweetnacl: XSalsa20-Poly1305, tag first). Written from the format description only, to cross-check
// SupplyChain.Signing.Keys.CosignKeyFile in both directions.
//
//   node cosign-key.mjs open KEY.pem PASSWORD_FILE      -> prints {"spki": base64 DER SubjectPublicKeyInfo}; exit 3 on a wrong password
//   node cosign-key.mjs seal PKCS8_DER_FILE PASSWORD_FILE -> prints an ENCRYPTED SIGSTORE PRIVATE KEY PEM (N=32768 r=8 p=1)
import { createPrivateKey, createPublicKey, randomBytes, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nacl from 'tweetnacl';

const [mode, input, passwordFile] = process.argv.slice(2);
const password = readFileSync(passwordFile);

function derive(salt, N, r, p) {
  return scryptSync(password, salt, 32, { N, r, p, maxmem: 256 * 1024 * 1024 });
}

if (mode === 'open') {
  const pem = readFileSync(input, 'utf8');
  const m = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!m || !/^ENCRYPTED (SIGSTORE|COSIGN) PRIVATE KEY$/.test(m[1])) { console.error('not a cosign key'); process.exit(2); }
  const doc = JSON.parse(Buffer.from(m[2].replace(/\s+/g, ''), 'base64').toString('utf8'));
  if (doc.kdf.name !== 'scrypt' || doc.cipher.name !== 'nacl/secretbox') { console.error('unknown kdf or cipher'); process.exit(2); }
  const { N, r, p } = doc.kdf.params;
  const key = derive(Buffer.from(doc.kdf.salt, 'base64'), N, r, p);
  const plain = nacl.secretbox.open(Buffer.from(doc.ciphertext, 'base64'), Buffer.from(doc.cipher.nonce, 'base64'), key);
  if (plain === null) { console.error('secretbox authentication failed'); process.exit(3); }
  const privateKey = createPrivateKey({ key: Buffer.from(plain), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  console.log(JSON.stringify({ spki: spki.toString('base64') }));
} else if (mode === 'seal') {
  const pkcs8 = readFileSync(input);
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const box = nacl.secretbox(pkcs8, nonce, derive(salt, 32768, 8, 1));
  const doc = {
    kdf: { name: 'scrypt', params: { N: 32768, r: 8, p: 1 }, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(box).toString('base64'),
  };
  const body = Buffer.from(JSON.stringify(doc)).toString('base64').match(/.{1,64}/g).join('\n');
  process.stdout.write(`-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${body}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`);
} else {
  console.error('usage: cosign-key.mjs open|seal ...');
  process.exit(2);
}
