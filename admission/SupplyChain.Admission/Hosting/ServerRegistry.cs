using Microsoft.Extensions.Logging;
using SupplyChain.Admission.PullSecrets;
using SupplyChain.Http;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Auth;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The webhook's registry clients, logging through the host's <see cref="ILoggerFactory"/>: the one server-wide client
/// behind <see cref="Registry"/> (every read passes the server's read gate), and with <c>--pull-secrets</c> a client per
/// pod's credentials. A host singleton: disposing it disposes the client it built, never one the options gave.
/// </summary>
internal sealed class ServerRegistry : IDisposable
{
    private readonly IDisposable? _owned;

    private ServerRegistry(IOciRegistry registry, IDisposable? owned)
    {
        Registry = registry;
        _owned = owned;
    }

    /// <summary>The registry every snapshot reads through (the server's read gate over the client).</summary>
    public IOciRegistry Registry { get; }

    /// <summary>
    /// The server's registry: <see cref="AdmissionServerOptions.RegistryClient"/> when given (tests), else a client over
    /// <see cref="AdmissionServerOptions.Registry"/> or the registry flags, with <paramref name="loggers"/> unless the
    /// given client options name their own.
    /// </summary>
    public static ServerRegistry Create(AdmissionServerOptions options, ILoggerFactory loggers, RegistryReadBudget serverReads)
    {
        if (options.RegistryClient is { } given)
        {
            return new ServerRegistry(new BudgetedOciRegistry(given, serverReads), null);
        }

        OciRegistryClientOptions registryOptions = options.Registry is { } custom
            ? custom with { LoggerFactory = custom.LoggerFactory ?? loggers }
            : new OciRegistryClientOptions
            {
                Transport = options.RegistryTransport,
                TimeProvider = options.TimeProvider,
                Credentials = options.DockerConfigPath is { } config ? new DockerConfigCredentialSource(config) : null,
                InsecureRegistries = options.InsecureRegistries,
                LoggerFactory = loggers,
            };
        var client = new OciRegistryClient(registryOptions);
        return new ServerRegistry(new BudgetedOciRegistry(client, serverReads), client);
    }

    /// <summary>
    /// With <c>--pull-secrets</c>: per pod, a registry client over its pull secrets first and the webhook's own Docker
    /// config then; all of them share one connection pool (their bearer tokens stay apart) and log through
    /// <paramref name="loggers"/>.
    /// </summary>
    public static PodRegistries? CreatePodRegistries(AdmissionServerOptions options, ILoggerFactory loggers)
    {
        if (options.PullSecrets is not { } pullSecrets || options.RegistryClient is not null)
        {
            return null;
        }

#pragma warning disable CA2000 // Live as long as the process: the webhook's registry clients use them until it exits.
        IKubernetesObjects api = options.KubernetesObjects ?? new KubernetesObjects(pullSecrets);
        // One caller-owned transport (the registry clients never dispose it): a pooled SocketsHttpHandler by default.
        HttpMessageHandler shared = options.RegistryTransport ?? BoundedHttpClient.CreateDefaultTransport();
#pragma warning restore CA2000
        IRegistryCredentialSource? own = options.DockerConfigPath is { } config ? new DockerConfigCredentialSource(config) : null;
        OciRegistryClientOptions baseOptions = options.Registry ?? new OciRegistryClientOptions { TimeProvider = options.TimeProvider, InsecureRegistries = options.InsecureRegistries };
        return new PodRegistries(api, pullSecrets with { TimeProvider = options.TimeProvider }, pod => new OciRegistryClient(baseOptions with
        {
            Transport = shared,
            Credentials = new ChainedCredentialSource(pod, own ?? baseOptions.Credentials),
            LoggerFactory = baseOptions.LoggerFactory ?? loggers,
        }));
    }

    public void Dispose() => _owned?.Dispose();
}
