namespace SupplyChain.Signing.Provenance;

/// <summary>
/// A builder that describes itself with flags outside a recognised CI (a developer machine, an unsupported CI): its id,
/// optionally its build type and the source it built. The provenance says only what these flags say, and a verifier
/// cross-checks nothing against a CI certificate: trust it as far as you trust whoever signed it.
/// </summary>
public sealed record SelfDescribedBuilder
{
    /// <summary>The builder id (an absolute URI), required.</summary>
    public required string BuilderId { get; init; }

    /// <summary>The build type URI; <c>https://supplychain.dev/buildtypes/self-described/v1</c> when null.</summary>
    public string? BuildType { get; init; }

    /// <summary>The source repository URI, if any.</summary>
    public string? SourceRepository { get; init; }

    /// <summary>The source ref (<c>refs/heads/main</c>), if any.</summary>
    public string? SourceRef { get; init; }

    /// <summary>The source commit (hex), if any.</summary>
    public string? SourceDigest { get; init; }

    /// <summary>An id of this build run (a URI), if any.</summary>
    public string? InvocationId { get; init; }
}
