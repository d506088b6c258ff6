namespace SupplyChain.Instance.Ca;

/// <summary>
/// A certificate transparency log that signs precertificate SCTs for a <see cref="LocalCertificateAuthority"/>
/// (RFC 6962 section 3.2). Implement it to log into your own CT log or to sign with your own CT log key;
/// <see cref="LocalCtLog"/> is the instance's own (an ECDSA P-256 key).
/// </summary>
public interface ICtLogSigner
{
    /// <summary>
    /// Returns one serialized <c>SignedCertificateTimestamp</c> (RFC 6962 section 3.2) for a precertificate entry:
    /// the CA embeds it, wrapped in a <c>SignedCertificateTimestampList</c> (section 3.3), in the final certificate.
    /// </summary>
    /// <param name="issuerPublicKeySpki">The issuing CA's DER SubjectPublicKeyInfo (its SHA-256 is the <c>issuer_key_hash</c>).</param>
    /// <param name="precertificateTbs">The DER TBSCertificate of the final certificate without the SCT list extension.</param>
    /// <param name="timestamp">The issuance time the CA suggests for the SCT.</param>
    byte[] SignPrecertificate(ReadOnlySpan<byte> issuerPublicKeySpki, ReadOnlySpan<byte> precertificateTbs, DateTimeOffset timestamp);
}
