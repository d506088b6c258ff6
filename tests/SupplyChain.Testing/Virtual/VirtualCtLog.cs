using System.Security.Cryptography;

namespace SupplyChain.Testing.Virtual;

/// <summary>A virtual certificate transparency log: an ECDSA P-256 key that signs SCTs (RFC 6962 section 3.2).</summary>
public sealed class VirtualCtLog : IDisposable
{
    /// <summary>Creates a CT log with a fresh key.</summary>
    public VirtualCtLog()
    {
        LogId = SHA256.HashData(Key.SubjectPublicKeyInfo);
    }

    /// <summary>The log's signing key.</summary>
    public LogKey Key { get; } = LogKey.CreateEcdsaP256();

    /// <summary>The log ID: SHA-256 of the DER SPKI (RFC 6962 section 3.2).</summary>
    public byte[] LogId { get; }

    /// <summary>The base URL listed in the trusted root.</summary>
    public string BaseUrl { get; } = "https://ctfe.virtual.test";

    /// <inheritdoc />
    public void Dispose() => Key.Dispose();
}
