using System.Net;
using System.Text;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;

namespace SupplyChain.Admission.Tests.Hosting;

/// <summary>The webhook on 127.0.0.1 over real TLS: operations endpoints, /validate answers and every refusal with its code.</summary>
public class ServerEndpointTests
{
    [Fact]
    public async Task Healthz_readyz_and_the_base_address_answer_over_tls()
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync();
        using HttpClient client = harness.Client();
        Assert.Equal("https", harness.Server.BaseAddress.Scheme);
        Assert.Equal("127.0.0.1", harness.Server.BaseAddress.Host);
        Assert.NotEqual(0, harness.Server.BaseAddress.Port);
        Assert.True(harness.Server.IsReady);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(harness.Url("/healthz"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(harness.Url("/readyz"))).StatusCode);
    }

    [Fact]
    public async Task Plain_http_is_not_served()
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync();
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var url = new UriBuilder(harness.Url("/healthz")) { Scheme = "http" }.Uri;
        HttpResponseMessage? response = null;
        try
        {
            response = await plain.GetAsync(url);
        }
        catch (HttpRequestException)
        {
        }

        // Kestrel either drops the connection or answers 400 to a plain-text request on a TLS endpoint; never 200.
        Assert.NotEqual(HttpStatusCode.OK, response?.StatusCode);
    }

    [Fact]
    public async Task Without_trust_material_it_is_not_ready_and_denies_with_SC7203()
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync(writeTrustedRoot: false);
        using HttpClient client = harness.Client();
        Assert.False(harness.Server.IsReady);
        using HttpResponseMessage ready = await client.GetAsync(harness.Url("/readyz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.StartsWith("SC7203", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(harness.Url("/healthz"))).StatusCode);

        AdmissionResponse denied = await harness.PostReviewAsync(client, "uid-not-ready", "registry.test/apps/web:1");
        Assert.False(denied.Allowed);
        Assert.StartsWith("SC7203", denied.Status!.Message, StringComparison.Ordinal);
        Assert.Contains("supplychain_admission_ready 0\n", await client.GetStringAsync(harness.Url("/metrics")), StringComparison.Ordinal);

        // The trusted root appears (a mount that was late): the next poll makes it ready.
        await File.WriteAllBytesAsync(harness.TrustedRootPath, WebhookHarness.TrustedRootBytes);
        await harness.Server.ReloadNowAsync();
        Assert.True(harness.Server.IsReady);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(harness.Url("/readyz"))).StatusCode);
    }

    [Fact]
    public async Task A_review_is_answered_with_the_evaluator_verdict_counted_and_logged_without_user_info()
    {
        // A rule covers the image (what no rule covers is decided without an evaluation); the image is unsigned.
        await using WebhookHarness harness = await WebhookHarness.StartAsync(WebhookHarness.SignedByTestKey);
        var image = await harness.PushAsync();
        using HttpClient client = harness.Client();

        AdmissionResponse denied = await harness.PostReviewAsync(client, "uid-allowed-1", image.Reference.ToString());
        Assert.False(denied.Allowed);
        Assert.StartsWith("SC5102: ", denied.Status?.Message, StringComparison.Ordinal);
        AdmissionResponse again = await harness.PostReviewAsync(client, "uid-allowed-2", image.Reference.ToString());
        Assert.False(again.Allowed);

        string metrics = await client.GetStringAsync(harness.Url("/metrics"));
        Assert.Contains("supplychain_admission_requests_total{operation=\"CREATE\",kind=\"Pod\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("supplychain_admission_verdicts_total{decision=\"denied\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("supplychain_admission_cache_total{result=\"hit\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("supplychain_admission_cache_total{result=\"miss\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("supplychain_admission_request_duration_seconds_count 2\n", metrics, StringComparison.Ordinal);

        string line = Assert.Single(harness.Logs.Lines, l => l.EventId == 7200 && l.Message.Contains("uid-allowed-1", StringComparison.Ordinal)).Message;
        Assert.Contains("kind=Pod", line, StringComparison.Ordinal);
        Assert.Contains("namespace=shop", line, StringComparison.Ordinal);
        Assert.Contains("allowed=False", line, StringComparison.Ordinal);
        Assert.Contains(image.Descriptor.Digest, line, StringComparison.Ordinal);
        Assert.Contains("\"decision\":\"denied\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Message.Contains("alice-secret-user", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_are_in_the_prometheus_text_format()
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync();
        using HttpClient client = harness.Client();
        using HttpResponseMessage response = await client.GetAsync(harness.Url("/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(response.Content.Headers.ContentType.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        string text = await response.Content.ReadAsStringAsync();

        // Every line is a comment (# HELP / # TYPE) or "name{labels} value" with a numeric value; each TYPE once.
        var typed = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                Assert.True(typed.Add(line.Split(' ')[2]), line);
                Assert.Contains(line.Split(' ')[3], new[] { "counter", "gauge", "histogram" });
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            Assert.True(space > 0, line);
            Assert.True(double.TryParse(line[(space + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _), line);
            string name = line[..space].Split('{')[0];
            Assert.Matches("^[a-zA-Z_:][a-zA-Z0-9_:]*$", name);
            Assert.Contains(typed, t => name == t || name.StartsWith(t + "_", StringComparison.Ordinal));
        }

        foreach (string metric in new[]
        {
            "supplychain_admission_requests_total", "supplychain_admission_verdicts_total", "supplychain_admission_request_duration_seconds",
            "supplychain_admission_cache_total", "supplychain_admission_cache_entries", "supplychain_admission_registry_errors_total",
            "supplychain_admission_reload_total", "supplychain_admission_ready", "process_resident_memory_bytes", "dotnet_gc_heap_bytes",
        })
        {
            Assert.Contains(metric, typed);
        }

        Assert.Contains("supplychain_admission_request_duration_seconds_bucket{le=\"0.001\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("supplychain_admission_request_duration_seconds_bucket{le=\"30\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("supplychain_admission_request_duration_seconds_bucket{le=\"+Inf\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("supplychain_admission_reload_total{what=\"policy\",result=\"success\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("supplychain_admission_ready 1\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/validate", HttpStatusCode.MethodNotAllowed, "SC7212")]
    [InlineData("POST", "/healthz", HttpStatusCode.MethodNotAllowed, "SC7212")]
    [InlineData("DELETE", "/metrics", HttpStatusCode.MethodNotAllowed, "SC7212")]
    [InlineData("GET", "/", HttpStatusCode.NotFound, "SC7211")]
    [InlineData("POST", "/mutate", HttpStatusCode.NotFound, "SC7211")]
    [InlineData("POST", "/Validate", HttpStatusCode.NotFound, "SC7211")]
    [InlineData("GET", "/healthz/", HttpStatusCode.NotFound, "SC7211")]
    public async Task Other_paths_and_methods_are_refused_with_a_code(string method, string path, HttpStatusCode status, string code)
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync();
        using HttpClient client = harness.Client();
        using var request = new HttpRequestMessage(new HttpMethod(method), harness.Url(path));
        using HttpResponseMessage response = await client.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith(code, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"x\"}}")]
    public async Task A_malformed_review_is_400_with_the_parser_code(string body)
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync();
        using HttpClient client = harness.Client();
        using HttpResponseMessage response = await client.PostAsync(harness.Url("/validate"), WebhookHarness.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches("^SC70[0-9]{2}: ", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_typed_is_415_SC7202()
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync();
        using HttpClient client = harness.Client();
        using var content = new StringContent(WebhookHarness.PodReview("u", "registry.test/a:1"), Encoding.UTF8, "text/plain");
        using HttpResponseMessage response = await client.PostAsync(harness.Url("/validate"), content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.StartsWith("SC7202", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_4_MiB_is_413_SC7201_with_or_without_a_length()
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync();
        using HttpClient client = harness.Client();
        byte[] big = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('a', (4 * 1024 * 1024) + 16) + "\"}");

        // Expect: 100-continue so the client waits for the 413 instead of racing the server closing the connection.
        using var declared = new HttpRequestMessage(HttpMethod.Post, harness.Url("/validate")) { Content = new ByteArrayContent(big) };
        declared.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        declared.Headers.ExpectContinue = true;
        using HttpResponseMessage response = await client.SendAsync(declared);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.StartsWith("SC7201", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Chunked (no Content-Length): Kestrel's body limit trips while reading.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, harness.Url("/validate")) { Content = new StreamContent(new MemoryStream(big)) };
        chunked.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.ExpectContinue = true;
        using HttpClient chunkClient = harness.Client();
        using HttpResponseMessage second = await chunkClient.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, second.StatusCode);
        Assert.StartsWith("SC7201", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_review_that_ignores_its_deadline_is_denied_by_the_watchdog_with_SC7204()
    {
        var release = new TaskCompletionSource<AdmissionOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken? seenDeadline = null;
        await using WebhookHarness harness = await WebhookHarness.StartAsync(review: (request, snapshot, deadline) =>
        {
            seenDeadline = deadline;
            return release.Task; // never honours the deadline
        });
        using HttpClient client = harness.Client();
        AdmissionResponse denied = await harness.PostReviewAsync(client, "uid-slow", "registry.test/apps/web:1", "?timeout=1s");
        Assert.False(denied.Allowed);
        Assert.StartsWith("SC7204", denied.Status!.Message, StringComparison.Ordinal);
        Assert.Contains("watchdog", denied.Status.Message, StringComparison.Ordinal);
        // The runaway review's token is cancelled before the answer leaves, so its work (registry calls) stops too.
        Assert.True(seenDeadline!.Value.IsCancellationRequested);
        release.SetResult(null!);
    }

    [Fact]
    public async Task A_review_cancelled_by_its_deadline_is_denied_with_SC7204()
    {
        CancellationToken seen = default;
        await using WebhookHarness harness = await WebhookHarness.StartAsync(review: async (request, snapshot, deadline) =>
        {
            seen = deadline;
            await Task.Delay(Timeout.Infinite, deadline);
            throw new InvalidOperationException("unreachable");
        });
        using HttpClient client = harness.Client();
        AdmissionResponse denied = await harness.PostReviewAsync(client, "uid-cancelled", "registry.test/apps/web:1", "?timeout=1s");
        Assert.False(denied.Allowed);
        Assert.StartsWith("SC7204", denied.Status!.Message, StringComparison.Ordinal);
        Assert.True(seen.IsCancellationRequested);
    }

    [Fact]
    public async Task A_review_that_throws_is_denied_with_SC7209()
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync(review: (_, _, _) => throw new InvalidOperationException("boom"));
        using HttpClient client = harness.Client();
        AdmissionResponse denied = await harness.PostReviewAsync(client, "uid-throws", "registry.test/apps/web:1");
        Assert.False(denied.Allowed);
        Assert.Equal(403, denied.Status!.Code);
        Assert.StartsWith("SC7209", denied.Status.Message, StringComparison.Ordinal);
    }
}
