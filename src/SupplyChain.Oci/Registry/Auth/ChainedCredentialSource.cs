namespace SupplyChain.Oci.Registry.Auth;

/// <summary>Asks several sources in order (say flags, then environment, then Docker config.json); the first answer wins.</summary>
public sealed class ChainedCredentialSource : IRegistryCredentialSource
{
    private readonly IRegistryCredentialSource[] _sources;

    /// <summary>Chains <paramref name="sources"/>; <c>null</c> entries are skipped.</summary>
    /// <param name="sources">The sources, first asked first.</param>
    public ChainedCredentialSource(params IRegistryCredentialSource?[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _sources = sources.OfType<IRegistryCredentialSource>().ToArray();
    }

    /// <inheritdoc/>
    public async ValueTask<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken = default)
    {
        foreach (IRegistryCredentialSource source in _sources)
        {
            if (await source.GetCredentialAsync(registry, cancellationToken).ConfigureAwait(false) is { } credential)
            {
                return credential;
            }
        }

        return null;
    }
}
