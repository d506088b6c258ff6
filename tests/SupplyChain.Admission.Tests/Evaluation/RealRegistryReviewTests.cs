using System.Collections.Concurrent;
using System.Security.Cryptography;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;
using SupplyChain.Core.Trust;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;
using SupplyChain.Http;

namespace SupplyChain.Admission.Tests.Evaluation;

/// <summary>
/// The evaluator over the real registry client and Debian's docker-registry on 127.0.0.1 (distribution 2.8: no
/// referrers API, so signatures are found through the tag fallback): a signed image by tag is resolved and admitted,
/// an unsigned one denied, a dryRun review sends only GET and HEAD requests, and an unreachable registry is a
/// registry error with its code, never an allow.
/// </summary>
public sealed class RealRegistryReviewTests : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly RegistryFixture _fixture;
    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();
    private readonly ECDsa _key = ECDsa.Create();
    private readonly MethodRecorder _methods = new();

    public RealRegistryReviewTests(RegistryFixture fixture)
    {
        _fixture = fixture;
        _key.ImportFromPem(File.ReadAllText(Path.Combine(AdmissionWorld.Folder, "keys", "test-signer.key.pem")));
    }

    public void Dispose()
    {
        _sigstore.Dispose();
        _key.Dispose();
        _methods.Dispose();
    }

    private ImagePolicy Policy(string repositoryPrefix) => ImagePolicy.Parse($$"""
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        rules:
          - name: apps
            images: ["{{repositoryPrefix}}/**"]
            authorities:
              - name: test-signer
                key: { path: keys/test-signer.pub.pem }
        """, AdmissionWorld.Folder);

    private async Task<AdmissionOutcome> ReviewAsync(AdmissionRequest request, ImagePolicy policy)
    {
        using var client = new OciRegistryClient(new OciRegistryClientOptions { Transport = _methods, Retry = HttpRetryPolicy.None });
        var snapshot = new AdmissionSnapshot(policy, TrustedRoot.Parse(_sigstore.TrustedRootBytes), "test-root", client);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await new AdmissionEvaluator(new AdmissionEvaluatorOptions()).ReviewAsync(request, snapshot, deadline.Token);
    }

    [RegistryFact]
    public async Task A_signed_tag_is_admitted_an_unsigned_one_denied_and_a_dry_run_only_reads()
    {
        string prefix = $"{_fixture.Registry.Host}/adm{Guid.NewGuid():N}"[..40];
        using var push = new OciRegistryClient();
        ImageReference signedRepo = ImageReference.Parse(prefix + "/signed");
        PushedImage signed = await TestImages.PushImageAsync(push, signedRepo, "1.0");
        byte[] bundle = _sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, ImageStatements.Signature(signedRepo, signed.Descriptor.Digest), new SigningOptions { KeyPair = _key });
        await new ImageSignatureAttacher(push).AttachBundleAsync(signedRepo, signed.Descriptor, bundle);
        await TestImages.PushImageAsync(push, ImageReference.Parse(prefix + "/unsigned"), "1.0");

        AdmissionOutcome allowed = await ReviewAsync(AdmissionWorld.Pod(prefix + "/signed:1.0"), Policy(prefix));
        AdmissionRequest dry = AdmissionWorld.Pod(prefix + "/signed:1.0", prefix + "/unsigned:1.0");
        dry.DryRun = true;
        _methods.Methods.Clear();
        AdmissionOutcome denied = await ReviewAsync(dry, Policy(prefix));

        Assert.True(allowed.Response.Allowed, allowed.Response.Status?.Message);
        Assert.Equal(signed.Descriptor.Digest, allowed.Images[0].Digest);
        Assert.False(denied.Response.Allowed);
        Assert.StartsWith($"SC5102: image {prefix}/unsigned:1.0 at spec.containers[1].image (", denied.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Equal(ImageDecision.Allowed, denied.Images[0].Decision);
        Assert.NotEmpty(_methods.Methods);
        Assert.All(_methods.Methods, m => Assert.True(m == HttpMethod.Get || m == HttpMethod.Head, $"{m} sent during admission"));
    }

    [Fact]
    public async Task An_unreachable_registry_is_a_registry_error_and_denies()
    {
        AdmissionOutcome outcome = await ReviewAsync(AdmissionWorld.Pod("127.0.0.1:1/apps/web:1.0", "127.0.0.1:1/apps/web@sha256:" + new string('b', 64)), Policy("127.0.0.1:1"));

        Assert.False(outcome.Response.Allowed);
        Assert.StartsWith("SC7102: ", outcome.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Equal([("SC7102", true), ("SC4002", true)], outcome.Images.Select(i => (i.ErrorCode, i.RegistryError)));
    }

    /// <summary>Records the method of every request, then forwards it over real sockets.</summary>
    private sealed class MethodRecorder : DelegatingHandler
    {
        public MethodRecorder()
            : base(new SocketsHttpHandler())
        {
        }

        public ConcurrentQueue<HttpMethod> Methods { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Methods.Enqueue(request.Method);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
