using System.Net.Mime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Hosting.Metrics;
using SupplyChain.Admission.Review;
using SupplyChain.Core.Errors;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// <c>POST /validate</c> (docs/admission.md, "Requests"): reads the AdmissionReview within the size limit, bounds
/// all work by the API server's <c>?timeout=</c> (<see cref="AdmissionTimeout"/>), reviews it on the current snapshot,
/// and always answers 200 with an AdmissionReview response once the body parsed: a review that is not ready (SC7203),
/// out of time (SC7204, also from the watchdog when the review has not returned by deadline + 100 ms) or failed
/// (SC7209, or the failure's own code) is a denial (fail closed). A body that does not parse has no uid to answer:
/// 400 (413, 415) with a text body starting with the code.
/// </summary>
internal sealed class ValidateHandler
{
    private readonly AdmissionServerOptions _options;
    private readonly SnapshotManager _snapshots;
    private readonly Func<AdmissionRequest, AdmissionSnapshot, CancellationToken, Task<AdmissionOutcome>> _review;
    private readonly AdmissionMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public ValidateHandler(AdmissionServerOptions options, SnapshotManager snapshots, Func<AdmissionRequest, AdmissionSnapshot, CancellationToken, Task<AdmissionOutcome>> review, AdmissionMetrics metrics, ILogger logger)
    {
        _options = options;
        _snapshots = snapshots;
        _review = review;
        _metrics = metrics;
        _logger = logger;
        _time = options.TimeProvider;
    }

    public async Task HandleAsync(HttpContext context)
    {
        long started = _time.GetTimestamp();
        HttpRequest request = context.Request;
        if (!IsJson(request.ContentType))
        {
            await RejectAsync(context, StatusCodes.Status415UnsupportedMediaType, AdmissionErrors.RequestNotJson.ToException(request.ContentType ?? "no content type")).ConfigureAwait(false);
            return;
        }

        byte[]? body = request.ContentLength > HostingLimits.MaxRequestBytes ? null : await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, AdmissionErrors.RequestTooLarge.ToException($"more than {HostingLimits.MaxRequestBytes} bytes")).ConfigureAwait(false);
            return;
        }

        AdmissionReview review;
        try
        {
            review = AdmissionReviewJson.Read(body);
        }
        catch (SupplyChainException ex)
        {
            await RejectAsync(context, StatusCodes.Status400BadRequest, ex).ConfigureAwait(false);
            return;
        }

        AdmissionRequest admission = review.Request!;
        TimeSpan timeout = AdmissionTimeout.Resolve(request.Query["timeout"].FirstOrDefault(), _options.DefaultTimeout, _options.MaxTimeout);
        TimeSpan budget = AdmissionTimeout.Deadline(timeout) - _time.GetElapsedTime(started);
        AdmissionSnapshot? snapshot = _snapshots.Current;
        AdmissionOutcome outcome = snapshot is null
            ? Deny(admission, AdmissionErrors.NotReady.ToException())
            : await ReviewWithWatchdogAsync(admission, snapshot, budget, context.RequestAborted).ConfigureAwait(false);

        byte[] answer = AdmissionReviewJson.Write(new AdmissionReview { ApiVersion = review.ApiVersion, Kind = review.Kind, Response = outcome.Response });
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = MediaTypeNames.Application.Json;
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);

        TimeSpan duration = _time.GetElapsedTime(started);
        _metrics.RecordReview(admission.Operation, admission.Kind.Kind, outcome, duration);
        ReviewLog.Review(_logger, admission, outcome, duration);
    }

    /// <summary>A denial for the whole request with <paramref name="error"/>'s message (it starts with the code).</summary>
    internal static AdmissionOutcome Deny(AdmissionRequest request, SupplyChainException error) =>
        new(new AdmissionResponse
        {
            Uid = request.Uid,
            Allowed = false,
            Status = new AdmissionStatus { Code = StatusCodes.Status403Forbidden, Reason = "Forbidden", Message = error.Message },
        }, []);

    private async Task<AdmissionOutcome> ReviewWithWatchdogAsync(AdmissionRequest request, AdmissionSnapshot snapshot, TimeSpan budget, CancellationToken aborted)
    {
        if (budget <= TimeSpan.Zero)
        {
            return Deny(request, AdmissionErrors.ReviewDeadlineExceeded.ToException("no time left"));
        }

        using var deadline = new CancellationTokenSource(budget, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, aborted);
        using var watchdogStop = new CancellationTokenSource();
        Task<AdmissionOutcome> review;
        try
        {
            review = _review(request, snapshot, linked.Token);
        }
#pragma warning disable CA1031 // Any failure of the review is a denial (fail closed).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Failed(request, ex);
        }

        Task watchdog = Task.Delay(budget + HostingLimits.WatchdogGrace, _time, watchdogStop.Token);
        Task first = await Task.WhenAny(review, watchdog).ConfigureAwait(false);
        await watchdogStop.CancelAsync().ConfigureAwait(false);
        if (first != review)
        {
            // The review has not returned (it ignored its deadline, or its cancellation is still unwinding): cancel its
            // token before the sources are disposed (a disposed source would never cancel it, leaving its work running),
            // answer now, and observe its end later so its failure is not unobserved.
            await linked.CancelAsync().ConfigureAwait(false);
            _ = review.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return Deny(request, AdmissionErrors.ReviewDeadlineExceeded.ToException($"no answer within {budget.TotalMilliseconds:0} ms (watchdog)"));
        }

        try
        {
            return await review.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return Deny(request, AdmissionErrors.ReviewDeadlineExceeded.ToException($"cancelled after {budget.TotalMilliseconds:0} ms"));
        }
#pragma warning disable CA1031 // Any failure of the review is a denial (fail closed).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Failed(request, ex);
        }
    }

    private AdmissionOutcome Failed(AdmissionRequest request, Exception ex)
    {
        SupplyChainException error = ex as SupplyChainException ?? AdmissionErrors.ReviewFailed.ToException(ex.GetType().Name);
        ReviewLog.ReviewError(_logger, error.Code, ex is SupplyChainException ? ex.Message : ex.GetType().FullName ?? "exception");
        return Deny(request, error);
    }

    private async Task RejectAsync(HttpContext context, int status, SupplyChainException error)
    {
        ReviewLog.Rejected(_logger, status, error.Code);
        await WriteTextAsync(context, status, error.Message).ConfigureAwait(false);
    }

    internal static async Task WriteTextAsync(HttpContext context, int status, string text)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text + "\n");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private static bool IsJson(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        int semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        ReadOnlySpan<char> mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).AsSpan().Trim();
        return mediaType.Equals(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The body, or <c>null</c> beyond the limit (Kestrel's own limit throws BadHttpRequestException).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            return null;
        }

        return buffer.Length > HostingLimits.MaxRequestBytes ? null : buffer.ToArray();
    }
}
