using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplyChain.Admission.Caching;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Hosting.Metrics;
using SupplyChain.Admission.Review;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Tuf;
using SupplyChain.Tuf.TrustedRoots;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The admission webhook server (docs/admission.md, "Running"): a thin ASP.NET Core host over the library
/// (SupplyChain.Admission.Core). Kestrel over HTTPS only (TLS 1.2+), serving minimal-API endpoints
/// (<see cref="AdmissionEndpoints"/>: <c>POST /validate</c>, <c>GET /healthz</c>, <c>GET /readyz</c>, <c>GET /metrics</c>).
/// A hosted <see cref="ReloadService"/> polls the certificate and key, the policy and a mounted trusted_root.json every
/// <see cref="AdmissionServerOptions.ReloadInterval"/> and reloads what changed by content (a bad new version keeps the
/// old one); TUF trust material is refreshed on its own interval. Metrics are System.Diagnostics.Metrics instruments
/// (<see cref="AdmissionMetrics"/>) exported as Prometheus text. Ready once policy and trust material have loaded.
/// </summary>
public sealed class AdmissionServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SnapshotManager _snapshots;
    private readonly Reloader _reloader;
    private int _disposed;

    private AdmissionServer(WebApplication app, SnapshotManager snapshots, VerdictCache cache, AdmissionMetrics metrics, Reloader reloader)
    {
        _app = app;
        _snapshots = snapshots;
        Cache = cache;
        Metrics = metrics;
        _reloader = reloader;
    }

    /// <summary>The base address, as <c>https://127.0.0.1:PORT</c> (the bound port when listening on port 0; a wildcard address is shown as 127.0.0.1).</summary>
    public Uri BaseAddress { get; private set; } = new("https://127.0.0.1/");

    /// <summary>Whether policy and trust material have loaded (what <c>/readyz</c> answers).</summary>
    public bool IsReady => _snapshots.Current is not null;

    internal VerdictCache Cache { get; }

    internal AdmissionMetrics Metrics { get; }

    internal AdmissionSnapshot? CurrentSnapshot => _snapshots.Current;

    /// <summary>
    /// Validates the options, loads the TLS pair (SC7205 when it cannot: the server does not start), the policy and
    /// the trust material (failures leave it not ready and are retried on every poll), and starts listening.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="SupplyChainException">SC7205 (TLS pair), SC7208 (options), SC7210 (cannot listen).</exception>
    public static async Task<AdmissionServer> StartAsync(AdmissionServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TlsCertificateStore certificate = TlsCertificateStore.Load(options.TlsCertificatePath, options.TlsKeyPath);
        var cache = new VerdictCache(new VerdictCacheOptions
        {
            MaxEntries = options.CacheMaxEntries,
            AllowedTtl = options.CacheTtl,
            DeniedTtl = options.CacheDeniedTtl,
            FailureTtl = options.CacheFailureTtl,
            EvaluationBudget = options.CacheEvaluationBudget,
            TimeProvider = options.TimeProvider,
        });

        // docs/admission.md, "Read budget": every read of every review passes one server-wide gate of
        // MaxConcurrentDownloads slots (bounding the memory reads in flight hold), and counts toward /metrics; each
        // review's own budget (AdmissionEvaluator) bounds the bytes it reads in all. The gate's byte limit is unbounded.
#pragma warning disable CA2000 // Lives as long as the server; its SemaphoreSlim holds no unmanaged resource.
        var serverReads = new RegistryReadBudget(long.MaxValue, options.MaxConcurrentDownloads);
#pragma warning restore CA2000

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        if (options.JsonConsoleLogs)
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = false;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                json.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }

        if (options.LoggerProvider is { } provider)
        {
            builder.Logging.AddProvider(new NonDisposingLoggerProvider(provider));
        }

        // Local files load before the first request; TUF (network) loads in the background so /healthz answers at once.
        bool tuf = options.TrustedRootPath is null;
        builder.Services.AddSingleton(options.TimeProvider);
        builder.Services.AddSingleton<IValidateOptions<AdmissionServerOptions>, AdmissionServerOptionsValidator>();
        builder.Services.AddSingleton<IOptionsFactory<AdmissionServerOptions>>(services => new GivenOptionsFactory<AdmissionServerOptions>(options, services.GetServices<IValidateOptions<AdmissionServerOptions>>()));
        builder.Services.AddOptions<AdmissionServerOptions>().ValidateOnStart();

        // The library components the host builds log through its ILoggerFactory (TUF client and trusted-root sources,
        // registry clients); the container disposes them with the host.
        builder.Services.AddSingleton(services => ServerRegistry.Create(options, services.GetRequiredService<ILoggerFactory>(), serverReads));
        builder.Services.AddSingleton(services => new SnapshotManager(
            new PolicyStore(options.PolicyPath),
            CreateTrustSource(options, services.GetRequiredService<ILoggerFactory>()),
            services.GetRequiredService<ServerRegistry>().Registry));
        builder.Services.AddMetrics();
        builder.Services.AddSingleton(services =>
        {
            SnapshotManager snapshots = services.GetRequiredService<SnapshotManager>();
            return new AdmissionMetrics(cache, () => snapshots.Current is not null, () => serverReads.BytesCharged, services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        });
        builder.Services.AddSingleton(services => new Reloader(certificate, services.GetRequiredService<SnapshotManager>(), services.GetRequiredService<AdmissionMetrics>(), services.GetRequiredService<ILoggerFactory>().CreateLogger("SupplyChain.Admission")));
        builder.Services.AddHostedService(services => new ReloadService(services.GetRequiredService<Reloader>(), services.GetRequiredService<IOptions<AdmissionServerOptions>>().Value, checkFirst: tuf));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = HostingLimits.MaxRequestBytes;
            kestrel.Listen(options.Listen, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https =>
                {
                    https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                    https.ServerCertificateSelector = (_, _) => certificate.Current;
                });
            });
        });

        WebApplication app = builder.Build();
        SnapshotManager snapshots;
        Reloader reloader;
        AdmissionMetrics metrics;
        try
        {
            // Builds the trust source: SC7208 (a TUF repository without --tuf-root) or SC7207 (an unreadable --tuf-root).
            snapshots = app.Services.GetRequiredService<SnapshotManager>();
            reloader = app.Services.GetRequiredService<Reloader>();
            metrics = app.Services.GetRequiredService<AdmissionMetrics>();
        }
        catch (SupplyChainException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        ILoggerFactory loggers = app.Services.GetRequiredService<ILoggerFactory>();
        ILogger logger = reloader.Logger;
        var evaluator = new AdmissionEvaluator(new AdmissionEvaluatorOptions
        {
            NodePlatforms = options.Platforms is null ? null : PlatformSet.Of(options.Platforms),
            Cache = cache,
            TimeProvider = options.TimeProvider,
            ReadBudgetBytes = options.ReadBudgetBytes,
            MaxConcurrentDownloads = options.MaxConcurrentDownloads,
            PullSecrets = ServerRegistry.CreatePodRegistries(options, loggers),
        });
        var handler = new ValidateHandler(options, snapshots, options.ReviewOverride ?? evaluator.ReviewAsync, metrics, logger);
        var server = new AdmissionServer(app, snapshots, cache, metrics, reloader);
        AdmissionEndpoints.Map(app, handler, () => server.IsReady, metrics);
        if (!tuf)
        {
            await server.ReloadNowAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw AdmissionErrors.ListenFailed.ToException($"{options.Listen}: {ex.Message}", ex);
        }

        server.BaseAddress = BoundAddress(app, options.Listen);
        string address = server.BaseAddress.AbsoluteUri;
        ReviewLog.Started(logger, address, server.IsReady);
        return server;
    }

    /// <summary>Waits until <paramref name="cancellationToken"/> fires or the process is asked to stop (SIGTERM), then stops.</summary>
    /// <param name="cancellationToken">Stops the server.</param>
    /// <returns>A task that completes once the server stopped.</returns>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Checks every source once now (the reload service does it every interval); serialised with it.</summary>
    internal Task<IReadOnlyList<ReloadOutcome>> ReloadNowAsync(CancellationToken cancellationToken = default) => _reloader.ReloadNowAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Stopping the host stops the reload service first; its singletons (metrics, reloader, snapshots with their
        // trust source, the registry client it built) go with the host.
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The mounted trusted root when <c>--trusted-root</c> is given, else TUF; both log through <paramref name="loggers"/>.</summary>
    private static ITrustedRootSource CreateTrustSource(AdmissionServerOptions options, ILoggerFactory loggers) =>
        options.TrustedRootPath is { } rootPath ? new FileTrustedRootSource(rootPath, loggers) : CreateTufSource(options, loggers);

    /// <summary>The trusted root from TUF (the production repository and its embedded root by default).</summary>
    private static TufTrustedRootSource CreateTufSource(AdmissionServerOptions options, ILoggerFactory loggers)
    {
        ReadOnlyMemory<byte> initialRoot = options.TufInitialRootPath is { } rootPath
            ? WatchedFile.Read(rootPath, HostingLimits.MaxTrustedRootBytes, AdmissionErrors.TrustMaterialUnusable)
            : ReadOnlyMemory<byte>.Empty;
        if (initialRoot.IsEmpty && options.TufRepositoryUrl != TufClientOptions.ProductionUrl && options.TufRepositoryUrl != TufClientOptions.StagingUrl)
        {
            throw AdmissionErrors.InvalidOption.ToException($"the TUF repository {options.TufRepositoryUrl} needs an initial root (--tuf-root)");
        }

        TufClientOptions client = TufTrustedRootSourceOptions.ClientFor(options.TufRepositoryUrl, initialRoot) with
        {
            CacheDirectory = options.TufCacheDirectory,
            InMemoryCache = options.TufCacheDirectory is null,
            TimeProvider = options.TimeProvider,
            Transport = options.TufTransport,
            LoggerFactory = loggers,
        };
        return new TufTrustedRootSource(new TufTrustedRootSourceOptions { Client = client, RefreshInterval = options.TufRefreshInterval, RetryInterval = options.TufRetryInterval });
    }

    private static Uri BoundAddress(WebApplication app, IPEndPoint listen)
    {
        var address = new Uri(app.Urls.First());
        string host = listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any) ? "127.0.0.1"
            : listen.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{listen.Address}]" : listen.Address.ToString();
        return new Uri($"https://{host}:{address.Port}/");
    }

    /// <summary>Keeps the host from disposing a provider the caller owns.</summary>
    private sealed class NonDisposingLoggerProvider(ILoggerProvider inner) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => inner.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
