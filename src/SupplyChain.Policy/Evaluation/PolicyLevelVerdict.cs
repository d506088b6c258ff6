using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Policy.Evidence;

namespace SupplyChain.Policy.Evaluation;

/// <summary>The verdict on one level of an image's lineage (the image itself is level 0).</summary>
public sealed class PolicyLevelVerdict
{
    internal PolicyLevelVerdict(LineageLevel level, string? ruleName)
    {
        Level = level;
        RuleName = ruleName;
    }

    /// <summary>The level: digest, name, platform, layers added, base claim.</summary>
    public LineageLevel Level { get; }

    /// <summary>The rule applied (the first matching the level's own name), or <c>null</c> when none matched.</summary>
    public string? RuleName { get; }

    /// <summary>The decision.</summary>
    public PolicyDecision Decision { get; private set; } = PolicyDecision.Denied;

    /// <summary>Whether the level passed.</summary>
    public bool Allowed => Decision != PolicyDecision.Denied;

    /// <summary>Why the level was denied, or <c>null</c>.</summary>
    public ErrorCode? Error { get; private set; }

    /// <summary>The failure's message, or <c>null</c>.</summary>
    public string? ErrorDetail { get; private set; }

    /// <summary>The verified signers found (those that satisfied one of the rule's authorities).</summary>
    public IReadOnlyList<VerifiedSigner> Signers { get; internal set; } = [];

    /// <summary>The verified attestations found for the rule's required predicate types.</summary>
    public IReadOnlyList<VerifiedAttestation> Attestations { get; internal set; } = [];

    /// <summary>The signatures found on the level that no authority of its rule accepted, each with its code (a malformed one is skipped, not fatal).</summary>
    public IReadOnlyList<Oci.Signatures.RejectedSignature> Rejected { get; internal set; } = [];

    internal void Allow(PolicyDecision decision)
    {
        if (Error is null)
        {
            Decision = decision;
        }
    }

    /// <summary>Denies the level; the first reason is kept.</summary>
    internal void Deny(SupplyChainException reason) => Deny(reason.Error, reason.Message);

    /// <summary>Denies the level with <paramref name="code"/> and a full message; the first reason is kept.</summary>
    internal void Deny(ErrorCode code, string? message)
    {
        if (Error is null)
        {
            Decision = PolicyDecision.Denied;
            Error = code;
            ErrorDetail = message;
        }
    }
}
