using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Errors;

namespace SupplyChain.Signing.Oidc;

/// <summary>The endpoints of an OpenID provider (OIDC Discovery 3).</summary>
internal sealed record OidcEndpoints(Uri AuthorizationEndpoint, Uri TokenEndpoint, Uri? DeviceAuthorizationEndpoint);

/// <summary>Discovery, token requests and id_token checks shared by the interactive flows.</summary>
internal sealed class OidcClient : IDisposable
{
    private readonly OidcHttp _http;

    public OidcClient(OidcClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _http = new OidcHttp(options.Transport, options.Retry, options.TimeProvider, options.LoggerFactory?.CreateLogger<OidcClient>());
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
        var url = new Uri(issuer + "/.well-known/openid-configuration");
        (int status, DiscoveryJson config) = await _http.SendJsonAsync(
            () => new HttpRequestMessage(HttpMethod.Get, url), OidcJsonContext.Default.DiscoveryJson, SigningErrors.OidcDiscoveryFailed, "the discovery request", cancellationToken).ConfigureAwait(false);
        if (status != 200)
        {
            throw SigningErrors.OidcDiscoveryFailed.ToException($"the discovery request returned HTTP {status}");
        }

        // OIDC Discovery 4.3: the issuer value returned MUST be identical to the issuer URL that was used to retrieve it.
        if (config.Issuer is null || !string.Equals(config.Issuer.TrimEnd('/'), issuer, StringComparison.Ordinal))
        {
            throw SigningErrors.OidcDiscoveryFailed.ToException($"the discovery document names issuer '{config.Issuer}', not '{issuer}'");
        }

        return new OidcEndpoints(
            RequiredEndpoint(config.AuthorizationEndpoint, "authorization_endpoint"),
            RequiredEndpoint(config.TokenEndpoint, "token_endpoint"),
            config.DeviceAuthorizationEndpoint is not null ? RequiredEndpoint(config.DeviceAuthorizationEndpoint, "device_authorization_endpoint") : null);
    }

    /// <summary>POSTs a form to an endpoint (RFC 6749 3.2) and returns the status and the JSON body as <typeparamref name="T"/>.</summary>
    public Task<(int Status, T Body)> PostFormAsync<T>(Uri endpoint, IEnumerable<KeyValuePair<string, string>> form, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, ErrorCode error, string what, CancellationToken cancellationToken)
        where T : class
    {
        var fields = new List<KeyValuePair<string, string>>(form) { new("client_id", Options.ClientId) };
        if (Options.ClientSecret is { } secret)
        {
            fields.Add(new("client_secret", secret));
        }

        return _http.SendJsonAsync(() => new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(fields) }, type, error, what, cancellationToken);
    }

    /// <summary>
    /// Reads the id_token of a successful token response and checks it (OIDC Core 3.1.3.7): the issuer is the one
    /// discovered, the audience contains <paramref name="audience"/>, it has not expired, and the nonce matches.
    /// </summary>
    public IdentityToken ReadIdToken(TokenResponseJson tokenResponse, string audience, string? expectedNonce)
    {
        string raw = tokenResponse.IdToken
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
    public static SupplyChainException TokenError(int status, string? error, string what)
    {
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

    private static Uri RequiredEndpoint(string? value, string name)
    {
        // OIDC Discovery 3: endpoints are https URLs (http is accepted on loopback for local providers).
        if (value is not null && Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
            && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            return uri;
        }

        throw SigningErrors.OidcDiscoveryFailed.ToException($"the discovery document has no usable {name}");
    }
}
