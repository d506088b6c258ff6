namespace SupplyChain.Oci.Registry.Auth;

/// <summary>Fixed credentials (from flags or environment variables), for one registry or for all.</summary>
public sealed class StaticCredentialSource : IRegistryCredentialSource
{
    /// <summary>The environment variable holding the username (<c>REGISTRY_USERNAME</c>).</summary>
    public const string UsernameVariable = "REGISTRY_USERNAME";

    /// <summary>The environment variable holding the password or token (<c>REGISTRY_PASSWORD</c>).</summary>
    public const string PasswordVariable = "REGISTRY_PASSWORD";

    private readonly RegistryCredential _credential;
    private readonly string? _registry;

    /// <summary>Credentials for <paramref name="registry"/> only, or for every registry when it is <c>null</c>.</summary>
    /// <param name="credential">The credentials.</param>
    /// <param name="registry">The registry (as references name it), or <c>null</c>.</param>
    public StaticCredentialSource(RegistryCredential credential, string? registry = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _credential = credential;
        _registry = registry is null ? null : DockerConfigCredentialSource.NormalizeRegistry(registry);
    }

    /// <summary>
    /// The credentials in <c>REGISTRY_USERNAME</c> / <c>REGISTRY_PASSWORD</c>, read through <paramref name="getVariable"/>
    /// (for every registry, or only <paramref name="registry"/>); <c>null</c> when either is unset or empty.
    /// </summary>
    /// <param name="getVariable">Reads an environment variable (such as <see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    /// <param name="registry">The registry the credentials are for, or <c>null</c> for all.</param>
    /// <returns>The source, or <c>null</c>.</returns>
    public static StaticCredentialSource? FromEnvironment(Func<string, string?> getVariable, string? registry = null)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string? user = getVariable(UsernameVariable);
        string? password = getVariable(PasswordVariable);
        return string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password) ? null : new StaticCredentialSource(RegistryCredential.FromPassword(user, password), registry);
    }

    /// <inheritdoc/>
    public ValueTask<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_registry is null || _registry == DockerConfigCredentialSource.NormalizeRegistry(registry) ? _credential : null);
}
