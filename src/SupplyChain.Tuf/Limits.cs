namespace SupplyChain.Tuf;

/// <summary>Limits on untrusted input, in one place (DESIGN.md convention 5). Download limits are defaults of <see cref="TufClientOptions"/>.</summary>
internal static class Limits
{
    /// <summary>Largest root metadata downloaded (production roots are about 6 KiB).</summary>
    public const long MaxRootBytes = 512 * 1024;

    /// <summary>Largest timestamp metadata downloaded (about 1 KiB in practice).</summary>
    public const long MaxTimestampBytes = 16 * 1024;

    /// <summary>Default largest snapshot or targets metadata when the parent lists no length.</summary>
    public const long DefaultMaxMetadataBytes = 4 * 1024 * 1024;

    /// <summary>Default largest target file (a target always has a listed length; this caps what a targets role may list).</summary>
    public const long DefaultMaxTargetBytes = 16 * 1024 * 1024;

    /// <summary>Most root rotations followed in one update (python-tuf's <c>max_root_rotations</c> is 256).</summary>
    public const int MaxRootRotations = 256;

    /// <summary>Most delegated roles visited while searching a target (python-tuf's <c>max_delegations</c>).</summary>
    public const int MaxDelegations = 32;

    /// <summary>Deepest JSON nesting accepted in metadata.</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>Largest <c>trusted_root.json</c> file read by <see cref="TrustedRoots.FileTrustedRootSource"/> (the production one is about 20 KiB).</summary>
    public const int MaxTrustedRootFileBytes = 4 * 1024 * 1024;

    /// <summary>Most signatures accepted on one metadata file.</summary>
    public const int MaxSignatures = 1024;

    /// <summary>Default retries of a download: three attempts of 30 s each (headers and body together), the waits drawn below 0.5 s and 1 s.</summary>
    public static readonly Http.HttpRetryPolicy DefaultRetry = Http.HttpRetryPolicy.Default with { MaxAttempts = 3 };
}
