using System.Security.Cryptography.X509Certificates;

namespace SupplyChain.Instance.Ca;

/// <summary>A leaf issued by <see cref="LocalCertificateAuthority"/>, with what its embedded SCT signs.</summary>
public sealed class IssuedLeafCertificate : IDisposable
{
    internal IssuedLeafCertificate(X509Certificate2 certificate, byte[] precertificateTbs, byte[]? sct)
    {
        Certificate = certificate;
        PrecertificateTbs = precertificateTbs;
        Sct = sct;
    }

    /// <summary>The final certificate (without private key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The DER TBSCertificate of the final certificate without its SCT list extension (RFC 6962 section 3.3), which the SCT signs.</summary>
    public byte[] PrecertificateTbs { get; }

    /// <summary>The embedded serialized SCT (RFC 6962 section 3.2), or <see langword="null"/> when none was embedded.</summary>
    public byte[]? Sct { get; }

    /// <summary>Disposes <see cref="Certificate"/>.</summary>
    public void Dispose() => Certificate.Dispose();
}
