namespace SupplyChain.Signing.Oidc;

/// <summary>
/// The identity token sources a signing program tries, in the order cosign and sigstore-python use: an explicit token
/// (<see cref="IdentityTokenChainOptions.Token"/>), a token file, the <c>SIGSTORE_ID_TOKEN</c> environment variable,
/// ambient CI credentials (<see cref="AmbientTokenProvider"/>: GitHub Actions, GitLab CI, Buildkite, CircleCI, GCP),
/// then an interactive flow the program supplies. The first source that applies is chosen without any network call
/// and kept; its failures are its own (a bad explicit token is an error, never a reason to try the next source).
/// None applies: SC2106. Every token is parsed and checked (<see cref="IdentityToken.ParseValid"/>) and never logged.
/// </summary>
public sealed class IdentityTokenChain : IIdentityTokenProvider, IDisposable
{
    private readonly IdentityTokenChainOptions _options;
    private IIdentityTokenProvider? _selected;

    /// <summary>Creates the chain; nothing is read before the first <see cref="Select"/> or <see cref="GetTokenAsync"/>.</summary>
    /// <param name="options">The sources.</param>
    public IdentityTokenChain(IdentityTokenChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The chosen source's name (<c>static</c>, <c>file</c>, <c>env</c>, <c>ambient</c>, <c>browser</c>, ...), or <c>chain</c> before one is chosen.</summary>
    public string Name => _selected?.Name ?? "chain";

    /// <summary>Chooses the first source that applies (once; later calls return the same one).</summary>
    /// <returns>The source.</returns>
    /// <exception cref="Core.Errors.SupplyChainException">SC2106 when no source applies.</exception>
    public IIdentityTokenProvider Select() => _selected ??= Choose();

    /// <inheritdoc />
    public ValueTask<IdentityToken> GetTokenAsync(string audience, CancellationToken cancellationToken = default) =>
        Select().GetTokenAsync(audience, cancellationToken);

    /// <summary>Disposes the chosen source when it holds resources (the ambient and interactive ones).</summary>
    public void Dispose() => (_selected as IDisposable)?.Dispose();

    private IIdentityTokenProvider Choose()
    {
        if (_options.Token is { } token)
        {
            return StaticTokenProvider.FromValue(token, _options.TimeProvider);
        }

        if (_options.TokenFile is { } file)
        {
            return StaticTokenProvider.FromFile(file, _options.TimeProvider);
        }

        if (StaticTokenProvider.FromEnvironment(_options.Environment, _options.TimeProvider) is { } fromEnvironment)
        {
            return fromEnvironment;
        }

        var ambient = new AmbientTokenProvider(_options.Ambient ?? new AmbientTokenProviderOptions { Environment = _options.Environment, TimeProvider = _options.TimeProvider });
        if (ambient.Detect() is not null)
        {
            return ambient;
        }

        ambient.Dispose();
        return _options.Interactive?.Invoke() ?? throw SigningErrors.TokenUnavailable.ToException(_options.UnavailableMessage);
    }
}
