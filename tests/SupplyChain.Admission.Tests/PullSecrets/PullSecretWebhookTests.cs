using System.Net;
using System.Security.Cryptography;
using System.Text;
using SupplyChain.Admission.Hosting;
using SupplyChain.Admission.PullSecrets;
using SupplyChain.Admission.Review;
using SupplyChain.Admission.Tests.Evaluation;
using SupplyChain.Admission.Tests.Hosting;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Auth;
using SupplyChain.Oci.Signatures;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Admission.Tests.PullSecrets;

/// <summary>
/// The webhook (real server, real TLS) pulling from Debian's docker-registry behind htpasswd with each pod's pull
/// secrets, read from a stub Kubernetes API on 127.0.0.1: the right secret (the pod's, or its service account's)
/// admits; no secret, a wrong one or a missing one denies with SC4004; an API that refuses the webhook denies with
/// SC7031; only GETs of secrets and service accounts are sent, with the webhook's token; and neither the password
/// nor the secret's encoded forms appear in any log line or status message.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xUnit disposes the class through IAsyncLifetime.DisposeAsync, which disposes every field.")]
public sealed class PullSecretWebhookTests : IClassFixture<BasicAuthRegistryFixture>, IAsyncLifetime
{
    private const string Token = "webhook-service-account-token";
    private readonly BasicAuthRegistryFixture _fixture;
    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();
    private readonly ECDsa _key = ECDsa.Create();
    private readonly SelfSignedTls _tls = SelfSignedTls.Create();
    private readonly string _directory = Directory.CreateTempSubdirectory("sc-pullsecrets-").FullName;
    private readonly CapturingLoggerProvider _logs = new();
    private StubKubernetesApi _api = null!;
    private AdmissionServer _server = null!;
    private string _image = null!;

    public PullSecretWebhookTests(BasicAuthRegistryFixture fixture)
    {
        _fixture = fixture;
        _key.ImportFromPem(File.ReadAllText(Path.Combine(AdmissionWorld.Folder, "keys", "test-signer.key.pem")));
    }

    private (string User, string Password) Credentials => _fixture.Registry.Credentials!.Value;

    public async Task InitializeAsync()
    {
        if (!DistributionRegistry.IsAvailable)
        {
            return;
        }

        string host = _fixture.Registry.Host;
        var pushCredentials = new StaticCredentialSource(RegistryCredential.FromPassword(Credentials.User, Credentials.Password), host);
        using (var push = new OciRegistryClient(new OciRegistryClientOptions { Credentials = pushCredentials }))
        {
            ImageReference repository = ImageReference.Parse($"{host}/private/app{Guid.NewGuid():N}"[..(host.Length + 20)]);
            PushedImage pushed = await TestImages.PushImageAsync(push, repository, "1.0");
            byte[] bundle = _sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, ImageStatements.Signature(repository, pushed.Descriptor.Digest), new SigningOptions { KeyPair = _key });
            await new ImageSignatureAttacher(push).AttachBundleAsync(repository, pushed.Descriptor, bundle);
            _image = repository + "@" + pushed.Descriptor.Digest;
        }

        _api = await StubKubernetesApi.StartAsync();
        _api.PutDockerConfigSecret("shop", "regcred", host, Credentials.User, Credentials.Password);
        _api.PutDockerConfigSecret("shop", "legacycred", host, Credentials.User, Credentials.Password, "kubernetes.io/dockercfg");
        _api.PutDockerConfigSecret("shop", "wrongcred", host, Credentials.User, "not-the-password");
        _api.PutDockerConfigSecret("shop", "othercred", "registry.other.example", Credentials.User, Credentials.Password);
        _api.PutServiceAccount("shop", "default");
        _api.PutServiceAccount("shop", "builder", "regcred");

