using System.Security.Cryptography;

namespace SupplyChain.Instance.Ca;

/// <summary>
/// The instance's certificate transparency log key: an ECDSA P-256 key that signs v1 precertificate SCTs with
/// SHA-256 (RFC 6962 section 3.2), with empty <c>CtExtensions</c>; its log ID is SHA-256 of its DER
/// SubjectPublicKeyInfo. It logs nothing: like Fulcio's SCTs, the SCT is a promise the trusted root's
/// <c>ctlogs</c> entry (<see cref="PublicKeySpki"/>, <see cref="LogId"/>) lets a verifier check. Thread-safe.
/// </summary>
public sealed class LocalCtLog : ICtLogSigner, IDisposable
{
    private readonly ECDsa _key;
    private readonly byte[] _logId;
    private readonly byte[] _spki;

    /// <summary>Wraps an ECDSA P-256 private key; the log owns it from now on and disposes it.</summary>
    /// <param name="key">The CT log's signing key.</param>
    public LocalCtLog(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        _spki = key.ExportSubjectPublicKeyInfo();
        _logId = SHA256.HashData(_spki);
    }

    /// <summary>The DER SubjectPublicKeyInfo, as the trusted root's <c>ctlogs[].publicKey.rawBytes</c> carries it.</summary>
    /// <remarks>A copy on each read, as <see cref="LogId"/>: the log's own bytes cannot be changed through it.</remarks>
    public byte[] PublicKeySpki => [.. _spki];

    /// <summary>The log ID: SHA-256 of <see cref="PublicKeySpki"/> (RFC 6962 section 3.2).</summary>
    public byte[] LogId => [.. _logId];

    /// <summary>Creates a CT log with a fresh ECDSA P-256 key.</summary>
    public static LocalCtLog Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <inheritdoc />
    public byte[] SignPrecertificate(ReadOnlySpan<byte> issuerPublicKeySpki, ReadOnlySpan<byte> precertificateTbs, DateTimeOffset timestamp)
    {
        long timestampMs = timestamp.ToUnixTimeMilliseconds();
        byte[] signature = _key.SignData(
            SignedCertificateTimestamps.SignedData(timestampMs, issuerPublicKeySpki, precertificateTbs, []),
            HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence);
        return SignedCertificateTimestamps.Encode(_logId, timestampMs, [], signature);
    }

    /// <summary>Disposes the key.</summary>
    public void Dispose() => _key.Dispose();
}
