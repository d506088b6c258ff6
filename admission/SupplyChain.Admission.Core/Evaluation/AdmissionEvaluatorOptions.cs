using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Admission.Evaluation;

/// <summary>Options of <see cref="AdmissionEvaluator"/>.</summary>
public sealed class AdmissionEvaluatorOptions
{
    /// <summary>
    /// The platforms the cluster's nodes run, or <c>null</c> (the default) for every platform: of an index, the platforms
    /// a workload can run (its pod spec's <c>kubernetes.io/os</c>/<c>arch</c> pins, within these) must all pass.
    /// </summary>
    public PlatformSet? NodePlatforms { get; init; }

    /// <summary>The verdict cache; <c>null</c> evaluates every image every time (the offline twin, <c>signcli admission review</c>).</summary>
    public IVerdictCache? Cache { get; init; }

    /// <summary>
    /// Most bytes one review may read from registries, all its images and their lineages together (manifests, configs,
    /// referrers listings, signatures, attestations): the review's <see cref="Oci.Registry.RegistryReadBudget"/>.
    /// Exhausted, the images still being read are denied with <c>SC4020</c> (never admitted, not even under
    /// <c>onRegistryError: allow</c>). Default <see cref="EvaluationBudget.DefaultMaxTotalBytes"/> (128 MiB).
    /// </summary>
    public long ReadBudgetBytes { get; init; } = EvaluationBudget.DefaultMaxTotalBytes;

    /// <summary>Most registry reads one review has in flight at once. Default <see cref="EvaluationBudget.DefaultMaxConcurrentDownloads"/> (8).</summary>
    public int MaxConcurrentDownloads { get; init; } = EvaluationBudget.DefaultMaxConcurrentDownloads;

    /// <summary>
    /// Reads each pod's pull secrets (and its service account's) and evaluates its images with those credentials, or
    /// <c>null</c> (the default) to read every image with the snapshot's registry client alone (docs/admission.md, "Private registries").
    /// </summary>
    public PullSecrets.PodRegistries? PullSecrets { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
