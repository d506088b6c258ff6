namespace SupplyChain.Testing.Virtual;

/// <summary>How <see cref="VirtualSigstore.IssueLeaf"/> shapes a Fulcio-style leaf certificate.</summary>
public sealed class LeafOptions
{
    /// <summary>Start of validity; defaults to one minute before the virtual "now".</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>End of validity; defaults to <see cref="NotBefore"/> plus 10 minutes.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>Extra extensions: OID to string value, each encoded as a DER UTF8String (e.g. <see cref="FulcioOids.SourceRepositoryUri"/>).</summary>
    public IReadOnlyDictionary<string, string>? ExtraExtensions { get; init; }

    /// <summary>When <see langword="false"/>, no SCT list extension is embedded.</summary>
    public bool EmbedSct { get; init; } = true;

    /// <summary>Non-empty SCT extensions bytes (RFC 6962 <c>CtExtensions</c>), signed and embedded; empty by default.</summary>
    public byte[]? SctExtensions { get; init; }

    /// <summary>SCT timestamp; defaults to the virtual "now".</summary>
    public DateTimeOffset? SctTimestamp { get; init; }

    /// <summary>Sign the SCT with this key instead of the CT log's (tamper tests).</summary>
    public LogKey? SctSigningKey { get; init; }
}
