namespace SupplyChain.Instance;

/// <summary>How <see cref="LocalInstance"/> creates or opens an instance.</summary>
public sealed class LocalInstanceOptions
{
    /// <summary>The clock (certificate and token validity, timestamps); the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The port <c>instance serve</c> listens on, written to the config and the signing config at initialisation.</summary>
    public int? Port { get; init; }

    /// <summary>
    /// The HTTP transport for the JWKS URLs of external issuers, or <see langword="null"/> for a pooled
    /// <see cref="SocketsHttpHandler"/>. Fetched through SupplyChain.Http: 256 KiB at most, 30 s per attempt, retried.
    /// The caller disposes it.
    /// </summary>
    public HttpMessageHandler? Transport { get; init; }

    /// <summary>Where the instance logs its JWKS requests, or <see langword="null"/>.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; init; }
}
