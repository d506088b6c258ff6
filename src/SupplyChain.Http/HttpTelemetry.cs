using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SupplyChain.Http;

/// <summary>
/// Log events and activities of the layer. Every field is chosen, never a header, query string, body or exception
/// message: method, scheme and authority, path, status, attempt, duration, and the kind of a failure.
/// </summary>
internal static partial class HttpTelemetry
{
    public static readonly ActivitySource Source = new(BoundedHttpClient.ActivitySourceName, typeof(HttpTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>The URL without user information, query or fragment (presigned URLs carry their signature in the query).</summary>
    public static string Redacted(Uri url) => url.IsAbsoluteUri ? url.Scheme + "://" + url.Authority + url.AbsolutePath : "(relative)";

    public static Activity? Start(string client, HttpMethod method, Uri url)
    {
        Activity? activity = Source.StartActivity(method.Method, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            // OpenTelemetry HTTP client span attributes; url.full without its query (see Redacted).
            activity.SetTag("http.request.method", method.Method);
            activity.SetTag("server.address", url.Host);
            activity.SetTag("server.port", url.Port);
            activity.SetTag("url.full", Redacted(url));
            activity.SetTag("supplychain.client", client);
        }

        return activity;
    }

    public static void Answered(Activity? activity, int status, int attempts)
    {
        activity?.SetTag("http.response.status_code", status);
        activity?.SetTag("http.request.resend_count", attempts - 1);
        if (status >= 400)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.SetTag("error.type", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public static void Failed(Activity? activity, string kind, int attempts)
    {
        activity?.SetTag("http.request.resend_count", attempts - 1);
        activity?.SetTag("error.type", kind);
        activity?.SetStatus(ActivityStatusCode.Error);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Client}: {Method} {Url} answered {Status} in {DurationMs} ms (attempt {Attempt})")]
    public static partial void LogAnswer(ILogger logger, string client, string method, string url, int status, long durationMs, int attempt);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Client}: {Method} {Url} attempt {Attempt} failed ({Failure}) after {DurationMs} ms; retrying in {DelayMs} ms")]
    public static partial void LogRetry(ILogger logger, string client, string method, string url, int attempt, string failure, long durationMs, long delayMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Client}: {Method} {Url} failed ({Failure}) after {Attempt} attempt(s)")]
    public static partial void LogFailure(ILogger logger, string client, string method, string url, string failure, int attempt);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "{Client}: {Method} {Url} redirected ({Status}) to {Target}{CredentialsDropped}")]
    public static partial void LogRedirect(ILogger logger, string client, string method, string url, int status, string target, string credentialsDropped);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{Client}: {Method} {Url} redirect ({Status}) not followed: {Reason}")]
    public static partial void LogRedirectRefused(ILogger logger, string client, string method, string url, int status, string reason);
}
