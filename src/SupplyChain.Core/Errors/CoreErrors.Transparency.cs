namespace SupplyChain.Core.Errors;

/// <summary>Stable error codes of SupplyChain.Core.</summary>
public static partial class CoreErrors
{
    // Transparency log (SC12xx)

    /// <summary>SC1201: the entry was made by a log the trusted root does not list.</summary>
    public static readonly ErrorCode TlogUnknownLog = new("SC1201", ErrorCategory.VerificationFailed, "the entry was made by a log the trusted root does not list");

    /// <summary>SC1202: the log key was not valid at the entry time.</summary>
    public static readonly ErrorCode TlogLogNotValidAtTime = new("SC1202", ErrorCategory.VerificationFailed, "the log key was not valid at the entry time");

    /// <summary>SC1203: the entry kind or version is not supported.</summary>
    public static readonly ErrorCode TlogUnsupportedKind = new("SC1203", ErrorCategory.VerificationFailed, "the entry kind or version is not supported");

    /// <summary>SC1204: the log entry body does not match the bundle.</summary>
    public static readonly ErrorCode TlogBodyMismatch = new("SC1204", ErrorCategory.VerificationFailed, "the log entry body does not match the bundle");

    /// <summary>SC1205: the log entry body cannot be parsed.</summary>
    public static readonly ErrorCode TlogBodyMalformed = new("SC1205", ErrorCategory.VerificationFailed, "the log entry body cannot be parsed");

    /// <summary>SC1206: the inclusion proof does not lead to the checkpoint root.</summary>
    public static readonly ErrorCode InclusionProofInvalid = new("SC1206", ErrorCategory.VerificationFailed, "the inclusion proof does not lead to the checkpoint root");

    /// <summary>SC1207: the entry has no inclusion proof where one is required.</summary>
    public static readonly ErrorCode InclusionProofMissing = new("SC1207", ErrorCategory.VerificationFailed, "the entry has no inclusion proof where one is required");

    /// <summary>SC1208: the checkpoint is not a valid signed note.</summary>
    public static readonly ErrorCode CheckpointMalformed = new("SC1208", ErrorCategory.VerificationFailed, "the checkpoint is not a valid signed note");

    /// <summary>SC1209: the checkpoint carries no valid signature from the entry's log.</summary>
    public static readonly ErrorCode CheckpointSignatureInvalid = new("SC1209", ErrorCategory.VerificationFailed, "the checkpoint carries no valid signature from the entry's log");

    /// <summary>SC1210: the checkpoint does not match the inclusion proof.</summary>
    public static readonly ErrorCode CheckpointMismatch = new("SC1210", ErrorCategory.VerificationFailed, "the checkpoint does not match the inclusion proof");

    /// <summary>SC1211: the signed entry timestamp (inclusion promise) does not verify.</summary>
    public static readonly ErrorCode SignedEntryTimestampInvalid = new("SC1211", ErrorCategory.VerificationFailed, "the signed entry timestamp (inclusion promise) does not verify");

    /// <summary>SC1212: fewer verified log entries than the threshold.</summary>
    public static readonly ErrorCode TlogThresholdNotMet = new("SC1212", ErrorCategory.VerificationFailed, "fewer verified log entries than the threshold");

    /// <summary>SC1213: the entry has neither an inclusion proof nor an inclusion promise.</summary>
    public static readonly ErrorCode TlogEntryMissingProofAndPromise = new("SC1213", ErrorCategory.VerificationFailed, "the entry has neither an inclusion proof nor an inclusion promise");

    /// <summary>SC1214: the inclusion proof carries no checkpoint.</summary>
    public static readonly ErrorCode CheckpointMissing = new("SC1214", ErrorCategory.VerificationFailed, "the inclusion proof carries no checkpoint");

    /// <summary>SC1215: the bundle carries the same log entry (log and index) twice.</summary>
    public static readonly ErrorCode TlogEntryDuplicate = new("SC1215", ErrorCategory.VerificationFailed, "the bundle carries the same log entry twice");
}
