using System.Text;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Lineage;

/// <summary>
/// The walker through the real client against a real registry (Debian's docker-registry on 127.0.0.1), on images
/// pushed by the client and built by umoci + skopeo. The full scratch -> base -> runtime -> app hierarchy on the real
/// registry comes with the CLI (issue 6); these check that real manifests, configs and 404s flow through the walk.
/// </summary>
public class LineageRealRegistryTests : IClassFixture<RegistryFixture>
{
    private readonly RegistryFixture _fixture;

    public LineageRealRegistryTests(RegistryFixture fixture)
    {
        _fixture = fixture;
    }

    [RegistryFact]
    public async Task A_true_claim_is_proved_through_the_real_client()
    {
        using var client = new OciRegistryClient();
        ImageReference repo = ImageReference.Parse($"{_fixture.Registry.Host}/lineage/real-{Guid.NewGuid():N}");
        PushedImage baseImage = await TestImages.PushImageAsync(client, repo, "base", layers: 2);
        OciManifest baseManifest = OciManifest.Parse(baseImage.Manifest, baseImage.Descriptor.MediaType);
        OciDescriptor added = await client.PushBlobAsync(repo, "application/vnd.oci.image.layer.v1.tar+gzip", TestImages.RandomBytes(256));
        var layers = baseManifest.Layers.Append(added).ToList();

        // TestImages writes each layer's digest as its diff_id; the child keeps its base's and adds one.
        string diffIds = string.Join(',', layers.Select(l => $"\"{l.Digest}\""));
        string config = $$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[{{{diffIds}}}]}}""";
        OciDescriptor configDescriptor = await client.PushBlobAsync(repo, OciMediaTypes.ImageConfig, Encoding.UTF8.GetBytes(config));
        var claim = new Dictionary<string, string> { [BaseImageClaim.NameKey] = repo.WithTag("base").ToString(), [BaseImageClaim.DigestKey] = baseImage.Descriptor.Digest };
        await client.PushManifestAsync(repo, OciMediaTypes.ImageManifest, OciManifest.Create(configDescriptor, layers, annotations: claim).ToJson(), "app");

        LineageTree tree = await new LineageWalker(client).WalkAsync(repo.WithTag("app"));

        Assert.Equal(LineageEnd.NoClaim, tree.End);
        Assert.Equal([1, 2], tree.Levels.Select(l => l.LayersAdded));
        Assert.Equal(baseImage.Descriptor.Digest, tree.Levels[1].Digest);
        Assert.Equal(ClaimSource.ManifestAnnotation, tree.Levels[0].Claim!.Source);
    }

    [RegistryFact(needsImageTools: true)]
    public async Task A_forged_umoci_annotation_fails_the_proof_and_a_claim_of_a_missing_image_is_not_a_pass()
    {
        string suffix = Guid.NewGuid().ToString("N")[..12];
        string host = _fixture.Registry.Host;
        string baseDigest = UmociImages.BuildAndPush(_fixture.Registry, $"lineage/umoci-base-{suffix}", "v1");
        UmociImages.BuildAndPush(_fixture.Registry, $"lineage/umoci-app-{suffix}", "forged", annotations: new Dictionary<string, string>
        {
            [BaseImageClaim.NameKey] = $"{host}/lineage/umoci-base-{suffix}:v1",
            [BaseImageClaim.DigestKey] = baseDigest,
        });
        UmociImages.BuildAndPush(_fixture.Registry, $"lineage/umoci-app-{suffix}", "gone", labels: new Dictionary<string, string>
        {
            [BaseImageClaim.NameKey] = $"{host}/lineage/umoci-base-{suffix}:deleted",
            [BaseImageClaim.DigestKey] = "sha256:" + new string('0', 64),
        });
        using var client = new OciRegistryClient();
        var walker = new LineageWalker(client);

        LineageTree forged = await walker.WalkAsync(ImageReference.Parse($"{host}/lineage/umoci-app-{suffix}:forged"));
        LineageTree gone = await walker.WalkAsync(ImageReference.Parse($"{host}/lineage/umoci-app-{suffix}:gone"));

        Assert.Equal(LineageEnd.Failed, forged.End);
        Assert.Equal("SC4603", forged.Error?.Code);
        Assert.Equal(LineageEnd.Failed, gone.End);
        Assert.Equal("SC4604", gone.Error?.Code);
        Assert.Equal(ClaimSource.ConfigLabel, gone.Levels[0].Claim!.Source);
    }
}
