using System.Text.Json;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Registry.Auth;

/// <summary>
/// The <c>auths</c> of a Docker config held in memory: a Kubernetes pull secret (<c>kubernetes.io/dockerconfigjson</c>,
/// <c>{"auths": {...}}</c>, or the legacy <c>kubernetes.io/dockercfg</c>, the <c>auths</c> map alone). Each entry is bound
/// to its own registry, normalised as references are (<see cref="DockerConfigCredentialSource"/>'s keys), and answers
/// only for that registry: credentials never travel to another host. <c>credHelpers</c> and <c>credsStore</c> are
/// ignored: a secret must not make its reader run a program. Malformed content is <c>SC4011</c>; its message never
/// contains the secret's text.
/// </summary>
public sealed class DockerAuthsCredentialSource : IRegistryCredentialSource
{
    private readonly Dictionary<string, RegistryCredential> _byRegistry;

    private DockerAuthsCredentialSource(Dictionary<string, RegistryCredential> byRegistry)
    {
        _byRegistry = byRegistry;
    }

    /// <summary>The registries this source has credentials for, normalised.</summary>
    public IReadOnlyCollection<string> Registries => _byRegistry.Keys;

    /// <summary>Parses a pull secret's data.</summary>
    /// <param name="json">The <c>.dockerconfigjson</c> (or <c>.dockercfg</c>) bytes.</param>
    /// <param name="dockercfg">Whether it is the legacy <c>.dockercfg</c> form (the <c>auths</c> map at the top level).</param>
    /// <returns>The source.</returns>
    public static DockerAuthsCredentialSource Parse(ReadOnlySpan<byte> json, bool dockercfg = false)
    {
        if (json.Length > Limits.MaxDockerConfigBytes)
        {
            throw OciErrors.DockerConfigMalformed.ToException($"the pull secret is larger than {Limits.MaxDockerConfigBytes} bytes");
        }

        DockerConfigJson? config;
        try
        {
            byte[] document = dockercfg ? [.. "{\"auths\":"u8, .. json, .. "}"u8] : json.ToArray();
            config = JsonSerializer.Deserialize(document, RegistryJsonContext.Default.DockerConfigJson);
        }
        catch (JsonException ex)
        {
            // The exception's own message may quote the secret's text: only its position is kept.
            throw OciErrors.DockerConfigMalformed.ToException($"the pull secret is not a Docker config (JSON error at line {ex.LineNumber})");
        }

        var byRegistry = new Dictionary<string, RegistryCredential>(StringComparer.Ordinal);
        foreach ((string key, DockerAuthJson entry) in config?.Auths ?? [])
        {
            if (DockerConfigCredentialSource.FromAuthEntry(entry, "an entry") is { } credential)
            {
                byRegistry.TryAdd(DockerConfigCredentialSource.NormalizeRegistry(key), credential);
            }
        }

        return new DockerAuthsCredentialSource(byRegistry);
    }

    /// <inheritdoc/>
    public ValueTask<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return ValueTask.FromResult(_byRegistry.TryGetValue(DockerConfigCredentialSource.NormalizeRegistry(registry), out RegistryCredential? credential) ? credential : null);
    }
}
