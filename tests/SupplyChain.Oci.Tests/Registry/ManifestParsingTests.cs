using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using static SupplyChain.Oci.Tests.Registry.StubRegistry;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>The public manifest and index types: the four media types, round trips, and rejection codes.</summary>
public class ManifestParsingTests
{
    private const string DockerManifest = """
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
         "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7023,"digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},
         "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":32654,"digest":"sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f"}]}
        """;

    private const string DockerList = """
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[
         {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","size":7143,"digest":"sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f","platform":{"architecture":"ppc64le","os":"linux"}},
         {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","size":7682,"digest":"sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270","platform":{"architecture":"arm","os":"linux","variant":"v7"}}]}
        """;

    [Fact]
    public void Docker_schema_2_manifests_and_lists_parse()
    {
        OciManifest manifest = OciManifest.Parse(Utf8(DockerManifest), OciMediaTypes.DockerManifest);
        Assert.Equal(OciMediaTypes.DockerManifest, manifest.MediaType);
        Assert.Equal(32654, Assert.Single(manifest.Layers).Size);
        Assert.Equal("application/vnd.docker.container.image.v1+json", manifest.EffectiveArtifactType);

        OciIndex list = OciIndex.Parse(Utf8(DockerList));
        Assert.Equal(OciMediaTypes.DockerManifestList, list.MediaType);
        Assert.Equal(new OciPlatform("linux", "arm", "v7"), list.Manifests[1].Platform);
    }

    [Fact]
    public void An_artifact_manifest_round_trips_with_subject_artifact_type_and_annotations()
    {
        var subject = new OciDescriptor(OciMediaTypes.ImageManifest, Digest(Manifest), Manifest.Length);
        var annotations = new Dictionary<string, string> { ["org.opencontainers.image.created"] = "2026-01-01T00:00:00Z" };
        byte[] json = OciManifest.Create(new OciDescriptor(OciMediaTypes.Empty, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 2), [], "application/example", subject, annotations).ToJson();
        OciManifest parsed = OciManifest.Parse(json);
        Assert.Equal(subject, parsed.Subject);
        Assert.Equal("application/example", parsed.EffectiveArtifactType);
        Assert.Equal(annotations, parsed.Annotations);
        Assert.Equal(json, OciManifest.Parse(json).ToJson());
    }

    [Fact]
    public void Parsing_the_wrong_kind_or_a_mismatching_type_is_SC4008()
    {
        Assert.Equal("SC4008", Assert.ThrowsAny<SupplyChainException>(() => OciIndex.Parse(Utf8(DockerManifest))).Code);
        Assert.Equal("SC4008", Assert.ThrowsAny<SupplyChainException>(() => OciManifest.Parse(Utf8(DockerList))).Code);
        Assert.Equal("SC4008", Assert.ThrowsAny<SupplyChainException>(() => OciManifest.Parse(Utf8(DockerManifest), OciMediaTypes.ImageManifest)).Code);
        Assert.Equal("SC4008", Assert.ThrowsAny<SupplyChainException>(() => OciManifest.Parse(Manifest, "application/vnd.docker.distribution.manifest.v1+json")).Code);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":1,\"config\":{}}")]
    [InlineData("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270\",\"size\":1,\"platform\":{\"os\":\"linux\"}}]}")]
    [InlineData("{\"schemaVersion\":2,\"manifests\":null}")]
    [InlineData("null")]
    public void Malformed_indexes_are_SC4012(string json) =>
        Assert.Equal("SC4012", Assert.ThrowsAny<SupplyChainException>(() => OciIndex.Parse(Utf8(json), OciMediaTypes.ImageIndex)).Code);

    // image-spec manifest.md: config and subject are descriptors, layers an array; an explicit JSON null is malformed,
    // not an absent member (a null subject was read as "no subject" before NonNullDescriptorConverter).
    [Theory]
    [InlineData("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270\",\"size\":1},\"layers\":[],\"subject\":null}")]
    [InlineData("{\"schemaVersion\":2,\"config\":null,\"layers\":[]}")]
    [InlineData("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270\",\"size\":1},\"layers\":null}")]
    public void Null_descriptor_members_of_a_manifest_are_SC4012(string json) =>
        Assert.Equal("SC4012", Assert.ThrowsAny<SupplyChainException>(() => OciManifest.Parse(Utf8(json), OciMediaTypes.ImageManifest)).Code);
}
