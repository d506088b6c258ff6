using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Certificates;

/// <summary>The CA that issued a leaf, and the certificate that signed it.</summary>
/// <param name="Authority">The trusted CA.</param>
/// <param name="Issuer">The CA certificate whose key signed the leaf.</param>
/// <param name="IssuerKeyHash">SHA-256 of the issuer's DER SubjectPublicKeyInfo (RFC 6962 section 3.2 issuer_key_hash), computed once per CA certificate.</param>
internal sealed record ChainResult(CertificateAuthority Authority, X509Certificate2 Issuer, byte[] IssuerKeyHash);

/// <summary>
/// Fulcio chain verification with custom root trust only: the only anchors are the trusted root's certificate
/// authorities, never the system store. <see cref="X509Chain"/> is not used (about 2 ms a call): each CA chain's
/// internal links are checked once, in the constructor, and each call checks the leaf's signature directly with the
/// issuing CA certificate's key, imported once. Thread-safe: all state is immutable after construction.
/// </summary>
internal sealed class FulcioChainVerifier
{
    private readonly TrustedCa[] _authorities;

    /// <summary>Precomputes per-CA state: each CA chain's internal links verified once; issuer keys imported once.</summary>
    /// <param name="trust">The trusted material.</param>
    public FulcioChainVerifier(ITrustedMaterial trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        _authorities = [.. trust.CertificateAuthorities.Select(ca => new TrustedCa(ca))];
    }

    /// <summary>Why each unusable CA of the trusted material is unusable (diagnostics; empty when all chains are valid).</summary>
    internal IEnumerable<string> UnusableAuthorities => _authorities.Where(a => a.Problem is not null).Select(a => $"{a.Name}: {a.Problem}");

    /// <summary>
    /// Verifies that <paramref name="leaf"/> was issued by a trusted Fulcio CA valid at <paramref name="at"/>
    /// (CA validFor and every certificate validity), that the leaf is valid at <paramref name="at"/>, and that it
    /// is a code-signing leaf (RFC 5280: not a CA, digitalSignature key usage, id-kp-codeSigning EKU).
    /// Throws SC1301-SC1304 (SC1307 when the leaf cannot be parsed).
    /// </summary>
    /// <param name="leaf">The signing certificate.</param>
    /// <param name="at">The verified time (a log entry's integrated time or a timestamp).</param>
    public ChainResult Verify(X509Certificate2 leaf, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        return Verify(CertificateDer.Parse(leaf.RawDataMemory), at);
    }

    /// <summary>As <see cref="Verify(X509Certificate2, DateTimeOffset)"/>, for a leaf already parsed.</summary>
    /// <param name="certificate">The parsed signing certificate.</param>
    /// <param name="at">The verified time.</param>
    public ChainResult Verify(CertificateDer certificate, DateTimeOffset at) => Verify(certificate, [at]);

    /// <summary>
    /// As <see cref="Verify(CertificateDer, DateTimeOffset)"/> at every one of <paramref name="times"/>, with the
    /// same issuing CA: the leaf's signature (the costly step) is checked once, the validity windows at each time.
    /// </summary>
    /// <param name="certificate">The parsed signing certificate.</param>
    /// <param name="times">The verified times (at least one).</param>
    public ChainResult Verify(CertificateDer certificate, IReadOnlyList<DateTimeOffset> times)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(times);
        if (times.Count == 0)
        {
            throw new ArgumentException("at least one verified time is needed", nameof(times));
        }

        CertificateProfile profile = CertificateProfile.From(certificate);

