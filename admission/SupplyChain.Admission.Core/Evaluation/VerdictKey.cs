namespace SupplyChain.Admission.Evaluation;

/// <summary>
/// What a cached verdict depends on (issue 7, "Cache"; issue 13): the image by digest, the platforms the workload can run, the
/// namespace when the policy scopes rules to namespaces (else <c>null</c>), the policy's fingerprint and the
/// trust material's version. Any change of policy or trust root therefore misses the cache.
/// </summary>
/// <param name="Image"><c>registry/repository@sha256:...</c> (never a tag).</param>
/// <param name="Platform">The workload's platform set (<see cref="SupplyChain.Policy.Evaluation.PlatformSet.Key"/>), or <c>*</c> for every platform.</param>
/// <param name="Namespace">The namespace, or <c>null</c> when no rule is namespace-scoped.</param>
/// <param name="PolicyVersion"><see cref="SupplyChain.Policy.Model.ImagePolicy.Fingerprint"/>.</param>
/// <param name="TrustRootVersion"><see cref="AdmissionSnapshot.TrustRootVersion"/>.</param>
/// <param name="CredentialScope"><see cref="AdmissionSnapshot.CredentialScope"/>: a verdict read with one pod's pull secrets never serves a pod without them.</param>
public readonly record struct VerdictKey(string Image, string Platform, string? Namespace, string PolicyVersion, string TrustRootVersion, string? CredentialScope = null);
