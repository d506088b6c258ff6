namespace SupplyChain.Oci.Registry.Auth;

/// <summary>Finds the credentials for a registry (Docker config.json, flags, environment).</summary>
public interface IRegistryCredentialSource
{
    /// <summary>The credentials for <paramref name="registry"/>, or <c>null</c> for anonymous access.</summary>
    /// <param name="registry">The registry as the reference names it (<c>docker.io</c>, <c>ghcr.io</c>, <c>localhost:5000</c>).</param>
    /// <param name="cancellationToken">Cancels a credential helper.</param>
    /// <returns>The credentials, or <c>null</c>.</returns>
    ValueTask<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken = default);
}
