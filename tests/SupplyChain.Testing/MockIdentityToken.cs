using System.Text;

namespace SupplyChain.Testing;

/// <summary>
/// A well-formed OIDC identity token (JWT) for mock Fulcio servers such as @sigstore/mock, which do not check its
/// signature: the signature part is not a signature. Clients still check its expiry and audience.
/// </summary>
public static class MockIdentityToken
{
    /// <summary>A token for <paramref name="subject"/> from <paramref name="issuer"/>, audience <c>sigstore</c>, valid for ten minutes.</summary>
    /// <param name="issuer">The <c>iss</c> claim.</param>
    /// <param name="subject">The <c>sub</c> claim (the certificate identity the mock Fulcio certifies).</param>
    /// <returns>The compact JWT.</returns>
    public static string Create(string issuer, string subject)
    {
        long exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        var claims = new System.Text.Json.Nodes.JsonObject { ["iss"] = issuer, ["sub"] = subject, ["aud"] = "sigstore", ["exp"] = exp };
        return B64Url("{\"alg\":\"ES256\",\"typ\":\"JWT\"}") + "." + B64Url(claims.ToJsonString()) + "." + B64Url("not-a-signature");
    }

    private static string B64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
