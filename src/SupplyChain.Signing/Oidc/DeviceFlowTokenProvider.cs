
namespace SupplyChain.Signing.Oidc;

/// <summary>What the user must do to approve a device sign-in (RFC 8628 3.3).</summary>
/// <param name="UserCode">The code the user types at <paramref name="VerificationUri"/>.</param>
/// <param name="VerificationUri">Where the user signs in.</param>
/// <param name="VerificationUriComplete">The verification URI with the code embedded (for a QR code or link), when the provider gives one.</param>
/// <param name="ExpiresAt">When the code expires.</param>
public sealed record DeviceAuthorizationPrompt(string UserCode, Uri VerificationUri, Uri? VerificationUriComplete, DateTimeOffset ExpiresAt);

/// <summary>
/// The OAuth 2.0 device authorization grant (RFC 8628) for terminals without a browser: the provider issues a user
/// code, the prompt callback shows it, and the token endpoint is polled until the user approves.
/// </summary>
public sealed class DeviceFlowTokenProvider : IIdentityTokenProvider, IDisposable
{
    // RFC 8628 3.5: "urn:ietf:params:oauth:grant-type:device_code".
    private const string DeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code";

    private readonly OidcClient _client;
    private readonly Func<DeviceAuthorizationPrompt, CancellationToken, ValueTask> _prompt;

    /// <summary>Creates the provider.</summary>
    /// <param name="options">The issuer, client and transport.</param>
    /// <param name="prompt">Shows the user code and verification URI to the user (the library never writes to the console).</param>
    /// <exception cref="Core.Errors.TrustRootException"><c>SC2117</c> when the options are invalid.</exception>
    public DeviceFlowTokenProvider(OidcClientOptions options, Func<DeviceAuthorizationPrompt, CancellationToken, ValueTask> prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        _client = new OidcClient(options);
        _prompt = prompt;
    }

    /// <inheritdoc />
    public string Name => "device";

    /// <inheritdoc />
    public async ValueTask<IdentityToken> GetTokenAsync(string audience, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        TimeProvider time = _client.Options.TimeProvider;
        OidcEndpoints endpoints = await _client.DiscoverAsync(cancellationToken).ConfigureAwait(false);
        Uri deviceEndpoint = endpoints.DeviceAuthorizationEndpoint
            ?? throw SigningErrors.OidcDiscoveryFailed.ToException("the provider has no device_authorization_endpoint");

        // RFC 8628 3.1: POST client_id and scope to the device authorization endpoint.
        (int status, DeviceAuthorizationJson auth) = await _client.PostFormAsync(
            deviceEndpoint, [new("scope", _client.Options.Scope)], OidcJsonContext.Default.DeviceAuthorizationJson, SigningErrors.OidcAuthorizationFailed, "the device authorization request", cancellationToken).ConfigureAwait(false);
        if (status != 200)
        {
            throw SigningErrors.OidcAuthorizationFailed.ToException($"the device authorization request returned HTTP {status}{(auth.Error is null ? string.Empty : $" ({OidcClient.Sanitize(auth.Error)})")}");
        }

        // RFC 8628 3.2: device_code, user_code, verification_uri and expires_in are REQUIRED; interval defaults to 5 s.
        string deviceCode = auth.DeviceCode ?? throw SigningErrors.OidcAuthorizationFailed.ToException("the response has no device_code");
        string userCode = auth.UserCode ?? throw SigningErrors.OidcAuthorizationFailed.ToException("the response has no user_code");
        Uri verificationUri = ReadUri(auth.VerificationUri) ?? throw SigningErrors.OidcAuthorizationFailed.ToException("the response has no absolute verification_uri");
        long expiresIn = auth.ExpiresIn is > 0 and var e ? e : throw SigningErrors.OidcAuthorizationFailed.ToException("the response has no positive expires_in");
        TimeSpan interval = TimeSpan.FromSeconds(auth.Interval is > 0 and var i ? Math.Min(i, 60) : 5);
        DateTimeOffset expiresAt = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(expiresIn, _client.Options.Timeout.TotalSeconds));
        await _prompt(new DeviceAuthorizationPrompt(userCode, verificationUri, ReadUri(auth.VerificationUriComplete), expiresAt), cancellationToken).ConfigureAwait(false);

        while (true)
        {
            // RFC 8628 3.5: the client waits at least `interval` seconds between polls.
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            if (time.GetUtcNow() >= expiresAt)
            {
                throw SigningErrors.DeviceCodeExpired.ToException("the user did not approve the sign-in before the code expired");
            }

            (int tokenStatus, TokenResponseJson token) = await _client.PostFormAsync(
                endpoints.TokenEndpoint,
                [new("grant_type", DeviceCodeGrantType), new("device_code", deviceCode)],
                OidcJsonContext.Default.TokenResponseJson,
                SigningErrors.OidcTokenRequestFailed,
                "the device token request",
                cancellationToken).ConfigureAwait(false);
            if (tokenStatus == 200)
            {
                return _client.ReadIdToken(token, audience, expectedNonce: null);
            }

            switch (token.Error)
            {
                case "authorization_pending":
                    // RFC 8628 3.5: the user has not yet completed the interaction; keep polling.
                    continue;
                case "slow_down":
                    // RFC 8628 3.5: still pending, and the interval MUST be increased by 5 seconds for this and all later requests.
                    interval += TimeSpan.FromSeconds(5);
                    continue;
                default:
                    throw OidcClient.TokenError(tokenStatus, token.Error, "the device token request");
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private static Uri? ReadUri(string? value) =>
        value is not null && Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) ? uri : null;
}
