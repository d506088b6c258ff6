using SupplyChain.Core.Verification;

namespace SupplyChain.Policy.Model;

/// <summary>
/// One signer a rule accepts: a keyless identity (OIDC issuer + certificate subject, each exact or an anchored
/// regular expression) or a public key. <see cref="Policy"/> is the Core verification policy a signature verifier
/// applies to decide whether a signature is by this authority.
/// </summary>
public sealed class PolicyAuthority
{
    internal PolicyAuthority(string name, VerificationPolicy policy, string description)
    {
        Name = name;
        Policy = policy;
        Description = description;
    }

    /// <summary>The authority's name, unique within its rule (evidence refers to authorities by it).</summary>
    public string Name { get; }

    /// <summary>What a signature must satisfy: one certificate identity, or one public key.</summary>
    public VerificationPolicy Policy { get; }

    /// <summary>A short description for results and errors, such as <c>keyless subject (issuer)</c> or <c>key sha256:...</c>.</summary>
    public string Description { get; }

    /// <inheritdoc/>
    public override string ToString() => Name + ": " + Description;
}
