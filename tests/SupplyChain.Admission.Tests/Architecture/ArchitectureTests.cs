using System.Reflection;
using SupplyChain.Testing;
using SupplyChain.Testing.Architecture;

namespace SupplyChain.Admission.Tests.Architecture;

/// <summary>DESIGN.md: the webhook depends on Core, Http, Tuf, Oci and Policy (and ASP.NET Core, and KubernetesClient for pull secrets); it is verify-only and never references Signing; every code catalogued; its public API tracked.</summary>
public class ArchitectureTests
{
    private static readonly Assembly Webhook = typeof(AdmissionErrors).Assembly;

    [Fact]
    public void It_never_references_the_signing_code_or_the_instance()
    {
        var references = Webhook.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain("SupplyChain.Signing", references);
        Assert.DoesNotContain("SupplyChain.Instance", references);
        Assert.All(references, r => Assert.True(
            r.StartsWith("System.", StringComparison.Ordinal) || r.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || r is "System" or "netstandard" or "mscorlib" or "Microsoft.AspNetCore"
            or "SupplyChain.Core" or "SupplyChain.Http" or "SupplyChain.Tuf" or "SupplyChain.Oci" or "SupplyChain.Policy" or "KubernetesClient.Aot",
            $"SupplyChain.Admission references {r}"));
    }

    [Fact]
    public void The_project_file_has_no_reference_to_signing()
    {
        string csproj = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "admission", "SupplyChain.Admission", "SupplyChain.Admission.csproj"));
        Assert.DoesNotContain("SupplyChain.Signing", csproj.Replace("never on Signing", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_code_is_unique_in_its_range_and_listed_in_docs_errors_md() =>
        Assert.True(ApiAndErrorChecks.AssertErrorCodesCatalogued(typeof(AdmissionErrors), "^SC7[0-9]{3}$") >= 20);

    [Fact]
    public void The_public_api_is_declared_for_the_analyzer() => ApiAndErrorChecks.AssertPublicApiDeclared("SupplyChain.Admission");
}
