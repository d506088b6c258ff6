namespace SupplyChain.Oci.Registry.Auth;

/// <summary>
/// Fixed credentials (from flags or environment variables) for the registries named when it is built, and no other:
/// a base-image claim, a referrer or a redirect that leads to another host never receives them. Registries are
/// compared in their normalised spelling (<see cref="ImageReference.NormalizeRegistry"/>), so <c>Registry.Example:443</c>
/// names <c>registry.example</c>.
/// </summary>
public sealed class StaticCredentialSource : IRegistryCredentialSource
{
    /// <summary>The environment variable holding the username (<c>REGISTRY_USERNAME</c>).</summary>
    public const string UsernameVariable = "REGISTRY_USERNAME";

    /// <summary>The environment variable holding the password or token (<c>REGISTRY_PASSWORD</c>).</summary>
    public const string PasswordVariable = "REGISTRY_PASSWORD";

    private readonly RegistryCredential _credential;
    private readonly HashSet<string> _registries;

    /// <summary>Credentials for <paramref name="registry"/> only.</summary>
    /// <param name="credential">The credentials.</param>
    /// <param name="registry">The registry (<c>host[:port]</c>, as references name it); <c>SC4001</c> when it is no registry.</param>
    public StaticCredentialSource(RegistryCredential credential, string registry)
        : this(credential, [registry ?? throw new ArgumentNullException(nameof(registry))])
    {
    }

    /// <summary>Credentials for each of <paramref name="registries"/> only.</summary>
    /// <param name="credential">The credentials.</param>
    /// <param name="registries">The registries (<c>host[:port]</c>); at least one; <c>SC4001</c> for one that is no registry.</param>
    public StaticCredentialSource(RegistryCredential credential, IEnumerable<string> registries)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(registries);
        _credential = credential;
        _registries = new HashSet<string>(registries.Select(ImageReference.NormalizeRegistry), StringComparer.Ordinal);
        if (_registries.Count == 0)
        {
            throw new ArgumentException("Static credentials must name at least one registry.", nameof(registries));
        }
    }

    /// <summary>The registries the credentials are for, normalised.</summary>
    public IReadOnlyCollection<string> Registries => _registries;

    /// <summary>
    /// The credentials in <c>REGISTRY_USERNAME</c> / <c>REGISTRY_PASSWORD</c>, read through <paramref name="getVariable"/>,
    /// for <paramref name="registries"/> only; <c>null</c> when either variable is unset or empty.
    /// </summary>
    /// <param name="getVariable">Reads an environment variable (such as <see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    /// <param name="registries">The registries the credentials are for (such as the registry of the reference the user named).</param>
    /// <returns>The source, or <c>null</c>.</returns>
    public static StaticCredentialSource? FromEnvironment(Func<string, string?> getVariable, params IEnumerable<string> registries)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        ArgumentNullException.ThrowIfNull(registries);
        string? user = getVariable(UsernameVariable);
        string? password = getVariable(PasswordVariable);
        return string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password) ? null : new StaticCredentialSource(RegistryCredential.FromPassword(user, password), registries);
    }

    /// <inheritdoc/>
    public ValueTask<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        bool named = ImageReference.TryNormalizeRegistry(registry, out string? normalized) && _registries.Contains(normalized);
        return ValueTask.FromResult(named ? _credential : null);
    }
}
