using System.Net;
using System.Security.Cryptography;
using System.Text;
using SupplyChain.Signing;
using SupplyChain.Signing.Oidc;
using SupplyChain.Http;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Signing.Tests.Oidc;

/// <summary>The browser and device flows against a stub provider (discovery and token endpoints) and a real loopback listener.</summary>
public class InteractiveFlowTests
{
    private const string Issuer = "https://issuer.example/auth";

    private static Dictionary<string, object> Discovery(string issuer = Issuer, bool device = true, bool token = true)
    {
        var d = new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = Issuer + "/authorize",
        };
        if (token)
        {
            d["token_endpoint"] = Issuer + "/token";
        }

        if (device)
        {
            d["device_authorization_endpoint"] = Issuer + "/device/code";
        }

        return d;
    }

    private static Func<HttpRequestMessage, string?, HttpResponseMessage> Provider(Func<Dictionary<string, string>, HttpResponseMessage> token, object? discovery = null, Func<HttpResponseMessage>? device = null) =>
        (request, body) => request.RequestUri!.AbsolutePath switch
        {
            "/auth/.well-known/openid-configuration" => StubHandler.Json(HttpStatusCode.OK, discovery ?? Discovery()),
            "/auth/token" => token(BrowserTokenProvider.ParseQuery(body ?? string.Empty)),
            "/auth/device/code" => device?.Invoke() ?? StubHandler.Json(HttpStatusCode.OK, new { device_code = "dev-code", user_code = "ABCD-EFGH", verification_uri = Issuer + "/device", expires_in = 600, interval = 5 }),
            _ => StubHandler.Text(HttpStatusCode.NotFound, string.Empty),
        };

    private static OidcClientOptions Options(StubHandler http, TimeProvider? time = null, string issuer = Issuer) => new()
    {
        Issuer = new Uri(issuer),
        Transport = http,
        TimeProvider = time ?? new FrozenClock(Jwt.Now),
        Retry = HttpRetryPolicy.Default with { AttemptTimeout = TimeSpan.FromHours(1) },
    };

    /// <summary>Plays the browser: follows the authorization URL by redirecting straight to the loopback listener.</summary>
    private static Func<Uri, CancellationToken, ValueTask> Browser(Func<Dictionary<string, string>, string> callbackQuery, List<Dictionary<string, string>>? seen = null) =>
        async (url, ct) =>
        {
            Dictionary<string, string> q = BrowserTokenProvider.ParseQuery(url.Query);
            seen?.Add(q);
            using var client = new HttpClient();
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri(new Uri(q["redirect_uri"]), "/favicon.ico"), ct)).StatusCode);
            await client.GetAsync(new Uri(q["redirect_uri"] + "?" + callbackQuery(q)), ct);
        };

    private static string Ok(Dictionary<string, string> q) => $"code=the-code&state={Uri.EscapeDataString(q["state"])}";

    [Fact]
    public async Task Browser_flow_sends_pkce_state_nonce_and_returns_the_id_token()
    {
        var seen = new List<Dictionary<string, string>>();
        Dictionary<string, string>? tokenForm = null;
        string? raw = null;
        var http = new StubHandler(Provider(form =>
        {
            tokenForm = form;
            raw = Jwt.Make(Jwt.Claims(iss: Issuer, email: "alice@example.com", emailVerified: true, nonce: seen[0]["nonce"]));
            return StubHandler.Json(HttpStatusCode.OK, new { access_token = "at", token_type = "Bearer", id_token = raw });
        }));
        using var provider = new BrowserTokenProvider(Options(http), Browser(Ok, seen));
        IdentityToken token = await provider.GetTokenAsync("sigstore");

        Assert.Equal(raw, token.RawToken);
        Assert.Equal("alice@example.com", token.Subject);
        Dictionary<string, string> auth = Assert.Single(seen);
        Assert.Equal("code", auth["response_type"]);
        Assert.Equal("sigstore", auth["client_id"]);
        Assert.Equal("openid email", auth["scope"]);
        Assert.Equal("S256", auth["code_challenge_method"]);
        Assert.Matches(@"^http://127\.0\.0\.1:[0-9]+/auth/callback$", auth["redirect_uri"]);
        Assert.True(auth["state"].Length >= 43 && auth["nonce"].Length >= 43);
        Assert.NotNull(tokenForm);
        Assert.Equal("authorization_code", tokenForm["grant_type"]);
        Assert.Equal("the-code", tokenForm["code"]);
        Assert.Equal(auth["redirect_uri"], tokenForm["redirect_uri"]);
        Assert.Equal("sigstore", tokenForm["client_id"]);
        // RFC 7636 4.6: the server recomputes the challenge from the verifier.
        string challenge = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(tokenForm["code_verifier"])));
        Assert.Equal(auth["code_challenge"], challenge);
        Assert.InRange(tokenForm["code_verifier"].Length, 43, 128);
    }

    private static async Task<Exception> BrowserFailure(Func<Dictionary<string, string>, string> callback, Func<Dictionary<string, string>, Dictionary<string, string>, HttpResponseMessage>? token = null, TimeProvider? time = null, object? discovery = null)
    {
        var seen = new List<Dictionary<string, string>>();
        var http = new StubHandler(Provider(
            form => token is null
                ? StubHandler.Json(HttpStatusCode.OK, new { id_token = Jwt.Make(Jwt.Claims(iss: Issuer, nonce: seen[0]["nonce"])) })
                : token(seen[0], form),
            discovery));
        using var provider = new BrowserTokenProvider(Options(http, time), Browser(callback, seen));
        return await Assert.ThrowsAnyAsync<Exception>(async () => await provider.GetTokenAsync("sigstore"));
    }

    [Fact]
    public async Task Browser_state_mismatch_is_SC2110() =>
        ErrorAssert.AssertCode(SigningErrors.OidcStateMismatch, await BrowserFailure(_ => "code=c&state=forged"));

    [Fact]
    public async Task Browser_missing_state_is_SC2110() =>
        ErrorAssert.AssertCode(SigningErrors.OidcStateMismatch, await BrowserFailure(_ => "code=c"));

    [Fact]
    public async Task Browser_access_denied_is_SC2116() =>
        ErrorAssert.AssertCode(SigningErrors.OidcAccessDenied, await BrowserFailure(q => $"error=access_denied&state={Uri.EscapeDataString(q["state"])}"));

    [Fact]
    public async Task Browser_other_error_is_SC2112() =>
        ErrorAssert.AssertCode(SigningErrors.OidcAuthorizationFailed, await BrowserFailure(q => $"error=server_error&error_description=%3Cscript%3E&state={Uri.EscapeDataString(q["state"])}"));

    [Fact]
    public async Task Browser_missing_code_is_SC2112() =>
        ErrorAssert.AssertCode(SigningErrors.OidcAuthorizationFailed, await BrowserFailure(q => $"state={Uri.EscapeDataString(q["state"])}"));

    [Fact]
    public async Task Browser_timeout_is_SC2111()
    {
        var http = new StubHandler(Provider(_ => throw new InvalidOperationException("no token request expected")));
        using var provider = new BrowserTokenProvider(Options(http, new DelayRecordingTimeProvider(Jwt.Now)), (_, _) => ValueTask.CompletedTask);
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await provider.GetTokenAsync("sigstore"));
        ErrorAssert.AssertCode(SigningErrors.OidcAuthorizationTimedOut, e);
    }

    [Fact]
    public async Task Browser_cancellation_is_honoured()
    {
        var http = new StubHandler(Provider(_ => throw new InvalidOperationException("no token request expected")));
        using var cts = new CancellationTokenSource();
        using var provider = new BrowserTokenProvider(Options(http, TimeProvider.System), (_, _) => { cts.Cancel(); return ValueTask.CompletedTask; });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await provider.GetTokenAsync("sigstore", cts.Token));
    }

    [Fact]
    public async Task Browser_nonce_mismatch_is_SC2114()
    {
        string? raw = null;
        Exception e = await BrowserFailure(Ok, (_, _) => StubHandler.Json(HttpStatusCode.OK, new { id_token = raw = Jwt.Make(Jwt.Claims(iss: Issuer, nonce: "replayed")) }));
        ErrorAssert.AssertCode(SigningErrors.OidcNonceMismatch, e, raw);
    }

    [Fact]
    public async Task Browser_issuer_mismatch_is_SC2118()
    {
        string? raw = null;
        Exception e = await BrowserFailure(Ok, (auth, _) => StubHandler.Json(HttpStatusCode.OK, new { id_token = raw = Jwt.Make(Jwt.Claims(iss: "https://evil.example", nonce: auth["nonce"])) }));
        ErrorAssert.AssertCode(SigningErrors.OidcIssuerMismatch, e, raw);
    }

    [Fact]
    public async Task Browser_expired_id_token_is_SC2102()
    {
        string? raw = null;
        Exception e = await BrowserFailure(Ok, (auth, _) => StubHandler.Json(HttpStatusCode.OK, new { id_token = raw = Jwt.Make(Jwt.Claims("sigstore", Issuer, null, null, auth["nonce"], Jwt.Now.AddHours(-1))) }));
        ErrorAssert.AssertCode(SigningErrors.TokenExpired, e, raw);
    }

    [Fact]
    public async Task Browser_token_endpoint_error_or_no_id_token_is_SC2113()
    {
        ErrorAssert.AssertCode(SigningErrors.OidcTokenRequestFailed, await BrowserFailure(Ok, (_, _) => StubHandler.Json(HttpStatusCode.BadRequest, new { error = "invalid_grant" })));
        ErrorAssert.AssertCode(SigningErrors.OidcTokenRequestFailed, await BrowserFailure(Ok, (_, _) => StubHandler.Json(HttpStatusCode.OK, new { access_token = "at" })));
        ErrorAssert.AssertCode(SigningErrors.OidcTokenRequestFailed, await BrowserFailure(Ok, (_, _) => StubHandler.Text(HttpStatusCode.BadGateway, "<html>")));
    }

    [Fact]
    public async Task Discovery_failures_are_SC2109()
    {
        ErrorAssert.AssertCode(SigningErrors.OidcDiscoveryFailed, await BrowserFailure(Ok, discovery: Discovery(issuer: "https://other.example")));
        ErrorAssert.AssertCode(SigningErrors.OidcDiscoveryFailed, await BrowserFailure(Ok, discovery: Discovery(token: false)));
        ErrorAssert.AssertCode(SigningErrors.OidcDiscoveryFailed, await BrowserFailure(Ok, discovery: new { issuer = Issuer, authorization_endpoint = "http://plain.example/authorize", token_endpoint = Issuer + "/token" }));

        var http = new StubHandler((_, _) => StubHandler.Text(HttpStatusCode.NotFound, string.Empty));
        using var provider = new BrowserTokenProvider(Options(http), (_, _) => ValueTask.CompletedTask);
        ErrorAssert.AssertCode(SigningErrors.OidcDiscoveryFailed, await Assert.ThrowsAnyAsync<Exception>(async () => await provider.GetTokenAsync("sigstore")));

        var down = new StubHandler((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"));
        using var provider2 = new BrowserTokenProvider(Options(down), (_, _) => ValueTask.CompletedTask);
        ErrorAssert.AssertCode(SigningErrors.OidcDiscoveryFailed, await Assert.ThrowsAnyAsync<Exception>(async () => await provider2.GetTokenAsync("sigstore")));
    }

    [Theory]
    [InlineData("http://issuer.example/auth")]
    [InlineData("ftp://issuer.example")]
    [InlineData("https://issuer.example/?a=b")]
    public void Invalid_options_are_SC2117(string issuer)
    {
        var http = new StubHandler((_, _) => throw new InvalidOperationException());
        ErrorAssert.AssertCode(SigningErrors.OidcOptionsInvalid, Assert.ThrowsAny<Exception>(() => new BrowserTokenProvider(Options(http, issuer: issuer), (_, _) => ValueTask.CompletedTask)));
        ErrorAssert.AssertCode(SigningErrors.OidcOptionsInvalid, Assert.ThrowsAny<Exception>(() => new DeviceFlowTokenProvider(new OidcClientOptions { Transport = http, ClientId = " " }, (_, _) => ValueTask.CompletedTask)));
        ErrorAssert.AssertCode(SigningErrors.OidcOptionsInvalid, Assert.ThrowsAny<Exception>(() => new DeviceFlowTokenProvider(new OidcClientOptions { Transport = http, Timeout = TimeSpan.Zero }, (_, _) => ValueTask.CompletedTask)));
    }

    [Fact]
    public async Task Device_flow_polls_honouring_interval_pending_and_slow_down()
    {
        var time = new DelayRecordingTimeProvider(Jwt.Now);
        var replies = new Queue<HttpResponseMessage>(
        [
            StubHandler.Json(HttpStatusCode.BadRequest, new { error = "authorization_pending" }),
            StubHandler.Json(HttpStatusCode.BadRequest, new { error = "slow_down" }),
        ]);
        string raw = Jwt.Make(Jwt.Claims("sigstore", Issuer, "bob@example.com", true, null, Jwt.Now.AddHours(1)));
        var forms = new List<Dictionary<string, string>>();
        var http = new StubHandler(Provider(form =>
        {
            forms.Add(form);
            return replies.Count > 0 ? replies.Dequeue() : StubHandler.Json(HttpStatusCode.OK, new { id_token = raw });
        }));
        DeviceAuthorizationPrompt? prompt = null;
        using var provider = new DeviceFlowTokenProvider(Options(http, time), (p, _) => { prompt = p; return ValueTask.CompletedTask; });
        IdentityToken token = await provider.GetTokenAsync("sigstore");

        Assert.Equal("bob@example.com", token.Subject);
        Assert.NotNull(prompt);
        Assert.Equal("ABCD-EFGH", prompt.UserCode);
        Assert.Equal(new Uri(Issuer + "/device"), prompt.VerificationUri);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)], time.Delays);
        Assert.All(forms, f => Assert.Equal("urn:ietf:params:oauth:grant-type:device_code", f["grant_type"]));
        Assert.All(forms, f => Assert.Equal("dev-code", f["device_code"]));
        Assert.Equal(3, forms.Count);
        string deviceForm = http.Requests.Single(r => r.Request.RequestUri!.AbsolutePath.EndsWith("/device/code", StringComparison.Ordinal)).Body!;
        Assert.Contains("client_id=sigstore", deviceForm, StringComparison.Ordinal);
        Assert.Contains("scope=openid+email", deviceForm, StringComparison.Ordinal);
    }

    private static async Task<Exception> DeviceFailure(Func<HttpResponseMessage> token, Func<HttpResponseMessage>? device = null, object? discovery = null)
    {
        var http = new StubHandler(Provider(_ => token(), discovery, device));
        using var provider = new DeviceFlowTokenProvider(Options(http, new DelayRecordingTimeProvider(Jwt.Now)), (_, _) => ValueTask.CompletedTask);
        return await Assert.ThrowsAnyAsync<Exception>(async () => await provider.GetTokenAsync("sigstore"));
    }

    [Fact]
    public async Task Device_expired_token_is_SC2115() =>
        ErrorAssert.AssertCode(SigningErrors.DeviceCodeExpired, await DeviceFailure(() => StubHandler.Json(HttpStatusCode.BadRequest, new { error = "expired_token" })));

    [Fact]
    public async Task Device_code_expiring_while_pending_is_SC2115() =>
        ErrorAssert.AssertCode(SigningErrors.DeviceCodeExpired, await DeviceFailure(() => StubHandler.Json(HttpStatusCode.BadRequest, new { error = "authorization_pending" })));

    [Fact]
    public async Task Device_access_denied_is_SC2116() =>
        ErrorAssert.AssertCode(SigningErrors.OidcAccessDenied, await DeviceFailure(() => StubHandler.Json(HttpStatusCode.BadRequest, new { error = "access_denied" })));

    [Fact]
    public async Task Device_other_token_error_is_SC2113() =>
        ErrorAssert.AssertCode(SigningErrors.OidcTokenRequestFailed, await DeviceFailure(() => StubHandler.Json(HttpStatusCode.BadRequest, new { error = "invalid_client" })));

    [Fact]
    public async Task Device_authorization_errors_are_SC2112()
    {
        ErrorAssert.AssertCode(SigningErrors.OidcAuthorizationFailed, await DeviceFailure(() => throw new InvalidOperationException(), () => StubHandler.Json(HttpStatusCode.BadRequest, new { error = "unauthorized_client" })));
        ErrorAssert.AssertCode(SigningErrors.OidcAuthorizationFailed, await DeviceFailure(() => throw new InvalidOperationException(), () => StubHandler.Json(HttpStatusCode.OK, new { device_code = "d", verification_uri = Issuer + "/device", expires_in = 60 })));
        ErrorAssert.AssertCode(SigningErrors.OidcAuthorizationFailed, await DeviceFailure(() => throw new InvalidOperationException(), () => StubHandler.Json(HttpStatusCode.OK, new { device_code = "d", user_code = "u", verification_uri = "relative", expires_in = 60 })));
    }

    [Fact]
    public async Task Device_without_endpoint_is_SC2109() =>
        ErrorAssert.AssertCode(SigningErrors.OidcDiscoveryFailed, await DeviceFailure(() => throw new InvalidOperationException(), discovery: Discovery(device: false)));
}
