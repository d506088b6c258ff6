namespace SupplyChain.Policy.Model;

/// <summary>
/// One rule: the images it covers (name globs), who must sign them (any <see cref="Threshold"/> of
/// <see cref="Authorities"/>), the attestations they need, and what their lineage must look like.
/// </summary>
public sealed class PolicyRule
{
    private readonly IReadOnlyList<ImagePattern> _patterns;

    internal PolicyRule(string name, IReadOnlyList<ImagePattern> patterns, IReadOnlyList<PolicyAuthority> authorities, int threshold, IReadOnlyList<AttestationRequirement> attestations, LineageRequirement? lineage)
    {
        Name = name;
        _patterns = patterns;
        Authorities = authorities;
        Threshold = threshold;
        Attestations = attestations;
        Lineage = lineage;
    }

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
}
