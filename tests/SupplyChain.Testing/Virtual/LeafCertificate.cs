using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SupplyChain.Testing.Virtual;

/// <summary>A Fulcio-style leaf certificate and its ephemeral ECDSA P-256 key.</summary>
public sealed class LeafCertificate : IDisposable
{
    internal LeafCertificate(X509Certificate2 certificate, ECDsa key, byte[] precertificateTbs, byte[]? sct)
    {
        Certificate = certificate;
        Key = key;
        PrecertificateTbs = precertificateTbs;
        Sct = sct;
    }

    /// <summary>The final certificate (with the SCT list extension, when embedded).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The ephemeral private key of the certificate.</summary>
    public ECDsa Key { get; }

    /// <summary>The precertificate tbsCertificate (the final TBS without the SCT list extension) that the SCT signs.</summary>
    public byte[] PrecertificateTbs { get; }

    /// <summary>The serialized SignedCertificateTimestamp (RFC 6962 section 3.2), or <see langword="null"/> when none was embedded.</summary>
    public byte[]? Sct { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
