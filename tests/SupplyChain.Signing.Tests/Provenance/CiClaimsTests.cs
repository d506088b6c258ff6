using System.Buffers.Text;
using System.Text;
using SupplyChain.Signing.Provenance;
using SupplyChain.Signing.Tests.Oidc;
using SupplyChain.Testing;

namespace SupplyChain.Signing.Tests.Provenance;

/// <summary>The CI token claims provenance reads: string and number claims kept, anything else malformed with its code.</summary>
public sealed class CiClaimsTests
{
    private static string Token(string payloadJson) =>
        "eyJhbGciOiJSUzI1NiJ9." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson)) + ".c2ln";

    [Fact]
    public void String_and_number_claims_are_kept_others_dropped()
    {
        IReadOnlyDictionary<string, string> claims = CiValues.ClaimsOf(Token("""{"sub":"repo:a","run":42,"nested":{"x":1},"flag":true}"""));
        Assert.Equal("repo:a", claims["sub"]);
        Assert.Equal("42", claims["run"]);
        Assert.False(claims.ContainsKey("nested"));
        Assert.False(claims.ContainsKey("flag"));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("{not json")]
    [InlineData("""{"sub":"a","sub":"b"}""")] // RFC 7519 4: duplicate claim names are rejected
    public void Malformed_payload_is_SC2024(string payloadJson) =>
        ErrorAssert.AssertCode(SigningErrors.ProvenanceValueMalformed, () => CiValues.ClaimsOf(Token(payloadJson)));

    [Fact]
    public void Not_a_compact_jws_is_SC2024() =>
        ErrorAssert.AssertCode(SigningErrors.ProvenanceValueMalformed, () => CiValues.ClaimsOf("a.b"));
}
