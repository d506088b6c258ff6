using System.Collections.Concurrent;
using System.Text.Json;
using SupplyChain.Core.Errors;
using SupplyChain.Oci;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Admission.Tests.Evaluation;

/// <summary>
/// An <see cref="IOciRegistry"/> over an <see cref="InMemoryRegistry"/> that records every call by name (so a test can
/// assert the evaluator only reads), resolves tags through the inner registry's failure hook like a real client
/// (404 is SC4013), and can hang forever on chosen repositories (a registry that never answers, ignoring cancellation).
/// </summary>
public sealed class RecordingRegistry(InMemoryRegistry inner) : IOciRegistry
{
    private static readonly string[] Writes = [nameof(PushBlobAsync), nameof(PushManifestAsync), nameof(PushReferrerAsync)];

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Repositories (<c>registry/repository</c> prefixes) whose reads never complete.</summary>
    public ConcurrentBag<string> Hanging { get; } = [];

    public bool Recording { get; set; } = true;

    public IEnumerable<string> WriteCalls => Calls.Where(c => Writes.Contains(c));

    public async Task<OciDescriptor> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        Record(nameof(ResolveAsync));
        await HangIfAsked(reference).ConfigureAwait(false);
        FetchedManifest manifest = await inner.TryGetManifestAsync(reference, cancellationToken).ConfigureAwait(false)
            ?? throw OciErrors.ManifestNotFound.ToException(reference.ToString());
        return manifest.Descriptor;
    }

    public async Task<FetchedManifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        Record(nameof(TryGetManifestAsync));
        await HangIfAsked(reference).ConfigureAwait(false);
        return await inner.TryGetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ReadOnlyMemory<byte>> GetBlobAsync(ImageReference repository, OciDescriptor blob, CancellationToken cancellationToken = default)
    {
        Record(nameof(GetBlobAsync));
        await HangIfAsked(repository).ConfigureAwait(false);
        return await inner.GetBlobAsync(repository, blob, cancellationToken).ConfigureAwait(false);
    }

    public Task<OciDescriptor> PushBlobAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        Record(nameof(PushBlobAsync));
        return inner.PushBlobAsync(repository, mediaType, content, cancellationToken);
    }

    public Task<OciDescriptor> PushManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag = null, CancellationToken cancellationToken = default)
    {
        Record(nameof(PushManifestAsync));
        return inner.PushManifestAsync(repository, mediaType, manifest, tag, cancellationToken);
    }

    public async Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        Record(nameof(ListReferrersAsync));
        await HangIfAsked(subject).ConfigureAwait(false);
        return await inner.ListReferrersAsync(subject, artifactType, cancellationToken).ConfigureAwait(false);
    }

    public Task<OciDescriptor> PushReferrerAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default)
    {
        Record(nameof(PushReferrerAsync));
        return inner.PushReferrerAsync(repository, mediaType, manifest, cancellationToken);
    }

    private void Record(string call)
    {
        if (Recording)
        {
            Calls.Enqueue(call);
        }
    }

    /// <summary>Never completes for a hanging repository, whatever the token says (a stuck connection).</summary>
    private Task HangIfAsked(ImageReference reference) =>
        Hanging.Any(h => InMemoryRegistry.RepositoryKey(reference).StartsWith(h, StringComparison.Ordinal))
            ? new TaskCompletionSource().Task
            : Task.CompletedTask;
}
