using System.Text;
using System.Text.Json;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Registry.Auth;

/// <summary>
/// Credentials from a Docker <c>config.json</c>, as the Docker CLI finds them: <c>credHelpers[registry]</c>
/// (a <c>docker-credential-NAME get</c> helper), else an <c>auths</c> entry (<c>auth</c> = base64 "user:password", or
/// <c>username</c>/<c>password</c>, or <c>identitytoken</c>), else the <c>credsStore</c> helper. Keys are normalised as
/// Docker does (scheme and path dropped, so <c>https://index.docker.io/v1/</c> is Docker Hub). A missing file means
/// anonymous access; a malformed one is <c>SC4011</c>; a failing helper is <c>SC4010</c>.
/// </summary>
public sealed class DockerConfigCredentialSource : IRegistryCredentialSource
{
    /// <summary>The server URL Docker Hub credentials are stored under.</summary>
    internal const string DockerHubServerUrl = "https://index.docker.io/v1/";

    private readonly string _configPath;
    private readonly CredentialHelperRunner _helpers;
    private readonly Lazy<DockerConfigJson?> _config;

    /// <summary>Reads <paramref name="configPath"/> (once, on first use).</summary>
    /// <param name="configPath">The config.json path; a missing file gives no credentials.</param>
    /// <param name="helperSearchPath">Directories searched for <c>docker-credential-NAME</c> (a PATH-style list), or <c>null</c> for <c>PATH</c>.</param>
    /// <param name="helperTimeout">How long a helper may run (default 10 s).</param>
    public DockerConfigCredentialSource(string configPath, string? helperSearchPath = null, TimeSpan? helperTimeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        _configPath = configPath;
        _helpers = new CredentialHelperRunner(helperSearchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty, helperTimeout ?? TimeSpan.FromSeconds(10));
        _config = new Lazy<DockerConfigJson?>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The config.json Docker uses: <c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>.</summary>
    /// <param name="getVariable">Reads an environment variable (such as <see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    /// <returns>The source.</returns>
    public static DockerConfigCredentialSource FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string? dir = getVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(dir))
        {
            string home = getVariable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            dir = Path.Combine(home, ".docker");
        }

        return new DockerConfigCredentialSource(Path.Combine(dir, "config.json"), getVariable("PATH"));
    }

    /// <inheritdoc/>
    public async ValueTask<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (_config.Value is not { } config)
        {
            return null;
        }

        string key = NormalizeRegistry(registry);
        string serverUrl = key == ImageReference.DockerHub ? DockerHubServerUrl : key;
        if (config.CredHelpers is { } helpers)
        {
            foreach ((string helperKey, string helper) in helpers)
            {
                if (NormalizeRegistry(helperKey) == key)
                {
                    return await _helpers.GetAsync(helper, serverUrl, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (config.Auths is { } auths)
        {
            foreach ((string authKey, DockerAuthJson entry) in auths)
            {
                if (NormalizeRegistry(authKey) == key && FromAuthEntry(entry, authKey) is { } credential)
                {
                    return credential;
                }
            }
        }

        return string.IsNullOrEmpty(config.CredsStore) ? null : await _helpers.GetAsync(config.CredsStore, serverUrl, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Docker's <c>ConvertToHostname</c>: drops <c>http://</c> / <c>https://</c> and everything from the first '/'; then
    /// the host is normalised as references are (<see cref="ImageReference.NormalizeRegistry"/>: lower case, no default
    /// port, canonical IP literals, <c>index.docker.io</c> and <c>registry-1.docker.io</c> as <c>docker.io</c>), so an
    /// entry matches every spelling of its registry and no other. A key that is no registry is kept lower-cased (it
    /// matches nothing a reference names).
    /// </summary>
    internal static string NormalizeRegistry(string key)
    {
        string host = key;
        foreach (string scheme in (string[])["https://", "http://"])
        {
            if (host.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                host = host[scheme.Length..];
            }
        }

        int slash = host.IndexOf('/', StringComparison.Ordinal);
        host = slash >= 0 ? host[..slash] : host;
        return ImageReference.TryNormalizeRegistry(host, out string? normalized) ? normalized : host.ToLowerInvariant();
    }

    internal static RegistryCredential? FromAuthEntry(DockerAuthJson entry, string key)
    {
        if (!string.IsNullOrEmpty(entry.IdentityToken))
        {
            return RegistryCredential.FromIdentityToken(entry.IdentityToken);
        }

        if (!string.IsNullOrEmpty(entry.Auth))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(entry.Auth));
            }
            catch (FormatException ex)
            {
                throw OciErrors.DockerConfigMalformed.ToException($"the auth of {ManifestReader.Quote(key)} is not base64", ex);
            }

            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw OciErrors.DockerConfigMalformed.ToException($"the auth of {ManifestReader.Quote(key)} is not base64 of user:password");
            }

            return RegistryCredential.FromPassword(decoded[..colon], decoded[(colon + 1)..]);
        }

        return !string.IsNullOrEmpty(entry.Username) && entry.Password is not null ? RegistryCredential.FromPassword(entry.Username, entry.Password) : null;
    }

    private DockerConfigJson? Load()
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(_configPath);
            if (!info.Exists)
            {
                return null;
            }

            if (info.Length > Limits.MaxDockerConfigBytes)
            {
                throw OciErrors.DockerConfigMalformed.ToException($"{_configPath} is larger than {Limits.MaxDockerConfigBytes} bytes");
            }

            bytes = File.ReadAllBytes(_configPath);
        }
        catch (IOException ex)
        {
            throw OciErrors.DockerConfigMalformed.ToException($"{_configPath} cannot be read", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw OciErrors.DockerConfigMalformed.ToException($"{_configPath} cannot be read", ex);
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, RegistryJsonContext.Default.DockerConfigJson)
                ?? throw OciErrors.DockerConfigMalformed.ToException($"{_configPath} is JSON null");
        }
        catch (JsonException ex)
        {
            throw OciErrors.DockerConfigMalformed.ToException($"{_configPath} is not a Docker config (JSON error at line {ex.LineNumber})", ex);
        }
    }
}
