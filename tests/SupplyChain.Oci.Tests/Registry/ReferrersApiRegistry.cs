using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>
/// A minimal OCI 1.1 registry over real HTTP on 127.0.0.1 (Kestrel), for what distribution 2.8 lacks: it processes
/// subjects (answers OCI-Subject), serves the referrers API two per page with Link headers and applies the
/// artifactType filter (OCI-Filters-Applied), behind bearer token auth whose realm is on the same server.
/// </summary>
internal sealed class ReferrersApiRegistry : IAsyncDisposable
{
    private const int PageSize = 2;
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string MediaType, byte[] Body)> _manifests = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Subject, OciDescriptor Referrer)> _referrers = new();
    private int _tokens;

    private ReferrersApiRegistry(WebApplication app)
    {
        _app = app;
    }

    public string Host { get; private set; } = string.Empty;

    public int TokensIssued => Volatile.Read(ref _tokens);

    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<ReferrersApiRegistry> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var registry = new ReferrersApiRegistry(app);
        app.Run(registry.HandleAsync);
        await app.StartAsync();
        registry.Host = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;
        return registry;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string path = request.Path.Value!;
        Requests.Enqueue(request.Method + " " + path + request.QueryString);
        if (path == "/token")
        {
            Interlocked.Increment(ref _tokens);
            await context.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["token"] = "good", ["expires_in"] = 300 });
            return;
        }

        if (request.Headers.Authorization != "Bearer good")
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"http://{Host}/token\",service=\"fake\"";
            return;
        }

        int referrers = path.IndexOf("/referrers/", StringComparison.Ordinal);
        int manifests = path.IndexOf("/manifests/", StringComparison.Ordinal);
        if (referrers > 0 && request.Method == "GET")
        {
            await ListAsync(context, path[(referrers + "/referrers/".Length)..]);
        }
        else if (manifests > 0 && request.Method == "PUT")
        {
            await PutAsync(context, path[(manifests + "/manifests/".Length)..]);
        }
        else if (manifests > 0 && _manifests.TryGetValue(path[(manifests + "/manifests/".Length)..], out var stored))
        {
            context.Response.ContentType = stored.MediaType;
            await context.Response.Body.WriteAsync(stored.Body);
        }
        else
        {
            context.Response.StatusCode = 404;
        }
    }

    private async Task PutAsync(HttpContext context, string reference)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        byte[] body = buffer.ToArray();
        string mediaType = context.Request.ContentType!;
        string digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
        _manifests[digest] = (mediaType, body);
        _manifests[reference] = (mediaType, body);
        OciManifest manifest = OciManifest.Parse(body, mediaType);
        if (manifest.Subject is { } subject)
        {
            _referrers.Enqueue((subject.Digest, new OciDescriptor(mediaType, digest, body.Length) { ArtifactType = manifest.EffectiveArtifactType, Annotations = manifest.Annotations }));
            context.Response.Headers["OCI-Subject"] = subject.Digest;
        }

        context.Response.Headers["Docker-Content-Digest"] = digest;
        context.Response.StatusCode = 201;
    }

    private async Task ListAsync(HttpContext context, string subject)
    {
        string? artifactType = context.Request.Query["artifactType"];
        var all = _referrers.Where(r => r.Subject == subject && (artifactType is null || r.Referrer.ArtifactType == artifactType)).Select(r => r.Referrer).ToList();
        int page = int.TryParse(context.Request.Query["page"], out int p) ? p : 0;
        if ((page + 1) * PageSize < all.Count)
        {
            context.Response.Headers.Link = $"<{context.Request.Path}?page={page + 1}{(artifactType is null ? "" : "&artifactType=" + Uri.EscapeDataString(artifactType))}>; rel=\"next\"";
        }

        if (artifactType is not null)
        {
            context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }

        context.Response.ContentType = OciMediaTypes.ImageIndex;
        await context.Response.Body.WriteAsync(OciIndex.Create(all.Skip(page * PageSize).Take(PageSize).ToList()).ToJson());
    }
}
