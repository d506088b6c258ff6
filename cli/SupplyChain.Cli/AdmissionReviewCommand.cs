using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;
using SupplyChain.Core.Trust;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Model;

using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli admission review REQUEST.json --policy FILE</c>: the admission webhook's offline twin. Reads a saved
/// AdmissionReview (a file, or <c>-</c> for stdin), runs the webhook's own <see cref="AdmissionEvaluator"/> (no
/// cache, a generous deadline), prints the response AdmissionReview on stdout and one line per image on stderr.
/// Exit 0 allowed, 1 denied, 4 denied because the registry failed; a malformed review exits 2 and an unusable
/// policy or trust root its category's code (docs/cli.md, "admission review").
/// </summary>
internal sealed class AdmissionReviewCommand
{
    /// <summary>The deadline of the offline review: far beyond the API server's (at most 30 s), for slow CI registries.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    /// <summary>The largest review read (the webhook's own limit is 4 MiB; one more byte lets its reader report SC7001).</summary>
    private const long MaxRequestBytes = (4L * 1024 * 1024) + 1;

    private readonly Argument<string> _request = new("request") { Description = "The saved AdmissionReview (admission.k8s.io/v1 JSON), or - for stdin.", HelpName = "REQUEST.json" };
    private readonly Option<string> _policy = new("--policy") { Description = "The policy file (YAML or JSON, docs/policy.md), as the webhook's.", HelpName = "FILE", Required = true };
    private readonly Option<string[]> _platform = new("--platform") { Description = "The platforms the cluster's nodes run (os/arch[/variant], repeatable), as the webhook's --platform; default every platform an index lists.", HelpName = "OS/ARCH", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string> _trustedRoot = new("--trusted-root") { Description = "A trusted_root.json keyless (and logged) signatures are verified against, instead of the embedded Sigstore root.", HelpName = "FILE" };
    private readonly Option<bool> _staging = new("--staging") { Description = "Use the embedded Sigstore staging root instead of production (ignored with --trusted-root)." };
    private readonly RegistryFlags _registry;
    private readonly IPasswordSource _terminal;

    /// <summary>Creates <c>admission</c> with its subcommand <c>review</c>.</summary>
    public AdmissionReviewCommand(IPasswordSource terminal, Func<OciRegistryClientOptions, IOciRegistry>? registryFactory)
    {
        _terminal = terminal;
        _registry = new RegistryFlags(registryFactory);
        Review = new Command("review", "Review a saved AdmissionReview exactly as the admission webhook would, and print its response.") { _request, _policy, _platform, _trustedRoot, _staging };
        _registry.AddTo(Review);
        Command = new Command("admission", "Admission webhook commands.") { Review };
    }

    /// <summary>The <c>admission</c> command.</summary>
    public Command Command { get; }

    /// <summary>The <c>admission review</c> subcommand.</summary>
    public Command Review { get; }

    /// <summary>Runs <c>admission review</c> for a parse result without errors.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string requestPath = parse.GetRequiredValue(_request);
        byte[] body = requestPath == "-" ? await ReadStandardInputAsync(cancellationToken).ConfigureAwait(false) : CliFiles.ReadAll(requestPath, "REQUEST", MaxRequestBytes);
        AdmissionReview review = AdmissionReviewJson.Read(body);
        ImagePolicy policy = ImagePolicy.Load(parse.GetRequiredValue(_policy));
        PlatformSet? platforms = PolicyRunner.Platforms(parse.GetValue(_platform));
        string? trustedRootPath = parse.GetValue(_trustedRoot);
        TrustedRoot trust = VerifyBlobCommand.LoadTrustRoot(trustedRootPath, parse.GetValue(_staging));
        string trustVersion = trustedRootPath is null
            ? (parse.GetValue(_staging) ? "embedded-staging" : "embedded-production")
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(CliFiles.ReadAll(trustedRootPath, "--trusted-root", CliLimits.MaxTrustedRootBytes)));

        IOciRegistry registry = _registry.Create(parse, _terminal, [], stderr);
        try
        {
            var snapshot = new AdmissionSnapshot(policy, trust, trustVersion, registry);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Deadline);
            AdmissionOutcome outcome = await new AdmissionEvaluator(new AdmissionEvaluatorOptions { NodePlatforms = platforms })
                .ReviewAsync(review.Request!, snapshot, deadline.Token).ConfigureAwait(false);

            // The evaluator answers a passed deadline with a denial; an interrupted review prints none.
            cancellationToken.ThrowIfCancellationRequested();
            stdout.WriteLine(Encoding.UTF8.GetString(AdmissionReviewJson.Write(new AdmissionReview { ApiVersion = review.ApiVersion, Kind = review.Kind, Response = outcome.Response })));
            WriteSummary(outcome, stderr);
            return ExitCode(outcome);
        }
        finally
        {
            RegistryFlags.Release(registry);
        }
    }

    /// <summary>0 when admitted; 4 when the first denied image failed on the registry (retrying may help); else 1.</summary>
    internal static int ExitCode(AdmissionOutcome outcome)
    {
        if (outcome.Response.Allowed)
        {
            return ExitCodes.Success;
        }

        ImageOutcome? denied = outcome.Images.FirstOrDefault(i => i.Decision == ImageDecision.Denied);
        return denied is { RegistryError: true } ? ExitCodes.ServiceFailure : ExitCodes.VerificationFailed;
    }

    private static void WriteSummary(AdmissionOutcome outcome, TextWriter stderr)
    {
        foreach (ImageOutcome image in outcome.Images)
        {
            stderr.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{image.Decision.ToString().ToUpperInvariant()}: {image.Reference} at {image.Location}; digest {image.Digest ?? "-"}; rule {image.Rule ?? "(none)"}; mode {image.Mode.ToString().ToLowerInvariant()}{(image.ErrorCode is null ? "" : "; " + image.ErrorCode)}{(image.RegistryError ? " (registry error)" : "")}"));
        }

        stderr.WriteLine(outcome.Response.Allowed
            ? $"admitted ({outcome.Images.Count} image reference(s))"
            : $"denied: {outcome.Response.Status?.Message}");
    }

    private static async Task<byte[]> ReadStandardInputAsync(CancellationToken cancellationToken)
    {
        using Stream input = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[1 << 16];
        int read;

        // A console read does not observe the token itself: WaitAsync stops waiting for it when the command is cancelled.
        while ((read = await input.ReadAsync(chunk, cancellationToken).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxRequestBytes)
            {
                break;
            }
        }

        return buffer.ToArray();
    }
}
