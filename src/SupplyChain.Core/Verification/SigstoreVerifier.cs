using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Certificates;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Timestamps;
using SupplyChain.Core.Transparency;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Verification;

/// <summary>
/// Verifies Sigstore bundles offline against trusted material. Built once (keys imported and CA chains
/// checked up front), then used for many bundles from many threads. Follows sigstore-go's
/// verify.SignedEntityVerifier step order; each step fails closed with a stable code, and
/// <see cref="Verify"/> returns a result only on success. The steps and the method for each are
/// listed in docs/verification.md.
/// </summary>
public sealed class SigstoreVerifier
{
    /// <summary>Largest artifact read whole for signatures that cover the message itself (Ed25519).</summary>
    private const long MaxWholeMessageBytes = 256L * 1024 * 1024;

    /// <summary>The in-toto subject digests an artifact may match, in order of preference.</summary>
    private static readonly (string Name, HashAlgorithmName Algorithm)[] SubjectDigests = [("sha256", HashAlgorithmName.SHA256), ("sha512", HashAlgorithmName.SHA512)];

    private readonly ITrustedMaterial _trust;
    private readonly VerifierOptions _options;
    private readonly FulcioChainVerifier _chainVerifier;
    private readonly TimestampVerifier _timestampVerifier;

    /// <summary>Builds a verifier.</summary>
    /// <param name="trust">The trusted material (a <see cref="TrustedRoot"/>, usually).</param>
    /// <param name="options">Thresholds; <see cref="VerifierOptions.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="TrustRootException">SC1609 for invalid options; SC11xx for unusable trusted material.</exception>
    public SigstoreVerifier(ITrustedMaterial trust, VerifierOptions? options = null)
    {
        _trust = trust ?? throw new ArgumentNullException(nameof(trust));
        _options = options ?? VerifierOptions.Default;
        _options.Validate();
        _chainVerifier = new FulcioChainVerifier(trust);
        _timestampVerifier = new TimestampVerifier(trust);
    }

    /// <summary>Verifies <paramref name="bundle"/> over <paramref name="artifact"/> for <paramref name="policy"/>.</summary>
    /// <param name="bundle">What was signed: a <see cref="SigstoreBundle"/>, or any other <see cref="ISignedEntity"/> (a legacy cosign signature mapped to one, say).</param>
    /// <param name="artifact">The artifact (bytes, file or digest).</param>
    /// <param name="policy">Who must have signed.</param>
    /// <returns>What was verified.</returns>
    /// <exception cref="VerificationFailedException">The bundle does not verify; the code says which step failed.</exception>
    /// <exception cref="MalformedInputException">Part of the bundle or artifact cannot be decoded; SC1013 when the entity carries both or neither of a message signature and a DSSE envelope.</exception>
    public VerificationResult Verify(ISignedEntity bundle, Artifact artifact, VerificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(bundle.VerificationMaterial, nameof(bundle));

        // sigstore_bundle.proto: "oneof content { MessageSignature message_signature; DSSE envelope }". A SigstoreBundle
        // holds exactly one by construction; any other ISignedEntity is held to the same rule.
        if ((bundle.MessageSignature is null) == (bundle.DsseEnvelope is null))
        {
            throw CoreErrors.BundleInvalidContent.ToException();
        }

        try
        {
            // Step 1: the verification content (certificate or key) must agree with the policy.
            CertificateDer? leaf = ParseLeaf(bundle.VerificationMaterial);
            bool ownsKey = leaf is not null;
            PublicKeyVerifier signerKey = SelectSignerKey(leaf, policy);
            try
            {
                return VerifyWithKey(bundle, artifact, policy, leaf, signerKey);
            }
            finally
            {
                if (ownsKey)
                {
                    signerKey.Dispose();
                }
            }
        }
        catch (Exception ex) when (ex is CryptographicException or System.Formats.Asn1.AsnContentException)
        {
            // Safety net, fail closed: every decoder maps its own failures to a code, and a seeded bit-flip test
            // checks that; anything the platform's crypto still throws on hostile input is denied with a code too.
            throw CoreErrors.BundleCryptographicMaterialMalformed.ToException(ex.Message, ex);
        }
    }

