using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace SupplyChain.Testing.Virtual;

/// <summary>
/// A signing key of a virtual log (transparency or CT): ECDSA P-256 with SHA-256 (DER signatures)
/// or Ed25519 (RFC 8032, through BouncyCastle because the BCL lacks it).
/// </summary>
public sealed class LogKey : IDisposable
{
    private static readonly byte[] Ed25519SpkiPrefix = Convert.FromHexString("302a300506032b6570032100");
    private readonly ECDsa? _ecdsa;
    private readonly Ed25519PrivateKeyParameters? _ed25519;

    private LogKey(ECDsa? ecdsa, Ed25519PrivateKeyParameters? ed25519)
    {
        _ecdsa = ecdsa;
        _ed25519 = ed25519;
        if (ecdsa is not null)
        {
            SubjectPublicKeyInfo = ecdsa.ExportSubjectPublicKeyInfo();
            RawPublicKey = SubjectPublicKeyInfo;
            KeyDetails = "PKIX_ECDSA_P256_SHA_256";
        }
        else
        {
            RawPublicKey = ed25519!.GeneratePublicKey().GetEncoded();
            SubjectPublicKeyInfo = [.. Ed25519SpkiPrefix, .. RawPublicKey];
            KeyDetails = "PKIX_ED25519";
        }
    }

    /// <summary>The DER SubjectPublicKeyInfo.</summary>
    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>The raw public key: the 32-byte Ed25519 key, or the SPKI for ECDSA.</summary>
    public byte[] RawPublicKey { get; }

    /// <summary>The protobuf-specs PublicKeyDetails name (<c>PKIX_ECDSA_P256_SHA_256</c> or <c>PKIX_ED25519</c>).</summary>
    public string KeyDetails { get; }

    /// <summary><see langword="true"/> for Ed25519.</summary>
    public bool IsEd25519 => _ed25519 is not null;

    /// <summary>The Ed25519 private key (for the instance's checkpoint signer), or <see langword="null"/> for ECDSA.</summary>
    internal Ed25519PrivateKeyParameters? Ed25519PrivateKey => _ed25519;

    /// <summary>The ECDSA key, or <see langword="null"/> for Ed25519.</summary>
    public ECDsa? Ecdsa => _ecdsa;

    /// <summary>Creates a fresh ECDSA P-256 key.</summary>
    public static LogKey CreateEcdsaP256() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null);

    /// <summary>Creates a fresh Ed25519 key.</summary>
    public static LogKey CreateEd25519() => new(null, new Ed25519PrivateKeyParameters(new SecureRandom()));

    /// <summary>Signs <paramref name="data"/>: ECDSA-SHA256 (DER, RFC 3279) or pure Ed25519.</summary>
    /// <param name="data">The message.</param>
    /// <returns>The signature.</returns>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        if (_ecdsa is not null)
        {
            return _ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }

        var signer = new Ed25519Signer();
        signer.Init(true, _ed25519);
        byte[] message = data.ToArray();
        signer.BlockUpdate(message, 0, message.Length);
        return signer.GenerateSignature();
    }

    /// <inheritdoc />
    public void Dispose() => _ecdsa?.Dispose();
}
