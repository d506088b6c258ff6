using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Errors;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The server's TLS certificate and key, read from PEM files and handed to Kestrel's ServerCertificateSelector, so a
/// renewed pair (cert-manager rewriting the Secret) is presented from the next handshake on. A new pair that cannot
/// be parsed, or whose key does not match its certificate, is rejected (SC7205) and the old one stays.
/// </summary>
internal sealed class TlsCertificateStore
{
    private readonly string _certificatePath;
    private readonly string _keyPath;
    private X509Certificate2 _current;
    private string _fingerprint;
    private string? _rejected;

    private TlsCertificateStore(string certificatePath, string keyPath, X509Certificate2 current, string fingerprint)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _current = current;
        _fingerprint = fingerprint;
    }

    /// <summary>The certificate presented now (with its private key).</summary>
    public X509Certificate2 Current => Volatile.Read(ref _current);

    /// <summary>Loads the pair; SC7205 when it cannot (the server does not start).</summary>
    public static TlsCertificateStore Load(string certificatePath, string keyPath)
    {
        (X509Certificate2 certificate, string fingerprint) = Read(certificatePath, keyPath);
        return new TlsCertificateStore(certificatePath, keyPath, certificate, fingerprint);
    }

    /// <summary>Re-reads the pair; swaps it in when its content changed and it is usable.</summary>
    /// <param name="error">The rejection (SC7205) when the result is <see cref="ReloadResult.Failed"/>.</param>
    public ReloadResult TryReload(out SupplyChainException? error)
    {
        error = null;
        byte[] certificatePem;
        byte[] keyPem;
        try
        {
            certificatePem = WatchedFile.Read(_certificatePath, HostingLimits.MaxPemBytes, AdmissionErrors.TlsCertificateUnusable);
            keyPem = WatchedFile.Read(_keyPath, HostingLimits.MaxPemBytes, AdmissionErrors.TlsCertificateUnusable);
        }
        catch (SupplyChainException ex)
        {
            // A Secret mount mid-swap can briefly miss a file: reported, the old pair stays, the next poll retries.
            error = ex;
            return ReloadResult.Failed;
        }

        string fingerprint = WatchedFile.Fingerprint(certificatePem, keyPem);
        if (fingerprint == _fingerprint || fingerprint == _rejected)
        {
            return ReloadResult.Unchanged;
        }

        try
        {
            X509Certificate2 certificate = Parse(certificatePem, keyPem, _certificatePath);
            Volatile.Write(ref _current, certificate);
            _fingerprint = fingerprint;
            _rejected = null;
            return ReloadResult.Reloaded;
        }
        catch (SupplyChainException ex)
        {
            _rejected = fingerprint;
            error = ex;
            return ReloadResult.Failed;
        }
    }

    private static (X509Certificate2 Certificate, string Fingerprint) Read(string certificatePath, string keyPath)
    {
        byte[] certificatePem = WatchedFile.Read(certificatePath, HostingLimits.MaxPemBytes, AdmissionErrors.TlsCertificateUnusable);
        byte[] keyPem = WatchedFile.Read(keyPath, HostingLimits.MaxPemBytes, AdmissionErrors.TlsCertificateUnusable);
        return (Parse(certificatePem, keyPem, certificatePath), WatchedFile.Fingerprint(certificatePem, keyPem));
    }

    private static X509Certificate2 Parse(byte[] certificatePem, byte[] keyPem, string path)
    {
        try
        {
            // CreateFromPem checks that the key belongs to the certificate (the first CERTIFICATE block, the leaf).
            using X509Certificate2 pair = X509Certificate2.CreateFromPem(
                System.Text.Encoding.UTF8.GetString(certificatePem), System.Text.Encoding.UTF8.GetString(keyPem));

            // A PKCS#12 round trip gives a key SslStream can use on every platform (an ephemeral PEM key may not be).
            return X509CertificateLoader.LoadPkcs12(pair.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (CryptographicException ex)
        {
            throw AdmissionErrors.TlsCertificateUnusable.ToException($"{path}: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw AdmissionErrors.TlsCertificateUnusable.ToException($"{path}: {ex.Message}", ex);
        }
    }
}
