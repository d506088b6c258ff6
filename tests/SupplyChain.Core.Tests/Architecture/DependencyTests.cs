using System.Reflection;
using SupplyChain.Core.Bundles;

namespace SupplyChain.Core.Tests.Architecture;

/// <summary>DESIGN.md dependency arrows: Core is the offline model; it depends on the BCL and BouncyCastle only.</summary>
public class DependencyTests
{
    private static readonly Assembly Core = typeof(SigstoreBundle).Assembly;

    [Fact]
    public void Core_references_only_the_bcl_and_bouncycastle()
    {
        var allowed = new[] { "System.", "Microsoft.Win32.Primitives", "BouncyCastle.Crypto", "netstandard", "mscorlib" };
        var references = Core.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, r => Assert.True(allowed.Any(a => r.StartsWith(a, StringComparison.Ordinal) || r == a.TrimEnd('.')), $"SupplyChain.Core references {r}"));
        Assert.DoesNotContain(references, r => r.StartsWith("SupplyChain.", StringComparison.Ordinal));
    }

    /// <summary>
    /// Packages version separately, so no shipped package may see Core's internals (issue 17): only Core's own tests and
    /// the fuzz harness, which drives Core's internal parsers (DER, SCT, RFC 3161, entry bodies) directly
    /// (docs/fuzzing.md). Neither is shipped. The test kit uses public API only (its CA, CT log, TSA and Rekor v2 log are
    /// the shipped instance's).
    /// </summary>
    [Fact]
    public void Only_tests_see_core_internals()
    {
        string[] friends = [.. Core.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName).Order(StringComparer.Ordinal)];
        Assert.Equal(["SupplyChain.Core.Tests", "SupplyChain.Fuzz"], friends);
    }

    [Theory]
    [InlineData("System.Net.Http")]
    [InlineData("System.Console")]
    public void Core_does_no_network_or_console_io(string assembly) =>
        Assert.DoesNotContain(Core.GetReferencedAssemblies(), a => a.Name == assembly);
}

/// <summary>
/// Issue 17.3 across the repository: no shipped project (src/, admission/, cli/) opens its internals to another shipped
/// project. Friends may only be test projects (<c>*.Tests</c>), the test kit (<c>SupplyChain.Testing</c>) and the
/// fuzzer (its targets drive internal parsers directly), none of which ship; the benchmarks use public API only. What a
/// package needs from another is public, documented API.
/// </summary>
public class InternalsVisibilityTests
{
    public static TheoryData<string> ShippedProjects()
    {
        var data = new TheoryData<string>();
        foreach (string folder in new[] { "src", "admission", "cli" })
        {
            foreach (string project in Directory.EnumerateFiles(Path.Combine(SupplyChain.Testing.TestPaths.RepositoryRoot, folder), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(SupplyChain.Testing.TestPaths.RepositoryRoot, project).Replace('\\', '/'));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedProjects))]
    public void No_shipped_project_opens_its_internals_to_another_shipped_project(string project)
    {
        var document = System.Xml.Linq.XDocument.Load(Path.Combine(SupplyChain.Testing.TestPaths.RepositoryRoot, project));
        string[] friends = [.. document.Descendants("InternalsVisibleTo").Select(e => (string?)e.Attribute("Include") ?? string.Empty)];
        Assert.All(friends, friend => Assert.True(
            friend.EndsWith(".Tests", StringComparison.Ordinal) || friend is "SupplyChain.Testing" or "SupplyChain.Fuzz",
            $"{project} opens its internals to {friend}"));
        Assert.DoesNotContain("InternalsVisibleTo(", string.Concat(Directory.EnumerateFiles(Path.GetDirectoryName(Path.Combine(SupplyChain.Testing.TestPaths.RepositoryRoot, project))!, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)).Select(File.ReadAllText)), StringComparison.Ordinal);
    }
}
