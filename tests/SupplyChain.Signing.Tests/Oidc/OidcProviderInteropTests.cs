using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SupplyChain.Signing.Oidc;
using SupplyChain.Testing;

namespace SupplyChain.Signing.Tests.Oidc;

/// <summary>Runs <c>tests/interop/oidc-provider/server.mjs</c> (panva/oidc-provider) on 127.0.0.1 for one test class.</summary>
public sealed class OidcProviderServer : IAsyncLifetime
{
    private Process? _process;

    public static string Folder => Path.Combine(TestPaths.RepositoryRoot, "tests", "interop", "oidc-provider");

    public Uri Issuer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (NodeInterop.NodeExecutable is not { } node || !Directory.Exists(Path.Combine(Folder, "node_modules")))
        {
            return; // the fact is skipped (or fails under CI when it touches Issuer)
        }

        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("server.mjs");
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string line = await _process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("oidc-provider exited before listening");
        using JsonDocument doc = JsonDocument.Parse(line);
        Issuer = new Uri(doc.RootElement.GetProperty("issuer").GetString()!);
    }

    public Task DisposeAsync()
    {
        if (_process is { } p)
        {
            try
            {
                p.StandardInput.Close();
                if (!p.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    p.Kill(entireProcessTree: true);
                }
            }
            finally
            {
                p.Dispose();
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// The browser (PKCE) and device flows against a real, certified OpenID provider. The test plays the user: it follows
/// redirects and submits oidc-provider's login, consent and device forms over HTTP as a browser would.
/// </summary>
public sealed partial class OidcProviderInteropTests(OidcProviderServer server) : IClassFixture<OidcProviderServer>
{
    [NodeInteropFact("oidc-provider")]
    public async Task Browser_pkce_flow_gets_a_real_id_token()
    {
        using var user = new FakeUser("alice");
        using var provider = new BrowserTokenProvider(new OidcClientOptions { Issuer = server.Issuer, Timeout = TimeSpan.FromSeconds(60) }, user.FollowAsync);
        IdentityToken token = await provider.GetTokenAsync("sigstore");

        Assert.Equal(server.Issuer.AbsoluteUri.TrimEnd('/'), token.Issuer);
        Assert.Equal("alice@example.com", token.Subject);
        Assert.Equal("alice", token.SubjectClaim);
        Assert.Contains("sigstore", token.Audiences);
        Assert.True(token.ExpiresAt > DateTimeOffset.UtcNow);
        Assert.True(user.ReachedCallback);
    }

    [NodeInteropFact("oidc-provider")]
    public async Task Device_flow_gets_a_real_id_token()
    {
        using var user = new FakeUser("bob");
        DeviceAuthorizationPrompt? shown = null;
        using var provider = new DeviceFlowTokenProvider(
            new OidcClientOptions { Issuer = server.Issuer, Timeout = TimeSpan.FromSeconds(60) },
            async (prompt, ct) =>
            {
                shown = prompt;
                await user.ApproveDeviceAsync(prompt, ct);
            });
        IdentityToken token = await provider.GetTokenAsync("sigstore");

        Assert.NotNull(shown);
        Assert.Equal("bob@example.com", token.Subject);
        Assert.Contains("sigstore", token.Audiences);
    }

    [NodeInteropFact("oidc-provider")]
    public async Task Device_flow_denied_by_the_user_is_SC2116()
    {
        using var user = new FakeUser("carol") { Abort = true };
        using var provider = new DeviceFlowTokenProvider(
            new OidcClientOptions { Issuer = server.Issuer, Timeout = TimeSpan.FromSeconds(60) },
            (prompt, ct) => new ValueTask(user.ApproveDeviceAsync(prompt, ct)));
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await provider.GetTokenAsync("sigstore"));
        ErrorAssert.AssertCode(SigningErrors.OidcAccessDenied, e);
    }

    [NodeInteropFact("oidc-provider")]
    public async Task Wrong_client_is_rejected_by_the_real_provider()
    {
        using var user = new FakeUser("dave");
        using var provider = new DeviceFlowTokenProvider(
            new OidcClientOptions { Issuer = server.Issuer, ClientId = "not-registered", Timeout = TimeSpan.FromSeconds(30) },
            (_, _) => ValueTask.CompletedTask);
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await provider.GetTokenAsync("sigstore"));
        ErrorAssert.AssertCode(SigningErrors.OidcAuthorizationFailed, e);
    }

    /// <summary>A browser with cookies that fills in every form oidc-provider shows.</summary>
    private sealed partial class FakeUser(string login) : IDisposable
    {
        private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });

        public bool ReachedCallback { get; private set; }

        public bool Abort { get; init; }

        public string? UserCode { get; private set; }

        public void Dispose() => _http.Dispose();

        public ValueTask FollowAsync(Uri url, CancellationToken cancellationToken) => new(BrowseAsync(url, cancellationToken));

        public Task ApproveDeviceAsync(DeviceAuthorizationPrompt prompt, CancellationToken cancellationToken)
        {
            UserCode = prompt.UserCode;
            return BrowseAsync(prompt.VerificationUri, cancellationToken);
        }

        private async Task BrowseAsync(Uri url, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await _http.GetAsync(url, cancellationToken);
            for (int step = 0; step < 20; step++)
            {
                HttpResponseMessage current = response;
                using (current)
                {
                    if (current.Headers.Location is { } location)
                    {
                        var next = new Uri(current.RequestMessage!.RequestUri!, location);
                        if (next.AbsolutePath == "/auth/callback")
                        {
                            ReachedCallback = true;
                        }

                        response = await _http.GetAsync(next, cancellationToken);
                        continue;
                    }

                    string html = await current.Content.ReadAsStringAsync(cancellationToken);
                    Match form = FormRegex().Match(html);
                    if (!form.Success)
                    {
                        Assert.True(current.IsSuccessStatusCode, $"HTTP {(int)current.StatusCode} at {current.RequestMessage!.RequestUri!.AbsolutePath}");
                        return; // a page without a form: the success (or callback) page
                    }

                    var fields = new List<KeyValuePair<string, string>>();
                    foreach (Match input in InputRegex().Matches(form.Groups["body"].Value))
                    {
                        string attrs = input.Value;
                        string? name = Attribute(attrs, "name");
                        if (name is null)
                        {
                            continue;
                        }

                        string value = Attribute(attrs, "value") ?? string.Empty;
                        value = name switch
                        {
                            "login" => login,
                            "password" => "any",
                            "user_code" when value.Length == 0 => UserCode ?? string.Empty,
                            _ => value,
                        };
                        fields.Add(new(name, value));
                    }

                    bool aborting = Abort && fields.Any(f => f.Key == "confirm");
                    if (aborting)
                    {
                        fields.Add(new("abort", "yes"));
                    }

                    var action = new Uri(current.RequestMessage!.RequestUri!, WebUtility.HtmlDecode(Attribute(form.Value, "action") ?? string.Empty));
                    using var content = new FormUrlEncodedContent(fields);
                    response = await _http.PostAsync(action, content, cancellationToken);
                    if (aborting)
                    {
                        // The provider shows the code entry page again with the error; the user walks away.
                        response.Dispose();
                        return;
                    }
                }
            }

            Assert.Fail("the sign-in did not finish within 20 steps");
        }

        private static string? Attribute(string tag, string name)
        {
            Match m = Regex.Match(tag, $"\\s{name}=\"(?<v>[^\"]*)\"");
            return m.Success ? WebUtility.HtmlDecode(m.Groups["v"].Value) : null;
        }

        [GeneratedRegex("<form[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline)]
        private static partial Regex FormRegex();

        [GeneratedRegex("<input[^>]*>", RegexOptions.Singleline)]
        private static partial Regex InputRegex();
    }
}
