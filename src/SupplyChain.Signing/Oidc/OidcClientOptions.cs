
using Microsoft.Extensions.Logging;
using SupplyChain.Http;

namespace SupplyChain.Signing.Oidc;

/// <summary>Options shared by the interactive flows (<see cref="BrowserTokenProvider"/>, <see cref="DeviceFlowTokenProvider"/>).</summary>
public sealed class OidcClientOptions
{
    /// <summary>The public-good Sigstore issuer.</summary>
    public static readonly Uri SigstoreIssuer = new("https://oauth2.sigstore.dev/auth");

    /// <summary>The OpenID provider (issuer) URL; discovery reads <c>{Issuer}/.well-known/openid-configuration</c>.</summary>
    public Uri Issuer { get; init; } = SigstoreIssuer;

    /// <summary>The client id; Sigstore's public client is <c>sigstore</c>.</summary>
    public string ClientId { get; init; } = "sigstore";

    /// <summary>The client secret, for confidential clients only (sent with <c>client_secret_post</c>).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The scopes requested (OIDC Core 3.1.2.1: <c>openid</c> is required; <c>email</c> makes the email claim available).</summary>
    public string Scope { get; init; } = "openid email";

    /// <summary>The HTTP transport, or <see langword="null"/> for a pooled <see cref="SocketsHttpHandler"/>. The caller disposes it.</summary>
    public HttpMessageHandler? Transport { get; init; }

    /// <summary>Where the flows log their requests (never tokens, codes, query strings or bodies), or <see langword="null"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock for timeouts, polling and token checks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long the user has to complete the sign-in.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The timeout of each HTTP attempt (headers and body) and the retries of the discovery GET: three attempts of 30 s
    /// by default. Token POSTs are not retried (a code is spent once).
    /// </summary>
    public HttpRetryPolicy Retry { get; init; } = HttpRetryPolicy.Default with { MaxAttempts = 3 };

    internal void Validate()
    {
        // OIDC Discovery 3: the issuer is an https URL; http is accepted on loopback only (tests, local providers).
        bool loopbackHttp = Issuer is { IsAbsoluteUri: true } u && u.Scheme == Uri.UriSchemeHttp && u.IsLoopback;
        if (Issuer is null || !Issuer.IsAbsoluteUri || (Issuer.Scheme != Uri.UriSchemeHttps && !loopbackHttp)
            || !string.IsNullOrEmpty(Issuer.Query) || !string.IsNullOrEmpty(Issuer.Fragment))
        {
            throw SigningErrors.OidcOptionsInvalid.ToException("the issuer must be an absolute https URL (or http on loopback) without query or fragment");
        }

        if (string.IsNullOrWhiteSpace(ClientId) || string.IsNullOrWhiteSpace(Scope))
        {
            throw SigningErrors.OidcOptionsInvalid.ToException("the client id and scope must not be empty");
        }

        if (Timeout <= TimeSpan.Zero || Retry is null || !Retry.IsValid || TimeProvider is null)
        {
            throw SigningErrors.OidcOptionsInvalid.ToException("the timeout must be positive, the retry policy valid and the time provider set");
        }
    }
}
