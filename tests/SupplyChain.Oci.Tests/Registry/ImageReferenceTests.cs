using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Tests.Registry;

public class ImageReferenceTests
{
    private const string Sha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly string Sha512 = "sha512:" + new string('a', 128);

    [Theory]
    [InlineData("ubuntu", "docker.io", "library/ubuntu", "latest", null, "registry-1.docker.io")]
    [InlineData("ubuntu:22.04", "docker.io", "library/ubuntu", "22.04", null, "registry-1.docker.io")]
    [InlineData("docker.io/ubuntu", "docker.io", "library/ubuntu", "latest", null, "registry-1.docker.io")]
    [InlineData("index.docker.io/library/ubuntu:1", "docker.io", "library/ubuntu", "1", null, "registry-1.docker.io")]
    [InlineData("bitnami/redis", "docker.io", "bitnami/redis", "latest", null, "registry-1.docker.io")]
    [InlineData("ghcr.io/sigstore/cosign/cosign:v2.4.1", "ghcr.io", "sigstore/cosign/cosign", "v2.4.1", null, "ghcr.io")]
    [InlineData("localhost/app", "localhost", "app", "latest", null, "localhost")]
    [InlineData("localhost:5000/team/app:dev", "localhost:5000", "team/app", "dev", null, "localhost:5000")]
    [InlineData("127.0.0.1:41234/a/b:t", "127.0.0.1:41234", "a/b", "t", null, "127.0.0.1:41234")]
    [InlineData("[::1]:5000/a:t", "[::1]:5000", "a", "t", null, "[::1]:5000")]
    [InlineData("Registry.Example.com/x", "registry.example.com", "x", "latest", null, "registry.example.com")]
    [InlineData("example.com/a__b/c-d/e--f/g.h:_tag-1.x", "example.com", "a__b/c-d/e--f/g.h", "_tag-1.x", null, "example.com")]
    [InlineData("example.com/app@" + Sha256, "example.com", "app", null, Sha256, "example.com")]
    [InlineData("example.com:443/app:v1@" + Sha256, "example.com", "app", "v1", Sha256, "example.com")]
    [InlineData("ubuntu@" + Sha256, "docker.io", "library/ubuntu", null, Sha256, "registry-1.docker.io")]
    public void Parses_the_distribution_grammar_with_docker_hub_defaults(string text, string registry, string repository, string? tag, string? digest, string apiHost)
    {
        ImageReference reference = ImageReference.Parse(text);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal(apiHost, reference.ApiHost);
        Assert.Equal(digest ?? tag, reference.ManifestReference);
        Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
    }

    /// <summary>Issue 13.7 / 21.1: each spelling reaches the same registry, so it must parse to the same reference.</summary>
    [Theory]
    [InlineData("LOCALHOST:5000/apps/x", "localhost:5000/apps/x:latest")]
    [InlineData("LocalHost:5000/apps/x", "localhost:5000/apps/x:latest")]
    [InlineData("localhost:80/apps/x", "localhost/apps/x:latest")]
    [InlineData("localhost:443/apps/x", "localhost:443/apps/x:latest")]
    [InlineData("registry.example:443/apps/x", "registry.example/apps/x:latest")]
    [InlineData("REGISTRY.Example:443/apps/x", "registry.example/apps/x:latest")]
    [InlineData("registry.example:80/apps/x", "registry.example:80/apps/x:latest")]
    [InlineData("docker.io/library/debian", "docker.io/library/debian:latest")]
    [InlineData("index.docker.io/library/debian", "docker.io/library/debian:latest")]
    [InlineData("registry-1.docker.io/library/debian", "docker.io/library/debian:latest")]
    [InlineData("Docker.IO/debian", "docker.io/library/debian:latest")]
    [InlineData("docker.io:443/debian", "docker.io/library/debian:latest")]
    [InlineData("Index.Docker.IO:443/library/debian", "docker.io/library/debian:latest")]
    [InlineData("debian", "docker.io/library/debian:latest")]
    [InlineData("127.1:5000/apps/x", "127.0.0.1:5000/apps/x:latest")]
    [InlineData("2130706433:5000/apps/x", "127.0.0.1:5000/apps/x:latest")]
    [InlineData("0x7f.1:5000/apps/x", "127.0.0.1:5000/apps/x:latest")]
    [InlineData("0X7F.0.0.1:5000/apps/x", "127.0.0.1:5000/apps/x:latest")]
    [InlineData("0177.0.0.1:5000/apps/x", "127.0.0.1:5000/apps/x:latest")]
    [InlineData("127.0.0.01:5000/apps/x", "127.0.0.1:5000/apps/x:latest")]
    [InlineData("127.0.1:5000/apps/x", "127.0.0.1:5000/apps/x:latest")]
    [InlineData("[::ffff:127.0.0.1]:5000/apps/x", "127.0.0.1:5000/apps/x:latest")]
    [InlineData("[::FFFF:7F00:1]:5000/apps/x", "127.0.0.1:5000/apps/x:latest")]
    [InlineData("127.0.0.1:80/apps/x", "127.0.0.1/apps/x:latest")]
    [InlineData("[0:0:0:0:0:0:0:1]:5000/apps/x", "[::1]:5000/apps/x:latest")]
    [InlineData("[2001:DB8::1]/apps/x", "[2001:db8::1]/apps/x:latest")]
    [InlineData("[2001:db8:0::1]:443/apps/x", "[2001:db8::1]/apps/x:latest")]
    [InlineData("010.0.0.1:5000/apps/x", "8.0.0.1:5000/apps/x:latest")]
    public void Registry_spellings_are_normalised_to_one(string text, string canonical)
    {
        ImageReference reference = ImageReference.Parse(text);
        Assert.Equal(canonical, reference.ToString());
        Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
        Assert.Equal(reference.Registry, ImageReference.NormalizeRegistry(reference.Registry));
    }

