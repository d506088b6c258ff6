using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Tests.Parsing;

/// <summary>
/// Layout globs: a layout's name is <c>oci:/absolute/path</c> (case kept); a relative glob path is taken from the policy
/// file's folder. A layout glob never matches a registry name, nor a registry glob a layout.
/// </summary>
public sealed class LayoutGlobTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sc-layout-glob-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ImagePolicy Load(string glob)
    {
        string path = Path.Combine(_folder, "policy.yaml");
        File.WriteAllText(path, PolicySamples.Minimal($$"""
            rules:
              - name: covered
                images: ["{{glob}}"]
                authorities: [{ name: k, keyless: { issuer: "https://i", subject: "s" } }]
            """));
        return ImagePolicy.Load(path);
    }

    private static string Name(string layout) => ImageReference.ParseLayout(layout) is var r ? r.Registry + "/" + r.Repository : "";

    [Fact]
    public void A_relative_layout_glob_is_taken_from_the_policy_folder()
    {
        ImagePolicy policy = Load("oci:./images/*");
        Assert.Equal("covered", policy.Match(Name("oci:" + _folder + "/images/app:v1"))?.Name);
        Assert.Null(policy.Match(Name("oci:" + _folder + "/images/team/app")));
        Assert.Null(policy.Match(Name("oci:" + _folder + "/other/app")));
    }

    [Fact]
    public void Layout_globs_keep_their_case_and_are_lexically_normal()
    {
        ImagePolicy policy = Load("oci:/srv/Images/../Images/**");
        Assert.Equal("covered", policy.Match(Name("oci:/srv/Images/App"))?.Name);
        Assert.Null(policy.Match(Name("oci:/srv/images/App")));
    }

    [Fact]
    public void Layouts_and_registries_never_match_each_other()
    {
        Assert.Null(Load("oci:/srv/**").Match("srv/app"));
        Assert.Null(Load("**.example/**").Match(Name("oci:/srv/a.example/app")));
        Assert.Null(Load("*/**").Match(Name("oci:/srv/app")));
        Assert.Equal("covered", Load("**").Match(Name("oci:/srv/app"))?.Name);
    }

    [Fact]
    public void A_relative_layout_glob_without_a_policy_file_is_SC5010() =>
        Assert.Equal("SC5010", Assert.ThrowsAny<SupplyChainException>(() => ImagePolicy.Parse(PolicySamples.Minimal("""
            rules:
              - name: covered
                images: ["oci:images/*"]
                authorities: [{ name: k, keyless: { issuer: "https://i", subject: "s" } }]
            """))).Code);
}
