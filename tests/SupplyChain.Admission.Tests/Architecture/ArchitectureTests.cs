using System.Reflection;
using System.Xml.Linq;
using SupplyChain.Admission.Hosting;
using SupplyChain.Testing;
using SupplyChain.Testing.Architecture;

namespace SupplyChain.Admission.Tests.Architecture;

/// <summary>
/// DESIGN.md: the webhook is a library (SupplyChain.Admission.Core: review, workloads, evaluation, caching, pull-secret
/// scopes; Core, Http, Oci and Policy only) and a thin ASP.NET Core host (SupplyChain.Admission: the library, Tuf,
/// ASP.NET Core, and KubernetesClient for pull secrets). Both are verify-only and never reference Signing; every code is
/// catalogued; both public APIs are tracked.
/// </summary>
public class ArchitectureTests
{
    private static readonly Assembly Library = typeof(AdmissionErrors).Assembly;
    private static readonly Assembly Host = typeof(AdmissionServer).Assembly;

    private static bool IsPlatform(string r) =>
        r.StartsWith("System.", StringComparison.Ordinal) || r is "System" or "netstandard" or "mscorlib";

    [Fact]
    public void The_library_references_neither_aspnetcore_nor_kubernetesclient_nor_signing()
    {
        var references = Library.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Equal("SupplyChain.Admission.Core", Library.GetName().Name);
        Assert.All(references, r => Assert.True(
            IsPlatform(r) || r.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
            || r is "SupplyChain.Core" or "SupplyChain.Http" or "SupplyChain.Oci" or "SupplyChain.Policy",
            $"SupplyChain.Admission.Core references {r}"));
    }

    [Fact]
    public void The_host_never_references_the_signing_code_or_the_instance()
    {
        var references = Host.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("SupplyChain.Admission.Core", references);
        Assert.DoesNotContain("SupplyChain.Signing", references);
        Assert.DoesNotContain("SupplyChain.Instance", references);
        Assert.All(references, r => Assert.True(
            IsPlatform(r) || r.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || r is "Microsoft.AspNetCore"
            || r is "SupplyChain.Admission.Core" or "SupplyChain.Core" or "SupplyChain.Http" or "SupplyChain.Tuf" or "SupplyChain.Oci" or "SupplyChain.Policy" or "KubernetesClient.Aot",
            $"SupplyChain.Admission references {r}"));
    }

    [Theory]
    [InlineData("SupplyChain.Admission")]
    [InlineData("SupplyChain.Admission.Core")]
    public void The_project_files_have_no_reference_to_signing(string project)
    {
        string csproj = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "admission", project, project + ".csproj"));
        Assert.DoesNotContain("SupplyChain.Signing", csproj.Replace("never on Signing", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void The_library_is_aot_compatible_and_has_no_framework_reference()
    {
        XDocument project = XDocument.Load(Path.Combine(TestPaths.RepositoryRoot, "admission", "SupplyChain.Admission.Core", "SupplyChain.Admission.Core.csproj"));
        Assert.Equal("true", project.Descendants("IsAotCompatible").Single().Value);
        Assert.Empty(project.Descendants("FrameworkReference"));
        Assert.DoesNotContain(project.Descendants("PackageReference"), p => ((string?)p.Attribute("Include"))?.StartsWith("KubernetesClient", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Every_code_is_unique_in_its_range_and_listed_in_docs_errors_md() =>
        Assert.True(ApiAndErrorChecks.AssertErrorCodesCatalogued(typeof(AdmissionErrors), "^SC7[0-9]{3}$") >= 20);

    [Fact]
    public void The_public_api_of_the_library_is_declared_for_the_analyzer() => ApiAndErrorChecks.AssertPublicApiDeclared("SupplyChain.Admission.Core");

    [Fact]
    public void The_public_api_of_the_host_is_declared_for_the_analyzer() => ApiAndErrorChecks.AssertPublicApiDeclared("SupplyChain.Admission");
}
