using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Verification;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Oidc;
using SupplyChain.Signing.Services;
using SupplyChain.Signing.Tests.Fakes;
using SupplyChain.Testing.Virtual;
using static SupplyChain.Testing.ErrorAssert;
using SupplyChain.Http;

namespace SupplyChain.Signing.Tests;

public class BundleSignerTests
{
    private static readonly byte[] ArtifactBytes = Encoding.UTF8.GetBytes("the artifact\n");
    private static readonly HttpRetryPolicy FastRetry = new() { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(5), AttemptTimeout = TimeSpan.FromSeconds(5) };

    /// <summary>A job of the instance's simulated GitHub Actions: its certificate names another identity and issuer.</summary>
    private static readonly System.Text.Json.Nodes.JsonObject MalloryJob = new()
    {
        ["repository"] = "mallory/evil",
        ["ref"] = "refs/heads/main",
        ["sha"] = new string('0', 40),
        ["job_workflow_ref"] = "mallory/evil/.github/workflows/x.yml@refs/heads/main",
    };

    private const string MalloryWorkflow = "https://github.com/mallory/evil/.github/workflows/x.yml@refs/heads/main";

    private static BundleSigner Signer(FakeSigstore fake, int rekorVersion = 1, bool tsa = true, HttpRetryPolicy? retry = null, bool csr = false) => new(new BundleSignerOptions
    {
        TrustedMaterial = fake.TrustedRoot,
        FulcioUrl = FakeSigstore.BaseUrl,
        RekorUrl = FakeSigstore.BaseUrl,
        TimestampAuthorityUrl = tsa ? FakeSigstore.TsaUrl : null,
        RekorVersion = rekorVersion,
        Transport = fake,
        Retry = retry ?? FastRetry,
        UseCertificateSigningRequest = csr,
    });

