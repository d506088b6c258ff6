using System.Reflection;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Trust;

/// <summary>
/// A parsed Sigstore <c>trusted_root.json</c> (protobuf-specs sigstore_trustroot.proto, media type
/// <c>application/vnd.dev.sigstore.trustedroot+json;version=0.1</c>). Keys are imported and CA chains
/// decoded once, at parse time.
/// </summary>
public sealed class TrustedRoot : ITrustedMaterial
{
    /// <summary>The media type of trusted roots, version 0.1.</summary>
    public const string MediaTypeV0_1 = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";

    /// <summary>The media type of trusted roots, version 0.2.</summary>
    public const string MediaTypeV0_2 = "application/vnd.dev.sigstore.trustedroot.v0.2+json";

    private static readonly Lazy<TrustedRoot> ProductionRoot = new(() => LoadEmbedded("trusted_root.production.json"));
    private static readonly Lazy<TrustedRoot> StagingRoot = new(() => LoadEmbedded("trusted_root.staging.json"));

    internal TrustedRoot(
        string mediaType,
        IReadOnlyList<TransparencyLogInstance> transparencyLogs,
        IReadOnlyList<CertificateAuthority> certificateAuthorities,
        IReadOnlyList<TransparencyLogInstance> certificateTransparencyLogs,
        IReadOnlyList<CertificateAuthority> timestampAuthorities)
    {
        MediaType = mediaType;
        TransparencyLogs = transparencyLogs;
        CertificateAuthorities = certificateAuthorities;
        CertificateTransparencyLogs = certificateTransparencyLogs;
        TimestampAuthorities = timestampAuthorities;
    }

    /// <summary>The Sigstore public-good production trusted root embedded in this assembly (see <c>scripts/refresh-trust-roots.sh</c>).</summary>
    public static TrustedRoot Production => ProductionRoot.Value;

    /// <summary>The Sigstore public-good staging trusted root embedded in this assembly.</summary>
    public static TrustedRoot Staging => StagingRoot.Value;

    /// <summary>The document's media type.</summary>
    public string MediaType { get; }

    /// <inheritdoc />
    public IReadOnlyList<TransparencyLogInstance> TransparencyLogs { get; }

    /// <inheritdoc />
    public IReadOnlyList<CertificateAuthority> CertificateAuthorities { get; }

    /// <inheritdoc />
    public IReadOnlyList<TransparencyLogInstance> CertificateTransparencyLogs { get; }

    /// <inheritdoc />
    public IReadOnlyList<CertificateAuthority> TimestampAuthorities { get; }

    /// <summary>Parses a trusted root from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The document bytes.</param>
    /// <exception cref="TrustRootException">The document is unusable; the code says why.</exception>
    public static TrustedRoot Parse(ReadOnlySpan<byte> utf8Json) => TrustedRootParser.Parse(utf8Json);

    private static TrustedRoot LoadEmbedded(string name)
    {
        string resource = "SupplyChain.Core.TrustRoots." + name;
        using Stream stream = typeof(TrustedRoot).Assembly.GetManifestResourceStream(resource)
            ?? throw CoreErrors.EmbeddedTrustRootMissing.ToException(resource);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray());
    }
}
