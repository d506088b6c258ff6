namespace SupplyChain.Instance;

/// <summary>How <see cref="LocalInstance"/> creates or opens an instance.</summary>
public sealed class LocalInstanceOptions
{
    /// <summary>The clock (certificate and token validity, timestamps); the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The port <c>instance serve</c> listens on, written to the config and the signing config at initialisation.</summary>
    public int? Port { get; init; }

    /// <summary>The HTTP client for the JWKS URLs of external issuers (a default client when <see langword="null"/>).</summary>
    public HttpClient? JwksHttpClient { get; init; }
}
