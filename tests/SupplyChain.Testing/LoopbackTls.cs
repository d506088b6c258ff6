using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SupplyChain.Testing;

/// <summary>
/// A self-signed ECDSA P-256 server certificate for 127.0.0.1 and localhost, written as PEM files (<c>tls.crt</c>,
/// <c>tls.key</c>) the way cert-manager mounts a Secret; clients pin it by its SHA-256 thumbprint.
/// </summary>
public sealed class LoopbackTls
{
    private LoopbackTls(string certificatePath, string keyPath, string thumbprint)
    {
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        Thumbprint = thumbprint;
    }

    /// <summary>The certificate file (PEM).</summary>
    public string CertificatePath { get; }

    /// <summary>The private key file (PKCS#8 PEM).</summary>
    public string KeyPath { get; }

    /// <summary>The certificate's SHA-256 thumbprint (hex).</summary>
    public string Thumbprint { get; }

    /// <summary>Writes a fresh pair into <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>The files.</returns>
    public static LoopbackTls Write(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=supplychain-admission.test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        string certificatePath = Path.Combine(directory, "tls.crt");
        string keyPath = Path.Combine(directory, "tls.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new LoopbackTls(certificatePath, keyPath, certificate.GetCertHashString(HashAlgorithmName.SHA256));
    }

    /// <summary>An HTTP client that trusts only this certificate (no other validation is relaxed: the thumbprint must match).</summary>
    /// <param name="timeout">The client's timeout.</param>
    /// <returns>The client.</returns>
    public HttpClient CreateClient(TimeSpan timeout)
    {
        string expected = Thumbprint;
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate2 c && string.Equals(c.GetCertHashString(HashAlgorithmName.SHA256), expected, StringComparison.OrdinalIgnoreCase) },
            UseProxy = false,
        };
        return new HttpClient(handler) { Timeout = timeout };
    }
}
