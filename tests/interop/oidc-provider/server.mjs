// A real OpenID provider (panva/oidc-provider, OpenID Certified) on 127.0.0.1 for the .NET OIDC tests.
// Prints {"issuer": "..."} on stdout once listening, then serves until killed (or stdin closes).
// One public native client "sigstore": authorization code + PKCE S256 (RFC 7636), loopback redirect on any
// port (RFC 8252 7.3: the provider ignores the port of http://127.0.0.1 redirects for native clients),
// and the device authorization grant (RFC 8628). devInteractions serves the login and consent forms,
// which the tests submit over HTTP as a browser would. Any login is accepted; its account has a verified email.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  cookies: { keys: ['interop-tests-only-not-a-secret'] },
  clients: [{
    client_id: 'sigstore',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://127.0.0.1/auth/callback'],
    grant_types: ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
  }],
  pkce: { methods: ['S256'], required: () => true },
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  // OIDC Core 5.4: put the scope's claims in the id_token too (Fulcio reads email from the id_token).
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: `${id}@example.com`, email_verified: true };
      },
    };
  },
  ttl: { IdToken: 600, DeviceCode: 120 },
});
provider.proxy = false;

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
