namespace SupplyChain.Oci;

/// <summary>Limits on untrusted input read from registries, in one place (DESIGN.md convention 5).</summary>
internal static class Limits
{
    /// <summary>Longest image reference accepted (distribution's reference grammar caps the name at 255 characters).</summary>
    public const int MaxReferenceLength = 4096;

    /// <summary>The ceiling of <see cref="Signatures.SignatureSizeLimits"/> (a bundle or a DSSE envelope; an SBOM attestation can be megabytes): Core's bundle limit.</summary>
    public const long MaxSignatureLayerBytes = 32L * 1024 * 1024;

    /// <summary>Largest simple-signing payload read.</summary>
    public const long MaxSimpleSigningBytes = 64L * 1024;

    /// <summary>Most signatures (referrers plus legacy layers) examined per image digest; more is an attack or a mistake.</summary>
    public const int MaxSignaturesPerImage = 128;

    /// <summary>Largest predicate file accepted for an attestation.</summary>
    public const long MaxPredicateBytes = 16L * 1024 * 1024;

    /// <summary>Deepest JSON nesting read from signature manifests and payloads, and from manifests, indexes and configs.</summary>
    public const int MaxJsonDepth = 64;

    /// <summary>Attempts of a legacy tag read-modify-write before giving up on concurrent writers.</summary>
    public const int MaxLegacyAttachAttempts = 5;

    /// <summary>Longest registry + "/" + repository (distribution <c>reference.go</c>: NameTotalLengthMax = 255).</summary>
    public const int MaxNameLength = 255;

    /// <summary>Largest manifest or index (distribution spec: "Registries MAY ... reject a manifest ... larger than 4 MiB"; clients SHOULD accept that much).</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>Largest blob <see cref="Registry.OciRegistryClientOptions.MaxBlobBytes"/> may allow (blobs are returned in memory).</summary>
    public const long MaxBlobBytesCeiling = 1024L * 1024 * 1024;

    /// <summary>Largest error body, token response, tag-list page or other small JSON answer.</summary>
    public const int MaxSmallResponseBytes = 1024 * 1024;

    /// <summary>Most characters of a registry error body or header kept in an exception's RemoteDetail (never in its message).</summary>
    public const int MaxErrorDetailChars = 512;

    /// <summary>Largest error body read (for RemoteDetail); the rest is not read.</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Longest WWW-Authenticate header parsed.</summary>
    public const int MaxChallengeLength = 8 * 1024;

    /// <summary>Most tags one listing returns.</summary>
    public const int MaxTags = 100_000;

    /// <summary>Most pages one tag or referrers listing follows.</summary>
    public const int MaxPages = 1_000;

    /// <summary>Most descriptors in one referrers listing (API pages together, or the tag-schema index).</summary>
    public const int MaxReferrers = 10_000;

    /// <summary>Largest Docker config.json.</summary>
    public const int MaxDockerConfigBytes = 1024 * 1024;

    /// <summary>Largest answer of a credential helper.</summary>
    public const int MaxCredentialHelperOutputBytes = 64 * 1024;

    /// <summary>Shortest bearer token lifetime assumed (token spec: "If omitted, the default is 60 seconds").</summary>
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);

    /// <summary>Most bearer tokens cached (one per registry and scope).</summary>
    public const int MaxCachedTokens = 1_000;

    /// <summary>Most attempts of the referrers tag-schema read-modify-write.</summary>
    public const int MaxReferrersIndexAttempts = 16;

    // Lineage walks

    /// <summary>Largest image config blob read on a lineage walk.</summary>
    public const int MaxConfigBytes = 4 * 1024 * 1024;

    /// <summary>Most layers accepted in one image (Docker refuses more than 127; OCI sets no limit).</summary>
    public const int MaxLayers = 4096;

    /// <summary>Most manifests accepted in one index.</summary>
    public const int MaxIndexManifests = 1024;

    /// <summary>Hard cap on the depth of a lineage walk, whatever the options say.</summary>
    public const int MaxLineageDepth = 64;

    /// <summary>Default depth of a lineage walk (base claims followed).</summary>
    public const int DefaultLineageDepth = 16;

    /// <summary>Most resolved dependencies (v1) or materials (v0.2) read from the verified provenance of one level (SC4651 beyond).</summary>
    public const int MaxProvenanceDependencies = 4096;

    /// <summary>Most base candidates of one level fetched and proved (SC4652 beyond, before any request): each costs a manifest (an index and a manifest) and a config read.</summary>
    public const int MaxProvenanceCandidates = 16;
}
