using System.Globalization;
using System.Net;
using System.Text;
using SupplyChain.Admission.Hosting;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;
using SupplyChain.Http;

namespace SupplyChain.Admission.Tests.Integration;

/// <summary>The integration classes share one registry, proxy and webhook, and run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookFixture>
{
    public const string Name = "admission webhook on loopback";
}

/// <summary>
/// The webhook as a cluster meets it, all on 127.0.0.1: Debian's docker-registry holding key-signed, unsigned and
/// lineage images (umoci + skopeo, the test kit's <see cref="UmociLineage"/>); a <see cref="FaultInjectingProxy"/> in
/// front of it; a policy file pinning the test public keys; a mounted <c>trusted_root.json</c> (the VirtualSigstore's:
/// key-signed images need its Rekor log, no Fulcio); a self-signed TLS pair; and <see cref="AdmissionServer"/> started
/// on 127.0.0.1:0 over TLS. Built on first use (so skipped tests start nothing), torn down at the end.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xUnit disposes a fixture through IAsyncLifetime.DisposeAsync, which disposes every field.")]
public sealed class WebhookFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-admission-it-").FullName;
    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();
    private DistributionRegistry? _registry;
    private FaultInjectingProxy? _proxy;
    private AdmissionServer? _server;
    private ImageKeySigner? _ci;
    private ImageKeySigner? _publisher;
    private int _counter;

    /// <summary>The real registry.</summary>
    public DistributionRegistry Registry => _registry ?? throw NotStarted();

    /// <summary>The proxy in front of it.</summary>
    public FaultInjectingProxy Proxy => _proxy ?? throw NotStarted();

    /// <summary>The running webhook.</summary>
    public AdmissionServer Server => _server ?? throw NotStarted();

    /// <summary>The TLS files the webhook serves.</summary>
    internal LoopbackTls Tls { get; private set; } = null!;

    /// <summary>The policy file.</summary>
    public string PolicyPath => Path.Combine(_dir, "policy.yaml");

    /// <summary>The mounted trusted root.</summary>
    public string TrustedRootPath => Path.Combine(_dir, "trusted_root.json");

    /// <summary>The fixture's temporary folder.</summary>
    public string Folder => _dir;

    /// <summary>A key-signed image (rule <c>plain</c>), <c>host/plain/signed:v1@sha256:...</c>.</summary>
    public string SignedImage { get; private set; } = string.Empty;

    /// <summary>An unsigned image (rule <c>plain</c>).</summary>
    public string UnsignedImage { get; private set; } = string.Empty;

    /// <summary>An unsigned image under the warn-mode rule <c>warned</c>.</summary>
    public string WarnedImage { get; private set; } = string.Empty;

    /// <summary>The signed 3-level lineage (the app's rule requires lineage down to scratch).</summary>
    public UmociLineage Lineage { get; private set; } = null!;

    /// <summary>A signed app whose base claim names the runtime but whose layers are unrelated (a forged claim).</summary>
    public string ForgedClaim { get; private set; } = string.Empty;

    /// <summary>A signed app on a truthfully claimed but unsigned base.</summary>
    public string AppOnUnsignedBase { get; private set; } = string.Empty;

    /// <summary>The repository prefix of the lineage images (<c>host/linXXXX</c>).</summary>
    public string LineagePrefix { get; private set; } = string.Empty;

    /// <inheritdoc/>
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Builds the images and starts the webhook, once.</summary>
    public async Task StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_server is not null)
            {
                return;
            }

            _registry = DistributionRegistry.Start();
            _proxy = await FaultInjectingProxy.StartAsync(_registry);
            _ci = new ImageKeySigner(_sigstore);
            _publisher = new ImageKeySigner(_sigstore);
            await PushImagesAsync();
            Directory.CreateDirectory(Path.Combine(_dir, "keys"));
            await File.WriteAllTextAsync(Path.Combine(_dir, "keys", "ci.pub"), _ci.PublicKeyPem);
            await File.WriteAllTextAsync(Path.Combine(_dir, "keys", "publisher.pub"), _publisher.PublicKeyPem);
            await File.WriteAllTextAsync(PolicyPath, Policy());
            await File.WriteAllBytesAsync(TrustedRootPath, _sigstore.TrustedRootBytes);
            Tls = LoopbackTls.Write(_dir);
            _server = await AdmissionServer.StartAsync(new AdmissionServerOptions
            {
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                TlsCertificatePath = Tls.CertificatePath,
                TlsKeyPath = Tls.KeyPath,
                PolicyPath = PolicyPath,
                TrustedRootPath = TrustedRootPath,

                // Few, short retries, so a failing registry's own code (SC4002, SC4003) shows inside a 2 s deadline;
                // the deadline itself is tested with a registry slower than any retry budget.
                Registry = new OciRegistryClientOptions { Retry = HttpRetryPolicy.Default with { MaxAttempts = 2, InitialDelay = TimeSpan.FromMilliseconds(50), MaxTotalDelay = TimeSpan.FromMilliseconds(200) } },
            });

            // Policy and trust material load in the background: wait for /readyz's condition.
            for (int i = 0; i < 300 && !_server.IsReady; i++)
            {
                await Task.Delay(100);
            }

            Assert.True(_server.IsReady, "the webhook did not become ready within 30 s");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A unique review uid.</summary>
    public string NewUid() => "uid-" + Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Pushes a fresh image through the proxy (so nothing about it is cached yet) and signs it with the CI key when asked.</summary>
    /// <param name="repository">The repository under the proxy's host (<c>faults/...</c> or <c>lenient/...</c>).</param>
    /// <param name="sign">Whether to sign it.</param>
    /// <returns>The pushed image, <c>proxyhost/repository@sha256:...</c>, and its manifest.</returns>
    public async Task<PushedImage> PushThroughProxyAsync(string repository, bool sign = true)
    {
        using var client = new OciRegistryClient();
        ImageReference repo = ImageReference.Parse($"{Proxy.Host}/{repository}");
        PushedImage pushed = await TestImages.PushImageAsync(client, repo, "v1");
        if (sign)
        {
            await _ci!.SignAsync(client, repo.WithDigest(pushed.Descriptor.Digest).ToString());
        }

        return pushed;
    }

    /// <summary>Posts <paramref name="review"/> to <c>/validate</c> with the given <c>?timeout=</c>; the client gives up at <paramref name="clientTimeout"/>.</summary>
    internal async Task<WebhookReply> PostAsync(string review, string timeout = "10s", TimeSpan? clientTimeout = null)
    {
        using HttpClient http = Tls.CreateClient(clientTimeout ?? TimeSpan.FromSeconds(30));
        using var content = new StringContent(review, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync(new Uri(Server.BaseAddress, "/validate?timeout=" + timeout), content);
        return WebhookReply.Parse(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        _registry?.Dispose();
        _ci?.Dispose();
        _publisher?.Dispose();
        _sigstore.Dispose();
        _gate.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    private static InvalidOperationException NotStarted() => new("call WebhookFixture.StartAsync first");

    private async Task PushImagesAsync()
    {
        DistributionRegistry registry = Registry;
        using var client = new OciRegistryClient();
        ImageReference signedRepo = ImageReference.Parse($"{registry.Host}/plain/signed");
        PushedImage signed = await TestImages.PushImageAsync(client, signedRepo, "v1");
        SignedImage = signedRepo.WithTag("v1") + "@" + signed.Descriptor.Digest;
        await _ci!.SignAsync(client, SignedImage);
        ImageReference unsignedRepo = ImageReference.Parse($"{registry.Host}/plain/unsigned");
        PushedImage unsigned = await TestImages.PushImageAsync(client, unsignedRepo, "v1");
        UnsignedImage = unsignedRepo.WithTag("v1") + "@" + unsigned.Descriptor.Digest;
        ImageReference warnedRepo = ImageReference.Parse($"{registry.Host}/warned/unsigned");
        PushedImage warned = await TestImages.PushImageAsync(client, warnedRepo, "v1");
        WarnedImage = warnedRepo.WithTag("v1") + "@" + warned.Descriptor.Digest;

        // The lineage: scratch -> base -> runtime -> app (publisher signs base and runtime, CI the app), then the
        // broken cases in the same repositories: a forged claim (SC4603) and an app on an unsigned base (SC5102).
        string run = "lin" + Guid.NewGuid().ToString("N")[..8];
        LineagePrefix = registry.Host + "/" + run;
        using var umoci = new UmociChain();
        Lineage = UmociLineage.Push(umoci, registry, run, image => _publisher!.SignAsync(client, image).GetAwaiter().GetResult(), image => _ci.SignAsync(client, image).GetAwaiter().GetResult());
        umoci.FromScratch("forged");
        umoci.AddLayer("forged");
        umoci.Claim("forged", annotations: UmociLineage.Claim(Lineage.Runtime));
        ForgedClaim = UmociLineage.Pushed(umoci, registry, "forged", $"{run}/app");
        await _ci.SignAsync(client, ForgedClaim);
        umoci.FromScratch("base-unsigned");
        umoci.Claim("base-unsigned", annotations: new Dictionary<string, string> { [BaseImageClaim.NameKey] = BaseImageClaim.Scratch });
        string baseUnsigned = UmociLineage.Pushed(umoci, registry, "base-unsigned", $"{run}/base");
        umoci.Derive("base-unsigned", "on-unsigned");
        umoci.Claim("on-unsigned", annotations: UmociLineage.Claim(baseUnsigned));
        AppOnUnsignedBase = UmociLineage.Pushed(umoci, registry, "on-unsigned", $"{run}/app");
        await _ci.SignAsync(client, AppOnUnsignedBase);
    }

    /// <summary>docs/policy.md: the first matching rule applies; every rule pins a test key (key.path relative to the policy file).</summary>
    private string Policy()
    {
        string r = Registry.Host;
        string p = Proxy.Host;
        return $"""
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            defaultAction: deny
            rules:
              - name: apps
                images: ["{LineagePrefix}/app"]
                authorities:
                  - name: ci
                    key: {"{"} path: keys/ci.pub {"}"}
                lineage:
                  required: true
                  trustedRoots: [scratch]
                  maxDepth: 4
              - name: platform
                images: ["{LineagePrefix}/base", "{LineagePrefix}/runtime"]
                authorities:
                  - name: publisher
                    key: {"{"} path: keys/publisher.pub {"}"}
              - name: warned
                images: ["{r}/warned/**"]
                mode: warn
                authorities:
                  - name: ci
                    key: {"{"} path: keys/ci.pub {"}"}
              - name: lenient
                images: ["{p}/lenient/**"]
                onRegistryError: allow
                authorities:
                  - name: ci
                    key: {"{"} path: keys/ci.pub {"}"}
              - name: plain
                images: ["{r}/plain/**", "{p}/faults/**"]
                authorities:
                  - name: ci
                    key: {"{"} path: keys/ci.pub {"}"}
            """;
    }
}
