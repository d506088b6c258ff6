using System.Net;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Auth;
using SupplyChain.Testing.Oci;
using static SupplyChain.Oci.Tests.Registry.StubRegistry;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>Bearer challenges, token caching per scope, refresh once, and the 401/403 mapping (stub transport).</summary>
public class AuthTests
{
    private const string Challenge = "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:team/app:pull\"";

    /// <summary>A token registry: /token issues "tok-N" (N counts), the API accepts any token it issued unless <paramref name="rejectAll"/>.</summary>
    private static StubRegistryHandler TokenRegistry(int expiresIn = 300, bool rejectAll = false, string tokenField = "token")
    {
        int issued = 0;
        var valid = new HashSet<string>();
        return new StubRegistryHandler(r =>
        {
            if (r.Uri.Host == "auth.example")
            {
                string token = "tok-" + Interlocked.Increment(ref issued);
                lock (valid)
                {
                    valid.Add("Bearer " + token);
                }

                return StubRegistryHandler.Json(HttpStatusCode.OK, $"{{\"{tokenField}\":\"{token}\",\"expires_in\":{expiresIn}}}");
            }

            bool ok;
            lock (valid)
            {
                ok = !rejectAll && r.Authorization is not null && valid.Contains(r.Authorization);
            }

            return ok ? ManifestAnswer() : StubRegistryHandler.Answer(HttpStatusCode.Unauthorized, null, null, ("WWW-Authenticate", Challenge));
        });
    }

    private static List<RecordedRequest> TokenRequests(StubRegistryHandler handler) => handler.Requests.Where(r => r.Uri.Host == "auth.example").ToList();

    [Fact]
    public async Task A_bearer_challenge_is_answered_and_the_token_cached_per_scope()
    {
        StubRegistryHandler handler = TokenRegistry();
        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { Credentials = new StaticCredentialSource(RegistryCredential.FromPassword("alice", "s3cret"), Host) });

        Assert.NotNull(await client.TryGetManifestAsync(Repo));
        Assert.NotNull(await client.TryGetManifestAsync(Repo.WithTag("v2")));

        // 401, token, retry; then the cached token goes first: 4 requests, one token.
        Assert.Equal(4, handler.Requests.Count);
        RecordedRequest token = Assert.Single(TokenRequests(handler));
        Assert.Contains("service=registry.example", token.Uri.Query, StringComparison.Ordinal);
        Assert.Contains("scope=repository%3Ateam%2Fapp%3Apull", token.Uri.Query, StringComparison.Ordinal);
        Assert.Equal("Basic YWxpY2U6czNjcmV0", token.Authorization);

        // Another repository is another scope: a new token without a new 401 (the challenge is remembered per registry).
        Assert.NotNull(await client.TryGetManifestAsync(ImageReference.Parse(Host + "/team/other:v1")));
        Assert.Equal(2, TokenRequests(handler).Count);
        Assert.Contains("repository%3Ateam%2Fother%3Apull", TokenRequests(handler)[1].Uri.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("team%2Fapp", TokenRequests(handler)[1].Uri.Query, StringComparison.Ordinal);
        Assert.Equal(6, handler.Requests.Count);
    }

