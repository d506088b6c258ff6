using SupplyChain.Admission.Review;
using SupplyChain.Admission.Workloads;
using SupplyChain.Core.Errors;
using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Admission.Evaluation;

/// <summary>
/// Reviews one AdmissionRequest against a snapshot (docs/admission.md): extracts every image of the object,
/// resolves tags to digests (or denies them), evaluates each image through the cache, applies the rule's mode and
/// registry-error behaviour, and builds the response. Shared by the webhook and <c>signcli admission review</c>.
/// Thread-safe.
/// </summary>
public sealed partial class AdmissionEvaluator
{
    /// <summary>Most images of one request evaluated at the same time.</summary>
    private const int MaxParallelImages = 16;

    private readonly AdmissionEvaluatorOptions _options;

    /// <summary>Creates an evaluator.</summary>
    /// <param name="options">The options.</param>
    public AdmissionEvaluator(AdmissionEvaluatorOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.ReadBudgetBytes <= 0 || options.MaxConcurrentDownloads <= 0)
        {
            throw AdmissionErrors.InvalidOption.ToException("the read budget and the concurrent downloads must be positive");
        }
    }

    /// <summary>Reviews <paramref name="request"/>; always returns an outcome before <paramref name="deadline"/> fires (a deadline denial is an outcome, not an exception).</summary>
    /// <param name="request">The request.</param>
    /// <param name="snapshot">The policy, trust material and registry to decide with.</param>
    /// <param name="deadline">Fires when the answer must leave (the API server's <c>?timeout=</c> minus a margin).</param>
    /// <returns>The outcome.</returns>
    public async Task<AdmissionOutcome> ReviewAsync(AdmissionRequest request, AdmissionSnapshot snapshot, CancellationToken deadline)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(snapshot);

        // DELETE removes a workload and CONNECT (exec, attach, port-forward) starts none: nothing to admit.
        if (request.Operation is "DELETE" or "CONNECT")
        {
            return new AdmissionOutcome(new AdmissionResponse { Uid = request.Uid, Allowed = true }, []);
        }

        IReadOnlyList<WorkloadImage> images;
        PlatformSet? platforms;
        try
        {
            images = WorkloadImages.Extract(request);

            // The platforms the pods can run (their node selection), within the cluster's: of an index, each must pass.
            platforms = PlatformSet.Intersect(WorkloadPlatforms.Read(request), _options.NodePlatforms);

            // The credentials Kubernetes would pull with for this pod (its pull secrets, its service account's).
            if (_options.PullSecrets is { } pullSecrets && images.Count > 0)
            {
                snapshot = await pullSecrets.ScopeAsync(snapshot, request, deadline).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return new AdmissionOutcome(ResponseBuilder.Refused(request.Uid, AdmissionErrors.PullSecretsUnavailable.ToException("the deadline passed while reading the pod's pull secrets").Message), []);
        }
        catch (SupplyChainException ex)
        {
            // The object cannot be read (unknown kind, misshapen, container without image, too many images): deny.
            return new AdmissionOutcome(ResponseBuilder.Refused(request.Uid, ex.Message), []);
        }

        // Each distinct reference is evaluated once; every location naming it gets its outcome. On UPDATE, references
        // the old object already had are not re-evaluated: only what the update brings in is (the pods a workload
        // creates are reviewed on their own CREATE).
        List<string> distinct = images.Select(i => i.Reference).Distinct(StringComparer.Ordinal).ToList();
        HashSet<string> existing = WorkloadImages.ExistingReferences(request) ?? [];
        Dictionary<string, ImageResult> results = await EvaluateAllAsync(distinct.Where(r => !existing.Contains(r)).ToList(), request.Namespace, platforms, snapshot, deadline).ConfigureAwait(false);
        foreach (string reference in distinct.Where(existing.Contains))
        {
            results[reference] = new ImageResult(reference, null, ImageDecision.Unchanged, snapshot.Policy.Mode, null, null, null, false, null);
        }

        var outcomes = images.Select(i =>
        {
            ImageResult r = results[i.Reference];
            return new ImageOutcome(i.Reference, i.Location, r.Digest, r.Decision, r.Mode, r.Rule, r.Error?.Code, r.RegistryError, r.Source);
        }).ToList();
        var locations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (WorkloadImage image in images)
        {
            locations.TryAdd(image.Reference, image.Location);
        }

        return new AdmissionOutcome(ResponseBuilder.Build(request.Uid, distinct.Select(d => results[d]).ToList(), locations), outcomes);
    }

    private async Task<Dictionary<string, ImageResult>> EvaluateAllAsync(List<string> references, string? namespaceName, PlatformSet? platforms, AdmissionSnapshot snapshot, CancellationToken deadline)
    {
        var progress = references.ToDictionary(r => r, _ => new ImageProgress(), StringComparer.Ordinal);
        // Not disposed: an image abandoned at the deadline may still release it later (SemaphoreSlim holds no
        // unmanaged resource unless AvailableWaitHandle is used).
#pragma warning disable CA2000
        var gate = new SemaphoreSlim(MaxParallelImages);
#pragma warning restore CA2000
        var reads = new ReviewReads(snapshot, _options);
        var tasks = references.ToDictionary(r => r, r => EvaluateGatedAsync(new ImageJob(r, namespaceName, platforms, progress[r], reads), snapshot, gate, deadline), StringComparer.Ordinal);
        try
        {
            // Stop waiting when the deadline fires, even for a registry call that ignores cancellation.
            await Task.WhenAll(tasks.Values).WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // The unfinished images are denied below with SC7103.
        }
#pragma warning disable CA1031 // EvaluateImageAsync catches everything; should one fault anyway, it is denied below, never thrown.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return tasks.ToDictionary(
            t => t.Key,
            t => t.Value.IsCompletedSuccessfully ? t.Value.Result
                : t.Value.IsCompleted ? ImageResult.DeniedOutright(t.Key, AdmissionErrors.EvaluationFailed, snapshot.Policy.Mode)
                : DeadlineResult(t.Key, snapshot, namespaceName, progress[t.Key]),
            StringComparer.Ordinal);
    }

    private async Task<ImageResult> EvaluateGatedAsync(ImageJob job, AdmissionSnapshot snapshot, SemaphoreSlim gate, CancellationToken deadline)
    {
        try
        {
            await gate.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return DeadlineResult(job.Reference, snapshot, job.Namespace, job.Progress);
        }

        try
        {
            return await EvaluateImageAsync(job, snapshot, deadline).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }
}
