using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Errors;
using SupplyChain.Testing.Oci;
using static SupplyChain.Http.Tests.Servers;

namespace SupplyChain.Http.Tests;

/// <summary>
/// Log events and activities say what happened (method, host, path, status, attempt, duration) and never carry a
/// secret: no Authorization or Cookie value, no query string, no request or response body, no remote text.
/// </summary>
public class TelemetryTests
{
    [Fact]
    public async Task Logs_name_method_host_path_status_and_attempt_and_no_secret()
    {
        using RawHttpServer storage = RawHttpServer.Start((_, s, ct) => Ok(s, "SECRET-RESPONSE-BODY", ct));
        using RawHttpServer server = Sequence((n, _, s, ct) => n switch
        {
            1 => Status(s, HttpStatusCode.ServiceUnavailable, ct, ("Retry-After", "1"), ("X-Remote", "SECRET-REMOTE-HEADER")),
            _ => RawHttpServer.WriteAsync(s, 303, "See Other", [("Location", $"http://{storage.Host}/blob?X-Amz-Signature=SECRET-PRESIGNED")], [], ct),
        });
        var logger = new CapturingLogger();
        using BoundedHttpClient client = Recording(new DelayRecordingTimeProvider(Start), logger: logger);

        HttpAnswer answer = await client.SendAsync(new HttpCall(
            () => new HttpRequestMessage(HttpMethod.Put, Url(server, "/v2/app/manifests/v1?token=SECRET-QUERY"))
            {
                Headers = { { "Authorization", "Bearer SECRET-TOKEN" }, { "Cookie", "s=SECRET-COOKIE" } },
                Content = new StringContent("SECRET-REQUEST-BODY"),
            },
            "push manifest"));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        string all = logger.Everything();
        Assert.DoesNotContain("SECRET", all, StringComparison.Ordinal);
        Assert.DoesNotContain("?", all, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.Message.Contains($"PUT http://{server.Host}/v2/app/manifests/v1 attempt 1 failed (HTTP 503)", StringComparison.Ordinal) && e.Level == LogLevel.Information);
        Assert.Contains(logger.Entries, e => e.Message.Contains($"redirected (303) to http://{storage.Host}/blob without credentials", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Message.Contains("answered 200", StringComparison.Ordinal) && e.Message.Contains("(attempt 2)", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.State.Any(kv => kv.Key == "DurationMs"));
    }

    [Fact]
    public async Task A_failure_is_logged_as_a_warning_without_the_exception_text()
    {
        using RawHttpServer reset = RawHttpServer.Start((_, _, _) => Task.CompletedTask);
        var logger = new CapturingLogger();
        using BoundedHttpClient client = Recording(new DelayRecordingTimeProvider(Start), HttpRetryPolicy.None, logger);

        await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.SendAsync(Get(Url(reset, "/x?password=SECRET-QUERY"))));

        LogEntry warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("failed (ResponseEnded) after 1 attempt(s)", warning.Message, StringComparison.Ordinal);
        Assert.Null(warning.Exception);
        Assert.DoesNotContain("SECRET", logger.Everything(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_activity_per_call_with_http_attributes_and_no_query()
    {
        using RawHttpServer server = Sequence((n, _, s, ct) => n == 1 ? Status(s, HttpStatusCode.BadGateway, ct) : Ok(s, "fine", ct));
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == BoundedHttpClient.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using BoundedHttpClient client = Recording(new DelayRecordingTimeProvider(Start));

        await client.SendAsync(Get(Url(server, "/path?sig=SECRET-QUERY")));

        Activity activity = Assert.Single(stopped, a => (string?)a.GetTagItem("server.address") == "127.0.0.1" && (int?)a.GetTagItem("server.port") == server.Port);
        Assert.Equal(ActivityKind.Client, activity.Kind);
        Assert.Equal("GET", activity.GetTagItem("http.request.method"));
        Assert.Equal($"http://{server.Host}/path", activity.GetTagItem("url.full"));
        Assert.Equal(200, activity.GetTagItem("http.response.status_code"));
        Assert.Equal(1, activity.GetTagItem("http.request.resend_count"));
        Assert.Equal("test", activity.GetTagItem("supplychain.client"));
        Assert.Single(activity.Events, e => e.Name == "retry");
        Assert.DoesNotContain(activity.TagObjects, t => t.Value?.ToString()?.Contains("SECRET", StringComparison.Ordinal) == true);
    }

    internal sealed record LogEntry(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State, Exception? Exception);

    /// <summary>Keeps every event: its formatted message and each structured value.</summary>
    internal sealed class CapturingLogger : ILogger
    {
        public ConcurrentQueue<LogEntry> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            Entries.Enqueue(new LogEntry(logLevel, formatter(state, exception), values.ToList(), exception));
        }

        public string Everything() => string.Join('\n', Entries.Select(e => e.Message + " | " + string.Join(", ", e.State.Select(kv => kv.Key + "=" + kv.Value)) + " | " + e.Exception));
    }
}
