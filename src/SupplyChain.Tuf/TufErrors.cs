using SupplyChain.Core.Errors;

namespace SupplyChain.Tuf;

/// <summary>Stable error codes of SupplyChain.Tuf (the <c>SC3xxx</c> range), listed in <c>docs/errors.md</c>.</summary>
public static class TufErrors
{
    /// <summary>SC3001: the TUF repository cannot be reached (connection failure or an HTTP error status).</summary>
    public static readonly ErrorCode RepositoryUnreachable = new("SC3001", ErrorCategory.ServiceFailure, "the TUF repository cannot be reached");

    /// <summary>SC3002: a download from the TUF repository did not finish within the timeout (slow retrieval).</summary>
    public static readonly ErrorCode DownloadTimedOut = new("SC3002", ErrorCategory.ServiceFailure, "a download from the TUF repository timed out");

    /// <summary>SC3003: a file served by the TUF repository exceeds its size limit (endless data).</summary>
    public static readonly ErrorCode DownloadTooLarge = new("SC3003", ErrorCategory.ServiceFailure, "a file served by the TUF repository exceeds its size limit");

    /// <summary>SC3004: TUF metadata is not valid JSON of the TUF metadata format.</summary>
    public static readonly ErrorCode MetadataMalformed = new("SC3004", ErrorCategory.MalformedInput, "TUF metadata is malformed");

    /// <summary>SC3005: TUF metadata has a different <c>_type</c> than the role it was fetched for.</summary>
    public static readonly ErrorCode WrongRoleType = new("SC3005", ErrorCategory.VerificationFailed, "TUF metadata is of the wrong role type");

    /// <summary>SC3006: TUF metadata is not signed by a threshold of distinct keys of its role.</summary>
    public static readonly ErrorCode ThresholdNotMet = new("SC3006", ErrorCategory.VerificationFailed, "TUF metadata is not signed by a threshold of its role's keys");

    /// <summary>SC3007: a new root is not signed by a threshold of the previous (trusted) root's keys.</summary>
    public static readonly ErrorCode RootRotationUntrusted = new("SC3007", ErrorCategory.VerificationFailed, "a new TUF root is not signed by a threshold of the previous root's keys");

    /// <summary>SC3008: the root file <c>N.root.json</c> does not carry version N.</summary>
    public static readonly ErrorCode RootVersionMismatch = new("SC3008", ErrorCategory.VerificationFailed, "a TUF root does not carry the version its file name promises");

    /// <summary>SC3009: the newest trusted root has expired (freeze attack or an unmaintained repository).</summary>
    public static readonly ErrorCode RootExpired = new("SC3009", ErrorCategory.VerificationFailed, "the TUF root has expired");

    /// <summary>SC3010: the timestamp metadata has expired.</summary>
    public static readonly ErrorCode TimestampExpired = new("SC3010", ErrorCategory.VerificationFailed, "the TUF timestamp has expired");

    /// <summary>SC3011: the snapshot metadata has expired.</summary>
    public static readonly ErrorCode SnapshotExpired = new("SC3011", ErrorCategory.VerificationFailed, "the TUF snapshot has expired");

    /// <summary>SC3012: targets (or delegated targets) metadata has expired.</summary>
    public static readonly ErrorCode TargetsExpired = new("SC3012", ErrorCategory.VerificationFailed, "TUF targets metadata has expired");

    /// <summary>SC3013: the timestamp (or the snapshot version it names) is older than the trusted one (rollback attack).</summary>
    public static readonly ErrorCode TimestampRollback = new("SC3013", ErrorCategory.VerificationFailed, "the TUF timestamp rolls back a trusted version");

    /// <summary>SC3014: the snapshot drops or rolls back a targets role listed in the trusted snapshot (rollback attack).</summary>
    public static readonly ErrorCode SnapshotRollback = new("SC3014", ErrorCategory.VerificationFailed, "the TUF snapshot rolls back a trusted targets version");

