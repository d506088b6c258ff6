using System.Collections.Concurrent;
using SupplyChain.Core.Trust;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;
using Xunit.Abstractions;

namespace SupplyChain.Policy.Tests.Evidence;

/// <summary>
/// Issue 13 item 5 against Debian's docker-registry, with the client's content cache OFF (every read is a request):
/// each signature attached to a digest is fetched at most once per evaluation, however many authorities and platforms
/// ask for it. Requests are counted with the test kit's <see cref="CountingHandler"/> and recorded by path.
/// </summary>
public sealed class EvidenceRequestCountTests : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly RegistryFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();

    public EvidenceRequestCountTests(RegistryFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    public void Dispose() => _sigstore.Dispose();

    private static ImagePolicy Policy(int authorities) => ImagePolicy.Parse($$"""
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        rules:
          - name: apps
            images: ["**"]
            authorities:
        {{string.Concat(Enumerable.Range(0, authorities).Select(i => $"      - name: a{i}\n        keyless: {{ issuer: \"{SigningOptions.DefaultIssuer}\", subjectRegExp: \"https://github\\\\.com/virtual-org/.*\" }}\n"))}}
        """);

    [RegistryFact]
    public async Task Each_bundle_is_fetched_once_per_evaluation_however_many_authorities_and_platforms_ask()
    {
        using var push = new OciRegistryClient();
        ImageReference repository = ImageReference.Parse($"{_fixture.Registry.Host}/count/c{Guid.NewGuid():N}");
        PushedImage index = await TestImages.PushIndexAsync(push, repository, "v1", [new OciPlatform("linux", "amd64"), new OciPlatform("linux", "arm64")]);
        byte[] bundle = _sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, ImageStatements.Signature(repository, index.Descriptor.Digest));
        OciDescriptor referrer = await new ImageSignatureAttacher(push).AttachBundleAsync(repository, index.Descriptor, bundle);

        (int oneRequests, int oneReferrerReads) = await EvaluateCountingAsync(repository.WithTag("v1"), Policy(1));
        (int fourRequests, int fourReferrerReads) = await EvaluateCountingAsync(repository.WithTag("v1"), Policy(4));
        _output.WriteLine($"requests: 1 authority {oneRequests}, 4 authorities {fourRequests}; referrer manifest GETs {oneReferrerReads} and {fourReferrerReads}");

        // Two platforms, each covered by the one signature on the index: the index's evidence is gathered once.
        Assert.Equal(oneRequests, fourRequests);
        Assert.Equal(1, oneReferrerReads);
        Assert.Equal(1, fourReferrerReads);

        async Task<(int Requests, int ReferrerReads)> EvaluateCountingAsync(ImageReference image, ImagePolicy policy)
        {
            using var counting = new PathCountingHandler();
            using var client = new OciRegistryClient(new OciRegistryClientOptions { HttpMessageHandler = counting, ContentCacheBytes = 0 });
            PolicyVerdict verdict = await new PolicyEvaluator(policy, client, new OciSignatureEvidenceSource(client, TrustedRoot.Parse(_sigstore.TrustedRootBytes))).EvaluateAsync(image);
            Assert.True(verdict.Allowed, verdict.ErrorDetail);
            Assert.Equal(2, verdict.Platforms.Count);
            return (counting.Count, counting.Paths.Count(p => p.EndsWith("/manifests/" + referrer.Digest, StringComparison.Ordinal)));
        }
    }

    /// <summary>The kit's <see cref="CountingHandler"/> that also records each request's path.</summary>
    private sealed class PathCountingHandler : DelegatingHandler
    {
        public PathCountingHandler()
            : base(new CountingHandler())
        {
        }

        public ConcurrentQueue<string> Paths { get; } = new();

        public int Count => ((CountingHandler)InnerHandler!).Count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Paths.Enqueue(request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
