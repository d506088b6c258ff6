using SupplyChain.Instance.Ca;

namespace SupplyChain.Testing.Virtual;

/// <summary>
/// A substitute CT log signer for SCT tampering (<see cref="LeafOptions.SctTimestamp"/>,
/// <see cref="LeafOptions.SctExtensions"/>, <see cref="LeafOptions.SctSigningKey"/>): an SCT under the virtual CT
/// log's ID with another timestamp, non-empty extensions or another key's signature, encoded with the instance's
/// <see cref="SignedCertificateTimestamps"/> (RFC 6962 section 3.2).
/// </summary>
internal sealed class TamperingCtLog(VirtualCtLog log, DateTimeOffset? timestamp, byte[]? extensions, LogKey? signingKey) : ICtLogSigner
{
    public byte[] SignPrecertificate(ReadOnlySpan<byte> issuerPublicKeySpki, ReadOnlySpan<byte> precertificateTbs, DateTimeOffset issuedAt)
    {
        long timestampMs = (timestamp ?? issuedAt).ToUnixTimeMilliseconds();
        byte[] ctExtensions = extensions ?? [];
        byte[] signature = (signingKey ?? log.Key).Sign(SignedCertificateTimestamps.SignedData(timestampMs, issuerPublicKeySpki, precertificateTbs, ctExtensions));
        return SignedCertificateTimestamps.Encode(log.LogId, timestampMs, ctExtensions, signature);
    }
}
