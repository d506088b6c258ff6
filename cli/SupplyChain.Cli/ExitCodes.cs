using SupplyChain.Core.Errors;

namespace SupplyChain.Cli;

/// <summary>The process exit codes of signcli (docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>The artifact verified.</summary>
    public const int Success = 0;

    /// <summary>Verification failed: deny.</summary>
    public const int VerificationFailed = 1;

    /// <summary>Malformed input or a usage error.</summary>
    public const int MalformedInput = 2;

    /// <summary>The trust root or the configuration is unusable.</summary>
    public const int TrustRootOrConfiguration = 3;

    /// <summary>A remote service failed (retrying may help).</summary>
    public const int ServiceFailure = 4;

    /// <summary>The image has no signature (or no attestation of the type) at all: distinct from 1, "found but none matches".</summary>
    public const int NoSignatures = 5;

    /// <summary>An unexpected exception: a bug (EX_SOFTWARE from sysexits.h).</summary>
    public const int InternalError = 70;

    /// <summary>Cancelled by Ctrl-C or SIGTERM (SC8120): 128 + SIGINT, the status shells give a process SIGINT ended.</summary>
    public const int Cancelled = 130;

    /// <summary>
    /// The exit code for <paramref name="error"/>: 5 for "no signatures found" (SC4401); 4 for "not in the registry" (the
    /// tag, digest or blob named does not exist there: SC4013, SC4014, SC4610), with the registry errors, as docs/cli.md's
    /// table says (the library files these as malformed input, so that a webhook never admits on a missing image as on a
    /// registry outage); else its category's.
    /// </summary>
    public static int For(ErrorCode error) =>
        error == Oci.OciErrors.NoSignaturesFound ? NoSignatures
        : error == Oci.OciErrors.ManifestNotFound || error == Oci.OciErrors.BlobNotFound || error == Oci.OciErrors.LineageImageMissing ? ServiceFailure
        : For(error.Category);

    /// <summary>The exit code for a failure of <paramref name="category"/>.</summary>
    public static int For(ErrorCategory category) => category switch
    {
        ErrorCategory.VerificationFailed => VerificationFailed,
        ErrorCategory.MalformedInput => MalformedInput,
        ErrorCategory.TrustRootOrConfiguration => TrustRootOrConfiguration,
        ErrorCategory.ServiceFailure => ServiceFailure,
        _ => InternalError,
    };
}
