using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>The referrers API over real HTTP: a Kestrel registry that processes subjects, pages and filters, behind bearer auth.</summary>
public sealed class ReferrersApiRegistryTests : IAsyncLifetime
{
    private const string Sig = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private ReferrersApiRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await ReferrersApiRegistry.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Referrers_pushed_to_a_subject_aware_registry_are_listed_through_the_api_across_pages()
    {
        using var client = new OciRegistryClient();
        ImageReference repo = ImageReference.Parse(_registry.Host + "/team/app");
        byte[] image = StubRegistry.Manifest;
        OciDescriptor subject = await client.PushManifestAsync(repo, OciMediaTypes.ImageManifest, image, "v1");
        var empty = new OciDescriptor(OciMediaTypes.Empty, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 2);

        var pushed = new List<OciDescriptor>();
        foreach ((string type, int n) in new[] { (Sig, 1), ("application/spdx+json", 2), (Sig, 3) })
        {
            byte[] referrer = OciManifest.Create(empty, [], type, subject, new Dictionary<string, string> { ["n"] = n.ToString() }).ToJson();
            pushed.Add(await client.PushReferrerAsync(repo, OciMediaTypes.ImageManifest, referrer));
        }

        // OCI-Subject came back: no tag-schema index was written.
        Assert.DoesNotContain(_registry.Requests, r => r.Contains("sha256-", StringComparison.Ordinal));

        ImageReference pinned = repo.WithDigest(subject.Digest);
        Assert.Equal(pushed.Select(p => p.Digest), (await client.ListReferrersAsync(pinned)).Select(d => d.Digest));
        IReadOnlyList<OciDescriptor> signatures = await client.ListReferrersAsync(pinned, Sig);
        Assert.Equal(["1", "3"], signatures.Select(s => s.Annotations!["n"]));
        Assert.Contains(_registry.Requests, r => r.Contains("page=1", StringComparison.Ordinal));

        // One token for pull,push and one for pull; the 401 challenge was met once, then tokens were reused.
        Assert.Equal(2, _registry.TokensIssued);
    }
}