    // The leaf is parsed once per bundle (RFC 5280 section 4.1, DER) and the parsed form serves every step:
    // key import, chain, SCTs and identity. Not a DER certificate: SC1307.
    private static CertificateDer? ParseLeaf(VerificationMaterial material) =>
        material.HasCertificate ? CertificateDer.Parse(material.LeafCertificate) : null;

    private static PublicKeyVerifier SelectSignerKey(CertificateDer? leaf, VerificationPolicy policy)
    {
        if (leaf is null)
        {
            // A key-signed bundle (public-key hint) only verifies with a key the caller supplies.
            return policy.PublicKey ?? throw CoreErrors.KeyMaterialMismatch.ToException("the bundle is signed with a key; supply the public key");
        }

        if (policy.PublicKey is not null)
        {
            throw CoreErrors.KeyMaterialMismatch.ToException("the bundle is signed with a certificate; supply a certificate identity, not a key");
        }

        try
        {
            return PublicKeyVerifier.FromCertificate(leaf);
        }
        catch (MalformedInputException ex)
        {
            throw CoreErrors.CertificateMalformed.ToException("the signing certificate's key", ex);
        }
    }

    private VerificationResult VerifyWithKey(ISignedEntity bundle, Artifact artifact, VerificationPolicy policy, CertificateDer? leaf, PublicKeyVerifier signerKey)
    {
        VerificationMaterial material = bundle.VerificationMaterial;
        ReadOnlyMemory<byte> signatureBytes = SignatureBytes(bundle);

        // Before anything else: a bundle that states what it signed is checked against the artifact first, so that a
        // changed file is reported as such (SC1502) rather than as a log entry that does not match (SC1204).
        if (bundle.MessageSignature is { } stated)
        {
            RequireArtifactMatchesStatedDigest(stated, artifact);
        }

        // Step 2: RFC 3161 timestamps over the signature (sigstore-go VerifySignedTimestamp); one that fails is set aside.
        var verifiedTimes = new List<VerifiedTime>();
        BundleTimestamps timestamps = BundleTimestamps.Verify(_timestampVerifier, material.Rfc3161Timestamps, signatureBytes.Span, _options.SignedTimestampThreshold);
        foreach (VerifiedTimestamp ts in timestamps.Verified)
        {
            verifiedTimes.Add(new VerifiedTime("rfc3161", ts.Authority.Uri ?? ts.Authority.SubjectCommonName ?? "tsa", ts.Time));
        }

        // Step 3: transparency-log entries: body matches the bundle, inclusion proof + checkpoint, SET.
        var subject = new TlogSubject(
            bundle.MessageSignature,
            bundle.DsseEnvelope,
            leaf is not null ? material.LeafCertificate : signerKey.SubjectPublicKeyInfo,
            leaf is not null,
            artifact,
            signerKey.SubjectPublicKeyInfo);
        RequireDistinctEntries(material.TlogEntries);
        var logEntries = new List<VerifiedLogEntry>();
        var logs = new HashSet<TransparencyLogInstance>();
        IReadOnlyList<DateTimeOffset> tsaTimes = timestamps.Times;
        foreach (TransparencyLogEntry entry in material.TlogEntries)
        {
            VerifiedTlogEntry verified = TransparencyLogVerifier.VerifyEntry(entry, subject, _trust, tsaTimes, timestamps.Failure);
            logEntries.Add(new VerifiedLogEntry(verified.Log.BaseUrl, entry.LogIndex, entry.Kind, entry.KindVersion, verified.IntegratedTime));
            logs.Add(verified.Log);
            if (verified.IntegratedTime is { } integrated)
            {
                verifiedTimes.Add(new VerifiedTime("transparency-log", verified.Log.BaseUrl, integrated));
            }
        }

        // sigstore-go VerifyTlogEntry counts the logs that verified an entry: two entries in one log are one witness.
        if (logs.Count < _options.TransparencyLogThreshold)
        {
            throw CoreErrors.TlogThresholdNotMet.ToException($"{logs.Count} log(s) verified an entry, {_options.TransparencyLogThreshold} required");
        }

        if (verifiedTimes.Count < _options.ObserverTimestampThreshold)
        {
            throw timestamps.Failure(CoreErrors.NoVerifiedTime, $"{verifiedTimes.Count} verified times, {_options.ObserverTimestampThreshold} required");
        }

        // Step 4: the certificate chains to a trusted CA at every verified time, and carries a valid SCT.
        FulcioCertificate? fulcio = null;
        if (leaf is not null)
        {
            // One leaf signature check; the validity windows at every verified time.
            ChainResult chain = _chainVerifier.Verify(leaf, verifiedTimes.ConvertAll(t => t.Time));
            if (_options.CertificateTransparencyThreshold > 0)
            {
                SctVerifier.Verify(leaf, chain.IssuerKeyHash, _trust);
            }

            RequireChainCopiesAreTrusted(material, chain.Authority);
            fulcio = FulcioCertificate.Parse(leaf);
        }

        // Step 5: the signature over the artifact (message) or over PAE (DSSE), and the artifact binding.
        InTotoStatement? statement = bundle.MessageSignature is { } ms
            ? VerifyMessageSignature(ms, artifact, signerKey)
            : VerifyEnvelope(bundle.DsseEnvelope!, artifact, signerKey);

        // Step 6: the identity policy.
        if (fulcio is not null && !policy.SkipsIdentityCheck)
        {
            IdentityPolicyCheck.Enforce(policy.Identities, fulcio);
        }

        var signer = new SignerInfo(
            fulcio?.SubjectAlternativeName,
            fulcio?.Issuer,
            fulcio?.Extensions ?? new Dictionary<string, string>(),
            Convert.ToHexStringLower(SHA256.HashData(signerKey.SubjectPublicKeyInfo.Span)));
        return new VerificationResult(bundle.MediaType, signer, verifiedTimes, logEntries, statement, !policy.SkipsIdentityCheck);
    }

