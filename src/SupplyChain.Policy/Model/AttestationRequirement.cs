namespace SupplyChain.Policy.Model;

/// <summary>An attestation a rule requires: an in-toto predicate type, signed by at least <see cref="Threshold"/> of <see cref="Authorities"/>.</summary>
public sealed class AttestationRequirement
{
    internal AttestationRequirement(string predicateType, IReadOnlyList<PolicyAuthority> authorities, int threshold, AttestationConditions? conditions = null)
    {
        PredicateType = predicateType;
        Authorities = authorities;
        Threshold = threshold;
        Conditions = conditions;
    }

    /// <summary>The in-toto predicate type, such as <c>https://slsa.dev/provenance/v1</c> or <c>https://cyclonedx.org/bom</c>.</summary>
    public string PredicateType { get; }

    /// <summary>Who may sign it (a subset of the rule's authorities; all of them unless the policy names some).</summary>
    public IReadOnlyList<PolicyAuthority> Authorities { get; }

    /// <summary>How many distinct authorities must have signed an attestation of this type (default 1).</summary>
    public int Threshold { get; }

    /// <summary>What the attestation must say (its verified content and its signer's certificate), or <see langword="null"/>: any attestation of the type counts.</summary>
    public AttestationConditions? Conditions { get; }
}
