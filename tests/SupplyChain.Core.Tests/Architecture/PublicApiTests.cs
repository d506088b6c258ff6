using SupplyChain.Testing;
using SupplyChain.Testing.Architecture;

namespace SupplyChain.Core.Tests.Architecture;

/// <summary>The public API of SupplyChain.Core is declared for the Roslyn public API analyzer (checked on every build).</summary>
public class PublicApiTests
{
    [Fact]
    public void The_public_api_is_declared_for_the_analyzer() => ApiAndErrorChecks.AssertPublicApiDeclared("SupplyChain.Core");

    [Fact]
    public void Every_shipped_project_declares_its_public_api()
    {
        // A new library under src/ is covered without an edit here: it packs, so it must declare what it promises.
        var projects = Directory.GetDirectories(Path.Combine(TestPaths.RepositoryRoot, "src"))
            .Where(d => Directory.EnumerateFiles(d, "*.csproj").Any())
            .Select(Path.GetFileName)
            .Append("SupplyChain.Admission").Append("SupplyChain.Admission.Core")
            .ToList();
        Assert.True(projects.Count >= 10, string.Join(", ", projects));
        Assert.All(projects, p => ApiAndErrorChecks.AssertPublicApiDeclared(p!));
    }
}
