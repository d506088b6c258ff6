namespace SupplyChain.Policy.Model;

/// <summary>
/// What the admission webhook does with a denial (docs/admission.md, "Modes"): the policy's top-level <c>mode</c>,
/// overridable per rule. The evaluator computes the same verdict in every mode; only its consequence differs.
/// </summary>
public enum PolicyMode
{
    /// <summary>A denial rejects the workload (the default).</summary>
    Enforce,

    /// <summary>A denial admits the workload with a warning shown to the client (kubectl prints it).</summary>
    Warn,

    /// <summary>A denial admits the workload silently; it is only logged and counted in the metrics.</summary>
    Audit,
}
