using System.CommandLine;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy;
using SupplyChain.Signing.Provenance;

namespace SupplyChain.Cli;

/// <summary>
/// <c>attest IMAGE --provenance</c>'s base images (issue 20): <c>--base-image REF</c> (repeatable) resolves each named
/// base to its digest in the registry; <c>--base-image-from-claim</c> reads the base the image itself claims
/// (<c>org.opencontainers.image.base.*</c> annotations or labels, each platform of an index) and proves it by the layer
/// prefix before recording it. Both are written into the provenance's <c>resolvedDependencies</c> as BuildKit writes
/// them (<c>pkg:docker/NAME@TAG?digest=...&amp;platform=...</c> with <c>digest.sha256</c>), so that a verifier can follow
/// the lineage from the signed provenance (docs/ci.md, "Base images in the provenance").
/// </summary>
internal sealed class BaseImageFlags
{
    private readonly Option<string[]> _baseImage = new("--base-image") { Description = "With --provenance: a base image the build used (registry/repository[:tag][@digest], repeatable); resolved to its digest and recorded in the provenance's resolvedDependencies.", HelpName = "REF" };
    private readonly Option<bool> _fromClaim = new("--base-image-from-claim") { Description = "With --provenance: record the base image the image itself claims (org.opencontainers.image.base.* annotations or labels), after proving it by the layer prefix." };

    /// <summary>The options, in help order.</summary>
    public IReadOnlyList<Option> Options => [_baseImage, _fromClaim];

    /// <summary>Whether a base image was asked for.</summary>
    public bool Requested(ParseResult parse) => Named(parse).Count > 0 || parse.GetValue(_fromClaim);

    /// <summary>The <c>--base-image</c> references (SC4001 when one is malformed).</summary>
    public IReadOnlyList<ImageReference> Named(ParseResult parse) => [.. (parse.GetValue(_baseImage) ?? []).Select(ImageReference.Parse)];

    /// <summary>Checks the combinations (no I/O): only with <c>--provenance</c>.</summary>
    public void Validate(ParseResult parse, bool provenance)
    {
        if (!provenance && Requested(parse))
        {
            throw CliErrors.Usage.ToException("--base-image and --base-image-from-claim describe the build in the provenance: they need --provenance");
        }
    }

    /// <summary>The base images as provenance dependencies: the named ones at their digests, and the image's own proved claim.</summary>
    public async Task<List<ProvenanceDependency>> ResolveAsync(ParseResult parse, IOciRegistry registry, ImageReference image, TextWriter stderr, CancellationToken cancellationToken)
    {
        var dependencies = new List<ProvenanceDependency>();
        foreach (ImageReference named in Named(parse))
        {
            OciDescriptor resolved = await registry.ResolveAsync(named, cancellationToken).ConfigureAwait(false);
            dependencies.Add(new ProvenanceDependency(ImageDependencyUri.ToPurl(named.WithDigest(resolved.Digest), null), resolved.Digest));
        }

        if (parse.GetValue(_fromClaim))
        {
            dependencies.AddRange(await FromClaimAsync(registry, image, cancellationToken).ConfigureAwait(false));
        }

        foreach (ProvenanceDependency dependency in dependencies)
        {
            stderr.WriteLine($"Provenance: base image {dependency.Uri}");
        }

        return dependencies;
    }

    /// <summary>Each platform's claimed base (annotations, index annotations, labels), proved by the layer prefix; none for <c>scratch</c>.</summary>
    private static async Task<List<ProvenanceDependency>> FromClaimAsync(IOciRegistry registry, ImageReference image, CancellationToken cancellationToken)
    {
        // Only the image's own claim is read (depth 0); the base's claim is not followed.
        var walker = new LineageWalker(registry, new LineageOptions
        {
            MaxDepth = 1,
            AdmitLevel = (level, _) => Task.FromResult(LevelAdmission.Allowed(level.Depth == 0 ? ClaimSources.ManifestAnnotations | ClaimSources.IndexAnnotations | ClaimSources.ConfigLabels : ClaimSources.None)),
        });
        ImageTop top = await walker.OpenAsync(image, cancellationToken).ConfigureAwait(false);
        List<IndexEntry?> platforms = top.IsIndex ? [.. top.Entries.Where(e => e.Kind == IndexEntryKind.Image)] : [];
        if (!top.IsIndex)
        {
            platforms.Add(null);
        }
        var dependencies = new List<ProvenanceDependency>();
        foreach (IndexEntry? entry in platforms)
        {
            LineageTree tree = await walker.WalkAsync(top, entry, follow: true, cancellationToken).ConfigureAwait(false);
            if (tree.Error is { } error)
            {
                throw error.ToException(Detail(error, tree.ErrorDetail));
            }

            LineageLevel level = tree.Levels[0];
            if (level.Claim is not { } claim)
            {
                throw PolicyErrors.LineageClaimMissing.ToException($"{level.Reference} claims no base image (--base-image-from-claim); name it with --base-image");
            }

            if (!claim.IsScratch)
            {
                ImageReference name = ImageReference.Parse(claim.Name);
                dependencies.Add(new ProvenanceDependency(ImageDependencyUri.ToPurl(name.WithDigest(claim.Digest!), level.Platform), claim.Digest!));
            }
        }

        return dependencies;
    }

    /// <summary>The walk's message without its code and summary (the exception adds them again).</summary>
    private static string? Detail(ErrorCode error, string? message)
    {
        string prefix = $"{error.Code}: {error.Summary}: ";
        return message is not null && message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
    }
}
