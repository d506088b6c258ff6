using System.CommandLine;
using SupplyChain.Oci.Copy;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli copy SRC DST [--lineage]</c>: copies an image between registries and OCI layouts with everything attached
/// (every platform, referrers, legacy cosign tags, optionally its base images), digests preserved, tag last; a re-run
/// after an interruption completes the copy (<see cref="ImageCopier"/>). docs/cli.md, "copy".
/// </summary>
internal sealed class CopyCommand
{
    /// <summary>The largest blob carried (layers are copied through memory): 1 GiB, the registry client's ceiling.</summary>
    private const long MaxBlobBytes = 1024L * 1024 * 1024;

    private readonly Argument<string> _source = new("source") { Description = "The image to copy: registry/repository[:tag][@digest] or oci:PATH[:TAG][@DIGEST].", HelpName = "SRC" };
    private readonly Argument<string> _destination = new("destination") { Description = "Where to: registry/repository[:tag] or oci:PATH[:TAG] (created when missing).", HelpName = "DST" };
    private readonly Option<bool> _lineage = new("--lineage") { Description = "Also copy the base images the lineage claims: a relative layout claim (oci:../base) to the same place beside DST; absolute names stay where they are." };
    private readonly RegistryFlags _registry;
    private readonly IPasswordSource _terminal;

    /// <summary>Creates the command.</summary>
    public CopyCommand(IPasswordSource terminal, Func<OciRegistryClientOptions, IOciRegistry>? registryFactory)
    {
        _terminal = terminal;
        _registry = new RegistryFlags(registryFactory);
        Command = new Command("copy", "Copy an image with its signatures, attestations and SBOMs between registries and OCI layouts (digests preserved).") { _source, _destination, _lineage };
        _registry.AddTo(Command);
    }

    /// <summary>The System.CommandLine command.</summary>
    public Command Command { get; }

    /// <summary>Runs the command for a parse result without errors.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ImageReference source = RegistryFlags.Image(parse.GetRequiredValue(_source));
        ImageReference destination = RegistryFlags.Image(parse.GetRequiredValue(_destination));
        IOciRegistry registry = _registry.Create(parse, _terminal, [source, destination], stderr, maxBlobBytes: MaxBlobBytes);
        try
        {
            ImageCopyResult result = await new ImageCopier(registry).CopyAsync(source, destination, parse.GetValue(_lineage), cancellationToken).ConfigureAwait(false);
            stderr.WriteLine($"Copied {source} to {result.Destination}: {result.Manifests} manifest(s), {result.Blobs} blob(s), {result.Referrers} referrer(s), {result.LegacyTags} legacy tag(s)");
            foreach (ImageReference ancestor in result.Ancestors)
            {
                stderr.WriteLine($"  base image copied to {ancestor}");
            }

            foreach (ImageReference ancestor in result.AncestorsInPlace)
            {
                stderr.WriteLine($"  base image left in place (its claim names it absolutely): {ancestor}");
            }

            stdout.WriteLine(result.Destination);
            return ExitCodes.Success;
        }
        finally
        {
            RegistryFlags.Release(registry);
        }
    }
}
