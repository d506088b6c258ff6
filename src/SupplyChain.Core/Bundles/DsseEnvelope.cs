namespace SupplyChain.Core.Bundles;

/// <summary>A DSSE envelope (secure-systems-lab/dsse envelope.proto).</summary>
public sealed class DsseEnvelope
{
    internal DsseEnvelope(ReadOnlyMemory<byte> payload, string payloadType, IReadOnlyList<DsseSignature> signatures)
    {
        Payload = payload;
        PayloadType = payloadType;
        Signatures = signatures;
    }

    /// <summary>The payload bytes (decoded from base64).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The payload type, such as <c>application/vnd.in-toto+json</c>.</summary>
    public string PayloadType { get; }

    /// <summary>The signatures over PAE(payloadType, payload).</summary>
    public IReadOnlyList<DsseSignature> Signatures { get; }
}

/// <summary>One DSSE signature.</summary>
public sealed class DsseSignature
{
    internal DsseSignature(ReadOnlyMemory<byte> signature, string? keyId)
    {
        Signature = signature;
        KeyId = keyId;
    }

    /// <summary>The raw signature bytes.</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The optional key ID.</summary>
    public string? KeyId { get; }
}
