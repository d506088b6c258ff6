namespace SupplyChain.Signing.Oidc;

/// <summary>
/// Options of <see cref="IdentityTokenChain"/>: the sources it may use, in its fixed order (an explicit token, a token
/// file, <c>SIGSTORE_ID_TOKEN</c>, ambient CI credentials, then an interactive flow).
/// </summary>
public sealed class IdentityTokenChainOptions
{
    /// <summary>An explicit token (a compact JWS), such as a flag's value; used first when set.</summary>
    public string? Token { get; init; }

    /// <summary>A file holding the token, read on each request (CI systems may refresh it); used when <see cref="Token"/> is not set.</summary>
    public string? TokenFile { get; init; }

    /// <summary>The environment <c>SIGSTORE_ID_TOKEN</c> and the CI systems are detected in (the process environment by default).</summary>
    public IEnvironmentVariables Environment { get; init; } = ProcessEnvironmentVariables.Instance;

    /// <summary>
    /// The ambient CI provider's options, or <see langword="null"/> for the defaults over <see cref="Environment"/> and
    /// <see cref="TimeProvider"/>.
    /// </summary>
    public AmbientTokenProviderOptions? Ambient { get; init; }

    /// <summary>
    /// Creates the interactive provider (a <see cref="BrowserTokenProvider"/> or <see cref="DeviceFlowTokenProvider"/>)
    /// when no other source applies; returns <see langword="null"/> when none can run (no terminal). Not called otherwise.
    /// <see langword="null"/> for no interactive source.
    /// </summary>
    public Func<IIdentityTokenProvider?>? Interactive { get; init; }

    /// <summary>The message of SC2106 when no source applies (a program names its own flags here).</summary>
    public string UnavailableMessage { get; init; } = "no identity token: give one, set SIGSTORE_ID_TOKEN, run in CI with OIDC credentials, or sign interactively";

    /// <summary>The clock for the tokens' expiry checks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
