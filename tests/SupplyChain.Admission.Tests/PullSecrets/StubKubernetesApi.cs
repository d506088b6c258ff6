using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SupplyChain.Admission.Tests.PullSecrets;

/// <summary>
/// A stub of the Kubernetes API on 127.0.0.1 (Kestrel; no kube-apiserver can be installed here): GET of
/// <c>/api/v1/namespaces/NS/secrets/NAME</c> and <c>/api/v1/namespaces/NS/serviceaccounts/NAME</c>, answering the
/// objects put in it (404 with a Status otherwise), and recording every request's method, path and Authorization.
/// </summary>
internal sealed class StubKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _objects = new(StringComparer.Ordinal);

    private StubKubernetesApi(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<(string Method, string Path, string? Authorization)> Requests { get; } = new();

    /// <summary>Answers 403 to everything (a missing RBAC binding).</summary>
    public bool Forbidden { get; set; }

    public static async Task<StubKubernetesApi> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var stub = new StubKubernetesApi(app);
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        stub.BaseAddress = new Uri(app.Urls.First());
        return stub;
    }

    /// <summary>Puts a <c>kubernetes.io/dockerconfigjson</c> secret with <paramref name="user"/>:<paramref name="password"/> for <paramref name="registry"/>.</summary>
    public void PutDockerConfigSecret(string ns, string name, string registry, string user, string password, string type = "kubernetes.io/dockerconfigjson")
    {
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        string config = type == "kubernetes.io/dockercfg"
            ? new JsonObject { [registry] = new JsonObject { ["auth"] = auth } }.ToJsonString()
            : new JsonObject { ["auths"] = new JsonObject { [registry] = new JsonObject { ["auth"] = auth } } }.ToJsonString();
        string key = type == "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
        _objects[$"/api/v1/namespaces/{ns}/secrets/{name}"] = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["type"] = type,
            ["data"] = new JsonObject { [key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(config)) },
        }.ToJsonString();
    }

    public void PutServiceAccount(string ns, string name, params string[] pullSecrets) =>
        _objects[$"/api/v1/namespaces/{ns}/serviceaccounts/{name}"] = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["imagePullSecrets"] = new JsonArray(pullSecrets.Select(s => (JsonNode)new JsonObject { ["name"] = s }).ToArray()),
        }.ToJsonString();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? string.Empty;
        Requests.Enqueue((context.Request.Method, path, context.Request.Headers.Authorization.FirstOrDefault()));
        context.Response.ContentType = "application/json";
        if (Forbidden)
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403}""");
            return;
        }

        if (context.Request.Method == "GET" && _objects.TryGetValue(path, out string? body))
        {
            await context.Response.WriteAsync(body);
            return;
        }

        context.Response.StatusCode = 404;
        await context.Response.WriteAsync("""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");
    }
}
