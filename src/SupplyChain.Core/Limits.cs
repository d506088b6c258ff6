namespace SupplyChain.Core;

/// <summary>Limits on untrusted input, in one place (DESIGN.md convention 5).</summary>
internal static class Limits
{
    /// <summary>Largest bundle accepted, in bytes. DSSE payloads (SBOMs) make bundles large; 32 MiB is generous.</summary>
    public const int MaxBundleBytes = 32 * 1024 * 1024;

    /// <summary>Largest trusted root or signing config accepted, in bytes.</summary>
    public const int MaxTrustDocumentBytes = 4 * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted. Bundles nest at most 6 levels; trusted roots 6.</summary>
    public const int MaxJsonDepth = 16;

    /// <summary>Most certificates accepted in one chain.</summary>
    public const int MaxCertificatesInChain = 10;

    /// <summary>Most transparency-log entries accepted in one bundle.</summary>
    public const int MaxTlogEntries = 32;

    /// <summary>Most RFC 3161 timestamps accepted in one bundle.</summary>
    public const int MaxTimestamps = 32;

    /// <summary>Most hashes in one inclusion proof (a tree of 2^64 leaves needs 64).</summary>
    public const int MaxInclusionProofHashes = 64;

    /// <summary>Most DSSE signatures accepted in one envelope.</summary>
    public const int MaxDsseSignatures = 16;

    /// <summary>Largest checkpoint (signed note) accepted, in bytes.</summary>
    public const int MaxCheckpointBytes = 64 * 1024;

    /// <summary>Most signature lines accepted in one signed note.</summary>
    public const int MaxNoteSignatures = 100;

    /// <summary>Most SCTs accepted in one embedded SignedCertificateTimestampList (Fulcio embeds one; the list itself is at most 64 KiB).</summary>
    public const int MaxEmbeddedScts = 16;

    /// <summary>Largest DER object (certificate, timestamp) accepted, in bytes.</summary>
    public const int MaxDerBytes = 256 * 1024;

    /// <summary>
    /// Match timeout for policy regular expressions. The non-backtracking engine is linear in the input,
    /// so this bounds pathological sizes, not backtracking; it is generous because the engine builds its
    /// automaton lazily and a loaded machine was seen to need 175 ms for a first match.
    /// </summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Longest package URL parsed (a purl names one package; BuildKit's are under 300 characters).</summary>
    public const int MaxPackageUrlLength = 4096;

    /// <summary>Largest SBOM document parsed, in bytes (SBOMs are the largest predicates; a bundle is at most 32 MiB anyway).</summary>
    public const int MaxSbomBytes = 32 * 1024 * 1024;

    /// <summary>Deepest JSON nesting of an SBOM (CycloneDX components nest).</summary>
    public const int MaxSbomDepth = 64;

    /// <summary>Most elements (components, packages, files, relationships, dependencies) checked in one SBOM.</summary>
    public const int MaxSbomElements = 500_000;
}
