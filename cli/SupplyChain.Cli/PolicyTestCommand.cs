using System.CommandLine;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli policy test --policy FILE IMAGE...</c>: the admission webhook's evaluation as a dry run, for several
/// images through one registry client (its digest cache is shared). Exit 0 when every image is allowed, else the exit
/// code of the first denied image. docs/cli.md, "policy test".
/// </summary>
internal sealed class PolicyTestCommand
{
    private readonly Argument<string[]> _images = new("images") { Description = "The images: registry/repository[:tag][@digest], one or more.", HelpName = "IMAGE", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _policy = new("--policy") { Description = "The policy file (YAML or JSON, docs/policy.md).", HelpName = "FILE", Required = true };
    private readonly Option<string[]> _platform = new("--platform") { Description = "For an index: the platforms to evaluate (os/arch[/variant], repeatable); default every platform the index lists.", HelpName = "OS/ARCH", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string> _trustedRoot = new("--trusted-root") { Description = "A trusted_root.json keyless (and logged) signatures are verified against, instead of the embedded Sigstore root.", HelpName = "FILE" };
    private readonly Option<bool> _staging = new("--staging") { Description = "Use the embedded Sigstore staging root instead of production (ignored with --trusted-root)." };
    private readonly Option<string> _output = CommonOptions.Output();
    private readonly RegistryFlags _registry;
    private readonly IPasswordSource _terminal;

    /// <summary>Creates <c>policy</c> with its subcommand <c>test</c>.</summary>
    public PolicyTestCommand(IPasswordSource terminal, Func<OciRegistryClientOptions, IOciRegistry>? registryFactory)
    {
        _terminal = terminal;
        _registry = new RegistryFlags(registryFactory);
        Test = new Command("test", "Dry-run the policy evaluation (the admission webhook's) for one or more images.") { _images, _policy, _platform, _trustedRoot, _staging, _output };
        _registry.AddTo(Test);
        Command = new Command("policy", "Image policy commands.") { Test };
    }

    /// <summary>The <c>policy</c> command.</summary>
    public Command Command { get; }

    /// <summary>The <c>policy test</c> subcommand.</summary>
    public Command Test { get; }

    /// <summary>Runs <c>policy test</c> for a parse result without errors.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        List<ImageReference> images = parse.GetRequiredValue(_images).Select(RegistryFlags.Image).ToList();
        PlatformSet? platforms = PolicyRunner.Platforms(parse.GetValue(_platform));
        var trust = VerifyBlobCommand.LoadTrustRoot(parse.GetValue(_trustedRoot), parse.GetValue(_staging));
        IOciRegistry registry = _registry.Create(parse, _terminal, images);
        try
        {
            var runner = new PolicyRunner(parse.GetRequiredValue(_policy), registry, trust);
            var verdicts = new List<PolicyVerdict>(images.Count);
            foreach (ImageReference image in images)
            {
                verdicts.Add(await runner.EvaluateAsync(image, platforms, cancellationToken).ConfigureAwait(false));
            }

            if (parse.GetValue(_output) == "json")
            {
                stdout.WriteLine("[" + string.Join(",\n", verdicts.Select(PolicyRunner.Json)) + "]");
            }
            else
            {
                foreach (PolicyVerdict verdict in verdicts)
                {
                    PolicyRunner.WriteText(verdict, stdout);
                }
            }

            PolicyVerdict? denied = verdicts.FirstOrDefault(v => !v.Allowed);
            stderr.WriteLine($"{verdicts.Count(v => v.Allowed)} of {verdicts.Count} image(s) allowed");
            return denied is null ? ExitCodes.Success : PolicyRunner.ExitCode(denied);
        }
        finally
        {
            RegistryFlags.Release(registry);
        }
    }
}
