using System.Security.Cryptography;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Policy.Tests.Evaluation;

/// <summary>
/// The supply chain of issue 6 in a fake registry: scratch -> base (signed by the publisher) -> runtime (signed by
/// the publisher) -> app (signed by CI), each claim true and provable, and a policy describing who signs what.
/// </summary>
public abstract class HierarchyFixture : IDisposable
{
    public const string CiIssuer = "https://ci.example";
    public const string CiSubject = "https://ci.example/org/app/.github/workflows/release.yml@refs/heads/main";
    public const string PublisherIssuer = "https://publisher.example";
    public const string PublisherSubject = "release@publisher.example";
    public const string Provenance = "https://slsa.dev/provenance/v1";

    protected HierarchyFixture()
    {
        Images = new LineageImages(Registry);
        Base = Images.Push("registry.test/base", ["b1"], tag: "1", annotations: new Dictionary<string, string> { [BaseImageClaim.NameKey] = "scratch" });
        Runtime = Images.Push("registry.test/runtime", ["b1", "r1"], tag: "1", annotations: Base.AsBaseClaim());
        App = Images.Push("registry.test/app", ["b1", "r1", "a1"], tag: "1", annotations: Runtime.AsBaseClaim());
        Evidence.Sign(Base.Digest, Publisher);
        Evidence.Sign(Runtime.Digest, Publisher);
        Evidence.Sign(App.Digest, Ci);
    }

    protected static FakeSignature Ci { get; } = FakeSignature.Keyless(CiSubject, CiIssuer);

    protected static FakeSignature Publisher { get; } = FakeSignature.Keyless(PublisherSubject, PublisherIssuer);

    protected ECDsa ReleaseKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    protected InMemoryRegistry Registry { get; } = new();

    protected LineageImages Images { get; }

    protected FakeEvidence Evidence { get; } = new();

    protected LineageImage Base { get; }

    protected LineageImage Runtime { get; }

    protected LineageImage App { get; }

    /// <summary>The hierarchy's policy; <paramref name="appRule"/> replaces the lines of the app rule after its authorities.</summary>
    protected static string PolicyText(string appRule = "    lineage: { required: true, maxDepth: 4 }\n", string extraRules = "", string header = "") => $$"""
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        {{header}}
        rules:
          - name: apps
            images: ["registry.test/app"]
            authorities:
              - name: ci
                keyless:
                  issuer: {{CiIssuer}}
                  subjectRegExp: "https://ci\\.example/org/[^/]+/\\.github/workflows/release\\.yml@refs/heads/main"
        {{appRule}}
        {{extraRules}}
          - name: platform
            images: ["registry.test/base", "registry.test/runtime"]
            authorities:
              - name: publisher
                keyless: { issuer: "{{PublisherIssuer}}", subject: "{{PublisherSubject}}" }
        """;

    protected Task<PolicyVerdict> EvaluateAsync(string policy, LineageImage? image = null) =>
        EvaluateAsync(policy, (image ?? App).Reference);

    protected Task<PolicyVerdict> EvaluateAsync(string policy, ImageReference image, PlatformSet? platforms = null) =>
        new PolicyEvaluator(ImagePolicy.Parse(policy), Registry, Evidence).EvaluateAsync(image, platforms);

    protected static void AssertDenied(PolicyVerdict verdict, string code, int level)
    {
        Assert.False(verdict.Allowed);
        Assert.Equal(code, verdict.Error?.Code);
        Assert.Equal(code, verdict.Levels[level].Error?.Code);
        Assert.Equal(PolicyDecision.Denied, verdict.Levels[level].Decision);
    }

    public void Dispose()
    {
        ReleaseKey.Dispose();
        GC.SuppressFinalize(this);
    }
}
