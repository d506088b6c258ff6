using System.Security.Cryptography;
using System.Text.Json;
using SupplyChain.Core.Errors;
using SupplyChain.Signing.Errors;

namespace SupplyChain.Signing.Oidc;

/// <summary>The endpoints of an OpenID provider (OIDC Discovery 3).</summary>
internal sealed record OidcEndpoints(Uri AuthorizationEndpoint, Uri TokenEndpoint, Uri? DeviceAuthorizationEndpoint);

/// <summary>Discovery, token requests and id_token checks shared by the interactive flows.</summary>
internal sealed class OidcClient : IDisposable
{
    private readonly HttpClient _http;

    public OidcClient(OidcClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _http = options.HttpHandler is { } handler ? new HttpClient(handler, disposeHandler: false) : new HttpClient();
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
    }

    public OidcClientOptions Options { get; }

    public void Dispose() => _http.Dispose();

    /// <summary>Cryptographically random base64url text (RFC 7636 4.1: 32 octets give a 43-character verifier).</summary>
    public static string RandomToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>RFC 7636 4.2: code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier))).</summary>
    public static string S256Challenge(string verifier) =>
        System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));

    public async Task<OidcEndpoints> DiscoverAsync(CancellationToken cancellationToken)
    {
        // OIDC Discovery 4: GET the issuer with "/.well-known/openid-configuration" appended (after any path).
        string issuer = Options.Issuer.AbsoluteUri.TrimEnd('/');
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(issuer + "/.well-known/openid-configuration"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout);
        using HttpResponseMessage response = await OidcHttp.SendAsync(_http, request, SigningErrors.OidcDiscoveryFailed, "the discovery request", timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw SigningErrors.OidcDiscoveryFailed.ToException($"the discovery request returned HTTP {(int)response.StatusCode}");
        }

        using JsonDocument doc = await OidcHttp.ReadJsonAsync(response, SigningErrors.OidcDiscoveryFailed, timeout.Token).ConfigureAwait(false);
        JsonElement config = doc.RootElement;

        // OIDC Discovery 4.3: the issuer value returned MUST be identical to the issuer URL that was used to retrieve it.
        string? returnedIssuer = OidcHttp.GetString(config, "issuer");
        if (returnedIssuer is null || !string.Equals(returnedIssuer.TrimEnd('/'), issuer, StringComparison.Ordinal))
        {
            throw SigningErrors.OidcDiscoveryFailed.ToException($"the discovery document names issuer '{returnedIssuer}', not '{issuer}'");
        }

        return new OidcEndpoints(
            RequiredEndpoint(config, "authorization_endpoint"),
            RequiredEndpoint(config, "token_endpoint"),
            OidcHttp.GetString(config, "device_authorization_endpoint") is not null ? RequiredEndpoint(config, "device_authorization_endpoint") : null);
    }

    /// <summary>POSTs a form to an endpoint (RFC 6749 3.2) and returns the JSON body and status.</summary>
    public async Task<(int Status, JsonDocument Body)> PostFormAsync(Uri endpoint, IEnumerable<KeyValuePair<string, string>> form, ErrorCode error, string what, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>>(form) { new("client_id", Options.ClientId) };
        if (Options.ClientSecret is { } secret)
        {
            fields.Add(new("client_secret", secret));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(fields) };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout);
        using HttpResponseMessage response = await OidcHttp.SendAsync(_http, request, error, what, timeout.Token).ConfigureAwait(false);
        JsonDocument body = await OidcHttp.ReadJsonAsync(response, error, timeout.Token).ConfigureAwait(false);
        return ((int)response.StatusCode, body);
    }

    /// <summary>
    /// Reads the id_token of a successful token response and checks it (OIDC Core 3.1.3.7): the issuer is the one
    /// discovered, the audience contains <paramref name="audience"/>, it has not expired, and the nonce matches.
    /// </summary>
    public IdentityToken ReadIdToken(JsonElement tokenResponse, string audience, string? expectedNonce)
    {
        string raw = OidcHttp.GetString(tokenResponse, "id_token")
            ?? throw SigningErrors.OidcTokenRequestFailed.ToException("the token response carries no id_token");
        IdentityToken token = IdentityToken.Parse(raw);

        // OIDC Core 3.1.3.7 (2): the iss claim MUST exactly match the issuer identifier.
        if (!string.Equals(token.Issuer.TrimEnd('/'), Options.Issuer.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal))
        {
            throw SigningErrors.OidcIssuerMismatch.ToException($"the id_token issuer is '{token.Issuer}'");
        }

        // OIDC Core 3.1.3.7 (11): if a nonce was sent, the claim MUST be present and equal to it.
        if (expectedNonce is not null && !string.Equals(token.Nonce, expectedNonce, StringComparison.Ordinal))
        {
            throw SigningErrors.OidcNonceMismatch.ToException();
        }

        token.EnsureValid(audience, Options.TimeProvider);
        return token;
    }

    /// <summary>Maps an OAuth error response (RFC 6749 5.2) to a code.</summary>
    public static SupplyChainException TokenError(int status, JsonElement body, string what)
    {
        string? error = OidcHttp.GetString(body, "error");
        return error switch
        {
            "access_denied" => SigningErrors.OidcAccessDenied.ToException($"{what}: access_denied"),
            "expired_token" => SigningErrors.DeviceCodeExpired.ToException($"{what}: expired_token"),
            _ => SigningErrors.OidcTokenRequestFailed.ToException($"{what} returned HTTP {status}{(error is null ? string.Empty : $" ({Sanitize(error)})")}"),
        };
    }

    /// <summary>Keeps an error code from a server to a short printable word, so messages cannot carry arbitrary text.</summary>
    public static string Sanitize(string value)
    {
        string s = new(value.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.').Take(64).ToArray());
        return s.Length == 0 ? "?" : s;
    }

    private static Uri RequiredEndpoint(JsonElement config, string name)
    {
        // OIDC Discovery 3: endpoints are https URLs (http is accepted on loopback for local providers).
        if (OidcHttp.GetString(config, name) is { } value && Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
            && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            return uri;
        }

        throw SigningErrors.OidcDiscoveryFailed.ToException($"the discovery document has no usable {name}");
    }
}
