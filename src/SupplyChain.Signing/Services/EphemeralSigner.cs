using System.Security.Cryptography;
using SupplyChain.Core.Keys;
using SupplyChain.Signing.Keys;

namespace SupplyChain.Signing.Services;

/// <summary>
/// An ECDSA P-256 key that lives in memory only, for keyless signing: Fulcio certifies it for a few minutes and
/// it is then discarded (Sigstore client spec, "Signing": "generate an ephemeral key pair"). The private key is
/// never exported; <see cref="Dispose"/> destroys it.
/// </summary>
public sealed class EphemeralSigner : IArtifactSigner
{
    private readonly ECDsa _key;
    private readonly byte[] _spki;
    private bool _disposed;

    /// <summary>Generates a fresh P-256 key.</summary>
    public EphemeralSigner()
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _spki = _key.ExportSubjectPublicKeyInfo();
    }

    /// <inheritdoc />
    public KeyAlgorithm Algorithm => KeyAlgorithm.Ecdsa;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> PublicKeySpki => _spki;

    /// <summary>The public key as a PEM <c>PUBLIC KEY</c> block.</summary>
    public string PublicKeyPem => PemEncoding.WriteString("PUBLIC KEY", _spki);

    /// <inheritdoc />
    public byte[] SignData(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <inheritdoc />
    public byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName algorithm)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (algorithm != HashAlgorithmName.SHA256 || digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("a P-256 key signs SHA-256 digests", nameof(algorithm));
        }

        return _key.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>A PKCS#10 certificate signing request for the key (Fulcio's CSR variant).</summary>
    /// <param name="subject">The subject common name (Fulcio ignores it; the identity comes from the token).</param>
    internal byte[] CreateSigningRequest(string subject)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            new System.Security.Cryptography.X509Certificates.X500DistinguishedName("CN=" + subject.Replace(",", string.Empty, StringComparison.Ordinal).Replace("=", string.Empty, StringComparison.Ordinal)),
            _key,
            HashAlgorithmName.SHA256);
        return request.CreateSigningRequest();
    }

    /// <summary>Destroys the private key.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _key.Dispose();
        }
    }
}
