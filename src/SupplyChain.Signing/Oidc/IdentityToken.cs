using System.Buffers.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupplyChain.Core.Errors;

namespace SupplyChain.Signing.Oidc;

/// <summary>
/// An OIDC identity token. <see cref="ToString"/> never returns the token: it must not reach logs or
/// error messages. <see cref="Parse"/> reads the claims; <see cref="EnsureValid"/> checks expiry and audience.
/// </summary>
/// <remarks>
/// The signature is not checked here: Fulcio verifies the token against the issuer's keys
/// (Sigstore client spec, "Authentication"). The client only refuses tokens it can tell are unusable.
/// </remarks>
public sealed class IdentityToken
{
    /// <summary>The clock skew <see cref="EnsureValid"/> allows by default.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>Creates a token record.</summary>
    /// <param name="rawToken">The compact JWS.</param>
    /// <param name="issuer">The <c>iss</c> claim.</param>
    /// <param name="subject">The identity Fulcio will certify (email or <c>sub</c>).</param>
    /// <param name="audiences">The <c>aud</c> values.</param>
    /// <param name="expiresAt">The <c>exp</c> claim.</param>
    public IdentityToken(string rawToken, string issuer, string subject, IReadOnlyList<string> audiences, DateTimeOffset expiresAt)
    {
        RawToken = rawToken ?? throw new ArgumentNullException(nameof(rawToken));
        Issuer = issuer ?? throw new ArgumentNullException(nameof(issuer));
        Subject = subject ?? throw new ArgumentNullException(nameof(subject));
        Audiences = audiences ?? throw new ArgumentNullException(nameof(audiences));
        ExpiresAt = expiresAt;
    }

    /// <summary>The compact JWS, to send to Fulcio only.</summary>
    public string RawToken { get; }

    /// <summary>The <c>iss</c> claim.</summary>
    public string Issuer { get; }

    /// <summary>The identity Fulcio will certify.</summary>
    public string Subject { get; }

    /// <summary>The <c>aud</c> values.</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>The <c>exp</c> claim.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The <c>nbf</c> claim, when present.</summary>
    public DateTimeOffset? NotBefore { get; private init; }

    /// <summary>The <c>sub</c> claim (which may differ from <see cref="Subject"/> when the token carries an email).</summary>
    public string? SubjectClaim { get; private init; }

    /// <summary>The <c>email</c> claim, when present.</summary>
    public string? Email { get; private init; }

    /// <summary>The <c>email_verified</c> claim (<see langword="false"/> when absent).</summary>
    public bool EmailVerified { get; private init; }

    /// <summary>The <c>nonce</c> claim, when present (OIDC Core 2).</summary>
    public string? Nonce { get; private init; }

    /// <summary>
    /// Reads the claims of a compact JWS identity token (RFC 7519): <c>iss</c>, <c>sub</c>, <c>aud</c> (string or
    /// array), <c>exp</c>, <c>nbf</c>, <c>email</c> and <c>email_verified</c>. The identity is the email when the
    /// token carries one, else <c>sub</c>; an unverified email fails (Fulcio certifies verified emails only).
    /// </summary>
    /// <param name="rawToken">The compact JWS (surrounding whitespace is ignored).</param>
    /// <returns>The parsed token.</returns>
    /// <exception cref="MalformedInputException"><c>SC2101</c> when the token is malformed.</exception>
    /// <exception cref="VerificationFailedException"><c>SC2105</c> when the email is not verified.</exception>
    public static IdentityToken Parse(string rawToken)
    {
        ArgumentNullException.ThrowIfNull(rawToken);
        string raw = rawToken.Trim();
        if (raw.Length == 0 || raw.Length > Limits.MaxTokenLength)
        {
            throw SigningErrors.TokenMalformed.ToException("the token is empty or longer than the limit");
        }

        // RFC 7515 7.1: a compact JWS is three base64url parts separated by '.'. A JWE (five parts) is not an id_token Fulcio accepts.
        string[] parts = raw.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            throw SigningErrors.TokenMalformed.ToException("the token is not a compact JWS (header.payload.signature)");
        }

        // RFC 7519 7.2: decode the header and payload (base64url JSON) with IdentityModel's reader. Its exceptions are
        // not passed on as inner exceptions: they may quote parts of the token.
        byte[] payload;
        try
        {
            var jwt = new JsonWebToken(raw);
            payload = Base64Url.DecodeFromChars(jwt.EncodedPayload);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or SecurityTokenMalformedException or JsonException)
        {
            throw SigningErrors.TokenMalformed.ToException("the token header or payload is not base64url JSON");
        }