    /// <summary>
    /// The chain is always built from the trusted root; the certificates a v0.1/v0.2 bundle carries after its leaf
    /// are unused copies. Fail closed: each must be byte-identical to a certificate of the CA that issued the leaf.
    /// </summary>
    private static void RequireChainCopiesAreTrusted(VerificationMaterial material, CertificateAuthority authority)
    {
        for (int i = 1; i < material.Certificates.Count; i++)
        {
            ReadOnlySpan<byte> copy = material.Certificates[i].Span;
            bool trusted = false;
            foreach (X509Certificate2 certificate in authority.Chain)
            {
                trusted |= certificate.RawDataMemory.Span.SequenceEqual(copy);
            }

            if (!trusted)
            {
                throw CoreErrors.CertificateChainMismatch.ToException($"certificate {i} of x509CertificateChain is not in the chain of {authority.Uri}");
            }
        }
    }

    private static ReadOnlyMemory<byte> SignatureBytes(ISignedEntity bundle)
    {
        if (bundle.MessageSignature is { } ms)
        {
            return ms.Signature;
        }

        DsseEnvelope envelope = bundle.DsseEnvelope!;

        // Sigstore bundles carry exactly one DSSE signature (sigstore-go verify.VerifySignature).
        if (envelope.Signatures.Count != 1)
        {
            throw CoreErrors.DsseEnvelopeInvalid.ToException($"{envelope.Signatures.Count} signatures");
        }

        return envelope.Signatures[0].Signature;
    }

