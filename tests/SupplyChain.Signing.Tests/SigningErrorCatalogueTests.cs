using SupplyChain.Signing;
using SupplyChain.Testing.Architecture;

namespace SupplyChain.Signing.Tests;

public class SigningErrorCatalogueTests
{
    [Fact]
    public void Every_signing_code_is_unique_in_the_SC2xxx_range_and_listed_in_docs_errors_md() =>
        Assert.True(ApiAndErrorChecks.AssertErrorCodesCatalogued(typeof(SigningErrors), "^SC2[0-9]{3}$") >= 40);
}
