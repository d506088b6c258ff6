using Microsoft.Extensions.Logging;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Http;
using SupplyChain.Tuf.Client;
using SupplyChain.Tuf.Metadata;

namespace SupplyChain.Tuf;

/// <summary>
/// A TUF client for a Sigstore repository: refreshes the metadata (TUF spec section 5), then serves verified targets
/// such as <c>trusted_root.json</c>. Offline, it makes no network call and serves the cached, else embedded, copy.
/// Thread-safe; refreshes are serialized.
/// </summary>
public sealed partial class TufClient : IDisposable
{
    /// <summary>The target name of the Sigstore trusted root.</summary>
    public const string TrustedRootTarget = "trusted_root.json";

    /// <summary>The target name of the Sigstore signing config (v0.2).</summary>
    public const string SigningConfigTarget = "signing_config.v0.2.json";

    private readonly TufClientOptions _options;
    private readonly BoundedHttpClient? _http;
    private readonly ILogger? _logger;
    private readonly TufCache _cache;
    private readonly TargetStore _targets;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates a client. No I/O happens before the first request, except creating the cache directory.</summary>
    /// <exception cref="TrustRootException">SC3023 for invalid options.</exception>
    public TufClient(TufClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.RepositoryUrl.IsAbsoluteUri || options.RepositoryUrl.Scheme is not ("https" or "http"))
        {
            throw TufErrors.InvalidOptions.ToException($"the repository URL '{options.RepositoryUrl}' is not an absolute http(s) URL");
        }

        if (options.InitialRoot.IsEmpty)
        {
            throw TufErrors.InvalidOptions.ToException("no initial root");
        }

        if (options.TargetBaseUrl is { } targetBase && (!targetBase.IsAbsoluteUri || targetBase.Scheme is not ("https" or "http")))
        {
            throw TufErrors.InvalidOptions.ToException($"the target base URL '{targetBase}' is not an absolute http(s) URL");
        }

        if (options.InMemoryCache && options.TargetDirectory is not null)
        {
            throw TufErrors.InvalidOptions.ToException("a target directory and an in-memory cache exclude each other");
        }

        if (options.Retry is null || !options.Retry.IsValid || options.MaxMetadataBytes <= 0 || options.MaxTargetBytes <= 0)
        {
            throw TufErrors.InvalidOptions.ToException("the retry policy needs 1 to 10 attempts, non-negative delays and a positive timeout; size limits must be positive");
        }