        string tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, Token);
        _tls.Write(Path.Combine(_directory, "tls.crt"), Path.Combine(_directory, "tls.key"));
        await File.WriteAllBytesAsync(Path.Combine(_directory, "trusted_root.json"), _sigstore.TrustedRootBytes);
        await File.WriteAllTextAsync(Path.Combine(_directory, "policy.yaml"), $$"""
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            rules:
              - name: private
                images: ["{{host}}/private/**"]
                authorities:
                  - name: test-signer
                    key: { path: "{{Path.Combine(AdmissionWorld.Folder, "keys", "test-signer.pub.pem")}}" }
            """);
        _server = await AdmissionServer.StartAsync(new AdmissionServerOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            TlsCertificatePath = Path.Combine(_directory, "tls.crt"),
            TlsKeyPath = Path.Combine(_directory, "tls.key"),
            PolicyPath = Path.Combine(_directory, "policy.yaml"),
            TrustedRootPath = Path.Combine(_directory, "trusted_root.json"),
            PullSecrets = new PullSecretOptions { ApiServer = _api.BaseAddress, TokenFile = tokenFile },
            LoggerProvider = _logs,
            ReloadInterval = TimeSpan.FromHours(1),
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        _sigstore.Dispose();
        _key.Dispose();
        _logs.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<AdmissionResponse> ReviewAsync(string uid, string podSpecExtra)
    {
        using HttpClient client = SelfSignedTls.Client(_tls.Certificate);
        string body = $$"""
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
              "uid":"{{uid}}","kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
              "name":"web","namespace":"shop","operation":"CREATE","userInfo":{"username":"alice"},
              "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{{{podSpecExtra}}"containers":[{"name":"a","image":"{{_image}}"}]} },
              "oldObject":null,"dryRun":false} }
            """;
        using HttpResponseMessage response = await client.PostAsync(new Uri(_server.BaseAddress, "/validate?timeout=20s"), WebhookHarness.Json(body));
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = System.Text.Json.JsonDocument.Parse(text);
        System.Text.Json.JsonElement r = document.RootElement.GetProperty("response");
        return new AdmissionResponse
        {
            Uid = uid,
            Allowed = r.GetProperty("allowed").GetBoolean(),
            Status = r.TryGetProperty("status", out var s) ? new AdmissionStatus { Message = s.GetProperty("message").GetString() ?? "" } : null,
        };
    }

    [RegistryFact]
    public async Task The_right_secret_admits_and_no_wrong_or_missing_secret_does_and_no_secret_reaches_a_log()
    {
        AdmissionResponse own = await ReviewAsync("own", "\"imagePullSecrets\":[{\"name\":\"regcred\"}],");
        AdmissionResponse legacy = await ReviewAsync("legacy", "\"imagePullSecrets\":[{\"name\":\"legacycred\"}],");
        AdmissionResponse fromAccount = await ReviewAsync("account", "\"serviceAccountName\":\"builder\",");
        AdmissionResponse none = await ReviewAsync("none", string.Empty);
        AdmissionResponse wrong = await ReviewAsync("wrong", "\"imagePullSecrets\":[{\"name\":\"wrongcred\"}],");
        AdmissionResponse missing = await ReviewAsync("missing", "\"imagePullSecrets\":[{\"name\":\"nosuchsecret\"}],");
        AdmissionResponse otherHost = await ReviewAsync("other", "\"imagePullSecrets\":[{\"name\":\"othercred\"}],");

        Assert.True(own.Allowed, own.Status?.Message);
        Assert.True(legacy.Allowed, legacy.Status?.Message);
        Assert.True(fromAccount.Allowed, fromAccount.Status?.Message);
        foreach (AdmissionResponse denied in new[] { none, wrong, missing, otherHost })
        {
            Assert.False(denied.Allowed);
            Assert.StartsWith("SC4004", denied.Status!.Message, StringComparison.Ordinal);
        }

        _api.Forbidden = true;
        AdmissionResponse forbidden = await ReviewAsync("forbidden", "\"serviceAccountName\":\"fresh\",");
        Assert.False(forbidden.Allowed);
        Assert.StartsWith("SC7031", forbidden.Status!.Message, StringComparison.Ordinal);

        // Least privilege, as RBAC grants it: GETs of secrets and service accounts only, with the webhook's own token.
        Assert.NotEmpty(_api.Requests);
        Assert.All(_api.Requests, r =>
        {
            Assert.Equal("GET", r.Method);
            Assert.Matches(@"\A/api/v1/namespaces/shop/(secrets|serviceaccounts)/[a-z]+\z", r.Path);
            Assert.Equal("Bearer " + Token, r.Authorization);
        });

        // No secret content in any log line or status message: the password, the user:password pair, its base64.
        string password = Credentials.Password;
        string pair = Credentials.User + ":" + password;
        string[] forbiddenTexts = [password, pair, Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)), "not-the-password"];
        string everything = string.Join("\n", _logs.Lines.Select(l => l.Message).Concat(new[] { own, legacy, fromAccount, none, wrong, missing, otherHost, forbidden }.Select(r => r.Status?.Message ?? string.Empty)));
        Assert.NotEmpty(_logs.Lines);
        Assert.All(forbiddenTexts, secret => Assert.DoesNotContain(secret, everything, StringComparison.Ordinal));
    }
}
