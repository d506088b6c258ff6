using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SupplyChain.Instance.Http;

namespace SupplyChain.Instance;

/// <summary>
/// Serves the instance's services on 127.0.0.1 (loopback only: the token endpoint hands out the local user's tokens),
/// with the BCL's <see cref="HttpListener"/>, so neither the library nor <c>signcli instance serve</c> needs the
/// ASP.NET Core shared framework. Every request goes through the same <see cref="InstanceRouter"/> as in process;
/// bodies above <see cref="Limits.MaxRequestBytes"/> are refused with 413 and SC8011.
/// </summary>
public sealed class LocalInstanceServer : IAsyncDisposable
{
    /// <summary>How many free ports are tried when port 0 is asked for and another process takes the one found first.</summary>
    private const int FreePortAttempts = 8;

    private readonly HttpListener _listener;
    private readonly InstanceRouter _router;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _inFlight;
    private int _disposed;

    private LocalInstanceServer(HttpListener listener, InstanceRouter router, Uri url)
    {
        _listener = listener;
        _router = router;
        Url = url;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The base URL the server listens on.</summary>
    public Uri Url { get; }

    /// <summary>Starts listening on 127.0.0.1:<paramref name="port"/> (0 picks a free port); SC8005 when it cannot.</summary>
    internal static Task<LocalInstanceServer> StartAsync(InstanceRouter router, int port, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        for (int attempt = 1; ; attempt++)
        {
            int chosen = port == 0 ? FreeLoopbackPort() : port;
            var listener = new HttpListener { IgnoreWriteExceptions = true };
            listener.Prefixes.Add($"http://127.0.0.1:{chosen}/");
            try
            {
                listener.Start();
                return Task.FromResult(new LocalInstanceServer(listener, router, new Uri($"http://127.0.0.1:{chosen}/")));
            }
            catch (HttpListenerException ex)
            {
                listener.Close();
                if (port != 0 || attempt == FreePortAttempts)
                {
                    throw InstanceErrors.ServeFailed.ToException($"127.0.0.1:{chosen}: {ex.Message}", ex);
                }
            }
        }
    }

    /// <summary>Waits until <paramref name="cancellationToken"/> is cancelled or the process is asked to stop (SIGTERM, SIGINT), then stops.</summary>
    /// <param name="cancellationToken">Stops the server.</param>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await StopAsync().ConfigureAwait(false);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);

        // Let the requests in flight finish (each is bounded by its body limit and the router's own work).
        while (Volatile.Read(ref _inFlight) > 0)
        {
            await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
        }

        _listener.Close();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            Interlocked.Increment(ref _inFlight);
            _ = Task.Run(async () =>
            {
                try
                {
                    await HandleAsync(context).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            });
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        HttpListenerRequest request = context.Request;
        HttpListenerResponse response = context.Response;
        try
        {
            InstanceResponse answer;
            byte[]? body = request.ContentLength64 > Limits.MaxRequestBytes ? null : await ReadAsync(request, _stopping.Token).ConfigureAwait(false);
            if (body is null)
            {
                // HttpListener has already answered "Expect: 100-continue", so the client is sending the body: read and
                // drop it (up to a bound) before answering, or the client sees a broken pipe instead of the 413.
                await DrainAsync(request, _stopping.Token).ConfigureAwait(false);
                response.KeepAlive = false;
                answer = InstanceResponse.Error(InstanceErrors.RequestTooLarge.ToException(
                    request.ContentLength64 > Limits.MaxRequestBytes ? $"{request.ContentLength64} bytes" : $"more than {Limits.MaxRequestBytes} bytes"));
            }
            else
            {
                Uri url = request.Url!;
                var baseUrl = new Uri(url.GetLeftPart(UriPartial.Authority));
                string? authorization = request.Headers["Authorization"] is { Length: > 0 } auth ? auth : null;
                answer = await _router.HandleAsync(
                    new InstanceRequest(request.HttpMethod, url.LocalPath, url.Query.Length > 0 ? url.Query : null, authorization, request.ContentType),
                    body, baseUrl, _stopping.Token).ConfigureAwait(false);
            }

            response.StatusCode = answer.Status;
            response.ContentType = answer.ContentType;
            response.ContentLength64 = answer.Body.Length;
            await response.OutputStream.WriteAsync(answer.Body, _stopping.Token).ConfigureAwait(false);
            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the server is stopping: nothing left to answer.
            response.Abort();
        }
    }

    /// <summary>The body, or <see langword="null"/> when it exceeds the limit (a chunked body is read up to it and no further).</summary>
    private static async Task<byte[]?> ReadAsync(HttpListenerRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasEntityBody)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.InputStream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > Limits.MaxRequestBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads and drops what is left of a refused body, at most <see cref="Limits.MaxDrainedBytes"/>.</summary>
    private static async Task DrainAsync(HttpListenerRequest request, CancellationToken cancellationToken)
    {
        byte[] chunk = new byte[64 * 1024];
        long drained = 0;
        int read;
        while (drained < Limits.MaxDrainedBytes && (read = await request.InputStream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            drained += read;
        }
    }

    /// <summary>A port free on 127.0.0.1 now (the OS picks it); the listener binds it right after.</summary>
    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
