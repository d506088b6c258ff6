using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupplyChain.Core.Errors;
using SupplyChain.Http;
using SupplyChain.Instance.Setup;

namespace SupplyChain.Instance.Oidc;

/// <summary>
/// Verifies identity tokens for the CA as Fulcio does (Fulcio "OIDC usage"): a JWS signed by a key of the token's
/// issuer (the local issuer, or a configured external issuer by its JWKS from a file or URL), audience
/// <c>sigstore</c>, within its validity on the injected clock (60 s skew), and an identity Fulcio certifies: a
/// verified email (<c>email_verified</c> true), else a <c>sub</c> that is an absolute URI. Thread-safe.
/// </summary>
internal sealed class TokenVerifier
{
    /// <summary>The audience Fulcio requires.</summary>
    public const string Audience = "sigstore";

    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);
    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.RsaSha256,
        SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512, SecurityAlgorithms.RsaSsaPssSha256,
    ];

    private readonly LocalOidcIssuer _local;
    private readonly Dictionary<string, ExternalJwks> _external;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new();

    public TokenVerifier(LocalOidcIssuer local, IEnumerable<ExternalJwks> external, TimeProvider time)
    {
        _local = local;
        _external = external.ToDictionary(e => e.Issuer, StringComparer.Ordinal);
        _time = time;
    }

    /// <summary>Verifies <paramref name="token"/>; SC8020-SC8025 on failure.</summary>
    public async Task<VerifiedIdentity> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length is 0 or > Limits.MaxTokenChars)
        {
            throw InstanceErrors.TokenInvalid.ToException($"the token is empty or longer than {Limits.MaxTokenChars} characters");
        }

        JsonWebToken unverified;
        try
        {
            unverified = _handler.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            throw InstanceErrors.TokenInvalid.ToException("the token is not a compact JWS", ex);
        }

        string issuer = unverified.Issuer;
        SimulatedCiSystem? ci = SimulatedCiOf(issuer);
        IReadOnlyList<SecurityKey> keys = string.Equals(issuer, _local.Issuer, StringComparison.Ordinal) || ci is not null
            ? [_local.VerificationKey]
            : _external.TryGetValue(issuer, out ExternalJwks? jwks)
                ? await jwks.GetKeysAsync(cancellationToken).ConfigureAwait(false)
                : throw InstanceErrors.TokenIssuerUnknown.ToException($"issuer '{Truncate(issuer)}'");

        DateTime now = _time.GetUtcNow().UtcDateTime;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = Audience,
            IssuerSigningKeys = keys,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } e && now <= e.ToUniversalTime() + Skew && (notBefore is not { } nb || nb.ToUniversalTime() - Skew <= now),
            TryAllIssuerSigningKeys = true,
        };

        TokenValidationResult result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            throw Map(result.Exception);
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (ci is { } system)
        {
            (string san, IReadOnlyList<Ca.CiExtension> extensions) = Ca.CiCertificateTemplate.Map(system, jwt);
            string subject = jwt.TryGetPayloadValue("sub", out string? sub) && sub is not null ? sub : throw InstanceErrors.TokenIdentityUnsupported.ToException("the token has no sub claim");
            return new VerifiedIdentity(issuer, san, false, subject, extensions);
        }

        return Identity(issuer, jwt);
    }

    /// <summary>The simulated CI system whose issuer <paramref name="issuer"/> is, or null.</summary>
    private SimulatedCiSystem? SimulatedCiOf(string issuer)
    {
        foreach (SimulatedCiSystem system in new[] { SimulatedCiSystem.GitHubActions, SimulatedCiSystem.GitLabCi })
        {
            if (string.Equals(issuer, SimulatedCi.IssuerFor(_local.Issuer, system), StringComparison.Ordinal))
            {
                return system;
            }
        }

        return null;
    }

    private static VerifiedIdentity Identity(string issuer, JsonWebToken jwt)
    {
        string? sub = jwt.TryGetPayloadValue("sub", out string? s) ? s : null;
        string? email = jwt.TryGetPayloadValue("email", out string? e) ? e : null;
        bool verified = jwt.TryGetPayloadValue("email_verified", out bool v) && v;
        if (sub is null)
        {
            throw InstanceErrors.TokenIdentityUnsupported.ToException("the token has no sub claim");
        }

        // Fulcio (email issuers): "the email claim ... must be verified".
        if (email is not null)
        {
            return verified && IsPrintableAscii(email) && email.Contains('@', StringComparison.Ordinal)
                ? new VerifiedIdentity(issuer, email, true, sub)
                : throw InstanceErrors.TokenIdentityUnsupported.ToException("the email claim is not verified or not an ASCII address");
        }

        return Uri.TryCreate(sub, UriKind.Absolute, out _) && IsPrintableAscii(sub)
            ? new VerifiedIdentity(issuer, sub, false, sub)
            : throw InstanceErrors.TokenIdentityUnsupported.ToException("without an email, sub must be an absolute ASCII URI");
    }

    private static SupplyChainException Map(Exception? ex) => ex switch
    {
        SecurityTokenInvalidAudienceException => InstanceErrors.TokenAudienceInvalid.ToException("the audience is not sigstore", ex),
        SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException or SecurityTokenNotYetValidException or SecurityTokenNoExpirationException
            => InstanceErrors.TokenExpired.ToException("the token is outside its validity", ex),
        SecurityTokenInvalidIssuerException => InstanceErrors.TokenIssuerUnknown.ToException("the issuer does not match", ex),
        _ => InstanceErrors.TokenInvalid.ToException(ex?.GetType().Name ?? "invalid token", ex),
    };

    private static bool IsPrintableAscii(string text)
    {
        foreach (char c in text)
        {
            if (c is < (char)0x21 or > (char)0x7E)
            {
                return false;
            }
        }

        return true;
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "...";
}