    [Fact]
    public async Task A_registry_written_with_its_default_port_still_gets_the_token()
    {
        StubRegistryHandler handler = TokenRegistry();
        using OciRegistryClient client = Client(handler);
        Assert.NotNull(await client.TryGetManifestAsync(ImageReference.Parse(Host + ":443/team/app:v1")));
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Pushing_asks_for_a_pull_push_token()
    {
        StubRegistryHandler handler = TokenRegistry();
        using OciRegistryClient client = Client(handler);
        Assert.True(await client.BlobExistsAsync(Repo, "sha256:" + new string('3', 64)));
        Assert.EndsWith("scope=repository%3Ateam%2Fapp%3Apull", Assert.Single(TokenRequests(handler)).Uri.Query, StringComparison.Ordinal);

        // The blob "exists" (the stub answers 200), so the push stops after its HEAD, made with a pull,push token.
        await client.PushBlobAsync(Repo, "application/octet-stream", Utf8("x"));
        Assert.EndsWith("scope=repository%3Ateam%2Fapp%3Apull%2Cpush", TokenRequests(handler)[1].Uri.Query, StringComparison.Ordinal);
        Assert.All(TokenRequests(handler), r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task An_expired_token_is_replaced_and_access_token_is_accepted()
    {
        StubRegistryHandler handler = TokenRegistry(expiresIn: 120, tokenField: "access_token");
        var time = new DelayRecordingTimeProvider(DateTimeOffset.UnixEpoch);
        using OciRegistryClient client = Client(handler, time: time);
        await client.TryGetManifestAsync(Repo);
        time.Advance(TimeSpan.FromSeconds(100));
        await client.TryGetManifestAsync(Repo);
        Assert.Single(TokenRequests(handler));
        time.Advance(TimeSpan.FromSeconds(30));
        await client.TryGetManifestAsync(Repo);
        Assert.Equal(2, TokenRequests(handler).Count);
    }

    [Fact]
    public async Task A_401_after_a_fresh_token_is_SC4004_after_one_refresh_not_a_loop()
    {
        StubRegistryHandler handler = TokenRegistry(rejectAll: true);
        using OciRegistryClient client = Client(handler);
        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.TryGetManifestAsync(Repo));
        Assert.Equal("SC4004", ex.Code);
        Assert.Single(TokenRequests(handler));
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task A_cached_token_that_stops_working_is_refreshed_once()
    {
        int issued = 0;
        int usesOfFirst = 0;
        var handler = new StubRegistryHandler(r =>
        {
            if (r.Uri.Host == "auth.example")
            {
                return StubRegistryHandler.Json(HttpStatusCode.OK, "{\"token\":\"t" + Interlocked.Increment(ref issued) + "\"}");
            }

            // t1 is revoked after its first use; t2 works.
            bool ok = r.Authorization == "Bearer t2" || (r.Authorization == "Bearer t1" && Interlocked.Increment(ref usesOfFirst) == 1);
            return ok ? ManifestAnswer() : StubRegistryHandler.Answer(HttpStatusCode.Unauthorized, null, null, ("WWW-Authenticate", Challenge));
        });
        using OciRegistryClient client = Client(handler);
        await client.TryGetManifestAsync(Repo);
        await client.TryGetManifestAsync(Repo);
        Assert.Equal(2, issued);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "SC4004")]
    [InlineData(HttpStatusCode.Unauthorized, "SC4004")]
    public async Task Denied_access_is_SC4004_with_the_registry_error_code_kept_apart_from_the_message(HttpStatusCode status, string code)
    {
        var handler = new StubRegistryHandler(_ => Error(status, "DENIED"));
        using OciRegistryClient client = Client(handler);
        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.TryGetManifestAsync(Repo));
        Assert.Equal(code, ex.Code);
        Assert.Contains("HTTP " + (int)status, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("DENIED", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DENIED", ex.RemoteDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_basic_challenge_without_credentials_is_SC4004_and_with_them_sends_basic()
    {
        var handler = new StubRegistryHandler(r => r.Authorization == "Basic dTpw" ? ManifestAnswer() : StubRegistryHandler.Answer(HttpStatusCode.Unauthorized, null, null, ("WWW-Authenticate", "Basic realm=\"x\"")));
        using (OciRegistryClient anonymous = Client(handler))
        {
            Assert.Equal("SC4004", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => anonymous.TryGetManifestAsync(Repo))).Code);
        }

        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { Credentials = new StaticCredentialSource(RegistryCredential.FromPassword("u", "p"), Host) });
        Assert.NotNull(await client.TryGetManifestAsync(Repo));
        Assert.NotNull(await client.TryGetManifestAsync(Repo));
        Assert.Equal(1 + 2 + 1, handler.Requests.Count);
    }

    [Theory]
    [InlineData("{\"expires_in\":60}")]
    [InlineData("not json")]
    public async Task A_token_answer_without_a_token_is_SC4015(string answer)
    {
        var handler = new StubRegistryHandler(r => r.Uri.Host == "auth.example"
            ? StubRegistryHandler.Json(HttpStatusCode.OK, answer)
            : StubRegistryHandler.Answer(HttpStatusCode.Unauthorized, null, null, ("WWW-Authenticate", Challenge)));
        using OciRegistryClient client = Client(handler);
        Assert.Equal("SC4015", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.TryGetManifestAsync(Repo))).Code);
    }

    [Fact]
    public async Task A_challenge_without_realm_is_SC4015_and_a_refused_token_SC4004()
    {
        var noRealm = new StubRegistryHandler(_ => StubRegistryHandler.Answer(HttpStatusCode.Unauthorized, null, null, ("WWW-Authenticate", "Bearer service=\"x\"")));
        using (OciRegistryClient client = Client(noRealm))
        {
            Assert.Equal("SC4015", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.TryGetManifestAsync(Repo))).Code);
        }

        var refused = new StubRegistryHandler(r => r.Uri.Host == "auth.example"
            ? Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED")
            : StubRegistryHandler.Answer(HttpStatusCode.Unauthorized, null, null, ("WWW-Authenticate", Challenge)));
        using OciRegistryClient refusedClient = Client(refused);
        Assert.Equal("SC4004", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => refusedClient.TryGetManifestAsync(Repo))).Code);
    }

    [Fact]
    public async Task An_identity_token_is_exchanged_with_the_oauth2_refresh_grant()
    {
        var handler = new StubRegistryHandler(r => r.Uri.Host == "auth.example"
            ? StubRegistryHandler.Json(HttpStatusCode.OK, "{\"access_token\":\"at\"}")
            : r.Authorization == "Bearer at" ? ManifestAnswer() : StubRegistryHandler.Answer(HttpStatusCode.Unauthorized, null, null, ("WWW-Authenticate", Challenge)));
        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { Credentials = new StaticCredentialSource(RegistryCredential.FromIdentityToken("refresh-me"), Host) });
        Assert.NotNull(await client.TryGetManifestAsync(Repo));
        RecordedRequest token = Assert.Single(TokenRequests(handler));
        Assert.Equal(HttpMethod.Post, token.Method);
        string form = System.Text.Encoding.UTF8.GetString(token.Body);
        Assert.Contains("grant_type=refresh_token", form, StringComparison.Ordinal);
        Assert.Contains("refresh_token=refresh-me", form, StringComparison.Ordinal);
    }
}
