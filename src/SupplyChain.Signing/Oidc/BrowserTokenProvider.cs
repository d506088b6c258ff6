using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SupplyChain.Signing.Oidc;

/// <summary>
/// The interactive browser sign-in for people at a terminal: the OIDC authorization code flow (OIDC Core 3.1) with
/// PKCE S256 (RFC 7636), <c>state</c> and <c>nonce</c>, and a loopback redirect <c>http://127.0.0.1:{port}/auth/callback</c>
/// on a free port (RFC 8252 7.3). Opening the browser is injected; tests follow the authorization URL themselves.
/// </summary>
public sealed class BrowserTokenProvider : IIdentityTokenProvider, IDisposable
{
    private const string CallbackPath = "/auth/callback";

    private readonly OidcClient _client;
    private readonly Func<Uri, CancellationToken, ValueTask> _openBrowser;

    /// <summary>Creates the provider.</summary>
    /// <param name="options">The issuer, client and transport.</param>
    /// <param name="openBrowser">Sends the user to the authorization URL (for example <see cref="OpenSystemBrowser"/>).</param>
    /// <exception cref="Core.Errors.TrustRootException"><c>SC2117</c> when the options are invalid.</exception>
    public BrowserTokenProvider(OidcClientOptions options, Func<Uri, CancellationToken, ValueTask> openBrowser)
    {
        ArgumentNullException.ThrowIfNull(openBrowser);
        _client = new OidcClient(options);
        _openBrowser = openBrowser;
    }

    /// <inheritdoc />
    public string Name => "browser";

    /// <summary>Opens <paramref name="url"/> in the system browser (the shell's URL handler).</summary>
    /// <param name="url">The authorization URL.</param>
    /// <param name="cancellationToken">Unused; the browser starts asynchronously.</param>
    public static ValueTask OpenSystemBrowser(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        using Process? process = Process.Start(new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask<IdentityToken> GetTokenAsync(string audience, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        OidcEndpoints endpoints = await _client.DiscoverAsync(cancellationToken).ConfigureAwait(false);

        // RFC 7636 4.1-4.2: a fresh high-entropy verifier per request, sent as its S256 challenge.
        string verifier = OidcClient.RandomToken();
        // RFC 6749 10.12 (state, against CSRF) and OIDC Core 3.1.2.1 (nonce, against replay): unguessable per request.
        string state = OidcClient.RandomToken();
        string nonce = OidcClient.RandomToken();

        using HttpListener listener = StartLoopbackListener(out Uri redirectUri);
        var query = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = _client.Options.ClientId,
            ["redirect_uri"] = redirectUri.AbsoluteUri,
            ["scope"] = _client.Options.Scope,
            ["code_challenge"] = OidcClient.S256Challenge(verifier),
            ["code_challenge_method"] = "S256",
            ["state"] = state,
            ["nonce"] = nonce,
        };
        string separator = string.IsNullOrEmpty(endpoints.AuthorizationEndpoint.Query) ? "?" : "&";
        var authorizationUrl = new Uri(endpoints.AuthorizationEndpoint.AbsoluteUri + separator
            + string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));

        string code;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            Task<string> callback = ReceiveCodeAsync(listener, state);
            Task timeout = Task.Delay(_client.Options.Timeout, _client.Options.TimeProvider, wait.Token);
            try
            {
                await _openBrowser(authorizationUrl, cancellationToken).ConfigureAwait(false);
                Task first = await Task.WhenAny(callback, timeout).ConfigureAwait(false);
                if (first != callback)
                {
                    await timeout.ConfigureAwait(false); // throws when cancelled
                    throw SigningErrors.OidcAuthorizationTimedOut.ToException($"no redirect within {_client.Options.Timeout.TotalSeconds:0} s");
                }

                code = await callback.ConfigureAwait(false);
            }
            finally
            {
                await wait.CancelAsync().ConfigureAwait(false);
                listener.Abort();
                _ = callback.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }

        // RFC 6749 4.1.3 + RFC 7636 4.5: exchange the code with the same redirect_uri and the code_verifier.
        (int status, TokenResponseJson body) = await _client.PostFormAsync(
            endpoints.TokenEndpoint,
            [new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", redirectUri.AbsoluteUri), new("code_verifier", verifier)],
            OidcJsonContext.Default.TokenResponseJson,
            SigningErrors.OidcTokenRequestFailed,
            "the token request",
            cancellationToken).ConfigureAwait(false);
        return status == 200
            ? _client.ReadIdToken(body, audience, nonce)
            : throw OidcClient.TokenError(status, body.Error, "the token request");
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    internal static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            string value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            result.TryAdd(key, value);
        }

        return result;
    }

    private static HttpListener StartLoopbackListener(out Uri redirectUri)
    {
        // RFC 8252 7.3: listen on the loopback IP literal (not "localhost") on any free port.
        for (int attempt = 0; ; attempt++)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
            }

            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                redirectUri = new Uri($"http://127.0.0.1:{port}{CallbackPath}");
                return listener;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                ((IDisposable)listener).Dispose();
            }
        }
    }

    private static async Task<string> ReceiveCodeAsync(HttpListener listener, string expectedState)
    {
        while (true)
        {
            HttpListenerContext context = await listener.GetContextAsync().ConfigureAwait(false);
            string rawQuery = context.Request.Url?.Query ?? string.Empty;
            if (context.Request.Url?.AbsolutePath != CallbackPath || rawQuery.Length > Limits.MaxCallbackQueryLength)
            {
                await RespondAsync(context, 404, "Not found.").ConfigureAwait(false);
                continue;
            }

            Dictionary<string, string> query = ParseQuery(rawQuery);

            // RFC 6749 4.1.2: state MUST equal the value sent; check it before anything else in the response.
            if (!query.TryGetValue("state", out string? state) || !string.Equals(state, expectedState, StringComparison.Ordinal))
            {
                await RespondAsync(context, 400, "Sign-in failed: the response does not belong to this request.").ConfigureAwait(false);
                throw SigningErrors.OidcStateMismatch.ToException();
            }

            // RFC 6749 4.1.2.1: an error response carries "error".
            if (query.TryGetValue("error", out string? error))
            {
                await RespondAsync(context, 400, "Sign-in failed. You may close this window.").ConfigureAwait(false);
                throw error == "access_denied"
                    ? SigningErrors.OidcAccessDenied.ToException("the authorization request was denied")
                    : SigningErrors.OidcAuthorizationFailed.ToException($"the provider returned {OidcClient.Sanitize(error)}");
            }

            if (!query.TryGetValue("code", out string? code) || code.Length == 0)
            {
                await RespondAsync(context, 400, "Sign-in failed. You may close this window.").ConfigureAwait(false);
                throw SigningErrors.OidcAuthorizationFailed.ToException("the redirect carries no code");
            }

            await RespondAsync(context, 200, "Signed in. You may close this window and return to the terminal.").ConfigureAwait(false);
            return code;
        }
    }

    private static async Task RespondAsync(HttpListenerContext context, int status, string text)
    {
        byte[] body = Encoding.UTF8.GetBytes($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Sigstore</title></head><body><p>{WebUtility.HtmlEncode(text)}</p></body></html>");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        context.Response.Close();
    }
}
