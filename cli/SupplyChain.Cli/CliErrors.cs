using SupplyChain.Core.Errors;

namespace SupplyChain.Cli;

/// <summary>
/// The CLI's own error codes (the <c>SC6xxx</c> range, and <c>SC8120</c>-<c>SC8129</c>), listed in <c>docs/errors.md</c>. Failures from
/// the libraries keep their own codes (for example <c>SC1501</c>); these cover what only the CLI knows:
/// the command line, the files it names, and unexpected exceptions.
/// </summary>
internal static class CliErrors
{
    /// <summary>SC6001: the command line is not valid (unknown or missing option, conflicting flags).</summary>
    public static readonly ErrorCode Usage = new("SC6001", ErrorCategory.MalformedInput, "usage error");

    /// <summary>SC6002: a file named on the command line does not exist or cannot be read.</summary>
    public static readonly ErrorCode FileUnreadable = new("SC6002", ErrorCategory.MalformedInput, "a file named on the command line cannot be read");

    /// <summary>SC6003: the artifact argument looks like a digest but is not a valid <c>sha256:HEX</c> (or sha384/sha512) digest.</summary>
    public static readonly ErrorCode InvalidArtifactDigest = new("SC6003", ErrorCategory.MalformedInput, "the artifact digest is not a valid sha256:HEX, sha384:HEX or sha512:HEX digest");

    /// <summary>SC6004: a file named on the command line is larger than the CLI reads for its role.</summary>
    public static readonly ErrorCode FileTooLarge = new("SC6004", ErrorCategory.MalformedInput, "a file named on the command line exceeds the size limit");

    /// <summary>SC6005: the command is not implemented yet (no longer emitted; kept so the code is never reused).</summary>
    public static readonly ErrorCode NotImplemented = new("SC6005", ErrorCategory.MalformedInput, "the command is not implemented yet");

    /// <summary>SC6006 (no longer emitted; identity tokens are checked with the signing library's codes): the identity token is not a compact JWS with <c>iss</c> and <c>sub</c> (or <c>email</c>) claims.</summary>
    public static readonly ErrorCode IdentityTokenMalformed = new("SC6006", ErrorCategory.MalformedInput, "the identity token is not a JWT with iss and sub (or email) claims");

    /// <summary>SC6007: the output file cannot be written.</summary>
    public static readonly ErrorCode OutputUnwritable = new("SC6007", ErrorCategory.MalformedInput, "the output file cannot be written");

    /// <summary>SC6008: the <c>attest-blob</c> predicate (or statement) is not valid JSON (or the statement is not an in-toto Statement v1).</summary>
    public static readonly ErrorCode PredicateInvalid = new("SC6008", ErrorCategory.MalformedInput, "the predicate is not valid JSON");

    /// <summary>SC6009: <c>--type</c> is neither one of cosign's short names nor an absolute URI.</summary>
    public static readonly ErrorCode PredicateTypeUnknown = new("SC6009", ErrorCategory.MalformedInput, "the predicate type is not a known short name or an absolute URI");

    /// <summary>SC6010: <c>--registry-username</c>/<c>--registry-password</c> were given to a command that names no image to bind them to (<c>admission review</c>).</summary>
    public static readonly ErrorCode CredentialsUnbound = new("SC6010", ErrorCategory.MalformedInput, "registry credentials from flags need an IMAGE argument to bind them to");

    /// <summary>
    /// SC6040: <c>--legacy-format</c> was asked for with a Rekor v2 log: cosign's legacy signature layer records a log entry
    /// only by its signed entry timestamp, which Rekor v2 does not give, so the layer would not verify.
    /// </summary>
    public static readonly ErrorCode LegacyFormatNeedsRekorV1 = new("SC6040", ErrorCategory.MalformedInput, "the legacy cosign format cannot record a Rekor v2 log entry");

    /// <summary>
    /// SC8120: the command was cancelled (Ctrl-C, SIGINT or SIGTERM) before it finished. The process exits with 130, not
    /// with the exit code of this code's category; an output file is written only whole, so none is left half-written.
    /// </summary>
    public static readonly ErrorCode Cancelled = new("SC8120", ErrorCategory.ServiceFailure, "cancelled");

    /// <summary>
    /// SC6099: an unexpected exception (a bug). The process exits with 70 (EX_SOFTWARE), not with the
    /// exit code of this code's category; the stack trace is printed only with <c>--debug</c>.
    /// </summary>
    public static readonly ErrorCode Internal = new("SC6099", ErrorCategory.TrustRootOrConfiguration, "internal error");
}