    /// <summary>SC3015: the snapshot's version is not the one the timestamp names (mix-and-match attack).</summary>
    public static readonly ErrorCode SnapshotVersionMismatch = new("SC3015", ErrorCategory.VerificationFailed, "the TUF snapshot version differs from the timestamp's");

    /// <summary>SC3016: a targets role's version is not the one the snapshot names (mix-and-match attack).</summary>
    public static readonly ErrorCode TargetsVersionMismatch = new("SC3016", ErrorCategory.VerificationFailed, "a TUF targets version differs from the snapshot's");

    /// <summary>SC3017: a snapshot or targets metadata file does not match the length or hashes its parent lists.</summary>
    public static readonly ErrorCode MetadataHashMismatch = new("SC3017", ErrorCategory.VerificationFailed, "TUF metadata does not match the length or hash its parent lists");

    /// <summary>SC3018: a target file does not match the length or hashes the targets metadata lists.</summary>
    public static readonly ErrorCode TargetHashMismatch = new("SC3018", ErrorCategory.VerificationFailed, "a TUF target file does not match its length or hashes");

    /// <summary>SC3019: the target is not listed by any trusted targets role.</summary>
    public static readonly ErrorCode TargetNotFound = new("SC3019", ErrorCategory.TrustRootOrConfiguration, "the TUF target is not listed by the repository");

    /// <summary>SC3020: more root rotations or delegations than the client follows.</summary>
    public static readonly ErrorCode TooManySteps = new("SC3020", ErrorCategory.VerificationFailed, "too many TUF root rotations or delegations");

    /// <summary>SC3021: the initial (or cached) trusted root is not a valid root signed by a threshold of its own keys.</summary>
    public static readonly ErrorCode InitialRootInvalid = new("SC3021", ErrorCategory.TrustRootOrConfiguration, "the initial TUF root is not a valid self-signed root");

    /// <summary>SC3022: no trusted root is available: the repository was not updated and there is no cached or embedded copy.</summary>
    public static readonly ErrorCode NoTrustedCopy = new("SC3022", ErrorCategory.TrustRootOrConfiguration, "no cached or embedded copy of the TUF target is available");

    /// <summary>SC3023: the client options are invalid (repository URL, cache directory, timeouts, limits).</summary>
    public static readonly ErrorCode InvalidOptions = new("SC3023", ErrorCategory.TrustRootOrConfiguration, "the TUF client options are invalid");

    /// <summary>SC3024: TUF metadata declares a spec_version this client does not implement (not 1.x).</summary>
    public static readonly ErrorCode UnsupportedSpecVersion = new("SC3024", ErrorCategory.MalformedInput, "the TUF metadata spec_version is not supported");

    /// <summary>SC3070: a <c>trusted_root.json</c> file (<see cref="TrustedRoots.FileTrustedRootSource"/>) is missing, unreadable or larger than 4 MiB.</summary>
    public static readonly ErrorCode TrustedRootFileUnreadable = new("SC3070", ErrorCategory.TrustRootOrConfiguration, "the trusted root file cannot be read");

    /// <summary>SC3071: a <c>trusted_root.json</c> file is not a usable trusted root (the parser's code is inside).</summary>
    public static readonly ErrorCode TrustedRootFileUnusable = new("SC3071", ErrorCategory.TrustRootOrConfiguration, "the trusted root file is not a usable trusted root");

    /// <summary>SC3072: the options of a trusted root source are invalid (non-positive intervals, a repository other than Sigstore's without an initial root).</summary>
    public static readonly ErrorCode TrustedRootSourceInvalid = new("SC3072", ErrorCategory.TrustRootOrConfiguration, "the trusted root source options are invalid");

    /// <summary>SC3073: a trusted root is needed but its source has not loaded one yet (a TUF repository not reached since start).</summary>
    public static readonly ErrorCode TrustedRootNotLoaded = new("SC3073", ErrorCategory.TrustRootOrConfiguration, "no trusted root has been loaded yet");
}
