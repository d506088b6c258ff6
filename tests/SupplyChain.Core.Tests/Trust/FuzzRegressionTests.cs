using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Trust;

/// <summary>
/// Inputs the trusted-root fuzz target found (docs/fuzzing.md), kept under testdata/fuzz-regressions/trusted-root: a
/// timestamp authority certificate that <c>X509CertificateLoader</c> loads but whose validity or basic constraints
/// .NET decodes only when first read. They used to pass <see cref="TrustedRoot.Parse(ReadOnlySpan{byte})"/> and throw
/// CryptographicException from the verifier's constructor; the parser now decodes them at once and refuses the root.
/// </summary>
public sealed class FuzzRegressionTests
{
    [Theory]
    [InlineData("tsa-certificate-malformed-utctime.json")]
    [InlineData("tsa-certificate-basic-constraints-trailing-bytes.json")]
    public void A_certificate_that_does_not_decode_completely_is_SC1105(string name)
    {
        byte[] json = File.ReadAllBytes(Path.Combine(TestPaths.TestData, "fuzz-regressions", "trusted-root", name));
        var ex = Assert.ThrowsAny<SupplyChainException>(() => TrustedRoot.Parse(json));
        Assert.Equal("SC1105", ex.Code);
        Assert.Contains("timestampAuthorities[0].certChain.certificates[", ex.Message, StringComparison.Ordinal);
    }
}
