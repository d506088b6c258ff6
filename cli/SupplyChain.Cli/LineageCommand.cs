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
    private readonly Option<string> _policy = new("--policy") { Description = "Walk as the policy does (docs/policy.md): each level verified under its rule before its claim is read, claims read from the sources the policy names (verified SLSA provenance among them). Exit code as verify --policy.", HelpName = "FILE" };
    private readonly Option<string> _trustedRoot = new("--trusted-root") { Description = "With --policy: a trusted_root.json to verify against, instead of the embedded Sigstore root.", HelpName = "FILE" };
    private readonly Option<string> _instance = InstanceOption.Create("With --policy: verify");
    private readonly RegistryFlags _registry;
    private readonly IPasswordSource _terminal;

    /// <summary>Creates <c>lineage</c>.</summary>
    public LineageCommand(IPasswordSource terminal, Func<OciRegistryClientOptions, IOciRegistry>? registryFactory)
    {
        _terminal = terminal;
        _registry = new RegistryFlags(registryFactory);
        Command = new Command("lineage", "Walk and prove an image's base-image lineage down to scratch and print the tree.") { _image, _platform, _maxDepth, _output, _policy, _trustedRoot, _instance };
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
        string? policy = parse.GetValue(_policy);
        if (policy is null && (parse.GetValue(_trustedRoot) is not null || parse.GetValue(_instance) is not null))
        {
            throw CliErrors.Usage.ToException("--trusted-root and --instance verify the policy's walk: they need --policy");
        }

        if (policy is not null && parse.GetResult(_maxDepth) is { Implicit: false })
        {
            throw CliErrors.Usage.ToException("--policy walks as deep as the rule's lineage.maxDepth: --max-depth does not combine with it");
        }

        IOciRegistry registry = _registry.Create(parse, _terminal, [image]);
        try
        {
            if (policy is not null)
            {
                return await RunPolicyAsync(parse, policy, registry, image, options.Platform, stdout, stderr, cancellationToken).ConfigureAwait(false);
            }

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

    /// <summary>
    /// The policy's walk (issue 20): the evaluation <c>verify --policy</c> runs, for one platform, whose deciding lineage is
    /// printed as the display walk's tree is, so each level shows every source of its claim, verified provenance included.
    /// </summary>
    private async Task<int> RunPolicyAsync(ParseResult parse, string policyPath, IOciRegistry registry, ImageReference image, OciPlatform platform, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        Core.Trust.TrustedRoot trust = parse.GetValue(_instance) is { } instance
            ? (parse.GetValue(_trustedRoot) is null ? InstanceOption.TrustedRoot(instance, _terminal) : throw CliErrors.Usage.ToException("--instance cannot be combined with --trusted-root"))
            : VerifyBlobCommand.LoadTrustRoot(parse.GetValue(_trustedRoot), false);
        Policy.Evaluation.PolicyVerdict verdict = await new PolicyRunner(policyPath, registry, trust).EvaluateAsync(image, Policy.Evaluation.PlatformSet.Of(platform), cancellationToken).ConfigureAwait(false);
        if (verdict.Lineage is { } tree)
        {
            if (parse.GetValue(_output) == "json")
            {
                stdout.WriteLine(Encoding.UTF8.GetString(tree.ToJson()));
            }
            else
            {
                Write(tree, stdout);
            }
        }

        stderr.WriteLine(verdict.Allowed ? $"ALLOWED: {verdict.Image}" : $"DENIED: {verdict.Image}: {verdict.ErrorDetail}");
        return PolicyRunner.ExitCode(verdict);
    }

    /// <summary>The text tree: one entry per level (depth, name@digest, layers, claim and every source that made it), then how the walk ended.</summary>
    private static void Write(LineageTree tree, TextWriter w)
    {
        w.WriteLine($"Lineage of {tree.Image}");
        foreach (LineageLevel level in tree.Levels)
        {
            string indent = new(' ', 2 + (2 * level.Depth));
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{indent}[{level.Depth}] {level.Name}@{level.Digest}{(level.IndexDigest is null ? "" : " (from index " + level.IndexDigest + ")")}"));
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{indent}    layers: {level.LayersAdded} added of {level.LayersTotal}"));
            ClaimText.Write(level, indent, w);
            if (level.Claim is null)
            {
                w.WriteLine($"{indent}    base claim: none");
            }
        }

        w.WriteLine(tree.Error is null ? $"  end: {tree.End}" : $"  end: {tree.End} ({tree.Error.Code})");
    }
}
