using System.Reflection;
using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Tests.Architecture;
using SupplyChain.Testing;

namespace SupplyChain.Tuf.Tests.Architecture;

/// <summary>DESIGN.md: Tuf depends on Core only, no Console; its public API is tracked; every code is catalogued.</summary>
public class ArchitectureTests
{
    private static readonly Assembly Tuf = typeof(TufClient).Assembly;

    [Fact]
    public void Tuf_references_only_the_bcl_and_core_and_no_console()
    {
        var references = Tuf.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, r => Assert.True(r.StartsWith("System.", StringComparison.Ordinal) || r is "System" or "SupplyChain.Core" or "netstandard" or "mscorlib", $"SupplyChain.Tuf references {r}"));
        Assert.DoesNotContain("System.Console", references);
    }

    [Fact]
    public void Every_tuf_code_is_unique_in_the_SC3xxx_range_and_listed_in_docs_errors_md()
    {
        var codes = typeof(TufErrors).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (ErrorCode)f.GetValue(null)!).ToList();
        string doc = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "errors.md"));
        Assert.Equal(codes.Count, codes.Select(c => c.Code).Distinct().Count());
        foreach (ErrorCode code in codes)
        {
            Assert.Matches("^SC3[0-9]{3}$", code.Code);
            string category = code.Category switch
            {
                ErrorCategory.VerificationFailed => "verification failed",
                ErrorCategory.MalformedInput => "malformed input",
                ErrorCategory.TrustRootOrConfiguration => "trust root / configuration",
                _ => "service failure",
            };
            Assert.Contains($"| `{code.Code}` | {category} |", doc, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_public_api_matches_the_tracked_files()
    {
        string projectDir = Path.Combine(TestPaths.RepositoryRoot, "src", "SupplyChain.Tuf");
        string shippedPath = Path.Combine(projectDir, "PublicAPI.Shipped.txt");
        string unshippedPath = Path.Combine(projectDir, "PublicAPI.Unshipped.txt");
        var shipped = ReadLines(shippedPath);
        List<string> actual = PublicApi.Describe(Tuf);
        if (Environment.GetEnvironmentVariable("SUPPLYCHAIN_UPDATE_PUBLIC_API") == "1")
        {
            File.WriteAllLines(unshippedPath, actual.Where(l => !shipped.Contains(l)));
        }

        var tracked = shipped.Concat(ReadLines(unshippedPath)).ToHashSet(StringComparer.Ordinal);
        var added = actual.Where(l => !tracked.Contains(l)).ToList();
        var removed = tracked.Where(l => !actual.Contains(l)).Order(StringComparer.Ordinal).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0, new StringBuilder()
            .AppendLine("The public API changed. Added:").AppendJoin('\n', added).AppendLine()
            .AppendLine("Removed:").AppendJoin('\n', removed).AppendLine()
            .AppendLine("If deliberate: SUPPLYCHAIN_UPDATE_PUBLIC_API=1 dotnet test tests/SupplyChain.Tuf.Tests --filter ArchitectureTests").ToString());
    }

    private static HashSet<string> ReadLines(string path) =>
        File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal) : [];
}
