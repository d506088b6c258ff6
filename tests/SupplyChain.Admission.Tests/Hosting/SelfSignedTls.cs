using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SupplyChain.Admission.Tests.Hosting;

/// <summary>A self-signed TLS pair for 127.0.0.1 written as PEM files, and HTTP clients that trust exactly that certificate.</summary>
internal sealed class SelfSignedTls
{
    private SelfSignedTls(X509Certificate2 certificate, string certificatePem, string keyPem)
    {
        Certificate = certificate;
        CertificatePem = certificatePem;
        KeyPem = keyPem;
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePem { get; }

    public string KeyPem { get; }

    public static SelfSignedTls Create(string commonName = "supplychain-admission.test")
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 withKey = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var publicOnly = X509CertificateLoader.LoadCertificate(withKey.RawData);
        return new SelfSignedTls(publicOnly, withKey.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public void Write(string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, CertificatePem);
        File.WriteAllText(keyPath, KeyPem);
    }

    /// <summary>A client on a new connection pool that accepts only a server presenting <paramref name="trusted"/>; <paramref name="presented"/> records what the server showed.</summary>
    public static HttpClient Client(X509Certificate2 trusted, Action<X509Certificate2>? presented = null)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.Zero,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    presented?.Invoke(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                    return certificate.GetRawCertData().AsSpan().SequenceEqual(trusted.RawData);
                },
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }
}