    /// <summary>
    /// The bundle's messageDigest is a hint (the signature is what counts), but when present it must agree with the
    /// artifact: the usual reason it does not is that the file changed after it was signed.
    /// </summary>
    private static void RequireArtifactMatchesStatedDigest(MessageSignature signature, Artifact artifact)
    {
        if (signature.Digest is not { } claimed)
        {
            return;
        }

        HashAlgorithmName algorithm = HashAlgorithmFromBundle(signature.DigestAlgorithm!);
        byte[]? actual = artifact.GetDigest(algorithm);
        if (actual is not null && !actual.AsSpan().SequenceEqual(claimed.Span))
        {
            string name = algorithm.Name!.ToLowerInvariant();
            throw CoreErrors.ArtifactDigestMismatch.ToException($"its {name} digest is {Convert.ToHexStringLower(actual)}, the bundle signed {Convert.ToHexStringLower(claimed.Span)}");
        }
    }

    /// <summary>sigstore-go: "disallow duplicate entries, as a malicious actor could use duplicates to bypass the threshold".</summary>
    private static void RequireDistinctEntries(IReadOnlyList<TransparencyLogEntry> entries)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            for (int j = i + 1; j < entries.Count; j++)
            {
                if (entries[i].LogIndex == entries[j].LogIndex && entries[i].LogId.Span.SequenceEqual(entries[j].LogId.Span))
                {
                    throw CoreErrors.TlogEntryDuplicate.ToException($"entries {i + 1} and {j + 1} are index {entries[i].LogIndex} of the same log");
                }
            }
        }
    }

    private static InTotoStatement? VerifyMessageSignature(MessageSignature signature, Artifact artifact, PublicKeyVerifier key)
    {
        bool valid;
        if (key.Algorithm == KeyAlgorithm.Ed25519)
        {
            ReadOnlyMemory<byte> bytes = artifact.GetBytes(MaxWholeMessageBytes)
                ?? throw CoreErrors.DigestOnlyUnsupported.ToException("Ed25519 signs the whole artifact; supply the artifact, not its digest");
            valid = key.VerifyData(bytes.Span, signature.Signature.Span);
        }
        else
        {
            // The signer names its hash in messageDigest (sigstore-python, for one, signs SHA-256 with P-384 keys);
            // without it the key's default applies. ECDSA/RSA over any of SHA-256/384/512 is sound either way.
            HashAlgorithmName algorithm = signature.DigestAlgorithm is { } named ? HashAlgorithmFromBundle(named) : key.HashAlgorithm;
            byte[] digest = artifact.GetDigest(algorithm)
                ?? throw CoreErrors.DigestOnlyUnsupported.ToException($"the signature is over a {algorithm.Name} digest; supply the artifact or its {algorithm.Name} digest");
            valid = key.VerifyDigest(digest, algorithm, signature.Signature.Span);
        }

        if (!valid)
        {
            throw CoreErrors.SignatureInvalid.ToException();
        }

        return null;
    }

    private static InTotoStatement VerifyEnvelope(DsseEnvelope envelope, Artifact artifact, PublicKeyVerifier key)
    {
        byte[] pae = Dsse.PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload.Span);
        if (!key.VerifyData(pae, envelope.Signatures[0].Signature.Span))
        {
            throw CoreErrors.DsseSignatureInvalid.ToException();
        }

        if (envelope.PayloadType != Dsse.InTotoPayloadType)
        {
            throw CoreErrors.InTotoStatementMalformed.ToException($"payload type '{envelope.PayloadType}' is not {Dsse.InTotoPayloadType}");
        }

        InTotoStatement statement = InTotoStatement.Parse(envelope.Payload.Span);

        // The artifact must be one of the statement's subjects, by SHA-256 or SHA-512.
        foreach ((string name, HashAlgorithmName algorithm) in SubjectDigests)
        {
            if (artifact.GetDigest(algorithm) is { } digest && statement.FindSubject(name, digest) is not null)
            {
                return statement;
            }
        }

        throw CoreErrors.InTotoSubjectMismatch.ToException();
    }

    private static HashAlgorithmName HashAlgorithmFromBundle(string algorithm) => algorithm switch
    {
        "SHA2_256" => HashAlgorithmName.SHA256,
        "SHA2_384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };
}