        _options = options;
        RepositoryUrl = WithTrailingSlash(options.RepositoryUrl);
        TargetBaseUrl = WithTrailingSlash(options.TargetBaseUrl ?? new Uri(RepositoryUrl, "targets/"));
        _cache = new TufCache(options.InMemoryCache ? null : options.CacheDirectory ?? DefaultCacheDirectory(RepositoryUrl), options.TimeProvider);
        _targets = options.TargetDirectory is null
            ? new TargetStore(_cache, inMetadataCache: true)
            : new TargetStore(new TufCache(options.TargetDirectory, options.TimeProvider), inMetadataCache: false);
        _logger = options.LoggerFactory?.CreateLogger<TufClient>();
        if (!options.Offline)
        {
            _http = new BoundedHttpClient(new BoundedHttpClientOptions(TufFetcher.Codes)
            {
                Transport = options.Transport,
                Retry = options.Retry,
                TimeProvider = options.TimeProvider,
                Logger = _logger,
                ClientName = "tuf",
            });
        }
    }

    /// <summary>The repository URL (with a trailing slash).</summary>
    public Uri RepositoryUrl { get; }

    /// <summary>The base URL of target files (with a trailing slash): <see cref="TufClientOptions.TargetBaseUrl"/>, else <c>targets/</c> below <see cref="RepositoryUrl"/>.</summary>
    public Uri TargetBaseUrl { get; }

    /// <summary>The cache directory, or <see langword="null"/> for a memory-only cache.</summary>
    public string? CacheDirectory => _cache.Directory;

    /// <summary><see langword="true"/> when new cache files are kept in memory (not writable, or <see cref="TufClientOptions.InMemoryCache"/>).</summary>
    public bool CacheInMemory => _cache.InMemory;

    /// <summary>
    /// The default cache directory of a repository: <c>$XDG_CACHE_HOME/supplychain/tuf/&lt;host-and-path&gt;</c>, else
    /// <c>~/.cache/supplychain/tuf/&lt;host-and-path&gt;</c>.
    /// </summary>
    /// <param name="repositoryUrl">The repository URL.</param>
    public static string DefaultCacheDirectory(Uri repositoryUrl)
    {
        ArgumentNullException.ThrowIfNull(repositoryUrl);
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string baseDir = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        string name = (repositoryUrl.Host + (repositoryUrl.IsDefaultPort ? string.Empty : "-" + repositoryUrl.Port) + repositoryUrl.AbsolutePath.TrimEnd('/'))
            .Replace('/', '-').Replace(':', '-');
        name = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return Path.Combine(baseDir, "supplychain", "tuf", name);
    }

    /// <summary>Refreshes the TUF metadata (root, timestamp, snapshot, targets) without fetching a target.</summary>
    /// <returns>The trusted root version after the refresh.</returns>
    /// <exception cref="SupplyChainException">An SC3xxx code; the cache keeps its last good state.</exception>
    public async Task<long> RefreshAsync(CancellationToken cancellationToken = default)
    {
        RequireOnline();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TufUpdater updater = NewUpdater();
            await updater.RefreshAsync(cancellationToken).ConfigureAwait(false);
            updater.Commit();
            return updater.RootVersion;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The Sigstore trusted root (target <c>trusted_root.json</c>) with its provenance.</summary>
    /// <exception cref="SupplyChainException">An SC3xxx code, or SC11xx when the document does not parse.</exception>
    public Task<TufResult<TrustedRoot>> GetTrustedRootAsync(CancellationToken cancellationToken = default) =>
        GetAsync(TrustedRootTarget, bytes => TrustedRoot.Parse(bytes), _options.EmbeddedTrustedRoot, cancellationToken);

    /// <summary>The Sigstore signing config (target <c>signing_config.v0.2.json</c>) with its provenance. There is no embedded copy.</summary>
    /// <exception cref="SupplyChainException">An SC3xxx code, or SC11xx when the document does not parse.</exception>
    public Task<TufResult<SigningConfig>> GetSigningConfigAsync(CancellationToken cancellationToken = default) =>
        GetAsync(SigningConfigTarget, bytes => SigningConfig.Parse(bytes), ReadOnlyMemory<byte>.Empty, cancellationToken);

    /// <summary>Any target's verified bytes with their provenance (no embedded copy).</summary>
    /// <param name="targetPath">The target path, such as <c>registry.npmjs.org/keys.json</c>.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    public Task<TufResult<ReadOnlyMemory<byte>>> GetTargetAsync(string targetPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetPath);
        return GetAsync(targetPath, bytes => (ReadOnlyMemory<byte>)bytes.ToArray(), ReadOnlyMemory<byte>.Empty, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _http?.Dispose();
        _gate.Dispose();
    }

    private async Task<TufResult<T>> GetAsync<T>(string target, Func<byte[], T> parse, ReadOnlyMemory<byte> embedded, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        if (_options.Offline)
        {
            TufResult<T> offline = Local(target, parse, embedded, warnings);
            LogWarnings(target, warnings);
            return offline;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TufUpdater updater = NewUpdater();
            await updater.RefreshAsync(cancellationToken).ConfigureAwait(false);
            (TargetFileInfo info, long targetsVersion) = await updater.FindTargetAsync(target, cancellationToken).ConfigureAwait(false);
            (byte[] data, bool downloaded) = await updater.GetTargetBytesAsync(info, cancellationToken).ConfigureAwait(false);
            T value = parse(data);
            updater.Commit();
            DateTimeOffset now = _options.TimeProvider.GetUtcNow();
            DateTimeOffset fetchedAt = downloaded ? now : _targets.WrittenAt(target) ?? now;
            AddCacheWarning(warnings);
            LogWarnings(target, warnings);
            return new TufResult<T>(value, data, new TufProvenance(
                TufSource.Online, RepositoryUrl, downloaded ? TargetBaseUrl.AbsoluteUri + target : _targets.Describe(target),
                updater.RootVersion, targetsVersion, fetchedAt, now - fetchedAt, warnings));
        }
        catch (SupplyChainException ex) when (ex.Error.Category == ErrorCategory.ServiceFailure && _options.OnUnreachable == TufFallback.UseCachedOrEmbedded)
        {
            warnings.Add($"{ex.Message}; falling back to a local copy");
            TufResult<T> local = Local(target, parse, embedded, warnings);
            LogWarnings(target, warnings);
            return local;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The cached, else embedded, copy; no network call.</summary>
    private TufResult<T> Local<T>(string target, Func<byte[], T> parse, ReadOnlyMemory<byte> embedded, List<string> warnings)
    {
        DateTimeOffset now = _options.TimeProvider.GetUtcNow();
        byte[]? cached = _targets.Read(target, _options.MaxTargetBytes);
        long? rootVersion = CachedVersion("root.json", Limits.MaxRootBytes, (raw, n) => RootMetadata.Parse(raw, n).Version);
        if (cached is not null)
        {
            DateTimeOffset? fetchedAt = _targets.WrittenAt(target);
            long? targetsVersion = CachedVersion("targets.json", _options.MaxMetadataBytes, (raw, n) => TargetsMetadata.Parse(raw, n).File.Version);
            warnings.Add($"using the cached {target} at {_targets.Describe(target)}{Aged(fetchedAt, now)}, not refreshed from {RepositoryUrl}");
            AddCacheWarning(warnings);
            return new TufResult<T>(parse(cached), cached, new TufProvenance(TufSource.Cache, RepositoryUrl, _targets.Describe(target), rootVersion, targetsVersion, fetchedAt, now - fetchedAt, warnings));
        }

        if (embedded.IsEmpty)
        {
            throw TufErrors.NoTrustedCopy.ToException($"{target}: no cached copy in {_cache.Directory ?? "memory"} and none embedded");
        }

        DateTimeOffset? published = _options.EmbeddedTrustedRootDate;
        warnings.Add($"using the {target} embedded in SupplyChain.Core{Aged(published, now)}, not refreshed from {RepositoryUrl}");
        AddCacheWarning(warnings);
        return new TufResult<T>(parse(embedded.ToArray()), embedded, new TufProvenance(TufSource.Embedded, RepositoryUrl, "embedded:" + target, null, null, published, now - published, warnings));
    }

    private long? CachedVersion(string name, long maxBytes, Func<byte[], string, long> read)
    {
        byte[]? raw = _cache.Read(name, maxBytes);
        if (raw is null)
        {
            return null;
        }

        try
        {
            return read(raw, name);
        }
        catch (SupplyChainException)
        {
            return null;
        }
    }

    /// <summary>The warnings of a result, also as log events (they stay in <see cref="TufProvenance.Warnings"/> for callers without a logger).</summary>
    private void LogWarnings(string target, List<string> warnings)
    {
        if (_logger is null)
        {
            return;
        }

        foreach (string warning in warnings)
        {
            LogWarning(_logger, target, warning);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "tuf: {Target}: {Warning}")]
    private static partial void LogWarning(ILogger logger, string target, string warning);

    private static string Aged(DateTimeOffset? at, DateTimeOffset now) =>
        at is { } t ? $" (from {t:yyyy-MM-dd'T'HH:mm:ss'Z'}, {Math.Max(0, (now - t).TotalDays):0.#} days old)" : string.Empty;

    private void AddCacheWarning(List<string> warnings)
    {
        foreach (string? w in new[] { _cache.Warning, _targets.Warning }.Distinct(StringComparer.Ordinal))
        {
            if (w is not null)
            {
                warnings.Add(w);
            }
        }
    }

    private static Uri WithTrailingSlash(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    private void RequireOnline()
    {
        if (_options.Offline)
        {
            throw TufErrors.InvalidOptions.ToException("the client is offline; a refresh needs the network");
        }
    }

    private TufUpdater NewUpdater() => new(
        new TufFetcher(_http!, RepositoryUrl),
        new TufFetcher(_http!, TargetBaseUrl),
        _cache,
        _targets,
        _options,
        _options.TimeProvider.GetUtcNow());
}