        try
        {
            TokenClaimsJson claims = JsonSerializer.Deserialize(payload, TokenClaimsJsonContext.Default.TokenClaimsJson)
                ?? throw SigningErrors.TokenMalformed.ToException("the token payload is not a JSON object");
            string issuer = RequiredString(claims.Issuer, "iss");
            string sub = RequiredString(claims.Subject, "sub");
            IReadOnlyList<string> audiences = ReadAudiences(claims.Audience);
            DateTimeOffset expiresAt = ReadNumericDate(claims.ExpiresAt, "exp") ?? throw SigningErrors.TokenMalformed.ToException("the token has no exp claim");
            DateTimeOffset? notBefore = ReadNumericDate(claims.NotBefore, "nbf");
            string? email = OptionalString(claims.Email, "email");
            bool emailVerified = ReadBoolean(claims.EmailVerified);
            string? nonce = OptionalString(claims.Nonce, "nonce");

            // Fulcio (OIDC usage, "email" issuers): the email claim is certified only when email_verified is true.
            if (email is not null && !emailVerified)
            {
                throw SigningErrors.TokenEmailNotVerified.ToException("the email claim is not verified");
            }

            return new IdentityToken(raw, issuer, email ?? sub, audiences, expiresAt)
            {
                NotBefore = notBefore,
                SubjectClaim = sub,
                Email = email,
                EmailVerified = emailVerified,
                Nonce = nonce,
            };
        }
        catch (JsonException)
        {
            // Not JSON, not an object, a duplicate claim, or a claim of the wrong JSON type (a string exp, a numeric
            // email). The exception is not passed on: its message may quote the payload.
            throw SigningErrors.TokenMalformed.ToException("the token payload is not JSON of the expected shape");
        }
    }

    /// <summary>
    /// Checks that the token can be used now: not expired, already valid, and issued for <paramref name="audience"/>.
    /// </summary>
    /// <param name="audience">The audience the token must carry (Sigstore uses <c>sigstore</c>).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="clockSkew">The skew allowed on <c>exp</c> and <c>nbf</c>; <see cref="DefaultClockSkew"/> when null.</param>
    /// <exception cref="VerificationFailedException"><c>SC2102</c>, <c>SC2103</c> or <c>SC2104</c>.</exception>
    public void EnsureValid(string audience, TimeProvider timeProvider, TimeSpan? clockSkew = null)
    {
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeSpan skew = clockSkew ?? DefaultClockSkew;
        DateTimeOffset now = timeProvider.GetUtcNow();

        // RFC 7519 4.1.4: the token MUST NOT be accepted on or after exp (some leeway for clock skew is allowed).
        if (now >= ExpiresAt + skew)
        {
            throw SigningErrors.TokenExpired.ToException($"expired at {ExpiresAt:O}");
        }

        // RFC 7519 4.1.5: the token MUST NOT be accepted before nbf.
        if (NotBefore is { } nbf && now + skew < nbf)
        {
            throw SigningErrors.TokenNotYetValid.ToException($"not valid before {nbf:O}");
        }

        // OIDC Core 3.1.3.7 (3): aud must contain the client id; Fulcio requires the "sigstore" audience.
        if (!Audiences.Contains(audience, StringComparer.Ordinal))
        {
            throw SigningErrors.TokenAudienceMismatch.ToException($"expected audience '{audience}'");
        }
    }

    /// <summary>Parses <paramref name="rawToken"/> and checks it with <see cref="EnsureValid"/>.</summary>
    internal static IdentityToken ParseValid(string rawToken, string audience, TimeProvider timeProvider)
    {
        IdentityToken token = Parse(rawToken);
        token.EnsureValid(audience, timeProvider);
        return token;
    }

    /// <summary>Describes the token without revealing it.</summary>
    public override string ToString() => $"identity token for {Subject} from {Issuer} (expires {ExpiresAt:O})";

    private static string RequiredString(string? value, string name) =>
        OptionalString(value, name) ?? throw SigningErrors.TokenMalformed.ToException($"the token has no {name} claim");

    private static string? OptionalString(string? value, string name) =>
        value is null || value.Length > 0 ? value : throw SigningErrors.TokenMalformed.ToException($"the {name} claim is not a non-empty string");

    private static System.Collections.ObjectModel.ReadOnlyCollection<string> ReadAudiences(JsonElement aud)
    {
        // RFC 7519 4.1.3: aud is a string or an array of strings.
        if (aud.ValueKind == JsonValueKind.Undefined)
        {
            throw SigningErrors.TokenMalformed.ToException("the token has no aud claim");
        }

        if (aud.ValueKind == JsonValueKind.String)
        {
            return new List<string> { aud.GetString()! }.AsReadOnly();
        }

        if (aud.ValueKind == JsonValueKind.Array)
        {
            var list = new List<string>();
            foreach (JsonElement item in aud.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    throw SigningErrors.TokenMalformed.ToException("an aud entry is not a string");
                }

                list.Add(item.GetString()!);
            }

            if (list.Count > 0)
            {
                return list.AsReadOnly();
            }
        }

        throw SigningErrors.TokenMalformed.ToException("the aud claim is not a string or a non-empty array of strings");
    }

    private static DateTimeOffset? ReadNumericDate(double? value, string name)
    {
        if (value is not { } seconds)
        {
            return null;
        }

        // RFC 7519 2: NumericDate is seconds since the epoch, possibly non-integer.
        if (double.IsNaN(seconds) || seconds < 0 || seconds > 253402300799)
        {
            throw SigningErrors.TokenMalformed.ToException($"the {name} claim is not a NumericDate");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(seconds * 1000));
    }

    private static bool ReadBoolean(JsonElement value) =>

        // Some providers (historically AWS Cognito) send "true" as a string; Fulcio accepts both.
        value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.String => string.Equals(value.GetString(), "true", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
}
