namespace SupplyChain.Oci.Registry.Transport;

/// <summary>
/// What a request needs access to: the registry (its name for credentials, its API host) and the token scopes
/// (distribution token scope grammar: <c>repository:NAME:pull</c> or <c>repository:NAME:pull,push</c>).
/// </summary>
internal sealed record RegistryScope(string Registry, string ApiHost, string Scopes)
{
    public static RegistryScope Pull(ImageReference repository) =>
        new(repository.Registry, repository.ApiHost, $"repository:{repository.Repository}:pull");

    public static RegistryScope Push(ImageReference repository) =>
        new(repository.Registry, repository.ApiHost, $"repository:{repository.Repository}:pull,push");

    /// <summary>Push to <paramref name="repository"/> and pull from <paramref name="from"/> (a cross-repository mount).</summary>
    public static RegistryScope Mount(ImageReference repository, string from) =>
        new(repository.Registry, repository.ApiHost, $"repository:{repository.Repository}:pull,push repository:{from}:pull");
}
