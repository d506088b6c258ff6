using System.Reflection;
using System.Text;
using SupplyChain.Core.Bundles;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Architecture;

/// <summary>
/// The public API of SupplyChain.Core is tracked in PublicAPI.Shipped.txt (released) and PublicAPI.Unshipped.txt
/// (added since) next to the project, and checked here by reflection (the Roslyn PublicApiAnalyzers package is not
/// in the registry copy here). After a deliberate API change, run the tests with SUPPLYCHAIN_UPDATE_PUBLIC_API=1 to
/// rewrite PublicAPI.Unshipped.txt, then review the diff.
/// </summary>
public class PublicApiSnapshotTests
{
    [Fact]
    public void The_public_api_matches_the_tracked_files()
    {
        string projectDir = Path.Combine(TestPaths.RepositoryRoot, "src", "SupplyChain.Core");
        string shippedPath = Path.Combine(projectDir, "PublicAPI.Shipped.txt");
        string unshippedPath = Path.Combine(projectDir, "PublicAPI.Unshipped.txt");
        var shipped = ReadLines(shippedPath);
        List<string> actual = PublicApi.Describe(typeof(SigstoreBundle).Assembly);

        if (Environment.GetEnvironmentVariable("SUPPLYCHAIN_UPDATE_PUBLIC_API") == "1")
        {
            File.WriteAllLines(unshippedPath, actual.Where(l => !shipped.Contains(l)));
        }

        var tracked = shipped.Concat(ReadLines(unshippedPath)).ToHashSet(StringComparer.Ordinal);
        var added = actual.Where(l => !tracked.Contains(l)).ToList();
        var removed = tracked.Where(l => !actual.Contains(l)).Order(StringComparer.Ordinal).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0, new StringBuilder()
            .AppendLine("The public API changed. Added (not in PublicAPI.*.txt):").AppendJoin('\n', added).AppendLine()
            .AppendLine("Removed (still in PublicAPI.*.txt):").AppendJoin('\n', removed).AppendLine()
            .AppendLine("If deliberate: SUPPLYCHAIN_UPDATE_PUBLIC_API=1 dotnet test --filter PublicApiSnapshotTests").ToString());
    }

    [Fact]
    public void The_description_covers_members_of_every_kind()
    {
        List<string> api = PublicApi.Describe(typeof(SigstoreBundle).Assembly);
        Assert.Contains("SupplyChain.Core.Bundles.SigstoreBundle.Parse(System.ReadOnlySpan<System.Byte>) -> SupplyChain.Core.Bundles.SigstoreBundle", api);
        Assert.Contains("SupplyChain.Core.Bundles.BundleVersion.V0_3 = 3", api);
        Assert.Contains("SupplyChain.Core.Verification.VerificationResult.MediaType = \"application/vnd.supplychain.verification-result.v1+json\"", api);
        Assert.Contains(api, l => l.StartsWith("SupplyChain.Core.Verification.SigstoreVerifier..ctor(", StringComparison.Ordinal));
        Assert.DoesNotContain(api, l => l.Contains("BundleParser", StringComparison.Ordinal));
    }

    private static HashSet<string> ReadLines(string path) =>
        File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal) : [];
}
