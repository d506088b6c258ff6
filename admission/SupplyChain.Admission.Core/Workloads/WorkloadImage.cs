namespace SupplyChain.Admission.Workloads;

/// <summary>One image reference found in a workload object.</summary>
/// <param name="Reference">The reference as written.</param>
/// <param name="Location">Where, as <c>spec.template.spec.initContainers[0].image</c>.</param>
internal sealed record WorkloadImage(string Reference, string Location);
