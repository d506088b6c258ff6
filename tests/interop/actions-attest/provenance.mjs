// Builds the GitHub Actions SLSA provenance predicate with @actions/attest (buildSLSAProvenancePredicate, what
// actions/attest-build-provenance signs) in a simulated GitHub Actions job: GITHUB_SERVER_URL and
// ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN come from `signcli instance ci-env github-actions`, the token from the served
// local instance. @actions/attest verifies the token against its issuer's JWKS, found through
// ISSUER/.well-known/openid-configuration: the simulated issuer's name (https://oidc.supplychain.localhost/...) does not
// resolve, so requests under it are sent to the served instance (BASE_URL) instead; nothing else is changed.
// Usage: node provenance.mjs <issuer> <served base URL>
// Prints {"type": ..., "params": ...} (the predicate) as JSON on stdout; exits 1 with the error on failure.
import { HttpClient } from '@actions/http-client';
import { buildSLSAProvenancePredicate } from '@actions/attest';

const [issuer, baseUrl] = process.argv.slice(2);
if (!issuer || !baseUrl) {
  console.error('usage: node provenance.mjs <issuer> <served base URL>');
  process.exit(2);
}

const issuerOrigin = new URL(issuer).origin;
const getJson = HttpClient.prototype.getJson;
HttpClient.prototype.getJson = function (url, headers) {
  const mapped = url.startsWith(issuerOrigin) ? new URL(url.slice(issuerOrigin.length), baseUrl).href : url;
  return getJson.call(this, mapped, headers);
};

try {
  const predicate = await buildSLSAProvenancePredicate(issuer);
  console.log(JSON.stringify(predicate));
} catch (err) {
  console.log(`FAIL ${err?.message ?? err}`);
  process.exit(1);
}
