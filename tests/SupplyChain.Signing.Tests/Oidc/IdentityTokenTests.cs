using SupplyChain.Signing;
using SupplyChain.Signing.Oidc;
using SupplyChain.Testing;
using Microsoft.Extensions.Time.Testing;

namespace SupplyChain.Signing.Tests.Oidc;

public class IdentityTokenTests
{
    private static readonly FakeTimeProvider Clock = new(Jwt.Now);

    [Fact]
    public void Parse_reads_claims_and_uses_sub_without_email()
    {
        string raw = Jwt.Valid();
        IdentityToken token = IdentityToken.Parse("  " + raw + "\n");
        Assert.Equal(raw, token.RawToken);
        Assert.Equal("https://issuer.example", token.Issuer);
        Assert.Equal("repo:octo/app:ref:refs/heads/main", token.Subject);
        Assert.Equal(["sigstore"], token.Audiences);
        Assert.Equal(Jwt.Now.AddMinutes(10), token.ExpiresAt);
        token.EnsureValid("sigstore", Clock);
        Assert.DoesNotContain(raw, token.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData("true")]
    public void Verified_email_is_the_identity(object verified)
    {
        IdentityToken token = IdentityToken.Parse(Jwt.Make(Jwt.Claims(email: "alice@example.com", emailVerified: verified)));
        Assert.Equal("alice@example.com", token.Subject);
        Assert.Equal("repo:octo/app:ref:refs/heads/main", token.SubjectClaim);
        Assert.True(token.EmailVerified);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(null)]
    [InlineData("false")]
    public void Unverified_email_fails_SC2105(object? verified)
    {
        string raw = Jwt.Make(Jwt.Claims(email: "alice@example.com", emailVerified: verified));
        var e = Assert.ThrowsAny<Exception>(() => IdentityToken.Parse(raw));
        ErrorAssert.AssertCode(SigningErrors.TokenEmailNotVerified, e, raw);
    }

    [Fact]
    public void Audience_array_is_accepted()
    {
        IdentityToken token = IdentityToken.Parse(Jwt.Make(Jwt.Claims(new[] { "other", "sigstore" }, "https://i", null, null, null, Jwt.Now.AddMinutes(5))));
        Assert.Equal(["other", "sigstore"], token.Audiences);
        token.EnsureValid("sigstore", Clock);
    }

    [Fact]
    public void Wrong_audience_fails_SC2104()
    {
        string raw = Jwt.Valid(aud: "not-sigstore");
        var e = Assert.ThrowsAny<Exception>(() => IdentityToken.Parse(raw).EnsureValid("sigstore", Clock));
        ErrorAssert.AssertCode(SigningErrors.TokenAudienceMismatch, e, raw);
    }

    [Fact]
    public void Expired_token_fails_SC2102_but_small_skew_is_allowed()
    {
        string raw = Jwt.Make(Jwt.Claims("sigstore", "https://i", null, null, null, Jwt.Now.AddSeconds(-30)));
        IdentityToken.Parse(raw).EnsureValid("sigstore", Clock);
        string expired = Jwt.Make(Jwt.Claims("sigstore", "https://i", null, null, null, Jwt.Now.AddMinutes(-2)));
        var e = Assert.ThrowsAny<Exception>(() => IdentityToken.Parse(expired).EnsureValid("sigstore", Clock));
        ErrorAssert.AssertCode(SigningErrors.TokenExpired, e, expired);
    }

    [Fact]
    public void Future_nbf_fails_SC2103()
    {
        var claims = Jwt.Claims();
        claims["nbf"] = Jwt.Now.AddMinutes(5).ToUnixTimeSeconds();
        string raw = Jwt.Make(claims);
        var e = Assert.ThrowsAny<Exception>(() => IdentityToken.Parse(raw).EnsureValid("sigstore", Clock));
        ErrorAssert.AssertCode(SigningErrors.TokenNotYetValid, e, raw);
    }

    public static TheoryData<string> MalformedTokens()
    {
        var data = new TheoryData<string> { "", "abc", "a.b", "a.b.c.d.e", "a.!!!.c", "a..c", "eyJhIjoxfQ.eyJhIjoxfQ" };
        data.Add("x." + System.Buffers.Text.Base64Url.EncodeToString("[1,2]"u8) + ".y");
        data.Add("x." + System.Buffers.Text.Base64Url.EncodeToString("{not json"u8) + ".y");
        string goodPayload = Jwt.Valid().Split('.')[1];
        data.Add(System.Buffers.Text.Base64Url.EncodeToString("not json"u8) + "." + goodPayload + ".c2ln");
        data.Add("!!!." + goodPayload + ".c2ln");
        foreach (string missing in new[] { "iss", "sub", "aud", "exp" })
        {
            var c = Jwt.Claims();
            c.Remove(missing);
            data.Add(Jwt.Make(c));
        }

        var badAud = Jwt.Claims();
        badAud["aud"] = 5;
        data.Add(Jwt.Make(badAud));
        var emptyAud = Jwt.Claims();
        emptyAud["aud"] = Array.Empty<string>();
        data.Add(Jwt.Make(emptyAud));
        var badExp = Jwt.Claims();
        badExp["exp"] = "tomorrow";
        data.Add(Jwt.Make(badExp));
        data.Add(new string('a', 70_000) + ".b.c");

        // Claims of the wrong JSON type, read through the source-generated claims DTO: the same code, never an exception of another kind.
        foreach ((string claim, object value) in new (string, object)[] { ("iss", 7), ("sub", true), ("email", 1), ("nonce", new[] { "n" }), ("nbf", "soon"), ("exp", new[] { 1 }), ("iss", "") })
        {
            var c = Jwt.Claims();
            c[claim] = value;
            data.Add(Jwt.Make(c));
        }

        // RFC 7519 4: a claims set with a duplicate claim name is rejected, not read with whichever value comes last.
        string json = System.Text.Json.JsonSerializer.Serialize(Jwt.Claims());
        data.Add("eyJhbGciOiJSUzI1NiJ9." + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(json.TrimEnd('}') + ",\"iss\":\"https://other.example\"}")) + ".c2ln");

        // RFC 8259 section 8.2: an escape that decodes to no character (a lone surrogate) is malformed, not another exception.
        data.Add("eyJhbGciOiJSUzI1NiJ9." + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(json.TrimEnd('}') + ",\"nonce\":\"\\ud800\"}")) + ".c2ln");
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public void Malformed_token_fails_SC2101_without_echoing_it(string raw)
    {
        var e = Assert.ThrowsAny<Exception>(() => IdentityToken.Parse(raw));
        ErrorAssert.AssertCode(SigningErrors.TokenMalformed, e, raw.Length > 3 ? raw : null);
    }
}
