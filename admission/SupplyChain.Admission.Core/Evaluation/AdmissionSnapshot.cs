using SupplyChain.Core.Trust;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;

namespace SupplyChain.Admission.Evaluation;

/// <summary>
/// One consistent view of what admission decisions depend on: the policy, the trust material and the registry
/// client, with the evaluator built over them. Immutable; a policy or trust-root reload builds a new snapshot and
/// swaps it in atomically, so a request in flight finishes on the snapshot it started with.
/// </summary>
public sealed class AdmissionSnapshot
{
    /// <summary>Builds the snapshot and its <see cref="PolicyEvaluator"/>.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="trust">The trusted material (TUF or a mounted trusted_root.json).</param>
    /// <param name="trustRootVersion">A version of the trust material, such as <c>sha256:</c> of its bytes.</param>
    /// <param name="registry">The registry client (long-lived, shared).</param>
    public AdmissionSnapshot(ImagePolicy policy, ITrustedMaterial trust, string trustRootVersion, IOciRegistry registry)
        : this(policy, trust, trustRootVersion, registry, null)
    {
    }

    /// <summary>Builds the snapshot of one set of pull-secret credentials (<see cref="PullSecrets.PodRegistries"/>).</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="trust">The trusted material.</param>
    /// <param name="trustRootVersion">The trust material's version.</param>
    /// <param name="registry">The registry client of those credentials.</param>
    /// <param name="credentialScope">The credentials' scope key (a keyed hash, never secret content), or <c>null</c> for the webhook's own.</param>
    public AdmissionSnapshot(ImagePolicy policy, ITrustedMaterial trust, string trustRootVersion, IOciRegistry registry, string? credentialScope)
    {
        CredentialScope = credentialScope;
        Policy = policy ?? throw new ArgumentNullException(nameof(policy));
        Trust = trust ?? throw new ArgumentNullException(nameof(trust));
        TrustRootVersion = trustRootVersion ?? throw new ArgumentNullException(nameof(trustRootVersion));
        Registry = registry ?? throw new ArgumentNullException(nameof(registry));
        Evaluator = new PolicyEvaluator(policy, registry, new OciSignatureEvidenceSource(registry, trust));
    }

    /// <summary>The policy.</summary>
    public ImagePolicy Policy { get; }

    /// <summary>The policy's version (its fingerprint).</summary>
    public string PolicyVersion => Policy.Fingerprint;

    /// <summary>The trusted material.</summary>
    public ITrustedMaterial Trust { get; }

    /// <summary>The trust material's version.</summary>
    public string TrustRootVersion { get; }

    /// <summary>The pull-secret credentials this snapshot reads with (part of the verdict cache key), or <c>null</c> for the webhook's own.</summary>
    public string? CredentialScope { get; }

    /// <summary>The registry client.</summary>
    public IOciRegistry Registry { get; }

    /// <summary>The evaluator over <see cref="Policy"/>, <see cref="Registry"/> and <see cref="Trust"/>.</summary>
    public PolicyEvaluator Evaluator { get; }
}
