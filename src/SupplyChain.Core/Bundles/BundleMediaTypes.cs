namespace SupplyChain.Core.Bundles;

/// <summary>Media types of Sigstore bundles (protobuf-specs, sigstore_bundle.proto).</summary>
public static class BundleMediaTypes
{
    /// <summary>Bundle v0.1.</summary>
    public const string V0_1 = "application/vnd.dev.sigstore.bundle+json;version=0.1";

    /// <summary>Bundle v0.2.</summary>
    public const string V0_2 = "application/vnd.dev.sigstore.bundle+json;version=0.2";

    /// <summary>Bundle v0.3, legacy spelling.</summary>
    public const string V0_3Legacy = "application/vnd.dev.sigstore.bundle+json;version=0.3";

    /// <summary>Bundle v0.3, current spelling (also the OCI artifactType cosign 3 uses).</summary>
    public const string V0_3 = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <summary>The media type a bundle of <paramref name="version"/> is written with (for v0.3 the current spelling).</summary>
    /// <param name="version">The bundle version.</param>
    /// <returns>The media type.</returns>
    public static string For(BundleVersion version) => version switch
    {
        BundleVersion.V0_1 => V0_1,
        BundleVersion.V0_2 => V0_2,
        BundleVersion.V0_3 => V0_3,
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "not a bundle version"),
    };

    /// <summary>Maps a media type to its version; <see langword="false"/> for anything else (fail closed).</summary>
    /// <param name="mediaType">The bundle's <c>mediaType</c>, compared exactly.</param>
    /// <param name="version">The version, when recognised.</param>
    public static bool TryGetVersion(string? mediaType, out BundleVersion version)
    {
        switch (mediaType)
        {
            case V0_1:
                version = BundleVersion.V0_1;
                return true;
            case V0_2:
                version = BundleVersion.V0_2;
                return true;
            case V0_3:
            case V0_3Legacy:
                version = BundleVersion.V0_3;
                return true;
            default:
                version = default;
                return false;
        }
    }
}
