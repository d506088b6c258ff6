using System.Text.Json;
using SupplyChain.Cli.Tests.Instance;
using SupplyChain.Oci.Lineage;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>
/// Issue 20, items 3 and 4, end to end on Debian's docker-registry with the local Sigstore instance (keyless): images
/// built by umoci, signed and attested by signcli, whose SLSA provenance names their base images (<c>attest --provenance
/// --base-image REF</c>, <c>--base-image-from-claim</c>); <c>verify --policy</c> with <c>requireProvenance</c> follows the
/// lineage from the signed provenance and shows every claim's sources; an annotation alone is refused (SC4654).
/// </summary>
public sealed class ProvenanceLineageRegistryTests : IClassFixture<RegistryFixture>, IDisposable
{
    private const string Builder = "https://builder.example/ci";
    private readonly RegistryFixture _registry;
    private readonly InstanceCli _cli = new();

    public ProvenanceLineageRegistryTests(RegistryFixture registry) => _registry = registry;

    public void Dispose() => _cli.Dispose();

    private string Policy(string run) => _cli.Write("policy.yaml", $$"""
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        rules:
          - name: images
            images: ["{{_registry.Registry.Host}}/{{run}}/*"]
            authorities:
              - name: ci
                keyless: { issuer: "{{InstanceCli.Issuer}}", subject: "{{InstanceCli.Identity}}" }
            attestations:
              - predicateType: https://slsa.dev/provenance/v1
                conditions: { builderId: "https://builder.example/*" }
            lineage: { required: true, requireProvenance: true, trustedRoots: [scratch], maxDepth: 4 }
        """);

    private void Ok(params string[] args)
    {
        CliRun run = _cli.Run(args);
        Assert.True(run.ExitCode == 0, string.Join(' ', args) + "\n" + run);
    }

    private void Attest(string image, params string[] baseFlags) =>
        Ok(["attest", "--instance", "local", image, "--provenance", "--builder-id", Builder, .. baseFlags]);

