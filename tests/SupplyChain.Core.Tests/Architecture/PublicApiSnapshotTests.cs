using SupplyChain.Core.Bundles;
using SupplyChain.Testing.Architecture;

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
    public void The_public_api_matches_the_tracked_files() =>
        ApiAndErrorChecks.AssertPublicApiTracked(typeof(SigstoreBundle).Assembly, "SupplyChain.Core");

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
}
