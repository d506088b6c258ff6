using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Model;

namespace SupplyChain.Admission.Evaluation;

/// <summary>The decision on one image: parse, tag policy, tag resolution, evaluation through the cache, mode and registry-error behaviour.</summary>
public sealed partial class AdmissionEvaluator
{
    private async Task<ImageResult> EvaluateImageAsync(ImageJob job, AdmissionSnapshot snapshot, CancellationToken deadline)
    {
        string reference = job.Reference;
        string? namespaceName = job.Namespace;
        if (ImageReference.IsLayoutSyntax(reference))
        {
            // docs/admission.md: the kubelet pulls from registries, never from a path, and the webhook reads no local path
            // a pod names; oci:x (which Docker would read as docker.io/library/oci:x) is refused too, fail closed.
            return ImageResult.DeniedOutright(reference, AdmissionErrors.LayoutReferenceRefused, snapshot.Policy.Mode);
        }

        if (!ImageReference.TryParse(reference, out ImageReference? image))
        {
            // Not a reference at all: no rule can apply, so no mode softens it.
            return ImageResult.DeniedOutright(reference, AdmissionErrors.ImageReferenceMalformed, snapshot.Policy.Mode);
        }

        string name = image.Registry + "/" + image.Repository;
        ImageContext context = ImageContext.For(reference, image, snapshot, namespaceName);
        string? digest = image.Digest;
        if (context.Rule is null)
        {
            // docs/policy.md: what no rule covers gets the default action, and nothing is requested for it (not even
            // its tag): a pod must not make the webhook probe a host it names.
            return snapshot.Policy.DefaultAction == PolicyAction.Allow
                ? new ImageResult(reference, digest, ImageDecision.Allowed, context.Mode, null, null, null, false, null)
                : context.Failed(digest, PolicyErrors.NoRuleMatched, $"{ImageMessages.Prefix(PolicyErrors.NoRuleMatched, reference)}: {PolicyErrors.NoRuleMatched.Summary} (defaultAction: deny)", registryError: false, null);
        }

        try
        {
            if (digest is null)
            {
                // docs/policy.md, denyTags: a tag is denied outright, or resolved now and the digest evaluated.
                if (snapshot.Policy.DenyTags)
                {
                    return context.Failed(null, AdmissionErrors.TagDenied, $"{ImageMessages.Prefix(AdmissionErrors.TagDenied, reference)} is referenced by tag ({image.Tag}); the policy denies tags, use a digest", registryError: false, null);
                }

                (digest, ImageResult? failed) = await ResolveTagAsync(image, context, job.Reads.Registry, deadline).ConfigureAwait(false);
                if (failed is not null)
                {
                    return failed;
                }
            }

            string target = name + "@" + digest;
            job.Progress.StartEvaluating();
            CachedVerdict verdict = await GetVerdictAsync(ImageReference.Parse(target), job, snapshot, deadline).ConfigureAwait(false);
            return context.FromVerdict(digest!, verdict);
        }
#pragma warning disable CA1031 // Fail closed: any failure denies this image with a code instead of failing the request.
        catch (Exception) when (deadline.IsCancellationRequested)
        {
            // Whatever the deadline interrupted (a cancelled read, or a client error caused by the cancellation).
            return DeadlineResult(reference, snapshot, namespaceName, job.Progress);
        }
        catch (Exception ex)
        {
            // A cancellation that is not the deadline's is an inner timeout (a registry that did not answer in time).
            // Only SupplyChain messages reach the status; anything else is a bug, described by its code alone.
            ErrorCode code = ex is SupplyChainException sc ? sc.Error : AdmissionErrors.EvaluationFailed;
            bool registryError = ex is OperationCanceledException || (code.Category == ErrorCategory.ServiceFailure && code != AdmissionErrors.EvaluationFailed);
            string detail = ex is SupplyChainException ? ImageMessages.Detail(code, ex.Message) : code.Summary;
            return context.Failed(digest, code, $"{ImageMessages.Prefix(code, reference)}: {detail}", registryError, null);
        }
#pragma warning restore CA1031
    }

    private static async Task<(string? Digest, ImageResult? Failed)> ResolveTagAsync(ImageReference image, ImageContext context, IOciRegistry registry, CancellationToken deadline)
    {
        try
        {
            OciDescriptor resolved = await registry.ResolveAsync(image, deadline).ConfigureAwait(false);
            return (resolved.Digest, null);
        }
        catch (SupplyChainException ex) when (ex.Error.Category == ErrorCategory.ServiceFailure)
        {
            // The registry failed (unreachable, throttled, 5xx): a registry error, onRegistryError applies.
            ErrorCode code = AdmissionErrors.TagResolutionFailed;
            return (null, context.Failed(null, code, $"{ImageMessages.Prefix(code, context.Reference)}: {code.Summary}: {RegistryFailures.Describe(ex.Error, ex.Message)}", registryError: true, null));
        }
        catch (SupplyChainException ex)
        {
            // The registry answered: the tag does not exist, or its content does not match its digest. Deny.
            return (null, context.Failed(null, ex.Error, $"{ImageMessages.Prefix(ex.Error, context.Reference)}: the tag could not be resolved: {ImageMessages.Detail(ex.Error, ex.Message)}", registryError: false, null));
        }
    }

    private async Task<CachedVerdict> GetVerdictAsync(ImageReference target, ImageJob job, AdmissionSnapshot snapshot, CancellationToken deadline)
    {
        if (_options.Cache is not { } cache)
        {
            PolicyVerdict direct = await job.Reads.Evaluator.EvaluateAsync(target, job.Platforms, job.Namespace, job.Progress.Evaluation, deadline).ConfigureAwait(false);
            return new CachedVerdict(direct, VerdictSource.Evaluated);
        }

        // The namespace is part of the key only when a rule is namespace-scoped (else the verdict cannot depend on it);
        // the platforms always are (an index's verdict depends on which of its platforms the workload can run).
        var key = new VerdictKey(
            target.ToString(),
            job.Platforms?.Key ?? "*",
            snapshot.Policy.HasNamespaceScopedRules ? job.Namespace : null,
            snapshot.PolicyVersion,
            snapshot.TrustRootVersion,
            snapshot.CredentialScope);
        return await cache.GetOrEvaluateAsync(key, ct => job.Reads.Evaluator.EvaluateAsync(target, job.Platforms, job.Namespace, job.Progress.Evaluation, ct), deadline).ConfigureAwait(false);
    }

    /// <summary>
    /// The deadline's result: a registry error (SC7103, which <c>onRegistryError: allow</c> may admit) only while the
    /// workload's own image was being read; below it, or in an evaluation whose progress is unknown, a denial (SC7110).
    /// </summary>
    private static ImageResult DeadlineResult(string reference, AdmissionSnapshot snapshot, string? namespaceName, ImageProgress progress)
    {
        ImageReference? image = ImageReference.TryParse(reference, out ImageReference? parsed) ? parsed : null;
        ImageContext context = ImageContext.For(reference, image, snapshot, namespaceName);
        return progress.DeadlineIsRegistryError
            ? context.Failed(image?.Digest, AdmissionErrors.DeadlineExceeded, ImageMessages.Deadline(reference, AdmissionErrors.DeadlineExceeded), registryError: true, null)
            : context.Failed(image?.Digest, AdmissionErrors.LineageDeadlineExceeded, ImageMessages.Deadline(reference, AdmissionErrors.LineageDeadlineExceeded), registryError: false, null);
    }
}
