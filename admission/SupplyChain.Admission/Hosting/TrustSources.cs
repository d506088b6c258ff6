using System.Security.Cryptography;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Tuf;

namespace SupplyChain.Admission.Hosting;

/// <summary>Trust material and its version (<c>sha256:</c> of the trusted_root.json bytes: the cache key's trust-root version).</summary>
internal sealed record TrustMaterial(ITrustedMaterial Trust, string Version)
{
    public static TrustMaterial Parse(ReadOnlySpan<byte> trustedRootJson) =>
        new(TrustedRoot.Parse(trustedRootJson), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(trustedRootJson)));
}

/// <summary>Where the trust material comes from: a mounted file or TUF.</summary>
internal interface ITrustSource : IDisposable
{
    /// <summary>The material in use, or <c>null</c> before any loaded.</summary>
    TrustMaterial? Current { get; }

    /// <summary>Checks for new material when due; a failure keeps the previous material.</summary>
    Task<ReloadOutcome> PollAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A mounted <c>trusted_root.json</c> (air-gapped clusters): re-read on every poll, reloaded when its content changes;
/// a new version that does not parse (SC7207 with the parser's code inside) is rejected once and the old one stays.
/// </summary>
internal sealed class FileTrustSource : ITrustSource
{
    private readonly string _path;
    private string? _rejected;
    private TrustMaterial? _current;

    public FileTrustSource(string path)
    {
        _path = path;
    }

    public TrustMaterial? Current => Volatile.Read(ref _current);

    public Task<ReloadOutcome> PollAsync(CancellationToken cancellationToken)
    {
        byte[] content;
        try
        {
            content = WatchedFile.Read(_path, HostingLimits.MaxTrustedRootBytes, AdmissionErrors.TrustMaterialUnusable);
        }
        catch (SupplyChainException ex)
        {
            return Task.FromResult(new ReloadOutcome("trust", ReloadResult.Failed, ex));
        }

        string version = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        if (version == _current?.Version || version == _rejected)
        {
            return Task.FromResult(new ReloadOutcome("trust", ReloadResult.Unchanged));
        }

        try
        {
            Volatile.Write(ref _current, TrustMaterial.Parse(content));
            _rejected = null;
            return Task.FromResult(new ReloadOutcome("trust", ReloadResult.Reloaded));
        }
        catch (SupplyChainException ex)
        {
            _rejected = version;
            return Task.FromResult(new ReloadOutcome("trust", ReloadResult.Failed, AdmissionErrors.TrustMaterialUnusable.ToException($"{_path}: {ex.Message}", ex)));
        }
    }

    public void Dispose()
    {
    }
}

/// <summary>
/// The Sigstore trusted root from a TUF repository (TUF spec, "Detailed client workflow", through <see cref="TufClient"/>):
/// fetched at start, refreshed every <c>refresh</c> interval, retried every <c>retry</c> interval after a failure; a
/// failure keeps the previous material (at start: not ready until a fetch succeeds).
/// </summary>
internal sealed class TufTrustSource : ITrustSource
{
    private readonly TufClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refresh;
    private readonly TimeSpan _retry;
    private DateTimeOffset _due = DateTimeOffset.MinValue;
    private TrustMaterial? _current;

    public TufTrustSource(TufClient client, TimeProvider time, TimeSpan refresh, TimeSpan retry)
    {
        _client = client;
        _time = time;
        _refresh = refresh;
        _retry = retry;
    }

    public TrustMaterial? Current => Volatile.Read(ref _current);

    /// <summary>Builds the TUF client from the server options (the production repository and its embedded root by default).</summary>
    public static TufTrustSource Create(AdmissionServerOptions options)
    {
        TufClientOptions defaults = options.TufRepositoryUrl == TufClientOptions.StagingUrl ? TufClientOptions.ForStaging() : TufClientOptions.ForProduction();
        ReadOnlyMemory<byte> initialRoot = options.TufInitialRootPath is { } rootPath
            ? WatchedFile.Read(rootPath, HostingLimits.MaxTrustedRootBytes, AdmissionErrors.TrustMaterialUnusable)
            : options.TufRepositoryUrl == defaults.RepositoryUrl ? defaults.InitialRoot
            : throw AdmissionErrors.InvalidOption.ToException($"the TUF repository {options.TufRepositoryUrl} needs an initial root (--tuf-root)");
        var client = new TufClient(new TufClientOptions
        {
            RepositoryUrl = options.TufRepositoryUrl,
            InitialRoot = initialRoot,
            CacheDirectory = options.TufCacheDirectory,
            InMemoryCache = options.TufCacheDirectory is null,
            TimeProvider = options.TimeProvider,
            Transport = options.TufHttpMessageHandler,
        });
        return new TufTrustSource(client, options.TimeProvider, options.TufRefreshInterval, options.TufRetryInterval);
    }

    public async Task<ReloadOutcome> PollAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (now < _due)
        {
            return new ReloadOutcome("trust", ReloadResult.Unchanged);
        }

        try
        {
            TufResult<ReadOnlyMemory<byte>> target = await _client.GetTargetAsync(TufClient.TrustedRootTarget, cancellationToken).ConfigureAwait(false);
            TrustMaterial material = TrustMaterial.Parse(target.Bytes.Span);
            _due = now + _refresh;
            if (material.Version == _current?.Version)
            {
                return new ReloadOutcome("trust", ReloadResult.Unchanged);
            }

            Volatile.Write(ref _current, material);
            return new ReloadOutcome("trust", ReloadResult.Reloaded);
        }
        catch (SupplyChainException ex)
        {
            _due = now + _retry;
            return new ReloadOutcome("trust", ReloadResult.Failed, AdmissionErrors.TrustMaterialUnusable.ToException($"TUF {_client.RepositoryUrl}: {ex.Message}", ex));
        }
        catch (HttpRequestException ex)
        {
            _due = now + _retry;
            return new ReloadOutcome("trust", ReloadResult.Failed, AdmissionErrors.TrustMaterialUnusable.ToException($"TUF {_client.RepositoryUrl}: {ex.Message}", ex));
        }
    }

    public void Dispose() => _client.Dispose();
}
