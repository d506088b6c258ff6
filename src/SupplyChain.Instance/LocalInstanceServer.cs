using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

using SupplyChain.Instance.Http;

namespace SupplyChain.Instance;

/// <summary>
/// Serves the instance's services on 127.0.0.1 with Kestrel (loopback only: the token endpoint hands out the local
/// user's tokens). Every request goes through the same <see cref="InstanceRouter"/> as in process; bodies above
/// <see cref="Limits.MaxRequestBytes"/> are refused with 413 and SC8011.
/// </summary>
public sealed class LocalInstanceServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalInstanceServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The base URL the server listens on.</summary>
    public Uri Url { get; }

    /// <summary>Starts listening on 127.0.0.1:<paramref name="port"/> (0 picks a free port); SC8005 when it cannot.</summary>
    internal static async Task<LocalInstanceServer> StartAsync(InstanceRouter router, int port, CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, port);
            options.Limits.MaxRequestBodySize = Limits.MaxRequestBytes;
            options.AddServerHeader = false;
        });
        WebApplication app = builder.Build();
        app.Run(context => HandleAsync(router, context));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw InstanceErrors.ServeFailed.ToException($"127.0.0.1:{port}: {ex.Message}", ex);
        }

        string address = app.Urls.First();
        return new LocalInstanceServer(app, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>Waits until <paramref name="cancellationToken"/> is cancelled or the process is asked to stop (SIGTERM), then stops.</summary>
    /// <param name="cancellationToken">Stops the server.</param>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task HandleAsync(InstanceRouter router, HttpContext context)
    {
        HttpRequest request = context.Request;
        InstanceResponse answer;
        if (request.ContentLength > Limits.MaxRequestBytes)
        {
            answer = InstanceResponse.Error(InstanceErrors.RequestTooLarge.ToException($"{request.ContentLength} bytes"));
        }
        else
        {
            byte[]? body = await ReadAsync(request, context.RequestAborted).ConfigureAwait(false);
            var baseUrl = new Uri($"{request.Scheme}://{request.Host}");
            answer = body is null
                ? InstanceResponse.Error(InstanceErrors.RequestTooLarge.ToException($"more than {Limits.MaxRequestBytes} bytes"))
                : await router.HandleAsync(new InstanceRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value, request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null, request.ContentType), body, baseUrl, context.RequestAborted).ConfigureAwait(false);
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        context.Response.ContentLength = answer.Body.Length;
        await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The body, or <see langword="null"/> when it exceeds the limit (Kestrel's own limit throws BadHttpRequestException).</summary>
    private static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
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

        return buffer.Length > Limits.MaxRequestBytes ? null : buffer.ToArray();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
