using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Oci.Registry;
using SupplyChain.Signing;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Oidc;
using SupplyChain.Tuf;
using SupplyChain.Tuf.TrustedRoots;

namespace SupplyChain.Extensions.DependencyInjection;

/// <summary>
/// Registers SupplyChain's long-lived, thread-safe clients as singletons, wired to the application's
/// <see cref="IHttpClientFactory"/> (named clients <see cref="SupplyChainHttpClients"/>), <see cref="ILoggerFactory"/>,
/// <see cref="TimeProvider"/> (the system clock unless one is registered) and validated options.
/// </summary>
public static class SupplyChainServiceCollectionExtensions
{
    /// <summary>
    /// The Sigstore trusted root as an <see cref="ITrustedRootSource"/>: from TUF (default: the production repository,
    /// refreshed by a hosted service), a mounted file, or the embedded copy (<see cref="SigstoreTrustedRootOptions.Offline"/>).
    /// The options are validated when the host starts (SC3072).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (or bind them: <c>services.Configure&lt;SigstoreTrustedRootOptions&gt;(section)</c>).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSigstoreTrustedRoot(this IServiceCollection services, Action<SigstoreTrustedRootOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<SigstoreTrustedRootOptions> options = services.AddOptions<SigstoreTrustedRootOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SigstoreTrustedRootOptions>, SigstoreTrustedRootOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        SupplyChainHttpClients.Add(services, SupplyChainHttpClients.Tuf);
        services.TryAddSingleton<ITrustedRootSource>(CreateTrustedRootSource);
        services.AddHostedService<TrustedRootRefreshService>();
        return services;
    }

    /// <summary>
    /// A <see cref="SigstoreVerifierProvider"/> over the registered trusted root (adds <see cref="AddSigstoreTrustedRoot"/>
    /// with its defaults when none is registered).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The verifier's options (thresholds); the defaults when <see langword="null"/>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSigstoreVerifier(this IServiceCollection services, VerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(ITrustedRootSource)))
        {
            services.AddSigstoreTrustedRoot();
        }

        services.TryAddSingleton(provider => new SigstoreVerifierProvider(provider.GetRequiredService<ITrustedRootSource>(), options));
        return services;
    }

    /// <summary>An <see cref="IOciRegistry"/> (<see cref="OciRegistryClient"/>) over the named client <see cref="SupplyChainHttpClients.Oci"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts the options (credentials, insecure registries, limits) from the defaults the container gives.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddOciRegistryClient(this IServiceCollection services, Func<OciRegistryClientOptions, OciRegistryClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        SupplyChainHttpClients.Add(services, SupplyChainHttpClients.Oci);
        services.TryAddSingleton<IOciRegistry>(provider =>
        {
            var defaults = new OciRegistryClientOptions
            {
                Transport = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(SupplyChainHttpClients.Oci),
                LoggerFactory = provider.GetService<ILoggerFactory>(),
                TimeProvider = provider.GetRequiredService<TimeProvider>(),
            };
            return new OciRegistryClient(configure is null ? defaults : configure(defaults));
        });
        return services;
    }

    /// <summary>
    /// A <see cref="BundleSigner"/> for Sigstore production (or staging, or the services of a signing config) over the
    /// named client <see cref="SupplyChainHttpClients.Signing"/>, and an <see cref="IIdentityTokenProvider"/> (the
    /// <see cref="IdentityTokenChain"/> without an interactive flow: <c>SIGSTORE_ID_TOKEN</c>, then ambient CI credentials)
    /// unless one is registered. Bundles are checked against the registered trusted root when one is loaded, else the
    /// deployment's embedded one.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSigstoreSigner(this IServiceCollection services, Action<SigstoreSignerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<SigstoreSignerOptions> options = services.AddOptions<SigstoreSignerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.RekorVersion is null or 1 or 2, "--rekor-version must be 1 or 2").ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        SupplyChainHttpClients.Add(services, SupplyChainHttpClients.Signing);
        services.TryAddSingleton<IIdentityTokenProvider>(provider => new IdentityTokenChain(new IdentityTokenChainOptions
        {
            TimeProvider = provider.GetRequiredService<TimeProvider>(),
            Ambient = new AmbientTokenProviderOptions
            {
                Transport = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(SupplyChainHttpClients.Signing),
                LoggerFactory = provider.GetService<ILoggerFactory>(),
                TimeProvider = provider.GetRequiredService<TimeProvider>(),
            },
        }));
        services.TryAddSingleton(provider =>
        {
            SigstoreSignerOptions o = provider.GetRequiredService<IOptions<SigstoreSignerOptions>>().Value;
            SigstoreDeployment deployment = o.Staging ? SigstoreDeployment.Staging : SigstoreDeployment.Production;
            SigningConfig? config = o.SigningConfigPath is { } path ? SigningConfig.Parse(File.ReadAllBytes(path)) : null;
            (Uri? fulcio, Uri? rekor) = deployment.ServiceUrls(config, o.FulcioUrl, o.RekorUrl);
            return new BundleSigner(new BundleSignerOptions
            {
                TrustedMaterial = provider.GetService<ITrustedRootSource>()?.Current?.TrustedRoot ?? deployment.TrustedRoot,
                SigningConfig = config,
                FulcioUrl = fulcio,
                RekorUrl = rekor,
                TimestampAuthorityUrl = o.TimestampAuthorityUrl,
                RekorVersion = o.RekorVersion,
                Transport = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(SupplyChainHttpClients.Signing),
                LoggerFactory = provider.GetService<ILoggerFactory>(),
                TimeProvider = provider.GetRequiredService<TimeProvider>(),
            });
        });
        return services;
    }

    private static ITrustedRootSource CreateTrustedRootSource(IServiceProvider provider)
    {
        SigstoreTrustedRootOptions options = provider.GetRequiredService<IOptions<SigstoreTrustedRootOptions>>().Value;
        ILoggerFactory? loggers = provider.GetService<ILoggerFactory>();
        if (options.TrustedRootPath is { } path)
        {
            return new FileTrustedRootSource(path, loggers);
        }

        if (options.Offline)
        {
            return options.TufRepositoryUrl == TufClientOptions.StagingUrl ? StaticTrustedRootSource.Staging() : StaticTrustedRootSource.Production();
        }

        ReadOnlyMemory<byte> initialRoot = options.TufInitialRootPath is { } rootPath ? File.ReadAllBytes(rootPath) : ReadOnlyMemory<byte>.Empty;
        TufClientOptions client = TufTrustedRootSourceOptions.ClientFor(options.TufRepositoryUrl, initialRoot) with
        {
            CacheDirectory = options.TufCacheDirectory,
            InMemoryCache = options.TufCacheDirectory is null,
            Transport = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(SupplyChainHttpClients.Tuf),
            LoggerFactory = loggers,
            TimeProvider = provider.GetRequiredService<TimeProvider>(),
        };
        return new TufTrustedRootSource(new TufTrustedRootSourceOptions { Client = client, RefreshInterval = options.RefreshInterval, RetryInterval = options.RetryInterval });
    }
}
