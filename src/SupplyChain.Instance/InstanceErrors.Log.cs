using SupplyChain.Core.Errors;

namespace SupplyChain.Instance;

/// <summary>Codes of the local tlog-tiles transparency log (SC81xx).</summary>
public static partial class InstanceErrors
{
    /// <summary>SC8101: another writer holds the log directory's lock (one writer per directory).</summary>
    public static readonly ErrorCode LogLocked = new("SC8101", ErrorCategory.TrustRootOrConfiguration, "the log directory is locked by another writer");

    /// <summary>SC8102: an entry is empty or larger than a tlog-tiles entry bundle can hold (65535 bytes).</summary>
    public static readonly ErrorCode LogEntrySizeInvalid = new("SC8102", ErrorCategory.MalformedInput, "the log entry is empty or too large");

    /// <summary>SC8103: the checkpoint does not parse, names another origin, or its signature does not verify with the log key.</summary>
    public static readonly ErrorCode LogCheckpointInvalid = new("SC8103", ErrorCategory.VerificationFailed, "the log checkpoint is malformed or not signed by the log key");

    /// <summary>SC8104: a stored tile does not hold the hashes recomputed from the entries below it.</summary>
    public static readonly ErrorCode LogTileMismatch = new("SC8104", ErrorCategory.VerificationFailed, "a stored tile does not match the recomputed hashes");

    /// <summary>SC8105: a tile, entry bundle or checkpoint file is missing, truncated, oversized or not in its format.</summary>
    public static readonly ErrorCode LogFileMalformed = new("SC8105", ErrorCategory.MalformedInput, "a log file is missing, truncated or malformed");

    /// <summary>SC8106: the root hash recomputed from the tiles is not the checkpoint's root hash.</summary>
    public static readonly ErrorCode LogRootMismatch = new("SC8106", ErrorCategory.VerificationFailed, "the recomputed root hash does not match the checkpoint");

    /// <summary>SC8107: an index or tree size is negative or beyond the log's current size.</summary>
    public static readonly ErrorCode LogIndexOutOfRange = new("SC8107", ErrorCategory.MalformedInput, "the index or tree size is outside the log");

    /// <summary>SC8108: the checkpoint key (PKCS#8 PEM or C2SP verifier key) is malformed or not Ed25519.</summary>
    public static readonly ErrorCode LogKeyMalformed = new("SC8108", ErrorCategory.MalformedInput, "the checkpoint key is malformed or not Ed25519");

    /// <summary>SC8109: the log origin (also the checkpoint key name) is empty, too long, or contains spaces, plus signs or control characters.</summary>
    public static readonly ErrorCode LogOriginInvalid = new("SC8109", ErrorCategory.TrustRootOrConfiguration, "the log origin is not a valid signed-note key name");

    /// <summary>SC8110: the log is closed, or a write failed and the log stopped accepting appends (reopen it).</summary>
    public static readonly ErrorCode LogUnavailable = new("SC8110", ErrorCategory.ServiceFailure, "the log is closed or stopped after a write failure");
}