    private static void AssertVerifies(FakeSigstore fake, byte[] bundle, Artifact artifact, VerificationPolicy? policy = null)
    {
        var verifier = new SigstoreVerifier(fake.TrustedRoot);
        Assert.NotNull(verifier.Verify(SigstoreBundle.Parse(bundle), artifact, policy ?? VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(FakeSigstore.Identity, FakeSigstore.Issuer))));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public async Task Keyless_message_bundle_verifies(int rekorVersion, bool tsa)
    {
        using var fake = new FakeSigstore();
        using BundleSigner signer = Signer(fake, rekorVersion, tsa);

        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token())).ToJson();

        JsonNode json = JsonNode.Parse(bundle)!;
        Assert.Equal("application/vnd.dev.sigstore.bundle.v0.3+json", (string?)json["mediaType"]);
        Assert.NotNull(json["verificationMaterial"]!["certificate"]);
        Assert.Equal(tsa, json["verificationMaterial"]!["timestampVerificationData"] is not null);
        AssertVerifies(fake, bundle, Artifact.FromBytes(ArtifactBytes));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Keyless_dsse_bundle_verifies(int rekorVersion)
    {
        using var fake = new FakeSigstore();
        using BundleSigner signer = Signer(fake, rekorVersion, tsa: true);
        string digest = Convert.ToHexStringLower(SHA256.HashData(ArtifactBytes));
        byte[] statement = Encoding.UTF8.GetBytes("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\"" + digest + "\"}}],\"predicateType\":\"https://example.com/p\",\"predicate\":{}}");

        byte[] bundle = (await signer.SignDsseAsync("application/vnd.in-toto+json", statement, fake.Signer, fake.Token())).ToJson();

        Assert.NotNull(JsonNode.Parse(bundle)!["dsseEnvelope"]);
        AssertVerifies(fake, bundle, Artifact.FromBytes(ArtifactBytes));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Key_signed_bundle_carries_a_public_key_hint_and_verifies_with_the_key(int rekorVersion)
    {
        using var fake = new FakeSigstore();
        using BundleSigner signer = Signer(fake, rekorVersion, tsa: true);

        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, token: null)).ToJson();

        Assert.NotNull(JsonNode.Parse(bundle)!["verificationMaterial"]!["publicKey"]!["hint"]);
        using PublicKeyVerifier key = PublicKeyVerifier.FromSubjectPublicKeyInfo(fake.Signer.PublicKeySpki.Span);
        AssertVerifies(fake, bundle, Artifact.FromBytes(ArtifactBytes), VerificationPolicy.ForPublicKey(key));
    }

    [Fact]
    public async Task Server_error_then_success_is_retried()
    {
        using var fake = new FakeSigstore();
        fake.Intercept = (path, call, _) => path == "/api/v2/signingCert" && call == 1 ? new HttpResponseMessage(HttpStatusCode.InternalServerError) : null;
        using BundleSigner signer = Signer(fake);

        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token())).ToJson();

        Assert.Equal(2, fake.Calls("/api/v2/signingCert"));
        AssertVerifies(fake, bundle, Artifact.FromBytes(ArtifactBytes));
    }

    [Fact]
    public async Task Too_many_requests_honours_retry_after()
    {
        using var fake = new FakeSigstore();
        fake.Intercept = (path, call, _) =>
        {
            if (path != "/api/v1/log/entries" || call != 1)
            {
                return null;
            }

            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            return response;
        };
        using BundleSigner signer = Signer(fake, tsa: false);

        var watch = Stopwatch.StartNew();
        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token())).ToJson();

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited {watch.Elapsed}");
        Assert.Equal(2, fake.Calls("/api/v1/log/entries"));
        AssertVerifies(fake, bundle, Artifact.FromBytes(ArtifactBytes));
    }

    [Fact]
    public async Task Endless_unavailable_gives_up_after_the_bounded_attempts_with_SC2201()
    {
        using var fake = new FakeSigstore();
        fake.Intercept = (path, _, _) => path == "/api/v2/signingCert" ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) : null;
        using BundleSigner signer = Signer(fake);
        IdentityToken token = fake.Token();

        SupplyChainException ex = await AssertCodeAsync("SC2201", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, token));
        Assert.Equal(3, fake.Calls("/api/v2/signingCert"));
        Assert.DoesNotContain(token.RawToken.Split('.')[2], ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_error_is_not_retried_SC2201()
    {
        using var fake = new FakeSigstore();
        fake.Intercept = (path, _, _) => path == "/api/v2/signingCert" ? new HttpResponseMessage(HttpStatusCode.Unauthorized) : null;
        using BundleSigner signer = Signer(fake);

        await AssertCodeAsync("SC2201", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
        Assert.Equal(1, fake.Calls("/api/v2/signingCert"));
    }

    [Fact]
    public async Task What_a_service_answers_is_in_RemoteDetail_never_in_the_message()
    {
        using var fake = new FakeSigstore();
        fake.Intercept = (path, _, _) => path == "/api/v2/signingCert"
            ? new HttpResponseMessage(HttpStatusCode.BadRequest) { ReasonPhrase = "DISTINCTIVE-REASON", Content = new StringContent("{\"message\":\"DISTINCTIVE-BODY\r\nline two\"}") }
            : null;
        using BundleSigner signer = Signer(fake);

        SupplyChainException ex = await AssertCodeAsync("SC2201", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
        Assert.Contains("fulcio: HTTP 400 (1 attempt)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("DISTINCTIVE", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DISTINCTIVE-BODY  line two", ex.RemoteDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_that_never_answers_times_out_with_SC2202()
    {
        using var fake = new FakeSigstore();
        using var hanging = new HangingHandler();
        using var signer = new BundleSigner(new BundleSignerOptions
        {
            TrustedMaterial = fake.TrustedRoot,
            FulcioUrl = FakeSigstore.BaseUrl,
            RekorUrl = FakeSigstore.BaseUrl,
            Transport = hanging,
            Retry = new HttpRetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.Zero, AttemptTimeout = TimeSpan.FromMilliseconds(200) },
        });

        await AssertCodeAsync("SC2202", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
        Assert.Equal(2, hanging.Calls);
    }

    [Theory]
    [InlineData("/api/v2/signingCert", "not json at all")]
    [InlineData("/api/v2/signingCert", "{\"signedCertificateEmbeddedSct\":{\"chain\":{\"certificates\":[\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\"]}}}")]
    [InlineData("/api/v1/log/entries", "{\"oops\":")]
    [InlineData("/api/v1/log/entries", "{\"a\":{\"body\":\"e30=\"}}")]
    [InlineData("/api/v1/timestamp", "garbage")]
    public async Task Garbage_responses_are_SC2204(string path, string garbage)
    {
        using var fake = new FakeSigstore();
        fake.Intercept = (p, _, _) => p == path ? FakeSigstore.Json(HttpStatusCode.OK, garbage) : null;
        using BundleSigner signer = Signer(fake);

        await AssertCodeAsync("SC2204", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
    }

    [Fact]
    public async Task An_oversized_response_is_SC2205()
    {
        using var fake = new FakeSigstore();
        fake.Intercept = (p, _, _) => p == "/api/v2/signingCert" ? FakeSigstore.Json(HttpStatusCode.OK, new string(' ', 2 * 1024 * 1024)) : null;
        using BundleSigner signer = Signer(fake);

        await AssertCodeAsync("SC2205", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_log_entry_for_another_body_is_SC2208(int rekorVersion)
    {
        using var fake = new FakeSigstore { RekorDigestOverride = SHA256.HashData("another artifact"u8) };
        using BundleSigner signer = Signer(fake, rekorVersion);

        await AssertCodeAsync("SC2208", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
    }

    [Fact]
    public async Task A_certificate_for_another_key_is_SC2206()
    {
        using var fake = new FakeSigstore();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 other = await fake.IssueAsync(otherKey, fake.Token().RawToken);
        fake.FulcioLeafOverride = other;
        using BundleSigner signer = Signer(fake);

        await AssertCodeAsync("SC2206", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
    }

    [Fact]
    public async Task A_certificate_for_another_identity_is_SC2207()
    {
        using var fake = new FakeSigstore();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 other = await fake.IssueAsync(otherKey, fake.Instance.MintCiToken(SupplyChain.Instance.Oidc.SimulatedCiSystem.GitHubActions, MalloryJob));
        fake.FulcioLeafOverride = other;
        using var otherSigner = new LeafKeySigner(otherKey);
        using BundleSigner signer = Signer(fake);

        // The token is the local user's (an email) from the certificate's own issuer: only the SAN differs (Mallory's
        // workflow), so the SAN check alone must refuse it (the issuer check would hide a missing SAN check).
        string ciIssuer = fake.Instance.SimulatedCiIssuer(SupplyChain.Instance.Oidc.SimulatedCiSystem.GitHubActions);
        var token = new IdentityToken("e30.e30.c2ln", ciIssuer, FakeSigstore.Identity, ["sigstore"], DateTimeOffset.UtcNow.AddMinutes(5));
        await AssertCodeAsync("SC2207", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), otherSigner, token));
    }

    [Fact]
    public async Task A_certificate_from_another_issuer_is_SC2207()
    {
        using var fake = new FakeSigstore();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 other = await fake.IssueAsync(otherKey, fake.Instance.MintCiToken(SupplyChain.Instance.Oidc.SimulatedCiSystem.GitHubActions, MalloryJob));
        fake.FulcioLeafOverride = other;
        using var otherSigner = new LeafKeySigner(otherKey);
        using BundleSigner signer = Signer(fake);

        // Same SAN as the certificate, but the token claims the instance's own issuer, not its simulated GitHub Actions.
        var token = new IdentityToken("e30.e30.c2ln", FakeSigstore.Issuer, MalloryWorkflow, ["sigstore"], DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.NotEqual(FakeSigstore.Issuer, fake.Instance.SimulatedCiIssuer(SupplyChain.Instance.Oidc.SimulatedCiSystem.GitHubActions));

        await AssertCodeAsync("SC2207", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), otherSigner, token));
    }

    [Fact]
    public async Task A_certificate_from_an_untrusted_ca_is_SC2217_and_nothing_is_logged()
    {
        using var fake = new FakeSigstore();
        using VirtualSigstore rogue = VirtualSigstore.Create(new VirtualSigstoreOptions { Now = fake.Clock.GetUtcNow() });
        using LeafCertificate other = rogue.IssueLeaf(FakeSigstore.Identity, FakeSigstore.Issuer);
        fake.FulcioLeafOverride = other.Certificate;
        using var otherSigner = new LeafKeySigner(other.Key);
        using BundleSigner signer = Signer(fake);

        await AssertCodeAsync("SC2217", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), otherSigner, fake.Token()));
        Assert.Equal(0, fake.Calls("/api/v1/log/entries"));
        Assert.Equal(0, fake.Calls("/api/v1/timestamp"));
    }

    [Fact]
    public async Task A_certificate_without_an_sct_is_SC2217()
    {
        using var fake = new FakeSigstore();
        using X509Certificate2 issued = await fake.IssueAsync(fake.Key, fake.Token().RawToken);
        using X509Certificate2 withoutSct = fake.WithoutSct(issued);
        fake.FulcioLeafOverride = withoutSct;
        using BundleSigner signer = Signer(fake);

        await AssertCodeAsync("SC2217", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
    }

    [Fact]
    public async Task A_timestamp_over_another_digest_is_SC2209()
    {
        using var fake = new FakeSigstore { TimestampDataOverride = "some other signature"u8.ToArray() };
        using BundleSigner signer = Signer(fake);

        await AssertCodeAsync("SC2209", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
    }

    [Fact]
    public async Task A_timestamp_with_another_nonce_is_SC2210()
    {
        using var fake = new FakeSigstore { TimestampNonceOverride = [0x01, 0x02, 0x03] };
        using BundleSigner signer = Signer(fake);

        await AssertCodeAsync("SC2210", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
    }

    [Fact]
    public async Task A_refused_timestamp_is_SC2211()
    {
        using var fake = new FakeSigstore();

        // TimeStampResp { status PKIStatusInfo { status rejection(2) } } (RFC 3161 section 2.4.2).
        fake.Intercept = (p, _, _) => p == "/api/v1/timestamp" ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02]) } : null;
        using BundleSigner signer = Signer(fake);

        await AssertCodeAsync("SC2211", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
    }

    [Fact]
    public async Task A_timestamp_from_an_untrusted_authority_is_SC2216()
    {
        using var fake = new FakeSigstore();
        using var rogue = SupplyChain.Testing.Timestamps.TestTimestampAuthority.Create(DateTimeOffset.UtcNow.AddDays(-1), commonName: "Rogue TSA");
        fake.Intercept = (p, _, body) =>
        {
            if (p != "/api/v1/timestamp")
            {
                return null;
            }

            Assert.True(System.Security.Cryptography.Pkcs.Rfc3161TimestampRequest.TryDecode(body, out var request, out _));
            byte[] response = rogue.Timestamp(fake.Signer.LastSignature!, DateTimeOffset.UtcNow, nonce: request!.GetNonce());
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(response) };
        };
        using BundleSigner signer = Signer(fake);

        await AssertCodeAsync("SC2216", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
    }

    [Fact]
    public async Task Rekor_conflict_fetches_the_existing_entry()
    {
        using var fake = new FakeSigstore();
        fake.Intercept = (p, call, body) =>
        {
            if (p != "/api/v1/log/entries" || call != 1)
            {
                return null;
            }

            // The entry is integrated, but the answer says 409 with its Location (a retry after a lost response).
            string existing = fake.RekorV1(body);
            string uuid = JsonNode.Parse(existing)!.AsObject().First().Key;
            var response = new HttpResponseMessage(HttpStatusCode.Conflict);
            response.Headers.Location = new Uri("/api/v1/log/entries/" + uuid, UriKind.Relative);
            return response;
        };
        using BundleSigner signer = Signer(fake, tsa: false);

        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token())).ToJson();

        Assert.Equal(1, fake.Calls("/api/v1/log/entries"));
        AssertVerifies(fake, bundle, Artifact.FromBytes(ArtifactBytes));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://elsewhere.example/api/v1/log/entries/abc")]
    public async Task Rekor_conflict_without_a_same_origin_location_is_SC2204(string? location)
    {
        using var fake = new FakeSigstore();
        fake.Intercept = (p, _, _) =>
        {
            if (p != "/api/v1/log/entries")
            {
                return null;
            }

            var response = new HttpResponseMessage(HttpStatusCode.Conflict);
            response.Headers.Location = location is null ? null : new Uri(location);
            return response;
        };
        using BundleSigner signer = Signer(fake, tsa: false);

        await AssertCodeAsync("SC2204", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
    }

    [Fact]
    public async Task Csr_request_carries_a_pem_csr_for_the_ephemeral_key()
    {
        using var fake = new FakeSigstore();
        using BundleSigner signer = Signer(fake, csr: true);

        // The instance's CA certifies the CSR's key (the ephemeral one), so the bundle verifies.
        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Token())).ToJson();
        AssertVerifies(fake, bundle, Artifact.FromBytes(ArtifactBytes));

        JsonNode request = JsonNode.Parse(fake.Requests["/api/v2/signingCert"])!;
        Assert.Null(request["publicKeyRequest"]);
        string pem = Encoding.UTF8.GetString(Convert.FromBase64String((string)request["certificateSigningRequest"]!));
        CertificateRequest csr = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256);
        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String((string)JsonNode.Parse(bundle)!["verificationMaterial"]!["certificate"]!["rawBytes"]!));
        Assert.Equal(csr.PublicKey.ExportSubjectPublicKeyInfo(), leaf.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task Public_key_request_carries_the_key_and_a_proof_of_possession_over_the_subject()
    {
        using var fake = new FakeSigstore();
        using BundleSigner signer = Signer(fake);

        await signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token());

        JsonNode request = JsonNode.Parse(fake.Requests["/api/v2/signingCert"])!;
        Assert.Equal("ECDSA", (string?)request["publicKeyRequest"]!["publicKey"]!["algorithm"]);
        byte[] proof = Convert.FromBase64String((string)request["publicKeyRequest"]!["proofOfPossession"]!);
        Assert.True(fake.Key.VerifyData(Encoding.UTF8.GetBytes(FakeSigstore.Identity), proof, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void Invalid_options_are_SC2213()
    {
        using var fake = new FakeSigstore();
        AssertCode("SC2213", () => new BundleSigner(new BundleSignerOptions { TrustedMaterial = fake.TrustedRoot, RekorUrl = FakeSigstore.BaseUrl, RekorVersion = 3 }).Dispose());
        AssertCode("SC2213", () => new BundleSigner(new BundleSignerOptions { RekorUrl = FakeSigstore.BaseUrl }).Dispose());
        AssertCode("SC2213", () => new BundleSigner(new BundleSignerOptions { TrustedMaterial = fake.TrustedRoot, RekorUrl = FakeSigstore.BaseUrl, Retry = new HttpRetryPolicy { MaxAttempts = 0 } }).Dispose());
    }

    [Fact]
    public async Task Rekor_v2_without_a_timestamp_authority_is_SC2213()
    {
        using var fake = new FakeSigstore();
        using BundleSigner signer = Signer(fake, rekorVersion: 2, tsa: false);

        await AssertCodeAsync("SC2213", () => signer.SignMessageAsync(new MemoryStream(ArtifactBytes), fake.Signer, fake.Token()));
        Assert.Equal(0, fake.Calls("/api/v2/log/entries"));
    }

    [Fact]
    public async Task Ephemeral_signer_is_destroyed_on_dispose()
    {
        var signer = new EphemeralSigner();
        Assert.Equal(91, signer.PublicKeySpki.Length);
        byte[] digest = SHA256.HashData("x"u8);
        using (var key = ECDsa.Create())
        {
            key.ImportSubjectPublicKeyInfo(signer.PublicKeySpki.Span, out _);
            Assert.True(key.VerifyHash(digest, signer.SignDigest(digest, HashAlgorithmName.SHA256), DSASignatureFormat.Rfc3279DerSequence));
        }

        signer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => signer.SignData("x"u8));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_dsse_payload_that_is_not_an_in_toto_statement_is_SC2215()
    {
        using var fake = new FakeSigstore();
        using BundleSigner signer = Signer(fake);

        await AssertCodeAsync("SC2215", () => signer.SignDsseAsync("text/plain", "hello"u8.ToArray(), fake.Signer, fake.Token()));
        Assert.Equal(0, fake.Calls("/api/v2/signingCert"));
    }

    private sealed class HangingHandler : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
