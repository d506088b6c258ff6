using SupplyChain.Core.Errors;

namespace SupplyChain.Oci;

/// <summary>Stable error codes of SupplyChain.Oci (the <c>SC4xxx</c> range), listed in <c>docs/errors.md</c>.</summary>
public static partial class OciErrors
{
    /// <summary>SC4001: the image reference is not a valid OCI/Docker reference (registry, repository, tag or digest).</summary>
    public static readonly ErrorCode ReferenceMalformed = new("SC4001", ErrorCategory.MalformedInput, "the image reference is malformed");
}
