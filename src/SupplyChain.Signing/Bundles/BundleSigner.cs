using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Certificates;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Oidc;
using SupplyChain.Signing.Services;

namespace SupplyChain.Signing.Bundles;

/// <summary>
/// Produces Sigstore bundles v0.3 (<c>application/vnd.dev.sigstore.bundle.v0.3+json</c>): keyless (ephemeral key,
/// Fulcio certificate for an OIDC identity) or with a key (<c>publicKey.hint</c>), logged in Rekor v1 or v2 and
/// optionally timestamped by RFC 3161 TSAs, following the Sigstore client spec's "Signing" section. Every bundle
/// is verified with <see cref="SigstoreVerifier"/> before it is returned, so a caller never writes a bundle that does
/// not verify; <see cref="SigstoreBundle.ToJson"/> gives its bytes. Thread-safe; build once and reuse.
/// </summary>
public sealed class BundleSigner : IDisposable
{
    private readonly BundleSignerOptions _options;
    private readonly ITrustedMaterial _trust;
    private readonly ServiceHttp _http;
    private readonly CertificateIssuanceVerifier _issuanceVerifier;

    /// <summary>Builds a signer.</summary>
    /// <param name="options">Trusted root, services and transport.</param>
    /// <exception cref="TrustRootException">SC2213 for invalid options.</exception>
    public BundleSigner(BundleSignerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _trust = options.TrustedMaterial ?? throw SigningErrors.SignerOptionsInvalid.ToException("a trusted root is required");
        if (options.RekorVersion is { } v && v is not (1 or 2))
        {
            throw SigningErrors.SignerOptionsInvalid.ToException($"Rekor version {v}; 1 or 2 are supported");
        }

        if (options.Retry is null || !options.Retry.IsValid)
        {
            throw SigningErrors.SignerOptionsInvalid.ToException("the retry policy needs 1 to 10 attempts, non-negative delays and a positive timeout");
        }

        if (options.SigningConfig is null && options.RekorUrl is null)
        {
            throw SigningErrors.SignerOptionsInvalid.ToException("neither a signing config nor a Rekor URL");
        }

        // Through SupplyChain.Http: a pooled transport unless one is given, attempt deadlines over headers and body.
        _http = new ServiceHttp(options.Transport, options.Retry, options.TimeProvider ?? TimeProvider.System, options.LoggerFactory?.CreateLogger<BundleSigner>());

        // Fail at construction, not after the services were called, when the trusted material is unusable.
        _ = new SigstoreVerifier(_trust);
        _issuanceVerifier = new CertificateIssuanceVerifier(_trust);
    }

