using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Errors;
using SupplyChain.Instance.Http;
using SupplyChain.Testing;

namespace SupplyChain.Instance.Tests.Services;

/// <summary>Inputs the instance-http fuzz target found (docs/fuzzing.md), kept under testdata/fuzz-regressions.</summary>
public sealed class FuzzRegressionTests
{
    private static byte[] Input(string name) =>
        File.ReadAllBytes(Path.Combine(TestPaths.TestData, "fuzz-regressions", "instance-http", name));

    /// <summary>
    /// An escaped lone surrogate as a property name: the request reader's duplicate-name check threw
    /// InvalidOperationException, which the server answered with a 500. (The first byte of the input picks the
    /// fuzz target's endpoint; the body follows it.)
    /// </summary>
    [Fact]
    public void A_lone_surrogate_property_name_is_SC8010()
    {
        byte[] body = Input("lone-surrogate-property-name.bin")[1..];
        var ex = Assert.ThrowsAny<SupplyChainException>(() => RequestJson.Read(body, RequestJsonContext.Default.SigningCertificateRequestJson));
        Assert.Equal("SC8010", ex.Code);
    }

    /// <summary>
    /// Request strings that do not decode (bytes that are not UTF-8, found by fuzzing instance-http; an unpaired surrogate
    /// escape): System.Text.Json threw InvalidOperationException when the service read the field, and the server answered
    /// 500. Handed to the router as the fuzz target does (first byte: 0 Fulcio signingCert, 1 Rekor v2 entries).
    /// </summary>
    [Theory]
    [InlineData("rekor-digest-invalid-utf8.bin", "/api/v2/log/entries", "SC8010")]
    [InlineData("fulcio-token-lone-surrogate-escape.bin", "/api/v2/signingCert", "SC8010")]
    public async Task A_request_string_that_does_not_decode_is_refused_with_its_code(string name, string path, string code)
    {
        using var temp = new TempInstance();
        InstanceResponse response = await Route(temp.Instance, path, Input(name)[1..]);
        Assert.Equal(400, response.Status);
        Assert.Equal(code, (string?)JsonNode.Parse(response.Body)!["code"]);
    }

    /// <summary>
    /// Keys .NET cannot import (found by fuzzing instance-http): a CSR whose key algorithm OID is unknown
    /// (1.2.840.10014.4.3.18) threw NotSupportedException when its self-signature was checked, and a PEM public key or
    /// Rekor verifier on an unknown named curve threw PlatformNotSupportedException: 500s instead of SC8031.
    /// <c>$TOKEN</c> becomes a fresh token of the instance's own issuer, as in the fuzz target, so the request reaches
    /// the key.
    /// </summary>
    [Theory]
    [InlineData("csr-unknown-key-algorithm.bin", "/api/v2/signingCert")]
    [InlineData("fulcio-public-key-unknown-curve.bin", "/api/v2/signingCert")]
    [InlineData("rekor-verifier-unknown-curve.bin", "/api/v2/log/entries")]
    public async Task A_key_on_an_algorithm_or_curve_dotnet_does_not_know_is_SC8031(string name, string path)
    {
        using var temp = new TempInstance();
        string body = Encoding.UTF8.GetString(Input(name)[1..])
            .Replace("$TOKEN", temp.Instance.MintIdentityToken().RawToken, StringComparison.Ordinal);
        InstanceResponse response = await Route(temp.Instance, path, Encoding.UTF8.GetBytes(body));
        Assert.Equal("SC8031", (string?)JsonNode.Parse(response.Body)!["code"]);
    }

    private static Task<InstanceResponse> Route(LocalInstance instance, string path, byte[] body) =>
        instance.Router.HandleAsync("POST", path, "application/json", body, new Uri("http://127.0.0.1:1/"), CancellationToken.None);
}
