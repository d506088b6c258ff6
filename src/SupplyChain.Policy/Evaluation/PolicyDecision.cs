namespace SupplyChain.Policy.Evaluation;

/// <summary>What the evaluator decided for one level.</summary>
public enum PolicyDecision
{
    /// <summary>The level satisfied its rule: enough verified signers, and every required attestation.</summary>
    Verified,

    /// <summary>The level is where the lineage ends at a trusted root (or at scratch, when trusted) and no rule matches its name: the policy's trust in it is the authority.</summary>
    TrustedRoot,

    /// <summary>No rule matches the image the workload names and the policy's default action is allow (<see cref="PolicyVerdict.Decision"/>; nothing was requested). Never a lineage level's decision: an unruled ancestor is denied.</summary>
    DefaultAllowed,

    /// <summary>The level is denied; see its error code.</summary>
    Denied,
}