/// <summary>The JWKS of an external issuer: read once from a file, or fetched from a URL and cached for 10 minutes.</summary>
internal sealed class ExternalJwks
{
    private readonly string? _file;
    private readonly Uri? _url;
    private readonly BoundedHttpClient? _http;
    private readonly TimeProvider _time;
    private volatile Tuple<IReadOnlyList<SecurityKey>, DateTimeOffset>? _cachedBox;

    public ExternalJwks(ExternalIssuer issuer, string instanceDirectory, BoundedHttpClient? http, TimeProvider time)
    {
        Issuer = issuer.Issuer;
        _file = issuer.JwksFile is null ? null : Path.GetFullPath(issuer.JwksFile, instanceDirectory);
        _url = issuer.JwksUrl;
        _http = http;
        _time = time;
    }

    public string Issuer { get; }

    public async Task<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        // Concurrent first fetches may both read; the last one wins, which is harmless.
        Tuple<IReadOnlyList<SecurityKey>, DateTimeOffset>? cached = _cachedBox;
        DateTimeOffset now = _time.GetUtcNow();
        if (cached is not null && (_url is null || now - cached.Item2 <= Limits.JwksCacheLifetime))
        {
            return cached.Item1;
        }

        List<SecurityKey> keys = Parse(await ReadAsync(cancellationToken).ConfigureAwait(false));
        _cachedBox = Tuple.Create<IReadOnlyList<SecurityKey>, DateTimeOffset>(keys, now);
        return keys;
    }

    private async Task<byte[]> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_file is not null)
            {
                var info = new FileInfo(_file);
                return info.Exists && info.Length <= Limits.MaxJwksBytes
                    ? await File.ReadAllBytesAsync(_file, cancellationToken).ConfigureAwait(false)
                    : throw InstanceErrors.JwksUnavailable.ToException($"'{_file}' is missing or larger than {Limits.MaxJwksBytes} bytes");
            }

            BoundedHttpClient http = _http ?? throw InstanceErrors.JwksUnavailable.ToException("no HTTP client for a JWKS URL");
            Uri url = _url!;
            HttpAnswer response = await http.SendAsync(
                new HttpCall(() => new HttpRequestMessage(HttpMethod.Get, url), "the JWKS of " + Issuer) { MaxResponseBytes = Limits.MaxJwksBytes, MaxErrorBodyBytes = 0 },
                cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? response.Body : throw InstanceErrors.JwksUnavailable.ToException($"{url}: HTTP {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The file's failures; the layer maps the URL's (unreachable, timed out, too large) to the same code.
            throw InstanceErrors.JwksUnavailable.ToException(ex.Message, ex);
        }
    }

    private static List<SecurityKey> Parse(byte[] json)
    {
        try
        {
            return [.. new JsonWebKeySet(Encoding.UTF8.GetString(json)).GetSigningKeys()];
        }
        catch (Exception ex) when (ex is ArgumentException or System.Text.Json.JsonException)
        {
            throw InstanceErrors.JwksUnavailable.ToException("the JWKS is not a JSON Web Key Set", ex);
        }
    }
}
