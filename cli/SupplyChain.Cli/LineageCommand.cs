using System.CommandLine;
using System.Globalization;
using System.Text;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli lineage IMAGE</c>: walks the base-image lineage (claims read, each proved by the diff_ids prefix) and
/// prints the tree. No signature is checked (that is <c>verify --policy</c>). Exit 0 when the walk ended (scratch or no
/// claim), else the code of the walk's failure. docs/cli.md, "lineage IMAGE".
/// </summary>
internal sealed class LineageCommand
{
    private readonly Argument<string> _image = new("image") { Description = "The image: registry/repository[:tag][@digest].", HelpName = "IMAGE" };
    private readonly Option<string> _platform = new("--platform") { Description = "For an index: the platform to follow (os/arch[/variant]); default linux/amd64.", HelpName = "OS/ARCH" };
    private readonly Option<int> _maxDepth = new("--max-depth") { Description = "Most base claims followed below the image (1 to 64).", HelpName = "N", DefaultValueFactory = _ => 16 };
    private readonly Option<string> _output = CommonOptions.Output("Tree format on stdout: 'text' (one indented entry per level, then how the walk ended) or 'json' (the lineage tree as JSON).");
    private readonly RegistryFlags _registry;
    private readonly IPasswordSource _terminal;

    /// <summary>Creates <c>lineage</c>.</summary>
    public LineageCommand(IPasswordSource terminal, Func<OciRegistryClientOptions, IOciRegistry>? registryFactory)
    {
        _terminal = terminal;
        _registry = new RegistryFlags(registryFactory);
        Command = new Command("lineage", "Walk and prove an image's base-image lineage down to scratch and print the tree.") { _image, _platform, _maxDepth, _output };
        _registry.AddTo(Command);
    }

    /// <summary>The System.CommandLine command.</summary>
    public Command Command { get; }

    /// <summary>Runs the command for a parse result without errors.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ImageReference image = RegistryFlags.Image(parse.GetRequiredValue(_image));
        int maxDepth = parse.GetValue(_maxDepth);
        if (maxDepth is < 1 or > 64)
        {
            throw CliErrors.Usage.ToException("--max-depth must be 1 to 64");
        }

        var options = new LineageOptions
        {
            Platform = parse.GetValue(_platform) is { } p ? PlatformManifests.ParsePlatform(p) : LineageOptions.DefaultPlatform,
            MaxDepth = maxDepth,
        };
        IOciRegistry registry = _registry.Create(parse, _terminal, [image]);
        try
        {
            LineageTree tree = await new LineageWalker(registry, options).WalkAsync(image, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(_output) == "json")
            {
                stdout.WriteLine(Encoding.UTF8.GetString(tree.ToJson()));
            }
            else
            {
                Write(tree, stdout);
            }

            if (tree.Error is { } error)
            {
                stderr.WriteLine(tree.ErrorDetail);
                return ExitCodes.For(error);
            }

            return ExitCodes.Success;
        }
        finally
        {
            RegistryFlags.Release(registry);
        }
    }

    /// <summary>The text tree: one entry per level (depth, name@digest, layers, claim and its source), then how the walk ended.</summary>
    private static void Write(LineageTree tree, TextWriter w)
    {
        w.WriteLine($"Lineage of {tree.Image}");
        foreach (LineageLevel level in tree.Levels)
        {
            string indent = new(' ', 2 + (2 * level.Depth));
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{indent}[{level.Depth}] {level.Name}@{level.Digest}{(level.IndexDigest is null ? "" : " (from index " + level.IndexDigest + ")")}"));
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{indent}    layers: {level.LayersAdded} added of {level.LayersTotal}"));
            if (level.Claim is { } claim)
            {
                w.WriteLine($"{indent}    base claim: {claim.Name}{(claim.Digest is null ? "" : "@" + claim.Digest)} (from {claim.Source})");
            }
        }

        w.WriteLine(tree.Error is null ? $"  end: {tree.End}" : $"  end: {tree.End} ({tree.Error.Code})");
    }
}