    [Theory]
    [InlineData("registry.example./a")]
    [InlineData("localhost.:5000/a")]
    [InlineData("localhost:05000/a")]
    [InlineData("localhost:0/a")]
    [InlineData("localhost:00443/a")]
    [InlineData("1.2.3.4.5:5000/a")]
    [InlineData("256.0.0.1:5000/a")]
    [InlineData("0x100000000:5000/a")]
    [InlineData("4294967296:5000/a")]
    [InlineData("09.0.0.1:5000/a")]
    [InlineData("[fe80::1%25eth0]:5000/a")]
    [InlineData("[127.0.0.1]:5000/a")]
    public void Trailing_dots_leading_zero_ports_and_numeric_hosts_that_are_no_address_are_SC4001(string text)
    {
        Assert.Equal("SC4001", Assert.ThrowsAny<SupplyChainException>(() => ImageReference.Parse(text)).Code);
        Assert.False(ImageReference.TryNormalizeRegistry(text[..text.IndexOf('/', StringComparison.Ordinal)], out _));
    }

    [Fact]
    public void NormalizeRegistry_is_public_for_every_consumer_and_refuses_what_is_no_registry()
    {
        Assert.Equal("registry.example", ImageReference.NormalizeRegistry("Registry.Example:443"));
        Assert.Equal("docker.io", ImageReference.NormalizeRegistry("registry-1.docker.io:443"));
        Assert.Equal("SC4001", Assert.ThrowsAny<SupplyChainException>(() => ImageReference.NormalizeRegistry("bad host")).Code);
        Assert.True(ImageReference.TryNormalizeRegistry("0x7f.1:5000", out string? ip));
        Assert.Equal("127.0.0.1:5000", ip);
    }

    [Fact]
    public void Accepts_sha512_digests() => Assert.Equal(Sha512, ImageReference.Parse("example.com/app@" + Sha512).Digest);

    [Theory]
    [InlineData("")]
    [InlineData("Ubuntu")]
    [InlineData("docker.io/Library/ubuntu")]
    [InlineData("example.com/App")]
    [InlineData("example.com/")]
    [InlineData("example.com//a")]
    [InlineData("example.com/a/")]
    [InlineData("example.com/-a")]
    [InlineData("example.com/a-")]
    [InlineData("example.com/a..b")]
    [InlineData("example.com/a___b")]
    [InlineData("example.com/a:")]
    [InlineData("example.com/a:-tag")]
    [InlineData("example.com/a:t@")]
    [InlineData("example.com/a:tag with space")]
    [InlineData("example.com:99999/a")]
    [InlineData("example.com:/a")]
    [InlineData("-example.com/a")]
    [InlineData("exa_mple.com/a")]
    [InlineData("[::1/a")]
    [InlineData("[nothex]:5/a")]
    [InlineData("example.com/a@sha256:abc")]
    [InlineData("example.com/a@sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("example.com/a@md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("example.com/a@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550")]
    [InlineData("example.com/a@sha512:aaaa")]
    [InlineData("example.com/a@" + Sha256 + "@" + Sha256)]
    public void Rejects_malformed_references_with_SC4001(string text)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => ImageReference.Parse(text));
        Assert.Equal("SC4001", ex.Code);
        Assert.False(ImageReference.TryParse(text, out _));
    }

    [Fact]
    public void Rejects_over_long_tags_names_and_references()
    {
        Assert.Equal("SC4001", Assert.ThrowsAny<SupplyChainException>(() => ImageReference.Parse("example.com/a:" + new string('t', 129))).Code);
        Assert.Equal("a", ImageReference.Parse("example.com/a:" + new string('t', 128)).Repository);
        Assert.Equal("SC4001", Assert.ThrowsAny<SupplyChainException>(() => ImageReference.Parse("example.com/" + new string('a', 244))).Code);
        Assert.Equal("SC4001", Assert.ThrowsAny<SupplyChainException>(() => ImageReference.Parse(new string('a', 5000))).Code);
    }

    [Fact]
    public void WithDigest_and_WithTag_check_their_argument()
    {
        ImageReference reference = ImageReference.Parse("example.com/app:v1");
        ImageReference pinned = reference.WithDigest(Sha256);
        Assert.Equal("example.com/app:v1@" + Sha256, pinned.ToString());
        Assert.Equal(Sha256, pinned.ManifestReference);
        Assert.Equal("example.com/app:v2", pinned.WithTag("v2").ToString());
        Assert.Equal("SC4001", Assert.ThrowsAny<SupplyChainException>(() => reference.WithDigest("sha256:00")).Code);
        Assert.Equal("SC4001", Assert.ThrowsAny<SupplyChainException>(() => reference.WithTag("a/b")).Code);
    }
}
