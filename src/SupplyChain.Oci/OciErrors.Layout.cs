using SupplyChain.Core.Errors;

namespace SupplyChain.Oci;

/// <summary>Stable error codes of SupplyChain.Oci: OCI image layouts on disk and copies (SC4060-SC4079).</summary>
public static partial class OciErrors
{
    /// <summary>SC4060: the directory is not a valid OCI image layout (no or malformed <c>oci-layout</c> file, unsupported <c>imageLayoutVersion</c>, no or malformed <c>index.json</c>).</summary>
    public static readonly ErrorCode LayoutInvalid = new("SC4060", ErrorCategory.MalformedInput, "the directory is not a valid OCI image layout");

    /// <summary>SC4061: a file of the layout is a symbolic link or not a regular file (a read or write would leave the layout directory, or block on a device).</summary>
    public static readonly ErrorCode LayoutEntryRefused = new("SC4061", ErrorCategory.MalformedInput, "a layout entry is a symbolic link or not a regular file");

    /// <summary>SC4062: the reference names no single image: no tag or digest and the layout holds several images, or one tag on several manifests.</summary>
    public static readonly ErrorCode LayoutReferenceAmbiguous = new("SC4062", ErrorCategory.MalformedInput, "the layout reference is ambiguous");

    /// <summary>SC4063: another writer held the layout's lock beyond the wait.</summary>
    public static readonly ErrorCode LayoutLocked = new("SC4063", ErrorCategory.ServiceFailure, "the layout is locked by another writer");

    /// <summary>SC4064: the layout could not be read or written (permissions, disk full, I/O error).</summary>
    public static readonly ErrorCode LayoutIoFailed = new("SC4064", ErrorCategory.ServiceFailure, "the layout could not be read or written");

    /// <summary>SC4065: an <c>oci:</c> reference where layouts are not allowed: a registry image's base claim naming a local path, or a layout outside the configured roots.</summary>
    public static readonly ErrorCode LayoutReferenceRefused = new("SC4065", ErrorCategory.VerificationFailed, "a layout reference is not allowed here");

    /// <summary>SC4066: a copy could not carry everything attached: the source lists more than the limits allow, or content it names is missing.</summary>
    public static readonly ErrorCode CopyIncomplete = new("SC4066", ErrorCategory.MalformedInput, "the copy could not carry everything attached");
}
