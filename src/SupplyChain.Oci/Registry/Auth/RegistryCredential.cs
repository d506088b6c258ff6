namespace SupplyChain.Oci.Registry.Auth;

/// <summary>
/// Credentials for one registry: a username and password (Basic, or exchanged for a bearer token), or an identity
/// token (an OAuth2 refresh token, Docker's <c>identitytoken</c>). <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class RegistryCredential
{
    private RegistryCredential(string? username, string? password, string? identityToken)
    {
        Username = username;
        Password = password;
        IdentityToken = identityToken;
    }

    /// <summary>The username, or <c>null</c> for an identity token.</summary>
    public string? Username { get; }

    /// <summary>The password, or <c>null</c> for an identity token.</summary>
    public string? Password { get; }

    /// <summary>The identity (refresh) token, or <c>null</c>.</summary>
    public string? IdentityToken { get; }

    /// <summary>A username and password.</summary>
    /// <param name="username">The username.</param>
    /// <param name="password">The password.</param>
    /// <returns>The credential.</returns>
    public static RegistryCredential FromPassword(string username, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        return new RegistryCredential(username, password, null);
    }

    /// <summary>An identity token (OAuth2 refresh token) to exchange at the token endpoint.</summary>
    /// <param name="identityToken">The token.</param>
    /// <returns>The credential.</returns>
    public static RegistryCredential FromIdentityToken(string identityToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(identityToken);
        return new RegistryCredential(null, null, identityToken);
    }

    /// <summary>The Basic authorization parameter (<c>base64(user:password)</c>), or <c>null</c> for an identity token.</summary>
    internal string? BasicParameter => Username is null ? null : Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Username + ":" + Password));

    /// <inheritdoc/>
    public override string ToString() => Username is null ? "identity token" : $"user {Username}";
}
