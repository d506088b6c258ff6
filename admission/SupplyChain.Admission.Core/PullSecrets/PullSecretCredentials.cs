using System.Collections.Concurrent;
using System.Security.Cryptography;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry.Auth;

namespace SupplyChain.Admission.PullSecrets;

/// <summary>
/// The registry credentials of one pod, from its pull secrets and its service account's, as the kubelet uses them:
/// <c>kubernetes.io/dockerconfigjson</c> and <c>kubernetes.io/dockercfg</c> secrets, each entry bound to its own registry
/// (<see cref="DockerAuthsCredentialSource"/>), the pod's secrets first. A secret that does not exist or is of another
/// type or malformed is skipped, as the kubelet skips it (the registry then refuses, <c>SC4004</c>); a Kubernetes API
/// that cannot be read is <c>SC7031</c>. Reads are cached for <see cref="PullSecretOptions.CacheTtl"/>. The scope key
/// names the set of credentials by a keyed hash (a per-process random key), so nothing outside the process can test a
/// guess against it; no secret content is ever in a message.
/// </summary>
internal sealed class PullSecretCredentials
{
    private const string DockerConfigJsonType = "kubernetes.io/dockerconfigjson";
    private const string DockerCfgType = "kubernetes.io/dockercfg";

    private readonly IKubernetesObjects _api;
    private readonly PullSecretOptions _options;
    private readonly byte[] _scopeKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, Task<Parsed?> Value)> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, Task<IReadOnlyList<string>?> Value)> _accounts = new(StringComparer.Ordinal);

    public PullSecretCredentials(IKubernetesObjects api, PullSecretOptions options)
    {
        _api = api;
        _options = options;
    }

    /// <summary>A parsed secret: its credentials and a digest of its data (for the scope key).</summary>
    private sealed record Parsed(DockerAuthsCredentialSource Source, byte[] Digest);

    /// <summary>The pod's credentials and their scope key, or <c>null</c> when it has none.</summary>
    public async Task<(string Scope, IRegistryCredentialSource Source)?> ResolveAsync(string namespaceName, PodPullSecretNames names, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> fromAccount = await CachedAsync(_accounts, namespaceName + "/" + names.ServiceAccount, () => _api.GetServiceAccountPullSecretsAsync(namespaceName, names.ServiceAccount, cancellationToken)).ConfigureAwait(false) ?? [];
        List<string> all = names.Secrets.Concat(fromAccount).Distinct(StringComparer.Ordinal).ToList();
        if (all.Count > _options.MaxSecretsPerPod)
        {
            throw AdmissionErrors.PullSecretsUnavailable.ToException($"the pod and its service account name {all.Count} pull secrets, more than {_options.MaxSecretsPerPod}");
        }

        var sources = new List<IRegistryCredentialSource>();
        using var scope = new HMACSHA256(_scopeKey);
        foreach (string name in all)
        {
            Parsed? parsed = await CachedAsync(_secrets, namespaceName + "/" + name, () => ReadSecretAsync(namespaceName, name, cancellationToken)).ConfigureAwait(false);
            if (parsed is null)
            {
                continue;
            }

            sources.Add(parsed.Source);
            scope.TransformBlock(parsed.Digest, 0, parsed.Digest.Length, null, 0);
        }

        if (sources.Count == 0)
        {
            return null;
        }

        scope.TransformFinalBlock([], 0, 0);
        return ("pull-secrets:" + Convert.ToHexStringLower(scope.Hash!)[..32], new ChainedCredentialSource([.. sources]));
    }

    private async Task<Parsed?> ReadSecretAsync(string namespaceName, string name, CancellationToken cancellationToken)
    {
        KubernetesSecret? secret = await _api.GetSecretAsync(namespaceName, name, cancellationToken).ConfigureAwait(false);
        (string key, bool dockercfg)? kind = secret?.Type switch
        {
            DockerConfigJsonType => (".dockerconfigjson", false),
            DockerCfgType => (".dockercfg", true),
            _ => null,
        };
        if (secret is null || kind is not { } k || !secret.Data.TryGetValue(k.key, out byte[]? data))
        {
            return null;
        }

        try
        {
            return new Parsed(DockerAuthsCredentialSource.Parse(data, k.dockercfg), SHA256.HashData(data));
        }
        catch (SupplyChainException)
        {
            // Malformed: skipped, as the kubelet skips a pull secret it cannot read.
            return null;
        }
    }

    private async Task<T?> CachedAsync<T>(ConcurrentDictionary<string, (DateTimeOffset Until, Task<T?> Value)> cache, string key, Func<Task<T?>> read)
        where T : class
    {
        DateTimeOffset now = _options.TimeProvider.GetUtcNow();
        if (cache.TryGetValue(key, out var entry) && entry.Until > now && !entry.Value.IsFaulted && !entry.Value.IsCanceled)
        {
            return await entry.Value.ConfigureAwait(false);
        }

        if (cache.Count > 10_000)
        {
            cache.Clear();
        }

        Task<T?> task = read();
        cache[key] = (now + _options.CacheTtl, task);
        return await task.ConfigureAwait(false);
    }
}
