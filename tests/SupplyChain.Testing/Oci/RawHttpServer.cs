using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SupplyChain.Testing.Oci;

/// <summary>A request head read by <see cref="RawHttpServer"/>.</summary>
/// <param name="Method">The method.</param>
/// <param name="Target">The request target (path and query).</param>
/// <param name="Headers">The headers (names case-insensitive; repeated ones joined with ", ").</param>
public sealed record RawHttpRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The Authorization header, or <c>null</c>.</summary>
    public string? Authorization => Headers.GetValueOrDefault("Authorization");
}

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 written on a bare <see cref="TcpListener"/>, for what no well-behaved server does:
/// trickle a body a byte at a time, or record exactly which headers reached a host (a second registry named by a
/// base-image claim, a storage host a redirect names). One request per connection (<c>Connection: close</c>); request
/// bodies are not read. The respond function writes the whole answer to the stream.
/// </summary>
public sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<RawHttpRequest, Stream, CancellationToken, Task> _respond;
    private readonly Task _accepting;

    private RawHttpServer(Func<RawHttpRequest, Stream, CancellationToken, Task> respond)
    {
        _respond = respond;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Host => "127.0.0.1:" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every request head received, in order.</summary>
    public ConcurrentQueue<RawHttpRequest> Requests { get; } = new();

    /// <summary>Starts a server answering with <paramref name="respond"/>.</summary>
    /// <param name="respond">Writes the answer to a request.</param>
    /// <returns>The running server.</returns>
    public static RawHttpServer Start(Func<RawHttpRequest, Stream, CancellationToken, Task> respond) => new(respond);

    /// <summary>A server that answers every request 401 with a Basic challenge, so a client holding credentials for it would send them.</summary>
    /// <returns>The running server.</returns>
    public static RawHttpServer BasicChallengeRecorder() =>
        Start((_, stream, ct) => WriteAsync(stream, 401, "Unauthorized", [("WWW-Authenticate", "Basic realm=\"recorder\"")], [], ct));

    /// <summary>Writes a complete answer with Content-Length and <c>Connection: close</c>.</summary>
    /// <param name="stream">The connection.</param>
    /// <param name="status">The status code.</param>
    /// <param name="reason">The reason phrase.</param>
    /// <param name="headers">Extra headers.</param>
    /// <param name="body">The body.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The write.</returns>
    public static async Task WriteAsync(Stream stream, int status, string reason, IEnumerable<(string Name, string Value)> headers, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(body);
        await stream.WriteAsync(Head(status, reason, headers.Append(("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)))), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The status line and headers (with <c>Connection: close</c>) as bytes.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="reason">The reason phrase.</param>
    /// <param name="headers">The headers.</param>
    /// <returns>The head, ending with the blank line.</returns>
    public static byte[] Head(int status, string reason, IEnumerable<(string Name, string Value)> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var head = new StringBuilder().Append(System.Globalization.CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n");
        foreach ((string name, string value) in headers.Append(("Connection", "close")))
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(head.Append("\r\n").ToString());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by its listener being stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                RawHttpRequest? request = await ReadHeadAsync(stream, _stop.Token).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }

                Requests.Enqueue(request);
                await _respond(request, stream, _stop.Token).ConfigureAwait(false);
                await stream.FlushAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away (it timed out, as the trickle tests want) or the server is stopping.
            }
        }
    }

    private static async Task<RawHttpRequest?> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (head.Count < 64 * 1024)
        {
            if (await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                return null;
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                break;
            }
        }

        string[] lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                string name = line[..colon].Trim();
                string value = line[(colon + 1)..].Trim();
                headers[name] = headers.TryGetValue(name, out string? earlier) ? earlier + ", " + value : value;
            }
        }

        return new RawHttpRequest(requestLine[0], requestLine.Length > 1 ? requestLine[1] : "/", headers);
    }
}