        // The most specific failure over every CA certificate whose subject names the leaf's issuer (CAs rotate, so
        // several may): a failed signature < CA outside validFor < a certificate outside its validity.
        (int Rank, ErrorCode Code, string Detail) best = (-1, CoreErrors.CertificateUntrusted, "no trusted CA certificate has the leaf's issuer name as its subject");
        foreach (TrustedCa ca in _authorities)
        {
            for (int i = 0; i < ca.Certificates.Length; i++)
            {
                TrustedCaCertificate issuer = ca.Certificates[i];

                // RFC 5280 section 6.1.3 (a)(4): the certificate issuer name is the working_issuer_name (the subject of
                // the previous certificate in the path), compared here as raw DER.
                if (!certificate.Issuer.Span.SequenceEqual(issuer.Subject.Span))
                {
                    continue;
                }

                // RFC 5280 section 4.2.1.1: the authority key identifier names the issuer's subject key identifier.
                if (profile.AuthorityKeyIdentifier is { } aki && issuer.SubjectKeyIdentifier is { } ski && !aki.Span.SequenceEqual(ski.Span))
                {
                    best = Better(best, 0, CoreErrors.CertificateUntrusted, $"the leaf's authority key identifier does not match CA {ca.Name}");
                    continue;
                }

                if (ca.Problem is not null)
                {
                    best = Better(best, 0, CoreErrors.CertificateUntrusted, $"CA {ca.Name} is unusable: {ca.Problem}");
                    continue;
                }

                // RFC 5280 section 6.1.3 (a)(1): the signature verifies with working_public_key.
                if (!issuer.Key.VerifyCertificateSignature(certificate, out string? failure))
                {
                    best = Better(best, 0, CoreErrors.CertificateUntrusted, $"CA {ca.Name}: {failure}");
                    continue;
                }

                // RFC 5280 section 4.2.1.9 and 6.1.4 (l)/(m): at most pathLenConstraint non-self-issued intermediates
                // follow a CA certificate in the path (leaf, Certificates[i..]).
                string? pathProblem = null;
                for (int j = i; j < ca.Certificates.Length; j++)
                {
                    if (ca.Certificates[j].PathLengthConstraint is { } limit && j - i > limit)
                    {
                        pathProblem = $"CA {ca.Name}: certificate {j} allows {limit} intermediates below it, the path has {j - i}";
                        break;
                    }
                }

                if (pathProblem is not null)
                {
                    best = Better(best, 0, CoreErrors.CertificateUntrusted, pathProblem);
                    continue;
                }

                if (TimeProblem(ca, i, certificate, times) is { } problem)
                {
                    best = Better(best, problem.Rank, problem.Code, problem.Detail);
                    continue;
                }

                CheckCodeSigningLeaf(profile);
                return new ChainResult(ca.Authority, ca.Authority.Chain[i], issuer.KeyHash);
            }
        }

