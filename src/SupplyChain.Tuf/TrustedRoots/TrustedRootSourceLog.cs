using Microsoft.Extensions.Logging;

namespace SupplyChain.Tuf.TrustedRoots;

/// <summary>The trusted root sources' log events (3070-3079): where from, the version, the code. Never document contents.</summary>
internal static partial class TrustedRootSourceLog
{
    [LoggerMessage(EventId = 3070, Level = LogLevel.Information, Message = "trusted root from {Source} is now {Version}")]
    private static partial void UpdatedCore(ILogger logger, string source, string version);

    [LoggerMessage(EventId = 3071, Level = LogLevel.Warning, Message = "trusted root refresh from {Source} failed, the previous one stays: {Code} {Detail}")]
    private static partial void RefreshFailedCore(ILogger logger, string source, string code, string detail);

    public static void Updated(ILogger? logger, string source, string version)
    {
        if (logger is not null)
        {
            UpdatedCore(logger, source, version);
        }
    }

    public static void RefreshFailed(ILogger? logger, string source, string code, string detail)
    {
        if (logger is not null)
        {
            RefreshFailedCore(logger, source, code, detail);
        }
    }
}
