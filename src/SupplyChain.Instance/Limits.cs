namespace SupplyChain.Instance;

/// <summary>Limits on untrusted input (requests to the served instance, files in the instance directory), in one place (DESIGN.md convention 5).</summary>
internal static class Limits
{
    /// <summary>Largest HTTP request body the served instance reads.</summary>
    public const int MaxRequestBytes = 1024 * 1024;

    /// <summary>Most bytes of a refused (oversized) body read and dropped before the 413, so the client reads the answer; beyond it the connection is cut.</summary>
    public const long MaxDrainedBytes = 16 * 1024 * 1024;

    /// <summary>Largest identity token (JWT) the CA parses.</summary>
    public const int MaxTokenChars = 16 * 1024;

    /// <summary>Largest file of the instance directory read (keys, certificates, config, trusted root).</summary>
    public const int MaxInstanceFileBytes = 256 * 1024;

    /// <summary>Largest JWKS document of an external issuer.</summary>
    public const int MaxJwksBytes = 256 * 1024;

    /// <summary>Largest RFC 3161 request.</summary>
    public const int MaxTimestampRequestBytes = 16 * 1024;

    /// <summary>Most DSSE signatures (and verifiers) in one log entry request.</summary>
    public const int MaxDsseSignatures = 16;

    /// <summary>Smallest and largest RSA modulus accepted from a signer.</summary>
    public const int MinRsaBits = 2048;

    /// <summary>Largest RSA modulus accepted from a signer.</summary>
    public const int MaxRsaBits = 4096;

    /// <summary>How long external JWKS fetched from a URL are cached.</summary>
    public static readonly TimeSpan JwksCacheLifetime = TimeSpan.FromMinutes(10);

    /// <summary>tlog-tiles: each entry in a bundle is "a big-endian uint16 length" and the bytes, so 65535 at most.</summary>
    public const int MaxLogEntryBytes = ushort.MaxValue;

    /// <summary>Largest log checkpoint file read (a note with one signature is a few hundred bytes).</summary>
    public const int MaxCheckpointBytes = 16 * 1024;

    /// <summary>Largest log entry bundle read: 256 entries of the maximum size with their length prefixes.</summary>
    public const int MaxEntryBundleBytes = Log.TileGeometry.Width * (MaxLogEntryBytes + 2);

    /// <summary>Longest log origin (key name) accepted.</summary>
    public const int MaxLogOriginLength = 256;

    /// <summary>Full log tiles kept in memory for proofs and reads.</summary>
    public const int TileCacheCount = 2048;

    /// <summary>Full log entry bundles kept in memory for reads.</summary>
    public const int EntryBundleCacheCount = 32;
}
