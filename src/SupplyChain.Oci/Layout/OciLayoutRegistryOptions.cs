namespace SupplyChain.Oci.Layout;

/// <summary>Options of <see cref="OciLayoutRegistry"/>. Every property has a safe default.</summary>
public sealed record OciLayoutRegistryOptions
{
    /// <summary>Largest blob read (blobs are returned in memory); 64 MiB by default, at most 1 GiB.</summary>
    public long MaxBlobBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How long a writer waits for another writer's lock on one layout before <c>SC4063</c>; 30 seconds by default.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock of the lock waits.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The directories layouts may be in, or <c>null</c> for anywhere. A layout whose real path (every symbolic link
    /// resolved) is not one of them or below one is refused with <c>SC4065</c> before anything in it is read: the
    /// admission webhook names its roots, so no pod spec or base claim can make it read another path.
    /// </summary>
    public IReadOnlyList<string>? AllowedRoots { get; init; }
}
