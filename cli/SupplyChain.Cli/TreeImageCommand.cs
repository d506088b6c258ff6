using System.CommandLine;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli tree IMAGE</c> (what is attached: signatures, attestations, SBOMs, other referrers, both formats) and
/// <c>signcli resolve IMAGE</c> (prints <c>registry/repository@digest</c> on stdout). docs/cli.md, "tree IMAGE".
/// </summary>
internal sealed class TreeImageCommand
{
    private readonly Argument<string> _image = new("image") { Description = "The image: registry/repository[:tag][@digest].", HelpName = "IMAGE" };
    private readonly RegistryFlags _registry;
    private readonly IPasswordSource _terminal;
    private readonly bool _resolveOnly;

    /// <summary>Creates <c>tree</c>, or <c>resolve</c> when <paramref name="resolveOnly"/>.</summary>
    public TreeImageCommand(bool resolveOnly, IPasswordSource terminal, Func<OciRegistryClientOptions, IOciRegistry>? registryFactory)
    {
        _resolveOnly = resolveOnly;
        _terminal = terminal;
        _registry = new RegistryFlags(registryFactory);
        Command = resolveOnly
            ? new Command("resolve", "Resolve an image tag to its digest and print registry/repository@digest.") { _image }
            : new Command("tree", "List the signatures, attestations and SBOMs attached to an image (OCI referrers and legacy cosign tags).") { _image };
        _registry.AddTo(Command);
    }

    /// <summary>The System.CommandLine command.</summary>
    public Command Command { get; }

    /// <summary>Runs the command for a parse result without errors.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ParseResult parse, TextWriter stdout, CancellationToken cancellationToken)
    {
        ImageReference image = RegistryFlags.Image(parse.GetRequiredValue(_image));
        IOciRegistry registry = _registry.Create(parse, _terminal, [image]);
        try
        {
            string digest = (await registry.ResolveAsync(image, cancellationToken).ConfigureAwait(false)).Digest;
            string name = $"{image.Registry}/{image.Repository}@{digest}";
            if (_resolveOnly)
            {
                stdout.WriteLine(name);
                return ExitCodes.Success;
            }

            IReadOnlyList<AttachedArtifact> attached = await new ImageSignatureDiscovery(registry).ListAsync(image.WithDigest(digest), cancellationToken).ConfigureAwait(false);
            stdout.WriteLine($"📦 Supply chain artifacts attached to {name}");
            if (attached.Count == 0)
            {
                stdout.WriteLine("└── (none)");
            }

            foreach (IGrouping<AttachedKind, AttachedArtifact> group in attached.GroupBy(a => a.Kind).OrderBy(g => g.Key))
            {
                stdout.WriteLine($"└── {group.Key switch { AttachedKind.Signature => "🔐 Signatures", AttachedKind.Attestation => "💾 Attestations", AttachedKind.Sbom => "📦 SBOMs", _ => "📎 Other referrers" }}");
                foreach (AttachedArtifact artifact in group)
                {
                    string format = artifact.Format == AttachmentFormat.Referrer ? "referrer" : "legacy";
                    stdout.WriteLine($"    └── {format} {artifact.Location} ({artifact.MediaType}{(artifact.PredicateType is null ? "" : ", " + artifact.PredicateType)})");
                }
            }

            return ExitCodes.Success;
        }
        finally
        {
            RegistryFlags.Release(registry);
        }
    }
}
