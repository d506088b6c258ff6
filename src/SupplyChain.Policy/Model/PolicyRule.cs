namespace SupplyChain.Policy.Model;

/// <summary>
/// One rule: the images it covers (name globs), who must sign them (any <see cref="Threshold"/> of
/// <see cref="Authorities"/>), the attestations they need, and what their lineage must look like.
/// </summary>
public sealed class PolicyRule
{
    private readonly IReadOnlyList<ImagePattern> _patterns;
    private readonly IReadOnlyList<ImagePattern> _namespaces;

    internal PolicyRule(string name, IReadOnlyList<ImagePattern> patterns, IReadOnlyList<PolicyAuthority> authorities, int threshold, IReadOnlyList<AttestationRequirement> attestations, LineageRequirement? lineage)
        : this(name, patterns, [], authorities, threshold, attestations, lineage, null, PolicyAction.Deny)
    {
    }

    internal PolicyRule(
        string name,
        IReadOnlyList<ImagePattern> patterns,
        IReadOnlyList<ImagePattern> namespaces,
        IReadOnlyList<PolicyAuthority> authorities,
        int threshold,
        IReadOnlyList<AttestationRequirement> attestations,
        LineageRequirement? lineage,
        PolicyMode? mode,
        PolicyAction onRegistryError)
    {
        Name = name;
        _patterns = patterns;
        _namespaces = namespaces;
        Authorities = authorities;
        Threshold = threshold;
        Attestations = attestations;
        Lineage = lineage;
        Mode = mode;
        OnRegistryError = onRegistryError;
    }

    /// <summary>The namespace globs the rule is scoped to, as written; empty when it applies in every namespace.</summary>
    public IReadOnlyList<string> Namespaces => [.. _namespaces.Select(p => p.Text)];

    /// <summary>The admission mode of this rule's denials, or <c>null</c> to use the policy's <see cref="ImagePolicy.Mode"/>.</summary>
    public PolicyMode? Mode { get; }

    /// <summary>
    /// What the admission webhook does when the registry cannot be read for an image of this rule (unreachable,
    /// throttled, 5xx, out of time): <see cref="PolicyAction.Deny"/> by default. Integrity failures (content not
    /// matching its digest) always deny.
    /// </summary>
    public PolicyAction OnRegistryError { get; }

    /// <summary>The rule's name, unique in the policy (verdicts name the rule they applied).</summary>
    public string Name { get; }

    /// <summary>The image-name globs, as written.</summary>
    public IReadOnlyList<string> Images => [.. _patterns.Select(p => p.Text)];

    /// <summary>The signers the rule accepts.</summary>
    public IReadOnlyList<PolicyAuthority> Authorities { get; }

    /// <summary>How many distinct authorities must have signed (1 = any of them; k for k-of-n).</summary>
    public int Threshold { get; }

    /// <summary>The attestations required.</summary>
    public IReadOnlyList<AttestationRequirement> Attestations { get; }

    /// <summary>The lineage requirement, or <c>null</c> (the lineage is not walked).</summary>
    public LineageRequirement? Lineage { get; }

    /// <summary>Whether one of the rule's globs matches <paramref name="imageName"/>.</summary>
    /// <param name="imageName"><c>registry/repository</c>, as <c>docker.io/library/debian</c>.</param>
    /// <returns><c>true</c> on a match.</returns>
    public bool Matches(string imageName) => _patterns.Any(p => p.Matches(imageName));

    /// <summary>Whether the rule applies to workloads in <paramref name="namespaceName"/>: always when it names no namespaces; else only when one of its globs matches (never for <c>null</c>).</summary>
    /// <param name="namespaceName">The namespace, or <c>null</c> outside a cluster.</param>
    /// <returns><c>true</c> when the rule applies.</returns>
    public bool AppliesToNamespace(string? namespaceName) =>
        _namespaces.Count == 0 || (namespaceName is not null && _namespaces.Any(p => p.Matches(namespaceName)));
}
