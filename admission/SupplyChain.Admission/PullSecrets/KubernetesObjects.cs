using System.Net;
using k8s;
using k8s.Authentication;
using k8s.Autorest;
using k8s.Models;

namespace SupplyChain.Admission.PullSecrets;

/// <summary>
/// <see cref="IKubernetesObjects"/> over the Kubernetes API with KubernetesClient: in-cluster configuration (the
/// webhook's service account token and CA), or an API URL and token file (tests, out-of-cluster runs). A 404 is "does
/// not exist"; every other failure is <c>SC7031</c> with the HTTP status only (never the API's answer, which could echo
/// a secret).
/// </summary>
public sealed class KubernetesObjects : IKubernetesObjects, IDisposable
{
    private readonly Kubernetes _client;

    /// <summary>Connects as <paramref name="options"/> say; <c>SC7032</c> when the configuration cannot be loaded.</summary>
    /// <param name="options">The options.</param>
    public KubernetesObjects(PullSecretOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = options.ApiServer is { } api
                ? new KubernetesClientConfiguration { Host = api.ToString(), TokenProvider = options.TokenFile is { } file ? new TokenFileAuth(file) : null }
                : KubernetesClientConfiguration.InClusterConfig();
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw AdmissionErrors.PullSecretsMisconfigured.ToException($"the Kubernetes API configuration cannot be loaded ({ex.GetType().Name})", ex);
        }

        _client = new Kubernetes(configuration);
    }

    /// <inheritdoc/>
    public async Task<KubernetesSecret?> GetSecretAsync(string namespaceName, string name, CancellationToken cancellationToken)
    {
        V1Secret? secret = await ReadAsync(() => _client.CoreV1.ReadNamespacedSecretAsync(name, namespaceName, cancellationToken: cancellationToken), "secret", namespaceName, name).ConfigureAwait(false);
        return secret is null ? null : new KubernetesSecret(secret.Type, secret.Data is null ? new Dictionary<string, byte[]>() : new Dictionary<string, byte[]>(secret.Data, StringComparer.Ordinal));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>?> GetServiceAccountPullSecretsAsync(string namespaceName, string name, CancellationToken cancellationToken)
    {
        V1ServiceAccount? account = await ReadAsync(() => _client.CoreV1.ReadNamespacedServiceAccountAsync(name, namespaceName, cancellationToken: cancellationToken), "service account", namespaceName, name).ConfigureAwait(false);
        return account is null ? null : (account.ImagePullSecrets ?? []).Select(s => s.Name).Where(n => !string.IsNullOrEmpty(n)).ToList();
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private static async Task<T?> ReadAsync<T>(Func<Task<T>> read, string what, string namespaceName, string name)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException ex)
        {
            throw AdmissionErrors.PullSecretsUnavailable.ToException($"{what} {namespaceName}/{name}: HTTP {(int?)ex.Response?.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or System.Text.Json.JsonException)
        {
            throw AdmissionErrors.PullSecretsUnavailable.ToException($"{what} {namespaceName}/{name}: {ex.GetType().Name}");
        }
    }
}
