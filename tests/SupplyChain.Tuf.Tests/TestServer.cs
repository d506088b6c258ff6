using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SupplyChain.Tuf.Tests;

/// <summary>A tiny static file server on 127.0.0.1 (a free port) over a folder, with optional per-path overrides.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, string root)
    {
        _app = app;
        Root = root;
    }

    public string Root { get; set; }

    public Uri Url { get; private set; } = null!;

    /// <summary>Paths requested, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Handlers that replace the file for a path (for endless or slow bodies).</summary>
    public ConcurrentDictionary<string, Func<HttpContext, Task>> Overrides { get; } = new(StringComparer.Ordinal);

    public static async Task<TestServer> StartAsync(string root)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var server = new TestServer(app, root);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        string path = Uri.UnescapeDataString(context.Request.Path.Value!.TrimStart('/'));
        Requests.Enqueue(path);
        if (Overrides.TryGetValue(path, out Func<HttpContext, Task>? handler))
        {
            await handler(context);
            return;
        }

        string file = Path.GetFullPath(Path.Combine(Root, path));
        if (!file.StartsWith(Path.GetFullPath(Root), StringComparison.Ordinal) || !File.Exists(file))
        {
            context.Response.StatusCode = 404;
            return;
        }

        byte[] bytes = await File.ReadAllBytesAsync(file);
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }
}

/// <summary>An HTTP handler that fails the test if it is ever called.</summary>
internal sealed class NoNetworkHandler : HttpMessageHandler
{
    public int Calls { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Calls++;
        Assert.Fail($"network call in offline mode: {request.Method} {request.RequestUri}");
        throw new InvalidOperationException("unreachable");
    }
}

internal static class Tuf
{
    public static readonly DateTimeOffset NewestValidAt = new(2026, 8, 22, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset OldValidAt = new(2023, 9, 23, 0, 0, 0, TimeSpan.Zero);

    public static string Repo(string name) => Path.Combine(Testing.TestPaths.Shared!, "tuf", name);

    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "sc-tuf-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static Dictionary<string, string> Snapshot(string dir) =>
        Directory.Exists(dir)
            ? Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))
            : [];
}
