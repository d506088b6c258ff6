namespace SupplyChain.Signing.Oidc;

/// <summary>A source of OIDC identity tokens (static, ambient CI, interactive).</summary>
public interface IIdentityTokenProvider
{
    /// <summary>A short name for messages (<c>static</c>, <c>github-actions</c>, <c>browser</c>, ...).</summary>
    string Name { get; }

    /// <summary>Obtains a token for <paramref name="audience"/> (Sigstore uses <c>sigstore</c>).</summary>
    /// <param name="audience">The audience the token must carry.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    ValueTask<IdentityToken> GetTokenAsync(string audience, CancellationToken cancellationToken = default);
}
