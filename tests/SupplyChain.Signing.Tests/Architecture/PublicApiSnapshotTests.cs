using System.Text;
using SupplyChain.Signing.Bundles;
using SupplyChain.Testing;

namespace SupplyChain.Signing.Tests.Architecture;

/// <summary>
/// The public API of SupplyChain.Signing is tracked in PublicAPI.Shipped.txt (released) and PublicAPI.Unshipped.txt
/// (added since) next to the project, and checked here by reflection, as for SupplyChain.Core (the Roslyn
/// PublicApiAnalyzers package is not in the registry copy here). After a deliberate API change, run the tests with
/// SUPPLYCHAIN_UPDATE_PUBLIC_API=1 to rewrite PublicAPI.Unshipped.txt, then review the diff.
/// </summary>
public class PublicApiSnapshotTests
{
    [Fact]
    public void The_public_api_matches_the_tracked_files()
    {
        string projectDir = Path.Combine(TestPaths.RepositoryRoot, "src", "SupplyChain.Signing");
        string shippedPath = Path.Combine(projectDir, "PublicAPI.Shipped.txt");
        string unshippedPath = Path.Combine(projectDir, "PublicAPI.Unshipped.txt");
        var shipped = ReadLines(shippedPath);
        List<string> actual = PublicApi.Describe(typeof(BundleSigner).Assembly);

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
    public void The_description_covers_the_signer_and_leaves_out_internals()
    {
        List<string> api = PublicApi.Describe(typeof(BundleSigner).Assembly);
        Assert.Contains(api, l => l.StartsWith("SupplyChain.Signing.Bundles.BundleSigner..ctor(SupplyChain.Signing.Bundles.BundleSignerOptions)", StringComparison.Ordinal));
        Assert.Contains(api, l => l.StartsWith("SupplyChain.Signing.Bundles.BundleSigner.SignMessageAsync(", StringComparison.Ordinal));
        Assert.Contains(api, l => l.StartsWith("SupplyChain.Signing.Bundles.BundleSignerOptions.RekorVersion", StringComparison.Ordinal));
        Assert.DoesNotContain(api, l => l.Contains("Limits", StringComparison.Ordinal));
    }

    private static HashSet<string> ReadLines(string path) =>
        File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal) : [];
}
