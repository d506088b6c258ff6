using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Layout;

/// <summary>
/// One <see cref="IOciRegistry"/> over registries and layouts: a layout reference (<c>oci:PATH</c>,
/// <see cref="ImageReference.IsLayout"/>) goes to the <see cref="OciLayoutRegistry"/>, every other to the registry client.
/// Lineage walks, policy evaluation, signature discovery and attachment work unchanged over both, and a base claim
/// decides per level where it is read. Disposes the registry client when it owns it.
/// </summary>
public sealed class OciRegistryRouter : IOciRegistry, IDisposable
{
    private readonly IOciRegistry _registries;
    private readonly IOciRegistry _layouts;

    /// <summary>Routes layout references to <paramref name="layouts"/> and the rest to <paramref name="registries"/>.</summary>
    /// <param name="registries">The registry client (disposed with the router when it is <see cref="IDisposable"/>).</param>
    /// <param name="layouts">The layout registry, or <c>null</c> for one with default options.</param>
    public OciRegistryRouter(IOciRegistry registries, IOciRegistry? layouts = null)
    {
        _registries = registries ?? throw new ArgumentNullException(nameof(registries));
        _layouts = layouts ?? new OciLayoutRegistry();
    }

    /// <summary>The registry client behind the router.</summary>
    public IOciRegistry Registries => _registries;

    /// <summary>The layout registry behind the router.</summary>
    public IOciRegistry Layouts => _layouts;

    /// <inheritdoc/>
    public Task<OciDescriptor> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default) =>
        For(reference).ResolveAsync(reference, cancellationToken);

    /// <inheritdoc/>
    public Task<FetchedManifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default) =>
        For(reference).TryGetManifestAsync(reference, cancellationToken);

    /// <inheritdoc/>
    public Task<ReadOnlyMemory<byte>> GetBlobAsync(ImageReference repository, OciDescriptor blob, CancellationToken cancellationToken = default) =>
        For(repository).GetBlobAsync(repository, blob, cancellationToken);

    /// <inheritdoc/>
    public Task<OciDescriptor> PushBlobAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        For(repository).PushBlobAsync(repository, mediaType, content, cancellationToken);

    /// <inheritdoc/>
    public Task<OciDescriptor> PushManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag = null, CancellationToken cancellationToken = default) =>
        For(repository).PushManifestAsync(repository, mediaType, manifest, tag, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default) =>
        For(subject).ListReferrersAsync(subject, artifactType, cancellationToken);

    /// <inheritdoc/>
    public Task<OciDescriptor> PushReferrerAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default) =>
        For(repository).PushReferrerAsync(repository, mediaType, manifest, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => (_registries as IDisposable)?.Dispose();

    private IOciRegistry For(ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.IsLayout ? _layouts : _registries;
    }
}