    [RegistryFact(needsImageTools: true)]
    public void Images_attested_by_signcli_carry_a_lineage_their_signed_provenance_backs_end_to_end()
    {
        string run = "prov" + Guid.NewGuid().ToString("N")[..8];
        using var umoci = new UmociChain();
        umoci.FromScratch("base");
        umoci.Claim("base", annotations: new Dictionary<string, string> { [BaseImageClaim.NameKey] = BaseImageClaim.Scratch });
        string @base = UmociLineage.Pushed(umoci, _registry.Registry, "base", $"{run}/base");
        umoci.Derive("base", "runtime");
        string runtime = UmociLineage.Pushed(umoci, _registry.Registry, "runtime", $"{run}/runtime");
        umoci.Derive("runtime", "app", layers: 2);
        umoci.Claim("app", annotations: UmociLineage.Claim(runtime));
        string app = UmociLineage.Pushed(umoci, _registry.Registry, "app", $"{run}/app");
        umoci.Derive("base", "other");
        umoci.Claim("other", annotations: UmociLineage.Claim(@base));
        string annotatedOnly = UmociLineage.Pushed(umoci, _registry.Registry, "other", $"{run}/other");
        foreach (string image in (string[])[@base, runtime, app, annotatedOnly])
        {
            Ok("sign", "--instance", "local", image);
        }

        // The base declares scratch and its provenance names no image; the runtime's names its base by flag (it makes
        // no claim of its own); the application's is read from its own annotation, proved, and recorded. The other image
        // claims the base in an annotation its provenance does not back.
        Attest(@base);
        Attest(runtime, "--base-image", UmociLineage.WithoutDigest(@base));
        Attest(annotatedOnly);
        CliRun fromClaim = _cli.Run("attest", "--instance", "local", app, "--provenance", "--builder-id", Builder, "--base-image-from-claim");
        Assert.True(fromClaim.ExitCode == 0, fromClaim.ToString());
        Assert.Contains($"Provenance: base image pkg:docker/{_registry.Registry.Host}/{run}/runtime@runtime?digest={UmociLineage.Digest(runtime)}&platform=linux%2Famd64", fromClaim.Stderr, StringComparison.Ordinal);
        string policy = Policy(run);

        CliRun verified = _cli.Run("verify", "--instance", "local", "--policy", policy, app);
        CliRun json = _cli.Run("verify", "--instance", "local", "--policy", policy, app, "--output", "json");
        CliRun refused = _cli.Run("verify", "--instance", "local", "--policy", policy, annotatedOnly);

        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Contains($"base claim: {UmociLineage.WithoutDigest(runtime)}@{UmociLineage.Digest(runtime)} (from ManifestAnnotation, Provenance)", verified.Stderr, StringComparison.Ordinal);
        Assert.Contains($"(from Provenance)", verified.Stderr, StringComparison.Ordinal);
        Assert.Contains("base claim: scratch (from ManifestAnnotation)", verified.Stderr, StringComparison.Ordinal);
        using (JsonDocument verdict = JsonDocument.Parse(json.Stdout))
        {
            JsonElement levels = verdict.RootElement.GetProperty("levels");
            Assert.Equal(3, levels.GetArrayLength());
            Assert.Equal(["ManifestAnnotation", "Provenance"], levels[0].GetProperty("baseClaim").GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
            Assert.Equal(["Provenance"], levels[1].GetProperty("baseClaim").GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
            Assert.Equal("Chosen", levels[1].GetProperty("provenance").GetProperty("candidates")[0].GetProperty("outcome").GetString());
        }

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("SC4654", refused.Stderr, StringComparison.Ordinal);

        // The display walk reads no provenance (nothing is verified there): it shows each level's claim and its source,
        // and stops at the runtime, whose only claim is its signed provenance.
        CliRun display = _cli.Run("lineage", app);
        Assert.True(display.ExitCode == 0, display.ToString());
        Assert.Contains($"base claim: {UmociLineage.WithoutDigest(runtime)}@{UmociLineage.Digest(runtime)} (from ManifestAnnotation)", display.Stdout, StringComparison.Ordinal);
        Assert.Contains("base claim: none", display.Stdout, StringComparison.Ordinal);
        Assert.Contains("end: NoClaim", display.Stdout, StringComparison.Ordinal);

        // The policy's walk shows what the verified provenance backs, level by level.
        CliRun policyWalk = _cli.Run("lineage", app, "--policy", policy, "--instance", "local");
        CliRun policyRefused = _cli.Run("lineage", annotatedOnly, "--policy", policy, "--instance", "local");
        Assert.True(policyWalk.ExitCode == 0, policyWalk.ToString());
        Assert.Contains("(from ManifestAnnotation, Provenance)", policyWalk.Stdout, StringComparison.Ordinal);
        Assert.Contains($"base claim: {_registry.Registry.Host}/{run}/base:base@{UmociLineage.Digest(@base)} (from Provenance)", policyWalk.Stdout, StringComparison.Ordinal);
        Assert.Contains("Chosen: ", policyWalk.Stdout, StringComparison.Ordinal);
        Assert.Contains("end: Scratch", policyWalk.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, policyRefused.ExitCode);
        Assert.Contains("SC4654", policyRefused.Stderr, StringComparison.Ordinal);
    }

    [RegistryFact(needsImageTools: true)]
    public void Base_image_flags_need_provenance_an_image_without_a_claim_has_none_to_record_and_lineage_trust_flags_need_a_policy()
    {
        string run = "provflags" + Guid.NewGuid().ToString("N")[..8];
        using var umoci = new UmociChain();
        umoci.FromScratch("plain");
        string plain = UmociLineage.Pushed(umoci, _registry.Registry, "plain", $"{run}/plain");

        CliRun withoutProvenance = _cli.Run("attest", "--instance", "local", plain, "--predicate", _cli.Write("p.json", "{}"), "--base-image-from-claim");
        CliRun noClaim = _cli.Run("attest", "--instance", "local", plain, "--provenance", "--builder-id", Builder, "--base-image-from-claim");

        Assert.Equal(2, withoutProvenance.ExitCode);
        Assert.Contains("SC6001", withoutProvenance.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, noClaim.ExitCode);
        Assert.Contains("SC5105", noClaim.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Pushed attestation", noClaim.Stderr, StringComparison.Ordinal);
        foreach (string[] misuse in (string[][])[["lineage", plain, "--instance", "local"], ["lineage", plain, "--policy", Policy(run), "--max-depth", "3"]])
        {
            CliRun refused = _cli.Run(misuse);
            Assert.True(refused.ExitCode == 2 && refused.Stderr.Contains("SC6001", StringComparison.Ordinal), refused.ToString());
        }
    }
}
