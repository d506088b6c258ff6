using SupplyChain.Instance.Ca;

namespace SupplyChain.Testing.Virtual;

/// <summary>
/// A virtual certificate transparency log: an ECDSA P-256 key whose honest SCTs (RFC 6962 section 3.2) the shipped
/// instance's CT log (<see cref="Instance"/>, a <see cref="LocalCtLog"/> over the same key) signs.
/// </summary>
public sealed class VirtualCtLog : IDisposable
{
    /// <summary>Creates a CT log with a fresh key.</summary>
    public VirtualCtLog()
    {
        Instance = new LocalCtLog(System.Security.Cryptography.ECDsa.Create(Key.Ecdsa!.ExportParameters(includePrivateParameters: true)));
        LogId = Instance.LogId;
    }

    /// <summary>The log's signing key.</summary>
    public LogKey Key { get; } = LogKey.CreateEcdsaP256();

    /// <summary>The shipped instance's CT log signer over <see cref="Key"/>.</summary>
    public LocalCtLog Instance { get; }

    /// <summary>The log ID: SHA-256 of the DER SPKI (RFC 6962 section 3.2).</summary>
    public byte[] LogId { get; }

    /// <summary>The base URL listed in the trusted root.</summary>
    public string BaseUrl { get; } = "https://ctfe.virtual.test";

    /// <inheritdoc />
    public void Dispose()
    {
        Instance.Dispose();
        Key.Dispose();
    }
}
