using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Instance.Keys;
using SupplyChain.Instance.Oidc;

namespace SupplyChain.Instance.Tests.Services;

/// <summary>
/// Bad input to every endpoint of the served instance, over real HTTP: each is a 4xx with its SC80xx code in a JSON
/// body, never a 500 (malformed JSON, bad or foreign tokens, wrong audience, expired tokens, oversized bodies, bad
/// proofs of possession, bad log entries, bad timestamp requests, unknown paths and methods).
/// </summary>
public sealed class BadInputTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new();
    private ServedInstance _served = null!;
    private LocalOidcIssuer _sameKeyIssuer = null!;

    public async Task InitializeAsync()
    {
        _served = await ServedInstance.StartAsync();
        _sameKeyIssuer = new LocalOidcIssuer(LocalVerification.Issuer, LocalVerification.Identity, InstanceFiles.ReadEcdsaKey(_served.Temp.Paths.OidcKey));
    }

    public async Task DisposeAsync() => await _served.DisposeAsync();

    public void Dispose()
    {
        _sameKeyIssuer?.Dispose();
        _http.Dispose();
    }

    private async Task AssertFails(HttpStatusCode status, string code, HttpMethod method, string path, byte[]? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(_served.Url, path));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body) { Headers = { ContentType = MediaTypeHeaderValue.Parse(contentType) } };

            // An oversized body is refused from its Content-Length without being read; with "Expect: 100-continue" (as
            // curl sends for large bodies) the client waits for that answer instead of racing the server's close.
            request.Headers.ExpectContinue = body.Length > 64 * 1024;
        }

        using HttpResponseMessage response = await _http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{method} {path}: expected {(int)status} {code}, got {(int)response.StatusCode} {text}");
        Assert.Equal(code, (string?)JsonNode.Parse(text)!["code"]);
    }

    private static byte[] Json(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    private static byte[] FulcioRequest(string token, ECDsa key, byte[] signedData)
    {
        byte[] proof = key.SignData(signedData, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return Json(new JsonObject
        {
            ["credentials"] = new JsonObject { ["oidcIdentityToken"] = token },
            ["publicKeyRequest"] = new JsonObject
            {
                ["publicKey"] = new JsonObject { ["algorithm"] = "ECDSA", ["content"] = key.ExportSubjectPublicKeyInfoPem() },
                ["proofOfPossession"] = Convert.ToBase64String(proof),
            },
        });
    }

    private byte[] GoodCertificateRequest(string token)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return FulcioRequest(token, key, Encoding.UTF8.GetBytes(LocalVerification.Identity));
    }

    [Fact]
    public async Task A_good_request_gets_a_certificate_so_the_failures_below_are_about_their_one_change()
    {
        using var request = new ByteArrayContent(GoodCertificateRequest(_served.Temp.Instance.MintIdentityToken().RawToken)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        using HttpResponseMessage response = await _http.PostAsync(new Uri(_served.Url, "api/v2/signingCert"), request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonNode chain = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["signedCertificateEmbeddedSct"]!["chain"]!["certificates"]!;
        Assert.Equal(3, chain.AsArray().Count);
    }

    [Fact]
    public async Task Fulcio_rejects_malformed_requests_and_bad_tokens_with_their_codes()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/signingCert", "{not json"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/signingCert", "[]"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/signingCert", "{\"credentials\":{}}"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/signingCert", "{\"credentials\":{\"oidcIdentityToken\":\"a\",\"oidcIdentityToken\":\"b\"}}"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/signingCert", Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100)));
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/signingCert", "{\"credentials\":{\"oidcIdentityToken\":5}}"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/signingCert", "{\"credentials\":{\"oidcIdentityToken\":\"a\"},\"publicKeyRequest\":\"key\"}"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/signingCert", "{\"credentials\":{\"oidcIdentityToken\":\"a\"},\"certificateSigningRequest\":[]}"u8.ToArray());
        await AssertFails(HttpStatusCode.Unauthorized, "SC8020", HttpMethod.Post, "api/v2/signingCert", GoodCertificateRequest("not.a.jwt"));

        // Signed by another key under the local issuer's name.
        using (var otherKey = new LocalOidcIssuer(LocalVerification.Issuer, LocalVerification.Identity, ECDsa.Create(ECCurve.NamedCurves.nistP256)))
        {
            await AssertFails(HttpStatusCode.Unauthorized, "SC8020", HttpMethod.Post, "api/v2/signingCert", GoodCertificateRequest(otherKey.Mint("sigstore", now)));
        }

        using (var foreign = new LocalOidcIssuer("https://issuer.elsewhere.test", LocalVerification.Identity, ECDsa.Create(ECCurve.NamedCurves.nistP256)))
        {
            await AssertFails(HttpStatusCode.Unauthorized, "SC8021", HttpMethod.Post, "api/v2/signingCert", GoodCertificateRequest(foreign.Mint("sigstore", now)));
        }

        await AssertFails(HttpStatusCode.Unauthorized, "SC8022", HttpMethod.Post, "api/v2/signingCert", GoodCertificateRequest(_sameKeyIssuer.Mint("not-sigstore", now)));
        await AssertFails(HttpStatusCode.Unauthorized, "SC8023", HttpMethod.Post, "api/v2/signingCert", GoodCertificateRequest(_sameKeyIssuer.Mint("sigstore", now.AddHours(-1))));
        await AssertFails(HttpStatusCode.Unauthorized, "SC8023", HttpMethod.Post, "api/v2/signingCert", GoodCertificateRequest(_sameKeyIssuer.Mint("sigstore", now.AddHours(1))));
    }

    [Fact]
    public async Task Fulcio_rejects_a_bad_proof_of_possession_and_unsupported_keys()
    {
        string token = _served.Temp.Instance.MintIdentityToken().RawToken;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await AssertFails(HttpStatusCode.BadRequest, "SC8030", HttpMethod.Post, "api/v2/signingCert", FulcioRequest(token, key, "someone-else"u8.ToArray()));

        using var small = RSA.Create(1024);
        JsonNode request = JsonNode.Parse(GoodCertificateRequest(token))!;
        request["publicKeyRequest"]!["publicKey"]!["content"] = small.ExportSubjectPublicKeyInfoPem();
        await AssertFails(HttpStatusCode.BadRequest, "SC8031", HttpMethod.Post, "api/v2/signingCert", Json(request));

        request["publicKeyRequest"]!["publicKey"]!["content"] = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/signingCert", Json(request));

        // A CSR whose signature does not verify.
        var csr = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=x", key, HashAlgorithmName.SHA256);
        byte[] der = csr.CreateSigningRequest();
        der[^5] ^= 0x01;
        var csrRequest = new JsonObject
        {
            ["credentials"] = new JsonObject { ["oidcIdentityToken"] = token },
            ["certificateSigningRequest"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(PemEncoding.WriteString("CERTIFICATE REQUEST", der))),
        };
        await AssertFails(HttpStatusCode.BadRequest, "SC8030", HttpMethod.Post, "api/v2/signingCert", Json(csrRequest));
    }

    [Fact]
    public async Task Rekor_rejects_malformed_entries_and_signatures_that_do_not_verify()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] digest = SHA256.HashData("artifact"u8);
        JsonObject Entry(byte[] signature, string keyDetails = "PKIX_ECDSA_P256_SHA_256") => new()
        {
            ["hashedRekordRequestV002"] = new JsonObject
            {
                ["digest"] = Convert.ToBase64String(digest),
                ["signature"] = new JsonObject
                {
                    ["content"] = Convert.ToBase64String(signature),
                    ["verifier"] = new JsonObject { ["publicKey"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()) }, ["keyDetails"] = keyDetails },
                },
            },
        };

        byte[] good = key.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
        using (var content = new ByteArrayContent(Json(Entry(good))) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } })
        {
            Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync(new Uri(_served.Url, "api/v2/log/entries"), content)).StatusCode);
        }

        await AssertFails(HttpStatusCode.BadRequest, "SC8032", HttpMethod.Post, "api/v2/log/entries", Json(Entry(key.SignHash(SHA256.HashData("other"u8), DSASignatureFormat.Rfc3279DerSequence))));
        await AssertFails(HttpStatusCode.BadRequest, "SC8031", HttpMethod.Post, "api/v2/log/entries", Json(Entry(good, "PKIX_SOMETHING")));
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/log/entries", "{\"hashedRekordRequestV002\":{\"digest\":\"***\"}}"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/log/entries", "{\"somethingElse\":{}}"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/log/entries", Json(new JsonObject { ["hashedRekordRequestV002"] = Entry(good)["hashedRekordRequestV002"]!.DeepClone(), ["extra"] = 1 }));
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/log/entries", "{\"hashedRekordRequestV002\":{\"digest\":[]}}"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/log/entries", "{\"dsseRequestV002\":{\"envelope\":{\"payload\":\"\",\"payloadType\":\"x\",\"signatures\":{}},\"verifiers\":[]}}"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v2/log/entries", "{\"dsseRequestV002\":{\"envelope\":{\"payload\":\"\",\"payloadType\":\"x\",\"signatures\":[]},\"verifiers\":[]}}"u8.ToArray());
        Assert.Equal(1, _served.Temp.Instance.LogSize);
    }

    [Fact]
    public async Task The_tsa_rejects_requests_that_are_not_timestamp_requests()
    {
        await AssertFails(HttpStatusCode.BadRequest, "SC8033", HttpMethod.Post, "api/v1/timestamp", [0x30, 0x03, 0x02, 0x01, 0x01], "application/timestamp-query");
        byte[] sha1 = Rfc3161TimestampRequest.CreateFromHash(new byte[20], HashAlgorithmName.SHA1).Encode();
        await AssertFails(HttpStatusCode.BadRequest, "SC8033", HttpMethod.Post, "api/v1/timestamp", sha1, "application/timestamp-query");
        byte[] good = Rfc3161TimestampRequest.CreateFromHash(new byte[32], HashAlgorithmName.SHA256).Encode();
        await AssertFails(HttpStatusCode.BadRequest, "SC8033", HttpMethod.Post, "api/v1/timestamp", [.. good, 0x00], "application/timestamp-query");
        await AssertFails(HttpStatusCode.BadRequest, "SC8033", HttpMethod.Post, "api/v1/timestamp", "{\"artifactHash\":\"AAAA\",\"hashAlgorithm\":\"md5\"}"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v1/timestamp", "{\"artifactHash\":1}"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8010", HttpMethod.Post, "api/v1/timestamp", "{\"artifactHash\":\"AAAA\",\"hashAlgorithm\":\"sha256\",\"certificates\":\"yes\"}"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8033", HttpMethod.Post, "api/v1/timestamp", "{\"artifactHash\":\"AAAA\",\"hashAlgorithm\":\"sha256\",\"nonce\":\"5\"}"u8.ToArray());
        await AssertFails(HttpStatusCode.BadRequest, "SC8033", HttpMethod.Post, "api/v1/timestamp", "{\"artifactHash\":\"AAAA\",\"hashAlgorithm\":\"sha256\",\"nonce\":-1}"u8.ToArray());
        await AssertFails(HttpStatusCode.MethodNotAllowed, "SC8013", HttpMethod.Post, "api/v1/timestamp", good, "text/plain");

        using var content = new ByteArrayContent(good) { Headers = { ContentType = new MediaTypeHeaderValue("application/timestamp-query") } };
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync(new Uri(_served.Url, "api/v1/timestamp"), content)).StatusCode);
    }

    [Fact]
    public async Task Oversized_bodies_unknown_paths_and_wrong_methods_are_4xx()
    {
        byte[] huge = new byte[2 * 1024 * 1024];
        await AssertFails(HttpStatusCode.RequestEntityTooLarge, "SC8011", HttpMethod.Post, "api/v2/log/entries", huge);
        await AssertFails(HttpStatusCode.RequestEntityTooLarge, "SC8011", HttpMethod.Post, "api/v2/signingCert", huge);
        await AssertFails(HttpStatusCode.NotFound, "SC8012", HttpMethod.Get, "api/v1/log/entries");
        await AssertFails(HttpStatusCode.NotFound, "SC8012", HttpMethod.Get, "tile/../../config.json");
        await AssertFails(HttpStatusCode.NotFound, "SC8012", HttpMethod.Get, "tile/0/999");
        await AssertFails(HttpStatusCode.MethodNotAllowed, "SC8013", HttpMethod.Get, "api/v2/signingCert");
        await AssertFails(HttpStatusCode.MethodNotAllowed, "SC8013", HttpMethod.Delete, "oidc/token");
        await AssertFails(HttpStatusCode.MethodNotAllowed, "SC8013", HttpMethod.Post, "checkpoint", []);
    }
}
