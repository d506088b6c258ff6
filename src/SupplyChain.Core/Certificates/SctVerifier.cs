using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Certificates;

/// <summary>
/// Embedded SCT verification (RFC 6962 section 3.3): at least one SCT in the leaf's SignedCertificateTimestampList
/// must be signed by a trusted CT log, valid at the SCT's timestamp, over the reconstructed precertificate.
/// Thread-safe and stateless apart from a cache of issuer key hashes.
/// </summary>
internal static class SctVerifier
{
    // The issuer certificates are the trusted root's CA certificates: long-lived objects, so their key hash is
    // computed once (keyed by identity; entries go away with the certificate).
    private static readonly ConditionalWeakTable<X509Certificate2, byte[]> IssuerKeyHashes = new();

    /// <summary>
    /// Verifies that at least one embedded SCT of <paramref name="leaf"/> is signed by a trusted CT log
    /// (valid at the SCT's timestamp) over the reconstructed precertificate. Throws SC1305/SC1306.
    /// </summary>
    /// <param name="leaf">The signing certificate.</param>
    /// <param name="issuer">The CA certificate that issued it (<see cref="ChainResult.Issuer"/>).</param>
    /// <param name="trust">The trusted material listing the CT logs.</param>
    public static void Verify(X509Certificate2 leaf, X509Certificate2 issuer, ITrustedMaterial trust)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(trust);

        byte[] issuerKeyHash = IssuerKeyHashes.GetValue(issuer, static c => SHA256.HashData(CertificateDer.Parse(c.RawDataMemory).SubjectPublicKeyInfo.Span));
        Verify(CertificateDer.Parse(leaf.RawDataMemory), issuerKeyHash, trust);
    }

    /// <summary>As <see cref="Verify(X509Certificate2, X509Certificate2, ITrustedMaterial)"/>, for a parsed leaf.</summary>
    /// <param name="certificate">The parsed signing certificate.</param>
    /// <param name="issuerKeyHash">SHA-256 of the issuer's SubjectPublicKeyInfo (<see cref="ChainResult.IssuerKeyHash"/>).</param>
    /// <param name="trust">The trusted material listing the CT logs.</param>
    public static void Verify(CertificateDer certificate, byte[] issuerKeyHash, ITrustedMaterial trust)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuerKeyHash);
        ArgumentNullException.ThrowIfNull(trust);

        // RFC 6962 section 3.3: the SCTs are embedded in "an X509v3 certificate extension ... whose extnValue is a
        // SignedCertificateTimestampList".
        if (!certificate.TryGetExtension(CertificateProfile.SctListOid, out CertificateExtension extension))
        {
            throw CoreErrors.SctMissing.ToException();
        }

        if (!SignedCertificateTimestamp.TryParseList(extension.Value, out List<SignedCertificateTimestamp> scts, out List<string> failures, out string? malformed))
        {
            throw CoreErrors.SctInvalid.ToException(malformed);
        }

        byte[]? signedTbs = null;
        for (int index = 0; index < scts.Count; index++)
        {
            SignedCertificateTimestamp sct = scts[index];
            DateTimeOffset? issued = sct.Timestamp <= (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)sct.Timestamp)
                : null;
            if (issued is null)
            {
                failures.Add($"SCT {index}: timestamp {sct.Timestamp} is out of range");
                continue;
            }

            bool knownLog = false;
            foreach (TransparencyLogInstance log in trust.CertificateTransparencyLogs)
            {
                // RFC 6962 section 3.2: "id" is the SHA-256 hash of the log's public key.
                if (!log.LogId.Span.SequenceEqual(sct.LogId))
                {
                    continue;
                }

                knownLog = true;

                // Sigstore client spec: the CT log key must be valid (validFor, closed interval) when it issued the SCT.
                if (!log.ValidFor.Contains(issued.Value))
                {
                    failures.Add($"SCT {index}: log {log.BaseUrl} is trusted for {log.ValidFor}, not at {issued.Value:O}");
                    continue;
                }

                if (!SignatureAlgorithmMatches(sct, log.PublicKey, out string? mismatch))
                {
                    failures.Add($"SCT {index}: {mismatch} for log {log.BaseUrl}");
                    continue;
                }

                // RFC 6962 section 3.3: the signature covers the precertificate TBS, i.e. the leaf's TBS without the SCT list.
                signedTbs ??= PrecertificateTbs.FromTbsCertificate(certificate.TbsCertificate);
                byte[] signedData = PrecertificateTbs.BuildSignedData(sct.Timestamp, issuerKeyHash, signedTbs, sct.Extensions);
                if (log.PublicKey.VerifyData(signedData, sct.Signature))
                {
                    return;
                }

                failures.Add($"SCT {index}: the signature does not verify with the key of log {log.BaseUrl}");
            }

            if (!knownLog)
            {
                failures.Add($"SCT {index}: log ID {Convert.ToHexString(sct.LogId)} is not a trusted CT log");
            }
        }

        throw CoreErrors.SctInvalid.ToException(string.Join("; ", failures));
    }

    // RFC 5246 section 4.7 / RFC 6962 section 2.1.4: the digitally-signed struct names its hash and signature
    // algorithms; they must be the ones the trusted log key is used with.
    private static bool SignatureAlgorithmMatches(SignedCertificateTimestamp sct, PublicKeyVerifier key, out string? mismatch)
    {
        (byte Hash, byte Signature) expected = key.Algorithm switch
        {
            KeyAlgorithm.Ed25519 => (SignedCertificateTimestamp.HashIntrinsic, SignedCertificateTimestamp.SignatureEd25519),
            KeyAlgorithm.Ecdsa => (HashCode(key.HashAlgorithm), SignedCertificateTimestamp.SignatureEcdsa),
            _ => (HashCode(key.HashAlgorithm), SignedCertificateTimestamp.SignatureRsa),
        };
        if (sct.HashAlgorithm != expected.Hash || sct.SignatureAlgorithm != expected.Signature)
        {
            mismatch = $"signature algorithm ({sct.HashAlgorithm}, {sct.SignatureAlgorithm}) is not the log key's ({expected.Hash}, {expected.Signature})";
            return false;
        }

        mismatch = null;
        return true;
    }

    private static byte HashCode(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA384 ? SignedCertificateTimestamp.HashSha384
        : hash == HashAlgorithmName.SHA512 ? SignedCertificateTimestamp.HashSha512
        : SignedCertificateTimestamp.HashSha256;
}
