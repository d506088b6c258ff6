using SupplyChain.Signing.Bundles;
using SupplyChain.Testing.Architecture;

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
    public void The_public_api_matches_the_tracked_files() =>
        ApiAndErrorChecks.AssertPublicApiTracked(typeof(BundleSigner).Assembly, "SupplyChain.Signing");

    [Fact]
    public void The_description_covers_the_signer_and_leaves_out_internals()
    {
        List<string> api = PublicApi.Describe(typeof(BundleSigner).Assembly);
        Assert.Contains(api, l => l.StartsWith("SupplyChain.Signing.Bundles.BundleSigner..ctor(SupplyChain.Signing.Bundles.BundleSignerOptions)", StringComparison.Ordinal));
        Assert.Contains(api, l => l.StartsWith("SupplyChain.Signing.Bundles.BundleSigner.SignMessageAsync(", StringComparison.Ordinal));
        Assert.Contains(api, l => l.StartsWith("SupplyChain.Signing.Bundles.BundleSignerOptions.RekorVersion", StringComparison.Ordinal));
        Assert.DoesNotContain(api, l => l.Contains("Limits", StringComparison.Ordinal));
    }
}
