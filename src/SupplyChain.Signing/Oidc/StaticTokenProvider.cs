
namespace SupplyChain.Signing.Oidc;

/// <summary>
/// A token supplied up front: a flag value (<c>--identity-token</c>), a file, or the <c>SIGSTORE_ID_TOKEN</c>
/// environment variable. The token is parsed and checked (expiry, audience) on every request.
/// </summary>
public sealed class StaticTokenProvider : IIdentityTokenProvider
{
    /// <summary>The environment variable cosign and sigstore-python read a token from.</summary>
    public const string EnvironmentVariable = "SIGSTORE_ID_TOKEN";

    private readonly Func<string> _read;
    private readonly TimeProvider _timeProvider;

    private StaticTokenProvider(string name, Func<string> read, TimeProvider? timeProvider)
    {
        Name = name;
        _read = read;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>A provider returning <paramref name="rawToken"/>.</summary>
    /// <param name="rawToken">The compact JWS.</param>
    /// <param name="timeProvider">The clock for the expiry check; the system clock when null.</param>
    public static StaticTokenProvider FromValue(string rawToken, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(rawToken);
        return new StaticTokenProvider("static", () => rawToken, timeProvider);
    }

    /// <summary>A provider reading the token from <paramref name="path"/> on each request (CI systems may refresh it).</summary>
    /// <param name="path">The file holding the compact JWS.</param>
    /// <param name="timeProvider">The clock for the expiry check; the system clock when null.</param>
    public static StaticTokenProvider FromFile(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new StaticTokenProvider("file", () => ReadFile(path), timeProvider);
    }

    /// <summary>
    /// A provider reading <c>SIGSTORE_ID_TOKEN</c>, or <see langword="null"/> when the variable is unset or empty.
    /// </summary>
    /// <param name="environment">The environment; the process environment when null.</param>
    /// <param name="timeProvider">The clock for the expiry check; the system clock when null.</param>
    public static StaticTokenProvider? FromEnvironment(IEnvironmentVariables? environment = null, TimeProvider? timeProvider = null)
    {
        string? value = (environment ?? ProcessEnvironmentVariables.Instance).GetVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(value) ? null : new StaticTokenProvider("env", () => value, timeProvider);
    }

    /// <inheritdoc />
    public ValueTask<IdentityToken> GetTokenAsync(string audience, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audience);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(IdentityToken.ParseValid(_read(), audience, _timeProvider));
    }

    private static string ReadFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > Limits.MaxTokenLength)
            {
                throw SigningErrors.TokenMalformed.ToException("the token file is longer than the limit");
            }

            string text = File.ReadAllText(path);
            return string.IsNullOrWhiteSpace(text) ? throw SigningErrors.TokenFileUnreadable.ToException("the token file is empty") : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SigningErrors.TokenFileUnreadable.ToException($"cannot read {path}: {e.GetType().Name}", e);
        }
    }
}
