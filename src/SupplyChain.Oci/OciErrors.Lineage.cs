using SupplyChain.Core.Errors;

namespace SupplyChain.Oci;

/// <summary>Stable error codes of SupplyChain.Oci.</summary>
public static partial class OciErrors
{
    // Base-image lineage (SC46xx-SC47xx)

    /// <summary>SC4601: two sources of the base-image claim (manifest annotations, index annotations, config labels, provenance) name different bases.</summary>
    public static readonly ErrorCode LineageClaimConflict = new("SC4601", ErrorCategory.VerificationFailed, "the sources of the base-image claim disagree");

    /// <summary>SC4602: a base-image claim is incomplete or malformed (a name without a digest, a digest without a name, a bad digest or reference).</summary>
    public static readonly ErrorCode LineageClaimMalformed = new("SC4602", ErrorCategory.MalformedInput, "the base-image claim is malformed");

    /// <summary>SC4603: the claimed base's layers are not the bottom layers of the image (a forged or stale claim, or a squashed image).</summary>
    public static readonly ErrorCode LineageProofFailed = new("SC4603", ErrorCategory.VerificationFailed, "the claimed base's layers are not the bottom layers of the image");

    /// <summary>SC4604: the claimed base image is not in the registry.</summary>
    public static readonly ErrorCode LineageBaseMissing = new("SC4604", ErrorCategory.VerificationFailed, "the claimed base image is not in the registry");

    /// <summary>SC4605: the lineage claims form a cycle.</summary>
    public static readonly ErrorCode LineageCycle = new("SC4605", ErrorCategory.VerificationFailed, "the base-image claims form a cycle");

    /// <summary>SC4606: the lineage is deeper than the depth limit.</summary>
    public static readonly ErrorCode LineageTooDeep = new("SC4606", ErrorCategory.VerificationFailed, "the lineage is deeper than the depth limit");

    /// <summary>SC4607: a manifest, index or image config met on the walk is malformed, too large, or of an unsupported media type.</summary>
    public static readonly ErrorCode LineageImageMalformed = new("SC4607", ErrorCategory.MalformedInput, "a manifest, index or image config in the lineage is malformed or unsupported");

    /// <summary>SC4608: an index has no manifest for the requested (or the child's) platform.</summary>
    public static readonly ErrorCode LineagePlatformNotFound = new("SC4608", ErrorCategory.VerificationFailed, "the index has no manifest for the platform");

    /// <summary>SC4609: content read from the registry does not match its digest.</summary>
    public static readonly ErrorCode LineageDigestMismatch = new("SC4609", ErrorCategory.VerificationFailed, "registry content does not match its digest");

    /// <summary>SC4610: the image whose lineage is asked for is not in the registry.</summary>
    public static readonly ErrorCode LineageImageMissing = new("SC4610", ErrorCategory.VerificationFailed, "the image is not in the registry");

    /// <summary>SC4611: the lineage options are invalid.</summary>
    public static readonly ErrorCode LineageOptionsInvalid = new("SC4611", ErrorCategory.TrustRootOrConfiguration, "the lineage options are invalid");

    // Base images from verified SLSA provenance (SC4650-SC4669)

    /// <summary>SC4650: an image dependency of a verified provenance cannot be located (a malformed purl or reference, no digest, digests that disagree, a <c>pkg:oci</c> purl without <c>repository_url</c>); recorded, and the dependency is not a base candidate.</summary>
    public static readonly ErrorCode ProvenanceDependencyUnusable = new("SC4650", ErrorCategory.MalformedInput, "an image dependency of the provenance cannot be located");

    /// <summary>SC4651: the dependencies of a verified provenance are malformed (not an array, an entry that is not an object, a <c>uri</c> that is not a string, more than 4096 entries).</summary>
    public static readonly ErrorCode ProvenanceDependenciesMalformed = new("SC4651", ErrorCategory.MalformedInput, "the provenance's dependencies are malformed");

    /// <summary>SC4652: a verified provenance names more image dependencies of the child's platform than are fetched per level (16); none was requested.</summary>
    public static readonly ErrorCode ProvenanceCandidatesExceeded = new("SC4652", ErrorCategory.MalformedInput, "the provenance names too many base candidates");

    /// <summary>SC4653: two different images named by the verified provenance prove the same, longest, layer prefix: the base is ambiguous.</summary>
    public static readonly ErrorCode ProvenanceBaseAmbiguous = new("SC4653", ErrorCategory.VerificationFailed, "two images of the provenance prove the same layer prefix");

    /// <summary>SC4654: the walk requires provenance-backed claims, and a level's claim is not backed by its verified provenance (no verified provenance, or none of its candidates proved the claimed base).</summary>
    public static readonly ErrorCode ClaimNotBackedByProvenance = new("SC4654", ErrorCategory.VerificationFailed, "the base-image claim is not backed by verified provenance");
}