        throw best.Code.ToException(best.Detail);
    }

    /// <summary>The first validity failure of the path (leaf, CA certificates i..) at any of the times, or null.</summary>
    private static (int Rank, ErrorCode Code, string Detail)? TimeProblem(TrustedCa ca, int i, CertificateDer certificate, IReadOnlyList<DateTimeOffset> times)
    {
        foreach (DateTimeOffset at in times)
        {
            // Sigstore client spec, "Certificate": the CA must be valid (trusted root validFor, a closed interval) at the verified time.
            if (!ca.Authority.ValidFor.Contains(at))
            {
                return (1, CoreErrors.CertificateAuthorityNotValidAtTime, $"CA {ca.Name} is trusted for {ca.Authority.ValidFor}, not at {at:O}");
            }

            // RFC 5280 section 6.1.3 (a)(2): every certificate in the path is valid at the verified time.
            for (int j = i; j < ca.Certificates.Length; j++)
            {
                TrustedCaCertificate c = ca.Certificates[j];
                if (!c.Certificate.IsValidAt(at))
                {
                    return (2, CoreErrors.CertificateNotValidAtTime, $"CA {ca.Name} certificate {j} is valid [{c.Certificate.NotBefore:O}, {c.Certificate.NotAfter:O}], not at {at:O}");
                }
            }

            if (!certificate.IsValidAt(at))
            {
                return (2, CoreErrors.CertificateNotValidAtTime, $"the leaf is valid [{certificate.NotBefore:O}, {certificate.NotAfter:O}], not at {at:O}");
            }
        }

        return null;
    }

    private static (int Rank, ErrorCode Code, string Detail) Better((int Rank, ErrorCode Code, string Detail) best, int rank, ErrorCode code, string detail) =>
        rank > best.Rank ? (rank, code, detail) : best;

    // Fulcio issues end-entity code-signing certificates; RFC 5280 sections 4.2.1.3, 4.2.1.9 and 4.2.1.12.
    private static void CheckCodeSigningLeaf(CertificateProfile leaf)
    {
        // RFC 5280 section 4.2.1.9: the leaf must not be a CA ("cA boolean indicates whether the certified public key
        // may be used to verify certificate signatures").
        if (leaf.IsCertificateAuthority)
        {
            throw CoreErrors.CertificateInvalidUsage.ToException("the leaf is a CA certificate (basicConstraints cA=TRUE)");
        }

        // RFC 5280 section 4.2.1.3: digitalSignature "when the subject public key is used for verifying digital
        // signatures, other than signatures on certificates".
        if (!leaf.HasKeyUsage || !leaf.DigitalSignature)
        {
            throw CoreErrors.CertificateInvalidUsage.ToException("the leaf's keyUsage lacks digitalSignature");
        }

        // RFC 5280 section 4.2.1.12: id-kp-codeSigning "Signing of downloadable executable code".
        if (leaf.ExtendedKeyUsages is null || !leaf.ExtendedKeyUsages.Contains(CertificateProfile.CodeSigningOid))
        {
            throw CoreErrors.CertificateInvalidUsage.ToException("the leaf's extendedKeyUsage lacks id-kp-codeSigning");
        }

        // RFC 5280 section 4.2: an unrecognized critical extension makes the certificate unusable.
        if (leaf.UnrecognizedCriticalExtension is { } oid)
        {
            throw CoreErrors.CertificateInvalidUsage.ToException($"the leaf has an unrecognized critical extension {oid}");
        }
    }

    /// <summary>A CA certificate prepared once: its names, key and constraints.</summary>
    private sealed class TrustedCaCertificate
    {
        public TrustedCaCertificate(CertificateDer certificate, CertificateProfile profile, IssuerKey key)
        {
            Certificate = certificate;
            Key = key;
            Subject = certificate.Subject;
            SubjectKeyIdentifier = profile.SubjectKeyIdentifier;
            PathLengthConstraint = profile.PathLengthConstraint;
            KeyHash = SHA256.HashData(certificate.SubjectPublicKeyInfo.Span);
        }

        /// <summary>SHA-256 of the DER SubjectPublicKeyInfo (the SCT issuer_key_hash, RFC 6962 section 3.2).</summary>
        public byte[] KeyHash { get; }

        public CertificateDer Certificate { get; }

        public IssuerKey Key { get; }

        public ReadOnlyMemory<byte> Subject { get; }

        public ReadOnlyMemory<byte>? SubjectKeyIdentifier { get; }

        public int? PathLengthConstraint { get; }
    }

    /// <summary>
    /// A trusted CA whose chain [intermediates..., root] was checked once. A CA whose chain is invalid is kept with
    /// its <see cref="Problem"/>: it trusts nothing (fail closed) and the reason reaches the SC1301 detail.
    /// </summary>
    private sealed class TrustedCa
    {
        public TrustedCa(CertificateAuthority authority)
        {
            Authority = authority;
            Name = authority.Uri ?? authority.SubjectCommonName ?? "(unnamed)";
            var certificates = new List<TrustedCaCertificate>(authority.Chain.Count);
            try
            {
                Problem = Prepare(authority.Chain, certificates);
            }
            catch (SupplyChainException ex)
            {
                Problem = ex.Message;
            }

            Certificates = [.. certificates];
        }

        public CertificateAuthority Authority { get; }

        public string Name { get; }

        public TrustedCaCertificate[] Certificates { get; }

        public string? Problem { get; }

        private static string? Prepare(IReadOnlyList<X509Certificate2> chain, List<TrustedCaCertificate> certificates)
        {
            if (chain.Count == 0 || chain.Count > Limits.MaxCertificatesInChain)
            {
                return $"the chain has {chain.Count} certificates";
            }

            foreach (X509Certificate2 cert in chain)
            {
                CertificateDer der = CertificateDer.Parse(cert.RawDataMemory);
                CertificateProfile profile = CertificateProfile.From(der);
                int index = certificates.Count;
                certificates.Add(new TrustedCaCertificate(der, profile, new IssuerKey(der.SubjectPublicKeyInfo.Span)));

                // RFC 5280 section 4.2.1.9: "the cA boolean MUST be asserted" for keys that verify certificate signatures.
                if (!profile.IsCertificateAuthority)
                {
                    return $"certificate {index} is not a CA (basicConstraints cA is not TRUE)";
                }

                // RFC 5280 section 4.2.1.3: keyCertSign "when the subject public key is used for verifying signatures on public key certificates".
                if (!profile.HasKeyUsage || !profile.KeyCertSign)
                {
                    return $"certificate {index} lacks keyUsage keyCertSign";
                }

                // RFC 5280 section 4.2: a critical extension this verifier does not understand (name constraints,
                // policy constraints...) cannot be enforced, so the CA is not used.
                if (profile.UnrecognizedCriticalExtension is { } oid)
                {
                    return $"certificate {index} has an unrecognized critical extension {oid}";
                }
            }

            for (int i = 0; i < certificates.Count; i++)
            {
                // Each certificate is signed by the next one (RFC 5280 section 6.1.3 (a)(1) and (a)(4)). The last is the
                // trust anchor: when self-issued its self-signature must verify; when not (GitHub's trusted roots list
                // Fulcio intermediates without their root, testdata/github-instance), it is trusted as the trusted root
                // lists it, as sigstore-go does (RFC 5280 section 6.1.1 (d): trust anchor information need not be a
                // self-signed certificate).
                TrustedCaCertificate child = certificates[i];
                bool anchor = i == certificates.Count - 1;
                TrustedCaCertificate parent = certificates[Math.Min(i + 1, certificates.Count - 1)];
                if (!child.Certificate.Issuer.Span.SequenceEqual(parent.Subject.Span))
                {
                    if (anchor)
                    {
                        continue;
                    }

                    return $"certificate {i}'s issuer is not certificate {i + 1}'s subject";
                }

                if (!parent.Key.VerifyCertificateSignature(child.Certificate, out string? failure))
                {
                    return $"certificate {i}: {failure}";
                }
            }

            return null;
        }
    }
}
