using SupplyChain.Testing.Architecture;

namespace SupplyChain.Signing.Tests.Architecture;

/// <summary>The public API of SupplyChain.Signing is declared for the Roslyn public API analyzer (checked on every build).</summary>
public class PublicApiTests
{
    [Fact]
    public void The_public_api_is_declared_for_the_analyzer() => ApiAndErrorChecks.AssertPublicApiDeclared("SupplyChain.Signing");
}
