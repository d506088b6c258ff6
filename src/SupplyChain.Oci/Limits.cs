namespace SupplyChain.Oci;

/// <summary>Limits on untrusted input read from registries, in one place (DESIGN.md convention 5).</summary>
internal static class Limits
{
    /// <summary>Longest image reference accepted (distribution's reference grammar caps the name at 255 characters).</summary>
    public const int MaxReferenceLength = 4096;

    /// <summary>Largest signature layer read (a bundle or a DSSE envelope; an SBOM attestation can be megabytes). Core's bundle limit.</summary>
    public const long MaxSignatureLayerBytes = 32L * 1024 * 1024;

    /// <summary>Largest simple-signing payload read.</summary>
    public const long MaxSimpleSigningBytes = 64L * 1024;

    /// <summary>Most signatures (referrers plus legacy layers) examined per image digest; more is an attack or a mistake.</summary>
    public const int MaxSignaturesPerImage = 128;

    /// <summary>Largest predicate file accepted for an attestation.</summary>
    public const long MaxPredicateBytes = 16L * 1024 * 1024;

    /// <summary>Deepest JSON nesting read from signature manifests and payloads.</summary>
    public const int MaxJsonDepth = 64;

    /// <summary>Attempts of a legacy tag read-modify-write before giving up on concurrent writers.</summary>
    public const int MaxLegacyAttachAttempts = 5;
}