    /// <summary>Signs <paramref name="artifact"/> keylessly: an ephemeral key certified by Fulcio for <paramref name="token"/>.</summary>
    /// <param name="artifact">The artifact, read once to hash it (SHA-256).</param>
    /// <param name="token">The OIDC identity token for Fulcio.</param>
    /// <param name="cancellationToken">Cancels the signing.</param>
    /// <returns>The bundle (v0.3), verified; <see cref="SigstoreBundle.ToJson"/> writes it.</returns>
    /// <exception cref="SupplyChainException">An SC22xx code (or the SC1xxx code of the failed verification step inside SC2214).</exception>
    public async Task<SigstoreBundle> SignMessageAsync(Stream artifact, IdentityToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        using var signer = new EphemeralSigner();
        return await SignMessageAsync(artifact, signer, token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Signs <paramref name="artifact"/> with <paramref name="signer"/>: with a Fulcio certificate when
    /// <paramref name="token"/> is given, else as a key-signed bundle (<c>publicKey.hint</c>).
    /// </summary>
    /// <param name="artifact">The artifact, read once to hash it (SHA-256).</param>
    /// <param name="signer">The key (ECDSA P-256 or RSA: the signature is over the SHA-256 digest).</param>
    /// <param name="token">The OIDC identity token, or <see langword="null"/> for key signing.</param>
    /// <param name="cancellationToken">Cancels the signing.</param>
    /// <returns>The bundle (v0.3), verified; <see cref="SigstoreBundle.ToJson"/> writes it.</returns>
    /// <exception cref="SupplyChainException">An SC22xx code.</exception>
    public async Task<SigstoreBundle> SignMessageAsync(Stream artifact, IArtifactSigner signer, IdentityToken? token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(signer);
        if (!SignsSha256Digest(signer))
        {
            throw SigningErrors.SignerUnsupported.ToException($"a message signature over a SHA-256 digest needs an ECDSA P-256 or RSA key, not {signer.Algorithm}");
        }

        // The artifact is streamed through SHA-256 once; never held in memory.
        byte[] digest = await SHA256.HashDataAsync(artifact, cancellationToken).ConfigureAwait(false);
        using SigningMaterial material = await ObtainMaterialAsync(signer, token, cancellationToken).ConfigureAwait(false);
        byte[] signature = signer.SignDigest(digest, HashAlgorithmName.SHA256);

        var content = new MessageSignature("SHA2_256", digest, signature);
        var logRequest = new LogRequest(signature, material.VerifierPem, material.VerifierDer, material.IsCertificate, material.KeyDetails, digest, null, null);
        return await FinishAsync(vm => new SigstoreBundle(BundleMediaTypes.V0_3, vm, content), signature, logRequest, material, Artifact.FromDigest(HashAlgorithmName.SHA256, digest), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs a DSSE envelope over an in-toto statement keylessly (an ephemeral key certified by Fulcio for <paramref name="token"/>).</summary>
    /// <param name="payloadType">The DSSE payload type (<c>application/vnd.in-toto+json</c> for in-toto statements).</param>
    /// <param name="payload">The payload.</param>
    /// <param name="token">The OIDC identity token for Fulcio.</param>
    /// <param name="cancellationToken">Cancels the signing.</param>
    /// <returns>The bundle (v0.3), verified; <see cref="SigstoreBundle.ToJson"/> writes it.</returns>
    /// <exception cref="SupplyChainException">An SC22xx code.</exception>
    public async Task<SigstoreBundle> SignDsseAsync(string payloadType, ReadOnlyMemory<byte> payload, IdentityToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        using var signer = new EphemeralSigner();
        return await SignDsseAsync(payloadType, payload, signer, token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs a DSSE envelope with <paramref name="signer"/> (certificate when <paramref name="token"/> is given, else key).</summary>
    /// <param name="payloadType">The DSSE payload type.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="signer">The key.</param>
    /// <param name="token">The OIDC identity token, or <see langword="null"/> for key signing.</param>
    /// <param name="cancellationToken">Cancels the signing.</param>
    /// <returns>The bundle (v0.3), verified; <see cref="SigstoreBundle.ToJson"/> writes it.</returns>
    /// <exception cref="SupplyChainException">An SC22xx code.</exception>
    public async Task<SigstoreBundle> SignDsseAsync(string payloadType, ReadOnlyMemory<byte> payload, IArtifactSigner signer, IdentityToken? token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(payloadType);
        ArgumentNullException.ThrowIfNull(signer);
        if (payload.Length > Limits.MaxDssePayloadBytes)
        {
            throw SigningErrors.SignerOptionsInvalid.ToException($"the DSSE payload is larger than {Limits.MaxDssePayloadBytes} bytes");
        }

        // The bundle is verified before it is returned, and SigstoreVerifier verifies DSSE bundles whose payload is
        // an in-toto statement against one of its subjects; so that is what the signer accepts.
        Artifact subject = StatementSubject(payloadType, payload);
        using SigningMaterial material = await ObtainMaterialAsync(signer, token, cancellationToken).ConfigureAwait(false);

        // DSSE protocol: the signature is over PAE(payloadType, payload).
        byte[] pae = Dsse.PreAuthenticationEncoding(payloadType, payload.Span);
        byte[] signature = signer.SignData(pae);
        var content = new DsseEnvelope(payload, payloadType, [new DsseSignature(signature, string.Empty)]);
        string envelopeJson = new System.Text.Json.Nodes.JsonObject
        {
            ["payloadType"] = payloadType,
            ["payload"] = Convert.ToBase64String(payload.Span),
            ["signatures"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["keyid"] = string.Empty, ["sig"] = Convert.ToBase64String(signature) }),
        }.ToJsonString();

        // Rekor v1 logs the envelope as dsse 0.0.1; Rekor v2 as hashedrekord 0.0.2 over SHA-256(PAE).
        var logRequest = new LogRequest(signature, material.VerifierPem, material.VerifierDer, material.IsCertificate, material.KeyDetails, SHA256.HashData(pae), envelopeJson, payload.ToArray());
        return await FinishAsync(vm => new SigstoreBundle(BundleMediaTypes.V0_3, vm, content), signature, logRequest, material, subject, cancellationToken).ConfigureAwait(false);
    }

    private static Artifact StatementSubject(string payloadType, ReadOnlyMemory<byte> payload)
    {
        if (payloadType != Dsse.InTotoPayloadType)
        {
            throw SigningErrors.SignerUnsupported.ToException($"DSSE payload type '{payloadType}': only {Dsse.InTotoPayloadType} bundles can be verified before they are returned");
        }

        InTotoStatement statement;
        try
        {
            statement = InTotoStatement.Parse(payload.Span);
        }
        catch (SupplyChainException ex)
        {
            throw SigningErrors.SignerUnsupported.ToException("the DSSE payload is not an in-toto statement: " + ex.Code, ex);
        }

        foreach (InTotoSubject subject in statement.Subjects)
        {
            foreach ((string name, HashAlgorithmName algorithm) in new[] { ("sha256", HashAlgorithmName.SHA256), ("sha512", HashAlgorithmName.SHA512) })
            {
                if (subject.Digests.TryGetValue(name, out string? hex) && hex.Length % 2 == 0 && hex.All(Uri.IsHexDigit))
                {
                    return Artifact.FromDigest(algorithm, Convert.FromHexString(hex));
                }
            }
        }

        throw SigningErrors.SignerUnsupported.ToException("the in-toto statement has no sha256 or sha512 subject digest");
    }

    /// <summary>
    /// The Rekor major API versions (1 or 2) of the logs a signing now would write to, as selected from the options
    /// (Rekor URL and version) or the signing config; no service is called. A Rekor v2 entry carries no signed entry
    /// timestamp, so a caller that stores only that (cosign's legacy signature layer) can refuse before signing.
    /// </summary>
    /// <returns>One version per log, in the order they would be written.</returns>
    /// <exception cref="SupplyChainException">As signing would throw for unusable options (SC2213, SC22xx).</exception>
    public IReadOnlyList<int> GetTransparencyLogVersions() => SelectLogsAndTimestampers().Logs.Select(l => l.MajorVersion).ToArray();

    /// <summary>Releases the HTTP client the signer made.</summary>
    public void Dispose() => _http.Dispose();

    private async Task<SigningMaterial> ObtainMaterialAsync(IArtifactSigner signer, IdentityToken? token, CancellationToken cancellationToken)
    {
        string keyDetails = KeyDetails(signer);
        if (token is null)
        {
            return new SigningMaterial(null, PemEncoding.WriteString("PUBLIC KEY", signer.PublicKeySpki.Span), signer.PublicKeySpki.ToArray(), false, keyDetails, signer.PublicKeySpki.ToArray(), null);
        }

        Uri fulcioUrl = _options.FulcioUrl ?? ServiceSelection.Select("Fulcio", _options.SigningConfig?.CertificateAuthorities ?? [], null, Now, [1], required: true)[0].Url;
        var fulcio = new FulcioClient(fulcioUrl, _http);
        X509Certificate2[] chain = await fulcio.RequestCertificateAsync(signer, token, _options.UseCertificateSigningRequest, cancellationToken).ConfigureAwait(false);
        X509Certificate2 leaf = chain[0];
        try
        {
            VerifyIssuance(leaf);
        }
        catch
        {
            foreach (X509Certificate2 c in chain)
            {
                c.Dispose();
            }

            throw;
        }

        return new SigningMaterial(chain, leaf.ExportCertificatePem(), leaf.RawData, true, keyDetails, signer.PublicKeySpki.ToArray(), token);
    }

    // Before the certificate is used (and before anything is logged in public): it must chain to a CA of the trusted
    // root (RFC 5280 section 6.1, checked at its notBefore: it was issued just now) and carry an SCT from a trusted
    // CT log (RFC 6962 section 3.3; Sigstore client spec, "Certificate Issuance": "verify the SCT").
    private void VerifyIssuance(X509Certificate2 leaf)
    {
        try
        {
            _issuanceVerifier.Verify(leaf);
        }
        catch (SupplyChainException ex)
        {
            throw SigningErrors.CertificateUntrusted.ToException(ex.Code, ex);
        }
    }

    private async Task<SigstoreBundle> FinishAsync(Func<VerificationMaterial, SigstoreBundle> bundle, byte[] signature, LogRequest logRequest, SigningMaterial material, Artifact artifact, CancellationToken cancellationToken)
    {
        (IReadOnlyList<RekorClient> logs, IReadOnlyList<TimestampClient> tsas) = SelectLogsAndTimestampers();

        // Timestamps first (Sigstore client spec: the TSA signs the signature; the time bounds the certificate).
        var timestamps = new List<ReadOnlyMemory<byte>>();
        foreach (TimestampClient tsa in tsas)
        {
            timestamps.Add(await tsa.TimestampAsync(signature, cancellationToken).ConfigureAwait(false));
        }

        var entries = new List<TransparencyLogEntry>();
        foreach (RekorClient log in logs)
        {
            entries.Add(await log.LogAsync(logRequest, cancellationToken).ConfigureAwait(false));
        }

        SigstoreBundle produced;
        try
        {
            // Bundle v0.3: a single leaf certificate, never the chain; or the key's hint, base64 SHA-256 of its SPKI.
            VerificationMaterial verificationMaterial = material.IsCertificate
                ? VerificationMaterial.ForCertificate(material.VerifierDer, entries, timestamps)
                : VerificationMaterial.ForPublicKey(Convert.ToBase64String(SHA256.HashData(material.Spki)), entries, timestamps);
            produced = bundle(verificationMaterial);
        }
        catch (MalformedInputException ex)
        {
            throw SigningErrors.ProducedBundleDoesNotVerify.ToException(ex.Message, ex);
        }

        VerifyProduced(produced, artifact, material, entries.Count, timestamps.Count);
        return produced;
    }

    // Sigstore client spec, "Signing": the client SHOULD verify what it produced. Ours must: the bundle is verified
    // with the same verifier users run, for the signer's own identity or key, after a round trip through its JSON so
    // that what is checked is what a caller writes out.
    private void VerifyProduced(SigstoreBundle produced, Artifact artifact, SigningMaterial material, int logCount, int timestampCount)
    {
        var verifier = new SigstoreVerifier(_trust, new VerifierOptions
        {
            TransparencyLogThreshold = logCount,
            SignedTimestampThreshold = timestampCount,
            ObserverTimestampThreshold = 1,
        });
        try
        {
            SigstoreBundle parsed = SigstoreBundle.Parse(produced.ToJson());
            if (material.Token is { } token)
            {
                // A CI token's certificate names its workflow, not its "sub" (FulcioClient.CheckLeaf checked the key and issuer).
                string identity = FulcioClient.IsCertifiedAsIs(token) || material.Chain is not { Length: > 0 } chain
                    ? token.Subject
                    : FulcioCertificate.Parse(chain[0]).SubjectAlternativeName ?? token.Subject;
                verifier.Verify(parsed, artifact, VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(identity, token.Issuer)));
            }
            else
            {
                using PublicKeyVerifier key = PublicKeyVerifier.FromSubjectPublicKeyInfo(material.Spki);
                verifier.Verify(parsed, artifact, VerificationPolicy.ForPublicKey(key));
            }
        }
        catch (SupplyChainException ex)
        {
            throw SigningErrors.ProducedBundleDoesNotVerify.ToException(ex.Message, ex);
        }
    }

    private (IReadOnlyList<RekorClient> Logs, IReadOnlyList<TimestampClient> Tsas) SelectLogsAndTimestampers()
    {
        DateTimeOffset now = Now;
        var logs = new List<RekorClient>();
        if (_options.RekorUrl is { } rekorUrl)
        {
            logs.Add(new RekorClient(rekorUrl, _options.RekorVersion ?? 1, _http));
        }
        else
        {
            int[] versions = _options.RekorVersion is { } v ? [v] : [2, 1];
            foreach (SigningService s in ServiceSelection.Select("Rekor", _options.SigningConfig!.TransparencyLogs, _options.SigningConfig.TransparencyLogSelection, now, versions, required: true))
            {
                logs.Add(new RekorClient(s.Url, s.MajorApiVersion, _http));
            }
        }

        // Rekor v2 returns no SET (no inclusion promise), so an RFC 3161 timestamp is the only signed time.
        bool timestampRequired = _options.RequireTimestamp || logs.Any(l => l.MajorVersion == 2);
        var tsas = new List<TimestampClient>();
        if (_options.TimestampAuthorityUrl is { } tsaUrl)
        {
            tsas.Add(new TimestampClient(tsaUrl, _http, _trust));
        }
        else if (_options.SigningConfig is { } config)
        {
            foreach (SigningService s in ServiceSelection.Select("timestamp authority", config.TimestampAuthorities, config.TimestampAuthoritySelection, now, [1], required: timestampRequired))
            {
                tsas.Add(new TimestampClient(s.Url, _http, _trust));
            }
        }

        if (timestampRequired && tsas.Count == 0)
        {
            throw SigningErrors.SignerOptionsInvalid.ToException("Rekor v2 (or RequireTimestamp) needs a timestamp authority");
        }

        return (logs, tsas);
    }

    private DateTimeOffset Now => (_options.TimeProvider ?? TimeProvider.System).GetUtcNow();

    private static bool SignsSha256Digest(IArtifactSigner signer) => signer.Algorithm switch
    {
        KeyAlgorithm.Rsa => true,
        KeyAlgorithm.Ecdsa => EcdsaCurveBits(signer) == 256,
        _ => false,
    };

    private static int EcdsaCurveBits(IArtifactSigner signer)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(signer.PublicKeySpki.Span, out _);
        return key.KeySize;
    }

    // protobuf-specs PublicKeyDetails names.
    private static string KeyDetails(IArtifactSigner signer)
    {
        switch (signer.Algorithm)
        {
            case KeyAlgorithm.Ecdsa:
                return EcdsaCurveBits(signer) switch
                {
                    256 => "PKIX_ECDSA_P256_SHA_256",
                    384 => "PKIX_ECDSA_P384_SHA_384",
                    _ => "PKIX_ECDSA_P521_SHA_512",
                };
            case KeyAlgorithm.Rsa:
                using (var rsa = RSA.Create())
                {
                    rsa.ImportSubjectPublicKeyInfo(signer.PublicKeySpki.Span, out _);
                    return rsa.KeySize switch
                    {
                        2048 => "PKIX_RSA_PKCS1V15_2048_SHA256",
                        3072 => "PKIX_RSA_PKCS1V15_3072_SHA256",
                        _ => "PKIX_RSA_PKCS1V15_4096_SHA256",
                    };
                }

            default:
                return "PKIX_ED25519";
        }
    }

    private sealed record SigningMaterial(X509Certificate2[]? Chain, string VerifierPem, byte[] VerifierDer, bool IsCertificate, string KeyDetails, byte[] Spki, IdentityToken? Token) : IDisposable
    {
        public void Dispose()
        {
            foreach (X509Certificate2 c in Chain ?? [])
            {
                c.Dispose();
            }
        }
    }
}
