using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;
using SupplyChain.Admission.Tests.Evaluation;
using SupplyChain.Core.Trust;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Admission.Tests.Integration;

/// <summary>
/// Issue 13 against real peers: Debian's docker-registry, a TCP tarpit on 127.0.0.1 that accepts connections and never
/// answers, and the fault-injecting proxy whose 500s carry a distinctive error body. Trust before network: an unsigned
/// image's claim is never followed, a claim to an unruled host is never requested, nothing is requested for an image no
/// rule covers, and what a registry wrote never reaches the pod's author.
/// </summary>
public sealed class EnforcementRegistryTests : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly RegistryFixture _fixture;
    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();
    private readonly ECDsa _key = ECDsa.Create();

    public EnforcementRegistryTests(RegistryFixture fixture)
    {
        _fixture = fixture;
        _key.ImportFromPem(File.ReadAllText(Path.Combine(AdmissionWorld.Folder, "keys", "test-signer.key.pem")));
    }

    public void Dispose()
    {
        _sigstore.Dispose();
        _key.Dispose();
    }

    /// <summary>One rule over the given globs, signed by the test key, with the lineage required and registry errors admitted.</summary>
    private static ImagePolicy Policy(params string[] globs) => ImagePolicy.Parse($$"""
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        rules:
          - name: apps
            images: [{{string.Join(", ", globs.Select(g => "\"" + g + "\""))}}]
            onRegistryError: allow
            lineage: { required: true }
            authorities:
              - name: test-signer
                key: { path: keys/test-signer.pub.pem }
        """, AdmissionWorld.Folder);

    private async Task<AdmissionOutcome> ReviewAsync(string image, ImagePolicy policy, HttpMessageHandler? handler = null, TimeSpan? deadline = null)
    {
        using var client = new OciRegistryClient(new OciRegistryClientOptions { HttpMessageHandler = handler, Retry = RegistryRetryPolicy.None });
        var snapshot = new AdmissionSnapshot(policy, TrustedRoot.Parse(_sigstore.TrustedRootBytes), "test-root", client);
        using var cts = new CancellationTokenSource(deadline ?? TimeSpan.FromMinutes(1));
        return await new AdmissionEvaluator(new AdmissionEvaluatorOptions()).ReviewAsync(AdmissionWorld.Pod(image), snapshot, cts.Token).WaitAsync(TimeSpan.FromMinutes(2));
    }

    private async Task<PushedImage> PushAsync(OciRegistryClient client, string repository, IReadOnlyDictionary<string, string>? annotations = null, bool sign = false)
    {
        ImageReference repo = ImageReference.Parse(repository);
        PushedImage image = await TestImages.PushImageAsync(client, repo, "1.0", annotations: annotations);
        if (sign)
        {
            byte[] bundle = _sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, ImageStatements.Signature(repo, image.Descriptor.Digest), new SigningOptions { KeyPair = _key });
            await new ImageSignatureAttacher(client).AttachBundleAsync(repo, image.Descriptor, bundle);
        }

        return image;
    }

    private static Dictionary<string, string> ClaimOn(string host) => new()
    {
        [BaseImageClaim.NameKey] = host + "/base:1",
        [BaseImageClaim.DigestKey] = "sha256:" + new string('c', 64),
    };

    private string Prefix() => $"{_fixture.Registry.Host}/enf{Guid.NewGuid():N}"[..40];

    [RegistryFact]
    public async Task A_claim_naming_a_tarpit_is_never_followed_from_an_unsigned_image_nor_to_a_host_no_rule_covers()
    {
        using var tarpit = Tarpit.Start();
        string prefix = Prefix();
        using var push = new OciRegistryClient();
        await PushAsync(push, prefix + "/unsigned", ClaimOn(tarpit.Host));
        await PushAsync(push, prefix + "/signed", ClaimOn(tarpit.Host), sign: true);

        AdmissionOutcome unsigned = await ReviewAsync(prefix + "/unsigned:1.0", Policy(prefix + "/**", tarpit.Host + "/**"));
        AdmissionOutcome unruled = await ReviewAsync(prefix + "/signed:1.0", Policy(prefix + "/**"));

        Assert.False(unsigned.Response.Allowed);
        Assert.StartsWith("SC5102: ", unsigned.Response.Status!.Message, StringComparison.Ordinal);
        Assert.False(unruled.Response.Allowed);
        Assert.StartsWith("SC5113: ", unruled.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Equal(0, tarpit.Accepted);
    }

    [RegistryFact]
    public async Task A_signed_claim_to_a_ruled_tarpit_runs_into_the_deadline_and_is_denied_never_allowed_on_registry_error()
    {
        using var tarpit = Tarpit.Start();
        string prefix = Prefix();
        using var push = new OciRegistryClient();
        await PushAsync(push, prefix + "/signed", ClaimOn(tarpit.Host), sign: true);

        AdmissionOutcome outcome = await ReviewAsync(prefix + "/signed:1.0", Policy(prefix + "/**", tarpit.Host + "/**"), deadline: TimeSpan.FromSeconds(2));

        Assert.False(outcome.Response.Allowed);
        ImageOutcome image = Assert.Single(outcome.Images);
        Assert.Equal(ImageDecision.Denied, image.Decision);
        Assert.False(image.RegistryError);

        // The admission deadline (SC7110), or the client's own timeout first (SC5112): either is a denial below the image.
        Assert.Contains(image.ErrorCode, new[] { "SC7110", "SC5112" });
        Assert.True(tarpit.Accepted > 0);
    }

    [RegistryFact]
    public async Task Nothing_is_requested_for_an_image_no_rule_covers_when_the_default_is_deny()
    {
        string prefix = Prefix();
        using (var push = new OciRegistryClient())
        {
            await PushAsync(push, prefix + "/unruled");
        }

        using var counting = new CountingHandler();
        AdmissionOutcome outcome = await ReviewAsync(prefix + "/unruled:1.0", Policy(prefix + "/apps/**"), counting);

        Assert.False(outcome.Response.Allowed);
        Assert.StartsWith("SC5101: ", outcome.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Equal(0, counting.Count);
    }

    [RegistryFact]
    public async Task A_registrys_error_body_never_reaches_the_status_at_the_image_or_below_it()
    {
        await using FaultInjectingProxy proxy = await FaultInjectingProxy.StartAsync(_fixture.Registry);
        string prefix = Prefix();
        using var push = new OciRegistryClient();
        PushedImage baseImage = await PushAsync(push, proxy.Host + "/enf/base");
        await PushAsync(push, prefix + "/on-proxied-base", new Dictionary<string, string>
        {
            [BaseImageClaim.NameKey] = proxy.Host + "/enf/base:1.0",
            [BaseImageClaim.DigestKey] = baseImage.Descriptor.Digest,
        }, sign: true);
        proxy.Fault = RegistryFault.ServerError;

        AdmissionOutcome top = await ReviewAsync(proxy.Host + "/enf/base:1.0", Policy(prefix + "/**", proxy.Host + "/**"));
        AdmissionOutcome below = await ReviewAsync(prefix + "/on-proxied-base:1.0", Policy(prefix + "/**", proxy.Host + "/**"));

        Assert.True(proxy.Faulted >= 2);
        Assert.Equal(ImageDecision.AllowedOnRegistryError, top.Images[0].Decision);
        Assert.Equal("SC7102", top.Images[0].ErrorCode);
        Assert.DoesNotContain("injected failure", string.Join(" ", top.Response.Warnings ?? []), StringComparison.Ordinal);
        Assert.False(below.Response.Allowed);
        Assert.StartsWith("SC5112: ", below.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 5xx", below.Response.Status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("injected failure", below.Response.Status.Message, StringComparison.Ordinal);
    }

    /// <summary>A TCP listener on 127.0.0.1 that accepts every connection and never answers (a tarpit); counts what it accepted.</summary>
    private sealed class Tarpit : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<TcpClient> _held = [];
        private readonly CancellationTokenSource _stop = new();
        private int _accepted;

        public string Host => "127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public int Accepted => Volatile.Read(ref _accepted);

        public static Tarpit Start()
        {
            var tarpit = new Tarpit();
            tarpit._listener.Start();
            _ = tarpit.AcceptAsync();
            return tarpit;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_held)
            {
                _held.ForEach(c => c.Dispose());
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _accepted);
                    lock (_held)
                    {
                        _held.Add(client);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }
    }
}
