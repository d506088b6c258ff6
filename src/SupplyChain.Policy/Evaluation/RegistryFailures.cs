using System.Text.RegularExpressions;
using SupplyChain.Core.Errors;

namespace SupplyChain.Policy.Evaluation;

/// <summary>
/// Describes a registry failure WITHOUT anything the remote side wrote: the code and, when there was an HTTP answer,
/// its status class (<c>HTTP 5xx</c>). A message that reaches a pod's author must not reflect a registry's response
/// text, nor tell a refused connection from a timeout beyond the code (a network-probing oracle otherwise).
/// </summary>
public static partial class RegistryFailures
{
    /// <summary>Whether <paramref name="code"/> is a failure to read a registry (SC40xx codes of the registry client, or a service failure).</summary>
    /// <param name="code">The code.</param>
    /// <returns><c>true</c> for a registry failure.</returns>
    public static bool IsRegistryFailure(ErrorCode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Category == ErrorCategory.ServiceFailure || code.Code.StartsWith("SC40", StringComparison.Ordinal);
    }

    /// <summary><c>SC4003 the registry answered with an error status (HTTP 5xx)</c>: the code, its summary, the status class.</summary>
    /// <param name="code">The failure's code.</param>
    /// <param name="message">The failure's own message (read only for its HTTP status).</param>
    /// <returns>The description.</returns>
    public static string Describe(ErrorCode code, string? message)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Code + " " + Summary(code, message);
    }

    /// <summary><c>the registry answered with an error status (HTTP 5xx)</c>: the code's summary and the status class, without the code.</summary>
    /// <param name="code">The failure's code.</param>
    /// <param name="message">The failure's own message (read only for its HTTP status).</param>
    /// <returns>The description.</returns>
    public static string Summary(ErrorCode code, string? message)
    {
        ArgumentNullException.ThrowIfNull(code);
        Match status = message is null ? Match.Empty : StatusPattern().Match(message);
        return status.Success ? $"{code.Summary} (HTTP {status.Groups[1].Value}xx)" : code.Summary;
    }

    [GeneratedRegex(@"\bHTTP ([1-5])[0-9]{2}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex StatusPattern();
}
