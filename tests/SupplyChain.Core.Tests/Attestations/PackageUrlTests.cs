using SupplyChain.Core.Attestations;

namespace SupplyChain.Core.Tests.Attestations;

/// <summary>The purl grammar (purl-spec "How to parse a purl string into its components"), on the spec's own examples and BuildKit's.</summary>
public sealed class PackageUrlTests
{
    [Theory]
    [InlineData("pkg:docker/cassandra@latest", "docker", null, "cassandra", "latest")]
    [InlineData("pkg:docker/smartentry/debian@dc437cc87d10", "docker", "smartentry", "debian", "dc437cc87d10")]
    [InlineData("pkg:docker/customer/dockerimage@sha256%3A244fd47e07d10?repository_url=gcr.io", "docker", "customer", "dockerimage", "sha256:244fd47e07d10")]
    [InlineData("pkg:docker/alpine@3.17?platform=linux%2Famd64", "docker", null, "alpine", "3.17")]
    [InlineData("pkg:DOCKER/ghcr.io/org/app@1?Platform=linux%2Farm64", "docker", "ghcr.io/org", "app", "1")]
    [InlineData("pkg:oci/debian@sha256%3A244fd47e07d10?arch=amd64&repository_url=docker.io/library/debian&tag=latest", "oci", null, "debian", "sha256:244fd47e07d10")]
    [InlineData("pkg:npm/%40angular/animation@12.3.1", "npm", "@angular", "animation", "12.3.1")]
    public void Components_are_split_and_decoded(string text, string type, string? ns, string name, string? version)
    {
        Assert.True(PackageUrl.TryParse(text, out PackageUrl? purl, out string? reason), reason);

        Assert.Equal((type, ns, name, version), (purl.Type, purl.Namespace, purl.Name, purl.Version));
    }

    [Fact]
    public void Qualifier_keys_are_lower_cased_values_decoded_and_empty_values_dropped()
    {
        Assert.True(PackageUrl.TryParse("pkg:docker/alpine@3?Platform=linux%2Famd64&empty=&digest=sha256:ab#sub/./path/../x", out PackageUrl? purl, out _));

        Assert.Equal("linux/amd64", purl.Qualifiers["platform"]);
        Assert.Equal("sha256:ab", purl.Qualifiers["digest"]);
        Assert.False(purl.Qualifiers.ContainsKey("empty"));
        Assert.Equal("sub/path/x", purl.Subpath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("docker/alpine@3")]
    [InlineData("pkg:/alpine")]
    [InlineData("pkg:1docker/alpine")]
    [InlineData("pkg:docker/")]
    [InlineData("pkg:docker/al%zzpine")]
    [InlineData("pkg:docker/alpine?1key=v")]
    [InlineData("pkg:docker/alpine?a=1&a=2")]
    [InlineData("pkg:docker/a%2Fb/alpine")]
    [InlineData("pkg:docker/alpine@%FF")]
    public void Malformed_purls_are_refused_with_a_reason(string text)
    {
        Assert.False(PackageUrl.TryParse(text, out PackageUrl? purl, out string? reason));
        Assert.Null(purl);
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void Longer_than_the_limit_is_refused()
    {
        Assert.False(PackageUrl.TryParse("pkg:docker/" + new string('a', 5000), out _, out _));
    }

    [Theory]
    [InlineData("pkg:docker/alpine@3.17?platform=linux%2Famd64", "pkg:docker/alpine@3.17?platform=linux%2Famd64")]
    [InlineData("pkg:DOCKER/ghcr.io/org/app@sha256%3Aab?tag=1&arch=amd64", "pkg:docker/ghcr.io/org/app@sha256:ab?arch=amd64&tag=1")]
    public void The_canonical_form_sorts_qualifiers_and_round_trips(string text, string canonical)
    {
        Assert.True(PackageUrl.TryParse(text, out PackageUrl? purl, out _));

        Assert.Equal(canonical, purl.ToString());
        Assert.True(PackageUrl.TryParse(purl.ToString(), out PackageUrl? again, out _));
        Assert.Equal(canonical, again.ToString());
    }

    [Fact]
    public void The_constructor_refuses_what_the_spec_forbids()
    {
        Assert.Throws<ArgumentException>(() => new PackageUrl("9x", null, "n"));
        Assert.Throws<ArgumentException>(() => new PackageUrl("docker", null, ""));
        Assert.Throws<ArgumentException>(() => new PackageUrl("docker", null, "n", qualifiers: new Dictionary<string, string> { ["1a"] = "v" }));
    }

    [Fact]
    public void Random_input_never_throws_and_what_parses_round_trips_through_its_canonical_form()
    {
        const string alphabet = "pkg:docker/oci@?#&=%2F3A7azAZ09.-_+~ /\u00e9";
        var random = new Random(20);
        for (int i = 0; i < 5000; i++)
        {
            string text = (random.Next(3) == 0 ? "" : "pkg:") + new string([.. Enumerable.Range(0, random.Next(1, 40)).Select(_ => alphabet[random.Next(alphabet.Length)])]);

            if (PackageUrl.TryParse(text, out PackageUrl? purl, out _))
            {
                string canonical = purl.ToString();
                Assert.True(PackageUrl.TryParse(canonical, out PackageUrl? again, out string? reason), $"{text} -> {canonical}: {reason}");
                Assert.Equal(canonical, again.ToString());
            }
        }
    }
}
