using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupplyChain.Admission.Hosting;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Benchmarks;

/// <summary>
/// <c>admission-serve DIR</c> (benchmarks/admission/run.sh): starts Debian's docker-registry on 127.0.0.1 with one
/// key-signed image, the webhook (<see cref="AdmissionServer"/>, TLS, mounted trusted root, a policy pinning the key)
/// and a peer baseline on the same certificate: a trivial Kestrel TLS endpoint that reads the posted body and answers
/// one constant AdmissionReview (the floor of the HTTP/TLS stack). Warms the webhook's verdict cache with one review,
/// writes <c>DIR/body.json</c>, <c>DIR/webhook.url</c>, <c>DIR/baseline.url</c>, then <c>DIR/ready</c>, and serves
/// until its standard input closes.
/// </summary>
internal static class AdmissionServe
{
    private static readonly byte[] ConstantAnswer = Encoding.UTF8.GetBytes("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"bench","allowed":true}}""");

    public static int Run(string[] args)
    {
        string dir = args.Length > 1 ? args[1] : throw new ArgumentException("usage: admission-serve DIR");
        RunAsync(dir).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(string dir)
    {
        using DistributionRegistry registry = DistributionRegistry.Start();
        using var sigstore = VirtualSigstore.Create();
        using var signer = new ImageKeySigner(sigstore);
        using var client = new OciRegistryClient();
        ImageReference repository = ImageReference.Parse($"{registry.Host}/bench/app");
        PushedImage image = await TestImages.PushImageAsync(client, repository, "v1").ConfigureAwait(false);
        string reference = repository.WithDigest(image.Descriptor.Digest).ToString();
        await signer.SignAsync(client, reference).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(dir, "ci.pub"), signer.PublicKeyPem).ConfigureAwait(false);
        await File.WriteAllBytesAsync(Path.Combine(dir, "trusted_root.json"), sigstore.TrustedRootBytes).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(dir, "policy.yaml"), $$"""
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            rules:
              - name: apps
                images: ["{{registry.Host}}/bench/**"]
                authorities:
                  - name: ci
                    key: { path: ci.pub }
            """).ConfigureAwait(false);
        LoopbackTls tls = LoopbackTls.Write(dir);
        string body = PodReview(reference);
        await File.WriteAllTextAsync(Path.Combine(dir, "body.json"), body).ConfigureAwait(false);

        await using AdmissionServer server = await AdmissionServer.StartAsync(new AdmissionServerOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            TlsCertificatePath = tls.CertificatePath,
            TlsKeyPath = tls.KeyPath,
            PolicyPath = Path.Combine(dir, "policy.yaml"),
            TrustedRootPath = Path.Combine(dir, "trusted_root.json"),
        }).ConfigureAwait(false);
        for (int i = 0; i < 300 && !server.IsReady; i++)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        WebApplication baseline = await StartBaselineAsync(tls).ConfigureAwait(false);
        try
        {
            // Warm: the verdict cache (the first review evaluates), the JIT of both endpoints.
            using HttpClient http = tls.CreateClient(TimeSpan.FromSeconds(30));
            Uri webhook = new(server.BaseAddress, "/validate?timeout=10s");
            Uri floor = new(Address(baseline), "/validate?timeout=10s");
            for (int i = 0; i < 50; i++)
            {
                string answer = await PostAsync(http, webhook, body).ConfigureAwait(false);
                if (!answer.Contains("\"allowed\":true", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("the benchmark image is not admitted: " + answer);
                }

                await PostAsync(http, floor, body).ConfigureAwait(false);
            }

            await File.WriteAllTextAsync(Path.Combine(dir, "webhook.url"), webhook.AbsoluteUri).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(dir, "baseline.url"), floor.AbsoluteUri).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(dir, "ready"), "ready").ConfigureAwait(false);
            await Console.In.ReadToEndAsync().ConfigureAwait(false);
        }
        finally
        {
            await baseline.StopAsync().ConfigureAwait(false);
            await baseline.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The peer baseline: Kestrel over TLS (same certificate), reads the body, answers a constant review.</summary>
    private static async Task<WebApplication> StartBaselineAsync(LoopbackTls tls)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(tls.CertificatePath, tls.KeyPath);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        WebApplication app = builder.Build();
        app.MapPost("/validate", async (HttpContext context) =>
        {
            using var sink = new MemoryStream();
            await context.Request.Body.CopyToAsync(sink, context.RequestAborted).ConfigureAwait(false);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(ConstantAnswer, context.RequestAborted).ConfigureAwait(false);
        });
        await app.StartAsync().ConfigureAwait(false);
        return app;
    }

    private static Uri Address(WebApplication app)
    {
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new Uri($"https://127.0.0.1:{bound.Port}/");
    }

    private static async Task<string> PostAsync(HttpClient http, Uri url, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync(url, content).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
    }

    /// <summary>A Pod review with one container (admission.k8s.io/v1, as the API server posts it).</summary>
    internal static string PodReview(string image) => $$$"""
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"bench-uid","kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},"name":"web","namespace":"default","operation":"CREATE","userInfo":{"username":"bench"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},"spec":{"containers":[{"name":"app","image":"{{{image}}}"}]}},"oldObject":null,"dryRun":false}}
        """;
}
