using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Admission.Evaluation;

/// <summary>The decision on one image: parse, tag policy, tag resolution, evaluation through the cache, mode and registry-error behaviour.</summary>
public sealed partial class AdmissionEvaluator
{
    private async Task<ImageResult> EvaluateImageAsync(string reference, string? namespaceName, AdmissionSnapshot snapshot, CancellationToken deadline)
    {
        if (!ImageReference.TryParse(reference, out ImageReference? image))
        {
            // Not a reference at all: no rule can apply, so no mode softens it.
            return ImageResult.DeniedOutright(reference, AdmissionErrors.ImageReferenceMalformed, snapshot.Policy.Mode);
        }

        string name = image.Registry + "/" + image.Repository;
        ImageContext context = ImageContext.For(reference, image, snapshot, namespaceName);
        string? digest = image.Digest;
        try
        {
            if (digest is null)
            {
                // docs/policy.md, denyTags: a tag is denied outright, or resolved now and the digest evaluated.
                if (snapshot.Policy.DenyTags)
                {
                    return context.Failed(null, AdmissionErrors.TagDenied, $"{ImageMessages.Prefix(AdmissionErrors.TagDenied, reference)} is referenced by tag ({image.Tag}); the policy denies tags, use a digest", registryError: false, null);
                }

                (digest, ImageResult? failed) = await ResolveTagAsync(image, context, snapshot, deadline).ConfigureAwait(false);
                if (failed is not null)
                {
                    return failed;
                }
            }

            string target = name + "@" + digest;
            CachedVerdict verdict = await GetVerdictAsync(ImageReference.Parse(target), namespaceName, snapshot, deadline).ConfigureAwait(false);
            return context.FromVerdict(digest!, verdict);
        }
#pragma warning disable CA1031 // Fail closed: any failure denies this image with a code instead of failing the request.
        catch (Exception) when (deadline.IsCancellationRequested)
        {
            // Whatever the deadline interrupted (a cancelled read, or a client error caused by the cancellation).
            return context.Failed(digest, AdmissionErrors.DeadlineExceeded, ImageMessages.Deadline(reference), registryError: true, null);
        }
        catch (Exception ex)
        {
            // A cancellation that is not the deadline's is an inner timeout (a registry that did not answer in time).
            // Only SupplyChain messages reach the status; anything else is a bug, described by its code alone.
            ErrorCode code = ex is SupplyChainException sc ? sc.Error : AdmissionErrors.EvaluationFailed;
            bool registryError = ex is OperationCanceledException || (code.Category == ErrorCategory.ServiceFailure && code != AdmissionErrors.EvaluationFailed);
            string detail = ex is SupplyChainException ? ImageMessages.WithoutCode(code, ex.Message) : code.Summary;
            return context.Failed(digest, code, $"{ImageMessages.Prefix(code, reference)}: {detail}", registryError, null);
        }
#pragma warning restore CA1031
    }

    private static async Task<(string? Digest, ImageResult? Failed)> ResolveTagAsync(ImageReference image, ImageContext context, AdmissionSnapshot snapshot, CancellationToken deadline)
    {
        try
        {
            OciDescriptor resolved = await snapshot.Registry.ResolveAsync(image, deadline).ConfigureAwait(false);
            return (resolved.Digest, null);
        }
        catch (SupplyChainException ex) when (ex.Error.Category == ErrorCategory.ServiceFailure)
        {
            // The registry failed (unreachable, throttled, 5xx): a registry error, onRegistryError applies.
            ErrorCode code = AdmissionErrors.TagResolutionFailed;
            return (null, context.Failed(null, code, $"{ImageMessages.Prefix(code, context.Reference)}: {code.Summary}: {ex.Message}", registryError: true, null));
        }
        catch (SupplyChainException ex)
        {
            // The registry answered: the tag does not exist, or its content does not match its digest. Deny.
            return (null, context.Failed(null, ex.Error, $"{ImageMessages.Prefix(ex.Error, context.Reference)}: the tag could not be resolved: {ImageMessages.WithoutCode(ex.Error, ex.Message)}", registryError: false, null));
        }
    }

    private async Task<CachedVerdict> GetVerdictAsync(ImageReference target, string? namespaceName, AdmissionSnapshot snapshot, CancellationToken deadline)
    {
        OciPlatform platform = _options.Platform;
        if (_options.Cache is not { } cache)
        {
            PolicyVerdict direct = await snapshot.Evaluator.EvaluateAsync(target, platform, namespaceName, deadline).ConfigureAwait(false);
            return new CachedVerdict(direct, VerdictSource.Evaluated);
        }

        // The namespace is part of the key only when a rule is namespace-scoped (else the verdict cannot depend on it).
        var key = new VerdictKey(
            target.ToString(),
            platform.Os + "/" + platform.Architecture + (platform.Variant is null ? "" : "/" + platform.Variant),
            snapshot.Policy.HasNamespaceScopedRules ? namespaceName : null,
            snapshot.PolicyVersion,
            snapshot.TrustRootVersion);
        return await cache.GetOrEvaluateAsync(key, ct => snapshot.Evaluator.EvaluateAsync(target, platform, namespaceName, ct), deadline).ConfigureAwait(false);
    }

    private static ImageResult DeadlineResult(string reference, AdmissionSnapshot snapshot, string? namespaceName)
    {
        ImageReference? image = ImageReference.TryParse(reference, out ImageReference? parsed) ? parsed : null;
        return ImageContext.For(reference, image, snapshot, namespaceName).Failed(image?.Digest, AdmissionErrors.DeadlineExceeded, ImageMessages.Deadline(reference), registryError: true, null);
    }
}
