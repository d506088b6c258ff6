using SupplyChain.Oci.Registry;

namespace SupplyChain.Admission.Evaluation;

/// <summary>Options of <see cref="AdmissionEvaluator"/>.</summary>
public sealed class AdmissionEvaluatorOptions
{
    /// <summary>The platform an image index is resolved to (pods do not name one): default <c>linux/amd64</c>.</summary>
    public OciPlatform Platform { get; init; } = new("linux", "amd64");

    /// <summary>The verdict cache; <c>null</c> evaluates every image every time (the offline twin, <c>signcli admission review</c>).</summary>
    public IVerdictCache? Cache { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
