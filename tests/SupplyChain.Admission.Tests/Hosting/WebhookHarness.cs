using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Hosting;
using SupplyChain.Admission.Review;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Admission.Tests.Hosting;

/// <summary>
/// A webhook on 127.0.0.1:0 over real TLS (a self-signed pair in a temp folder), in front of the in-memory registry,
/// with a policy file and a mounted trusted_root.json it reloads.
/// </summary>
internal sealed class WebhookHarness : IAsyncDisposable
{
    public const string AllowAll = "apiVersion: supplychain.dev/v1alpha1\nkind: ImagePolicy\ndefaultAction: allow\nrules: []\n";
    public const string DenyAll = "apiVersion: supplychain.dev/v1alpha1\nkind: ImagePolicy\ndefaultAction: deny\nrules: []\n";

    /// <summary>One rule over every image, signed by the TEST-ONLY key of testdata/admission/keys: images are read and evaluated (an unsigned one is denied SC5102).</summary>
    public static string SignedByTestKey => "apiVersion: supplychain.dev/v1alpha1\nkind: ImagePolicy\nrules:\n  - name: all\n    images: [\"**\"]\n    authorities:\n      - name: test\n        key: { path: \""
        + Path.Combine(TestPaths.TestData, "admission", "keys", "test-signer.pub.pem") + "\" }\n";

    private WebhookHarness(string directory, SelfSignedTls tls, InMemoryRegistry registry)
    {
        Directory = directory;
        Tls = tls;
        Registry = registry;
    }

    public string Directory { get; }

    public SelfSignedTls Tls { get; }

    public InMemoryRegistry Registry { get; }

    public AdmissionServer Server { get; private set; } = null!;

    public string CertificatePath => Path.Combine(Directory, "tls.crt");

    public string KeyPath => Path.Combine(Directory, "tls.key");

    public string PolicyPath => Path.Combine(Directory, "policy.yaml");

    public string TrustedRootPath => Path.Combine(Directory, "trusted_root.json");

    public CapturingLoggerProvider Logs { get; } = new();

    public static byte[] TrustedRootBytes => File.ReadAllBytes(Path.Combine(TestPaths.TestData, "benchmark", "rekor2-happy-path", "trusted_root.json"));

    public static async Task<WebhookHarness> StartAsync(
        string policy = AllowAll,
        bool writeTrustedRoot = true,
        Func<AdmissionRequest, AdmissionSnapshot, CancellationToken, Task<AdmissionOutcome>>? review = null,
        TimeSpan? reloadInterval = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), "admhost-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var harness = new WebhookHarness(directory, SelfSignedTls.Create(), new InMemoryRegistry());
        harness.Tls.Write(harness.CertificatePath, harness.KeyPath);
        await File.WriteAllTextAsync(harness.PolicyPath, policy);
        if (writeTrustedRoot)
        {
            await File.WriteAllBytesAsync(harness.TrustedRootPath, TrustedRootBytes);
        }

        harness.Server = await AdmissionServer.StartAsync(new AdmissionServerOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            TlsCertificatePath = harness.CertificatePath,
            TlsKeyPath = harness.KeyPath,
            PolicyPath = harness.PolicyPath,
            TrustedRootPath = harness.TrustedRootPath,
            RegistryClient = harness.Registry,

            // The tests trigger reloads themselves (ReloadNowAsync); the loop stays out of their way.
            ReloadInterval = reloadInterval ?? TimeSpan.FromHours(1),
            LoggerProvider = harness.Logs,
            ReviewOverride = review,
        });
        return harness;
    }

    public HttpClient Client() => SelfSignedTls.Client(Tls.Certificate);

    public Uri Url(string pathAndQuery) => new(Server.BaseAddress, pathAndQuery);

    public async Task<PushedImage> PushAsync(string repository = "registry.test/apps/web", string tag = "1") =>
        await TestImages.PushImageAsync(Registry, ImageReference.Parse(repository), tag);

    public static string PodReview(string uid, string image, string ns = "shop") => $$$"""
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
          "uid":"{{{uid}}}",
          "kind":{"group":"","version":"v1","kind":"Pod"},
          "resource":{"group":"","version":"v1","resource":"pods"},
          "name":"web","namespace":"{{{ns}}}","operation":"CREATE",
          "userInfo":{"username":"alice-secret-user","groups":["dev"]},
          "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"containers":[{"name":"a","image":"{{{image}}}"}]}},
          "oldObject":null,"dryRun":false}}
        """;

    public static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    /// <summary>Posts a review and returns the parsed response (asserting HTTP 200 and the echoed uid).</summary>
    public async Task<AdmissionResponse> PostReviewAsync(HttpClient client, string uid, string image, string query = "?timeout=10s")
    {
        using HttpResponseMessage response = await client.PostAsync(Url("/validate" + query), Json(PodReview(uid, image)));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        using JsonDocument document = JsonDocument.Parse(text);
        JsonElement r = document.RootElement.GetProperty("response");
        Assert.Equal(uid, r.GetProperty("uid").GetString());
        Assert.Equal("admission.k8s.io/v1", document.RootElement.GetProperty("apiVersion").GetString());
        Assert.False(r.TryGetProperty("patch", out _));
        return new AdmissionResponse
        {
            Uid = uid,
            Allowed = r.GetProperty("allowed").GetBoolean(),
            Status = r.TryGetProperty("status", out JsonElement s) ? new AdmissionStatus { Code = s.TryGetProperty("code", out JsonElement c) ? c.GetInt32() : 0, Message = s.GetProperty("message").GetString() ?? "" } : null,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Logs.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
