using Microsoft.Extensions.Logging;

namespace SupplyChain.Signing.Provenance;

/// <summary>The provenance builder's log events (2020-2029): the CI system and the names of the variables read. Never values.</summary>
internal static partial class ProvenanceLog
{
    [LoggerMessage(EventId = 2020, Level = LogLevel.Debug, Message = "provenance: CI system {CiSystem}")]
    private static partial void DetectedCore(ILogger logger, string ciSystem);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Debug, Message = "provenance: environment variables read: {Variables}")]
    private static partial void VariablesReadCore(ILogger logger, ReadRecordingEnvironment variables);

    /// <summary>The CI system detected, or <c>none</c> (with or without a self-described builder).</summary>
    public static void Detected(ILogger? logger, string? ci, bool selfDescribed)
    {
        if (logger is not null)
        {
            DetectedCore(logger, ci ?? (selfDescribed ? "none (self-described builder)" : "none"));
        }
    }

    /// <summary>The names of the variables read (<see cref="ReadRecordingEnvironment.ToString"/>, formatted only when Debug is on).</summary>
    public static void VariablesRead(ILogger? logger, ReadRecordingEnvironment environment)
    {
        if (logger is not null)
        {
            VariablesReadCore(logger, environment);
        }
    }
}
