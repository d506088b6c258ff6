using Microsoft.Extensions.Logging;
using SupplyChain.Http;

namespace SupplyChain.Tuf;

/// <summary>What the client does when the repository cannot be reached (SC3001, SC3002, SC3003).</summary>
public enum TufFallback
{
    /// <summary>Fail with the service error (the default: fresh trust roots or nothing).</summary>
    Fail,

    /// <summary>Use the cached (else embedded) copy of the target and report a warning naming the copy and its age.</summary>
    UseCachedOrEmbedded,
}

/// <summary>Options of a <see cref="TufClient"/>. Use <see cref="ForProduction"/> or <see cref="ForStaging"/> for the Sigstore repositories.</summary>
public sealed record TufClientOptions
{
    /// <summary>The production Sigstore TUF repository.</summary>
    public static readonly Uri ProductionUrl = new("https://tuf-repo-cdn.sigstore.dev/");

    /// <summary>The staging Sigstore TUF repository.</summary>
    public static readonly Uri StagingUrl = new("https://tuf-repo-cdn.sigstage.dev/");

    /// <summary>The repository's base URL: metadata is fetched from below it (and target files from <c>targets/</c> below it, unless <see cref="TargetBaseUrl"/> says otherwise).</summary>
    public required Uri RepositoryUrl { get; init; }

    /// <summary>
    /// The base URL of the target files when they are not served from <c>targets/</c> below <see cref="RepositoryUrl"/>
    /// (python-tuf's <c>target_base_url</c>); <see langword="null"/> for that default.
    /// </summary>
    public Uri? TargetBaseUrl { get; init; }

    /// <summary>The initial trusted root metadata (TUF spec 5.2): the trust anchor shipped with the client.</summary>
    public required ReadOnlyMemory<byte> InitialRoot { get; init; }

    /// <summary>
    /// The cache directory; <see langword="null"/> for the default <c>$XDG_CACHE_HOME/supplychain/tuf/&lt;repository&gt;</c>
    /// (or <c>~/.cache/...</c>). An unwritable directory makes the cache continue in memory.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Keep the cache in memory only (no file system access).</summary>
    public bool InMemoryCache { get; init; }

    /// <summary>
    /// Where verified target files are kept, each named by its percent-encoded target path (python-tuf's layout), so
    /// the metadata cache holds metadata only; <see langword="null"/> keeps them in the cache directory as
    /// <c>target-&lt;encoded path&gt;</c>. A target already there is served without a download when it still matches its
    /// length and hashes. Not allowed with <see cref="InMemoryCache"/>.
    /// </summary>
    public string? TargetDirectory { get; init; }

    /// <summary>The clock that decides expiry (no wall clock in libraries).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The HTTP transport (wrap it to observe requests), or <see langword="null"/> for a pooled
    /// <see cref="SocketsHttpHandler"/> (<see cref="BoundedHttpClient.CreateDefaultTransport"/>). The caller disposes it.
    /// </summary>
    public HttpMessageHandler? Transport { get; init; }

    /// <summary>
    /// How downloads are retried and how long each attempt may take, headers and body together (slow-retrieval
    /// protection): three attempts of 30 s by default. Every attempt asks the same URL with the same size limit.
    /// </summary>
    public HttpRetryPolicy Retry { get; init; } = Limits.DefaultRetry;

    /// <summary>Where the client logs its requests and warnings (fallbacks, cache problems), or <see langword="null"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Make no network call: serve the cached, else embedded, copy of each target.</summary>
    public bool Offline { get; init; }

    /// <summary>What to do when the repository cannot be reached.</summary>
    public TufFallback OnUnreachable { get; init; } = TufFallback.Fail;

    /// <summary>Largest snapshot or targets metadata downloaded when its parent lists no length.</summary>
    public long MaxMetadataBytes { get; init; } = Limits.DefaultMaxMetadataBytes;

    /// <summary>Largest target file accepted.</summary>
    public long MaxTargetBytes { get; init; } = Limits.DefaultMaxTargetBytes;

    /// <summary>The <c>trusted_root.json</c> to fall back to when there is no cached copy, or empty for none.</summary>
    public ReadOnlyMemory<byte> EmbeddedTrustedRoot { get; init; }

    /// <summary>When <see cref="EmbeddedTrustedRoot"/> was published by the repository (for its age in warnings).</summary>
    public DateTimeOffset? EmbeddedTrustedRootDate { get; init; }

    /// <summary>Options for the production Sigstore repository: embedded root v15 and the trusted root embedded in SupplyChain.Core.</summary>
    public static TufClientOptions ForProduction() => new()
    {
        RepositoryUrl = ProductionUrl,
        InitialRoot = EmbeddedRoots.ProductionRoot,
        EmbeddedTrustedRoot = EmbeddedRoots.ProductionTrustedRoot,
        EmbeddedTrustedRootDate = EmbeddedRoots.ProductionTrustedRootDate,
    };

    /// <summary>Options for the staging Sigstore repository: embedded root v14 and the staging trusted root embedded in SupplyChain.Core.</summary>
    public static TufClientOptions ForStaging() => new()
    {
        RepositoryUrl = StagingUrl,
        InitialRoot = EmbeddedRoots.StagingRoot,
        EmbeddedTrustedRoot = EmbeddedRoots.StagingTrustedRoot,
        EmbeddedTrustedRootDate = EmbeddedRoots.StagingTrustedRootDate,
    };
}
