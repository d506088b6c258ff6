using SupplyChain.Core.Trust;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Policy.Tests.Evaluation;

/// <summary>
/// Images in the in-memory registry (which serves referrers) signed for real: two test keys (<see cref="Ci"/>,
/// <see cref="Publisher"/>) whose DSSE bundles are recorded in a <see cref="VirtualSigstore"/> Rekor log and attached as
/// bundle referrers; the evaluator runs over <see cref="OciSignatureEvidenceSource"/> (the signature layer the webhook
/// uses), optionally under a read budget.
/// </summary>
public sealed class SignedWorld : IDisposable
{
    public SignedWorld()
    {
        Images = new LineageImages(Registry);
        Ci = new ImageKeySigner(Sigstore);
        Publisher = new ImageKeySigner(Sigstore);
        Trust = TrustedRoot.Parse(Sigstore.TrustedRootBytes);
    }

    public VirtualSigstore Sigstore { get; } = VirtualSigstore.Create();

    public InMemoryRegistry Registry { get; } = new();

    public LineageImages Images { get; }

    public ImageKeySigner Ci { get; }

    public ImageKeySigner Publisher { get; }

    public ITrustedMaterial Trust { get; }

    /// <summary>A policy <c>key</c> authority pinning <paramref name="signer"/>'s public key inline (YAML flow mapping).</summary>
    public static string KeyAuthority(ImageKeySigner signer) =>
        "key: { pem: \"" + signer.PublicKeyPem.Trim().Replace("\n", "\\n", StringComparison.Ordinal) + "\" }";

    /// <summary>Signs <paramref name="digestReference"/> (<c>host/repo@sha256:...</c>) with <paramref name="signer"/>.</summary>
    public void Sign(ImageKeySigner signer, ImageReference digestReference) =>
        signer.SignAsync(Registry, digestReference.ToString()).GetAwaiter().GetResult();

    /// <summary>Evaluates with the real signature layer; under <paramref name="budget"/> when given.</summary>
    public Task<PolicyVerdict> EvaluateAsync(string policy, ImageReference image, RegistryReadBudget? budget = null, PlatformSet? platforms = null)
    {
        ImagePolicy parsed = ImagePolicy.Parse(policy);
        PolicyEvaluator evaluator = budget is null
            ? new PolicyEvaluator(parsed, Registry, new OciSignatureEvidenceSource(Registry, Trust))
            : EvaluationBudget.CreateEvaluator(parsed, Registry, Trust, budget);
        return evaluator.EvaluateAsync(image, platforms);
    }

    public void Dispose()
    {
        Ci.Dispose();
        Publisher.Dispose();
        Sigstore.Dispose();
    }
}
