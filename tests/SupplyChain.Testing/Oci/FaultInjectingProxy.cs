using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SupplyChain.Testing.Oci;

/// <summary>What <see cref="FaultInjectingProxy"/> does to the requests it forwards.</summary>
public enum RegistryFault
{
    /// <summary>Forward every request unchanged.</summary>
    None,

    /// <summary>Hold every request for <see cref="FaultInjectingProxy.Delay"/> before answering anything.</summary>
    Slow,

    /// <summary>Answer every request <c>500 Internal Server Error</c> with a distribution-spec error body.</summary>
    ServerError,

    /// <summary>Send the upstream status, headers and half of the body, then abort the connection (a reset mid-response).</summary>
    ConnectionReset,

    /// <summary>
    /// Serve <see cref="FaultInjectingProxy.LieWith"/>'s manifest (a valid one, of another image) for every
    /// <c>GET /v2/NAME/manifests/sha256:...</c>, with the requested digest in <c>Docker-Content-Digest</c>; other
    /// requests are forwarded.
    /// </summary>
    DigestLie,
}

/// <summary>
/// A reverse proxy on 127.0.0.1 (Kestrel, plain HTTP like the registry behind it) in front of a
/// <see cref="DistributionRegistry"/>, whose behaviour a test switches at run time (<see cref="Fault"/>): pass-through,
/// slow answers, 500s, connections reset mid-response, or a manifest that does not match the digest it is served for.
/// Images pushed through it are named with its <see cref="Host"/>, so a client pointed at them meets the faults.
/// <see cref="Faulted"/> counts the requests a fault was applied to, so a test can show the fault was met.
/// </summary>
public sealed partial class FaultInjectingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly string _upstreamHost;
    private readonly CancellationTokenSource _stopping = new();
    private volatile RegistryFault _fault;
    private (string MediaType, byte[] Body)? _lie;
    private int _faulted;
    private int _forwarded;

    private FaultInjectingProxy(WebApplication app, string upstreamHost)
    {
        _app = app;
        _upstreamHost = upstreamHost;
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = System.Net.DecompressionMethods.None, UseProxy = false })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of references that go through the proxy.</summary>
    public string Host { get; private set; } = string.Empty;

    /// <summary>The fault applied from now on (requests in flight keep theirs).</summary>
    public RegistryFault Fault
    {
        get => _fault;
        set => _fault = value;
    }

    /// <summary>How long <see cref="RegistryFault.Slow"/> holds a request (default 30 s; the proxy's disposal ends it sooner).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many requests a fault was applied to.</summary>
    public int Faulted => Volatile.Read(ref _faulted);

    /// <summary>How many requests were forwarded unchanged.</summary>
    public int Forwarded => Volatile.Read(ref _forwarded);

    /// <summary>Starts a proxy in front of <paramref name="registry"/>.</summary>
    /// <param name="registry">The real registry.</param>
    /// <returns>The running proxy (fault <see cref="RegistryFault.None"/>).</returns>
    public static async Task<FaultInjectingProxy> StartAsync(DistributionRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var proxy = new FaultInjectingProxy(app, registry.Host);
        app.Run(proxy.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        proxy.Host = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;
        return proxy;
    }

    /// <summary>Sets the manifest <see cref="RegistryFault.DigestLie"/> serves (valid JSON of another image).</summary>
    /// <param name="mediaType">Its media type.</param>
    /// <param name="manifest">Its bytes.</param>
    public void LieWith(string mediaType, byte[] manifest) => _lie = (mediaType, manifest);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _upstream.Dispose();
        _stopping.Dispose();
    }

    [GeneratedRegex(@"\A/v2/.+/manifests/sha256:[0-9a-f]{64}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ManifestByDigest();

    private async Task HandleAsync(HttpContext context)
    {
        RegistryFault fault = _fault;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        CancellationToken cancel = linked.Token;
        try
        {
            switch (fault)
            {
                case RegistryFault.Slow:
                    Interlocked.Increment(ref _faulted);
                    await Task.Delay(Delay, cancel).ConfigureAwait(false);
                    await ForwardAsync(context, truncate: false, cancel).ConfigureAwait(false);
                    return;
                case RegistryFault.ServerError:
                    Interlocked.Increment(ref _faulted);
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("""{"errors":[{"code":"UNKNOWN","message":"injected failure"}]}""", cancel).ConfigureAwait(false);
                    return;
                case RegistryFault.ConnectionReset:
                    Interlocked.Increment(ref _faulted);
                    await ForwardAsync(context, truncate: true, cancel).ConfigureAwait(false);
                    return;
                case RegistryFault.DigestLie when _lie is { } lie && HttpMethods.IsGet(context.Request.Method) && ManifestByDigest().IsMatch(context.Request.Path.Value ?? string.Empty):
                    Interlocked.Increment(ref _faulted);
                    string path = context.Request.Path.Value!;
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = lie.MediaType;
                    context.Response.ContentLength = lie.Body.Length;
                    context.Response.Headers["Docker-Content-Digest"] = path[(path.LastIndexOf('/') + 1)..];
                    await context.Response.Body.WriteAsync(lie.Body, cancel).ConfigureAwait(false);
                    return;
                default:
                    Interlocked.Increment(ref _forwarded);
                    await ForwardAsync(context, truncate: false, cancel).ConfigureAwait(false);
                    return;
            }
        }
        catch (OperationCanceledException)
        {
            // The client gave up (its deadline) or the proxy is stopping: nothing left to answer.
            context.Abort();
        }
    }

    private async Task ForwardAsync(HttpContext context, bool truncate, CancellationToken cancel)
    {
        HttpRequest request = context.Request;
        var target = new Uri($"http://{_upstreamHost}{request.Path}{request.QueryString}");
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), target);
        bool hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (hasBody)
        {
            forward.Content = new StreamContent(request.Body);
        }

        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values) && forward.Content is not null)
            {
                forward.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }

        // The registry builds absolute Location URLs from Host: keep them pointing at the proxy.
        forward.Headers.Host = Host;
        using HttpResponseMessage answer = await _upstream.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        HttpResponse response = context.Response;
        response.StatusCode = (int)answer.StatusCode;
        foreach (KeyValuePair<string, IEnumerable<string>> header in answer.Headers.Concat(answer.Content.Headers))
        {
            if (HopByHop.Contains(header.Key))
            {
                continue;
            }

            string[] values = header.Key.Equals("Location", StringComparison.OrdinalIgnoreCase)
                ? header.Value.Select(v => v.Replace(_upstreamHost, Host, StringComparison.Ordinal)).ToArray()
                : header.Value.ToArray();
            response.Headers[header.Key] = values;
        }

        byte[] body = await answer.Content.ReadAsByteArrayAsync(cancel).ConfigureAwait(false);
        if (!truncate)
        {
            await response.Body.WriteAsync(body, cancel).ConfigureAwait(false);
            return;
        }

        // Promise the whole body, send half of it, then reset the connection.
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), cancel).ConfigureAwait(false);
        await response.Body.FlushAsync(cancel).ConfigureAwait(false);
        context.Abort();
    }
}
