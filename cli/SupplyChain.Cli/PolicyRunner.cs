using System.Globalization;
using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;

namespace SupplyChain.Cli;

/// <summary>
/// What <c>signcli verify IMAGE --policy FILE</c> and <c>signcli policy test</c> share: a <see cref="PolicyEvaluator"/>
/// over the registry client and <see cref="OciSignatureEvidenceSource"/> (the admission webhook's evaluation) per image,
/// whose reads are charged to that image's own read budget (<see cref="EvaluationBudget"/>: 128 MiB, 8 reads at once;
/// exhausted, SC4020), the per-level text tree, and the exit code of a verdict (docs/cli.md, "verify IMAGE --policy").
/// </summary>
internal sealed class PolicyRunner
{
    private readonly ImagePolicy _policy;
    private readonly IOciRegistry _registry;
    private readonly ITrustedMaterial _trust;

    /// <summary>Loads the policy (SC50xx); each evaluation reads through <paramref name="registry"/> and verifies against <paramref name="trust"/>.</summary>
    public PolicyRunner(string policyPath, IOciRegistry registry, ITrustedMaterial trust)
    {
        _policy = ImagePolicy.Load(policyPath);
        _registry = registry;
        _trust = trust;
    }

    /// <summary>
    /// <c>verify IMAGE --policy FILE</c>: the policy replaces the identity and key flags (SC6001 when combined). Text on
    /// stderr (as <c>verify</c>'s), or the verdict's JSON on stdout.
    /// </summary>
    public static async Task<int> VerifyImageAsync(string policyPath, bool identityFlagsGiven, ImageReference image, PlatformSet? platforms, Func<ITrustedMaterial> trust, Func<IOciRegistry> createRegistry, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (identityFlagsGiven)
        {
            throw CliErrors.Usage.ToException("--policy names the signers itself: it does not combine with --key, --certificate-* or --insecure-* flags");
        }

        ITrustedMaterial trustedMaterial = trust();
        IOciRegistry registry = createRegistry();
        try
        {
            PolicyVerdict verdict = await new PolicyRunner(policyPath, registry, trustedMaterial).EvaluateAsync(image, platforms, cancellationToken).ConfigureAwait(false);
            if (json)
            {
                stdout.WriteLine(Json(verdict));
            }
            else
            {
                WriteText(verdict, stderr);
            }

            return ExitCode(verdict);
        }
        finally
        {
            RegistryFlags.Release(registry);
        }
    }

    /// <summary>Evaluates one image under its own read budget; a denial is a verdict, never an exception.</summary>
    public async Task<PolicyVerdict> EvaluateAsync(ImageReference image, PlatformSet? platforms, CancellationToken cancellationToken)
    {
        using RegistryReadBudget budget = EvaluationBudget.CreateDefault();
        return await EvaluationBudget.CreateEvaluator(_policy, _registry, _trust, budget).EvaluateAsync(image, platforms, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The <c>--platform</c> values (repeatable, or comma-separated) as a set; <c>null</c> when none (every platform an index lists).</summary>
    public static PlatformSet? Platforms(string[]? values) =>
        values is { Length: > 0 }
            ? PlatformSet.Of(values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(PlatformManifests.ParsePlatform))
            : null;

    /// <summary>0 when allowed; else 5 for "no signature at all" (SC5102, as SC4401 for <c>verify</c>), else the error's category's code.</summary>
    public static int ExitCode(PolicyVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (verdict.Allowed)
        {
            return ExitCodes.Success;
        }

        ErrorCode error = verdict.Error ?? PolicyErrors.NoRuleMatched;
        return error == PolicyErrors.ImageUnsigned ? ExitCodes.NoSignatures : ExitCodes.For(error);
    }

    /// <summary>The verdict as its JSON document (<see cref="PolicyVerdict.MediaType"/>).</summary>
    public static string Json(PolicyVerdict verdict) => Encoding.UTF8.GetString(verdict.ToJson());

    /// <summary>The text form: the verdict, then per level depth, name@digest, layers, rule, signers, the base claim and its sources (with the verified provenance's candidates), decision, error.</summary>
    public static void WriteText(PolicyVerdict verdict, TextWriter w)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        string end = verdict.Lineage?.End.ToString() ?? (verdict.Decision?.ToString() ?? "not read");
        w.WriteLine(verdict.Allowed
            ? $"ALLOWED: {verdict.Image} (lineage: {end})"
            : $"DENIED: {verdict.Image} ({verdict.Error?.Code}; lineage: {end})");
        foreach (PlatformVerdict platform in verdict.Platforms)
        {
            if (verdict.IsIndex)
            {
                w.WriteLine($"  platform {platform.PlatformText}: {(platform.Allowed ? "allowed" : "DENIED " + platform.Error?.Code)} (lineage: {platform.Lineage.End})");
            }

            WriteLevels(platform.Levels, w);
        }

        foreach (SkippedPlatform skipped in verdict.Skipped)
        {
            w.WriteLine($"  skipped {skipped.Platform} {skipped.Digest}: {skipped.Reason}");
        }

        if (!verdict.Allowed && verdict.ErrorDetail is not null)
        {
            w.WriteLine(verdict.ErrorDetail);
        }
    }

    private static void WriteLevels(IReadOnlyList<PolicyLevelVerdict> levels, TextWriter w)
    {
        foreach (PolicyLevelVerdict level in levels)
        {
            string indent = new(' ', 2 + (2 * level.Level.Depth));
            string signers = level.Signers.Count == 0 ? "none verified" : string.Join(", ", level.Signers.Select(s => $"{s.AuthorityName}: {s.Identity}"));
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{indent}[{level.Level.Depth}] {level.Level.Name}@{level.Level.Digest}"));
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{indent}    layers: {level.Level.LayersAdded} added of {level.Level.LayersTotal}; rule: {level.RuleName ?? "(none)"}; signers: {signers}"));
            ClaimText.Write(level.Level, indent, w);
            w.WriteLine($"{indent}    verdict: {level.Decision}{(level.Error is null ? "" : " " + level.ErrorDetail)}");
            foreach (Oci.Signatures.RejectedSignature rejected in level.Rejected)
            {
                w.WriteLine($"{indent}    skipped signature {rejected.Location}: {rejected.Code}");
            }
        }
    }
}
