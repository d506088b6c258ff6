using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Lineage;

/// <summary>
/// Selects a level's base among the image dependencies of its verified provenance by the layer proof: the base is the
/// candidate whose <c>rootfs.diff_ids</c> are the longest prefix of the child's (a multi-stage build whose stages share a
/// base names both the base and its own base: both prove, the longer is the base). Each candidate is approved by
/// <see cref="LineageOptions.CheckBase"/> before it is requested (an uncovered one is recorded, never requested), an
/// index is resolved to the child's platform, and a candidate of another platform is recorded and left alone.
/// </summary>
internal static class ProvenanceBaseSelector
{
    /// <summary>The choice, and the chosen base (already fetched and proved) when there is one.</summary>
    public static async Task<(ProvenanceBaseChoice Choice, ResolvedImage? Base, ImageDependency? Dependency)> SelectAsync(
        ResolvedImage child, LineageLevel level, ProvenanceDependencies dependencies, ImageResolver resolver, LineageOptions options, CancellationToken cancellationToken)
    {
        var outcomes = new List<BaseCandidate>();
        outcomes.AddRange(dependencies.Unusable.Select(u => new BaseCandidate(u.Uri, null, BaseCandidateOutcome.Unusable, 0, $"{OciErrors.ProvenanceDependencyUnusable.Code}: {u.Reason}")));
        var ofPlatform = new List<ImageDependency>();
        foreach (ImageDependency dependency in dependencies.Images)
        {
            if (!dependency.AppliesTo(child.Config.Platform))
            {
                outcomes.Add(Outcome(dependency, BaseCandidateOutcome.OtherPlatform, 0, $"names {dependency.Os ?? "*"}/{dependency.Architecture ?? "*"}{(dependency.Variant is null ? "" : "/" + dependency.Variant)}"));
            }
            else if (dependency.Digest == child.Reference.Digest || dependency.Digest == child.IndexDigest)
            {
                outcomes.Add(Outcome(dependency, BaseCandidateOutcome.NotProved, 0, "names the image itself"));
            }
            else
            {
                ofPlatform.Add(dependency);
            }
        }

        // Bounded before any request: each candidate costs a manifest (two for an index) and a config.
        if (ofPlatform.Count > Limits.MaxProvenanceCandidates)
        {
            throw OciErrors.ProvenanceCandidatesExceeded.ToException($"{child.Reference}: {ofPlatform.Count} image dependencies of {PlatformText(child)}, more than {Limits.MaxProvenanceCandidates}; none was requested");
        }

        // At the depth limit the candidates are still judged (a scratch declaration needs them judged to be backed); a
        // chosen one is then refused by the walk as a level too deep (SC4606).
        var proved = new List<(ImageDependency Dependency, ResolvedImage Image, int Length)>();
        foreach (ImageDependency dependency in ofPlatform)
        {
            var claim = new BaseImageClaim(NameOf(dependency.Reference), dependency.Digest, ClaimSource.Provenance);
            if (options.CheckBase?.Invoke(level, claim, dependency.Reference) is { } refused)
            {
                outcomes.Add(Outcome(dependency, BaseCandidateOutcome.NotCovered, 0, refused.Message));
                continue;
            }

            ResolvedImage? candidate;
            try
            {
                candidate = await resolver.TryResolveAsync(dependency.Reference, child.Config.Platform, cancellationToken).ConfigureAwait(false);
            }
            catch (SupplyChainException ex) when (ex.Code == OciErrors.LineagePlatformNotFound.Code)
            {
                outcomes.Add(Outcome(dependency, BaseCandidateOutcome.OtherPlatform, 0, ex.Message));
                continue;
            }

            if (candidate is null)
            {
                outcomes.Add(Outcome(dependency, BaseCandidateOutcome.Missing, 0, $"{OciErrors.LineageBaseMissing.Code}: not in the registry"));
                continue;
            }

            int length = PrefixLength(child.Config.DiffIds, candidate.Config.DiffIds);
            if (length <= 0)
            {
                outcomes.Add(Outcome(dependency, BaseCandidateOutcome.NotProved, 0, length == 0 ? "it has no layers: it proves nothing" : "its diff_ids are not a prefix of the image's"));
                continue;
            }

            proved.Add((dependency, candidate, length));
        }

        if (proved.Count == 0)
        {
            return (new ProvenanceBaseChoice(dependencies.Statements, Ordered(outcomes, dependencies)), null, null);
        }

        int longest = proved.Max(p => p.Length);
        var best = proved.Where(p => p.Length == longest).ToList();
        if (best.Select(p => p.Image.Reference.Digest).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            throw OciErrors.ProvenanceBaseAmbiguous.ToException(
                $"{child.Reference}: {best[0].Dependency.Reference} and {best.First(p => p.Image.Reference.Digest != best[0].Image.Reference.Digest).Dependency.Reference} both prove {longest} layers");
        }

        foreach ((ImageDependency dependency, ResolvedImage _, int length) in proved)
        {
            outcomes.Add(dependency == best[0].Dependency
                ? Outcome(dependency, BaseCandidateOutcome.Chosen, length, null)
                : Outcome(dependency, BaseCandidateOutcome.ProvedShorter, length, length == longest ? "the same image as the chosen one" : $"proves {length} layers, the chosen one {longest}"));
        }

        return (new ProvenanceBaseChoice(dependencies.Statements, Ordered(outcomes, dependencies)), best[0].Image, best[0].Dependency);
    }

    /// <summary>The reference a claim from a dependency names: <c>registry/repository[:tag]</c>, without the digest.</summary>
    public static string NameOf(ImageReference reference) =>
        reference.Registry + "/" + reference.Repository + (reference.Tag is null ? "" : ":" + reference.Tag);

    /// <summary>How many of the child's layers the base accounts for: the base's count when its diff_ids are a prefix, -1 when not.</summary>
    private static int PrefixLength(IReadOnlyList<string> child, IReadOnlyList<string> candidate)
    {
        if (candidate.Count > child.Count)
        {
            return -1;
        }

        for (int i = 0; i < candidate.Count; i++)
        {
            if (!string.Equals(candidate[i], child[i], StringComparison.Ordinal))
            {
                return -1;
            }
        }

        return candidate.Count;
    }

    private static BaseCandidate Outcome(ImageDependency dependency, BaseCandidateOutcome outcome, int layers, string? detail) =>
        new(dependency.Uri, dependency.Reference.ToString(), outcome, layers, detail);

    /// <summary>The outcomes in the provenance's order (located images first as listed, then the unusable ones).</summary>
    private static List<BaseCandidate> Ordered(List<BaseCandidate> outcomes, ProvenanceDependencies dependencies)
    {
        var order = dependencies.Images.Select((d, i) => (d.Reference.ToString(), i)).ToDictionary(p => p.Item1, p => p.i, StringComparer.Ordinal);
        return [.. outcomes.OrderBy(o => o.Reference is { } r && order.TryGetValue(r, out int i) ? i : int.MaxValue)];
    }

    private static string PlatformText(ResolvedImage image) =>
        image.Config.Platform.Os + "/" + image.Config.Platform.Architecture + (image.Config.Platform.Variant is null ? "" : "/" + image.Config.Platform.Variant);
}
