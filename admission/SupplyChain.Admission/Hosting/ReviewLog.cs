using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Hosting.Metrics;
using SupplyChain.Admission.Review;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The webhook's log lines (JSON through the console formatter): one per review with the request's identity and,
/// per image, reference, digest, decision, code and verdict source; reloads and their failures with their codes.
/// Never the userInfo, the object, tokens, keys or certificates.
/// </summary>
internal static partial class ReviewLog
{
    [LoggerMessage(EventId = 7200, Level = LogLevel.Information,
        Message = "review uid={Uid} kind={Kind} namespace={NamespaceName} name={Name} operation={Operation} dryRun={DryRun} allowed={Allowed} code={Code} durationMs={DurationMs} images={Images}")]
    public static partial void Reviewed(ILogger logger, string uid, string kind, string? namespaceName, string? name, string operation, bool dryRun, bool allowed, string? code, double durationMs, string images);

    [LoggerMessage(EventId = 7201, Level = LogLevel.Warning, Message = "rejected request: {Status} {Code}")]
    public static partial void Rejected(ILogger logger, int status, string code);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Information, Message = "reloaded {What}")]
    public static partial void Reloaded(ILogger logger, string what);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Error, Message = "reload of {What} failed, the previous one stays: {Code} {Detail}")]
    public static partial void ReloadFailed(ILogger logger, string what, string code, string detail);

    [LoggerMessage(EventId = 7204, Level = LogLevel.Error, Message = "review failed: {Code} {Detail}")]
    public static partial void ReviewError(ILogger logger, string code, string detail);

    [LoggerMessage(EventId = 7205, Level = LogLevel.Information, Message = "listening on {Address}, ready={Ready}")]
    public static partial void Started(ILogger logger, string address, bool ready);

    /// <summary>Logs one review.</summary>
    public static void Review(ILogger logger, AdmissionRequest request, AdmissionOutcome outcome, TimeSpan duration)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        string? code = outcome.Response.Allowed ? null : FirstCode(outcome.Response.Status?.Message);
        double milliseconds = Math.Round(duration.TotalMilliseconds, 3);
        string images = ImagesJson(outcome.Images);
        Reviewed(logger, request.Uid, request.Kind.Kind, request.Namespace, request.Name, request.Operation, request.DryRun == true,
            outcome.Response.Allowed, code, milliseconds, images);
    }

    /// <summary>The per-image part: reference, digest, decision, code, source (a compact JSON array).</summary>
    internal static string ImagesJson(IReadOnlyList<ImageOutcome> images)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (ImageOutcome image in images)
            {
                json.WriteStartObject();
                json.WriteString("reference", image.Reference);
                json.WriteString("digest", image.Digest);
                json.WriteString("decision", AdmissionMetrics.DecisionLabel(image.Decision));
                json.WriteString("code", image.ErrorCode);
                json.WriteString("source", image.Source?.ToString().ToLowerInvariant());
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The leading <c>SCnnnn</c> of a message, or <c>null</c>.</summary>
    internal static string? FirstCode(string? message) =>
        message is { Length: >= 6 } m && m.StartsWith("SC", StringComparison.Ordinal) && !m.AsSpan(2, 4).ContainsAnyExceptInRange('0', '9') ? m[..6] : null;
}
