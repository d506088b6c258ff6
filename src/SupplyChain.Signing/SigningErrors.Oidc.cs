using SupplyChain.Core.Errors;

namespace SupplyChain.Signing;

public static partial class SigningErrors
{
    // Identity tokens (SC21xx)

    /// <summary>SC2101: the identity token is not a well-formed JWT or lacks a required claim.</summary>
    public static readonly ErrorCode TokenMalformed = new("SC2101", ErrorCategory.MalformedInput, "the identity token is not a well-formed JWT or lacks a required claim");

    /// <summary>SC2102: the identity token has expired.</summary>
    public static readonly ErrorCode TokenExpired = new("SC2102", ErrorCategory.VerificationFailed, "the identity token has expired");

    /// <summary>SC2103: the identity token is not valid yet (nbf or iat in the future).</summary>
    public static readonly ErrorCode TokenNotYetValid = new("SC2103", ErrorCategory.VerificationFailed, "the identity token is not valid yet");

    /// <summary>SC2104: the identity token's audience does not contain the requested audience.</summary>
    public static readonly ErrorCode TokenAudienceMismatch = new("SC2104", ErrorCategory.VerificationFailed, "the identity token's audience does not contain the requested audience");

    /// <summary>SC2105: the identity token carries an email that is not verified.</summary>
    public static readonly ErrorCode TokenEmailNotVerified = new("SC2105", ErrorCategory.VerificationFailed, "the identity token carries an email that is not verified");

    /// <summary>SC2106: no identity token source applies (no static token, no ambient CI credential).</summary>
    public static readonly ErrorCode TokenUnavailable = new("SC2106", ErrorCategory.TrustRootOrConfiguration, "no identity token source applies");

    /// <summary>SC2107: the identity token file cannot be read.</summary>
    public static readonly ErrorCode TokenFileUnreadable = new("SC2107", ErrorCategory.TrustRootOrConfiguration, "the identity token file cannot be read");

    /// <summary>SC2108: the CI system's token endpoint or command failed.</summary>
    public static readonly ErrorCode AmbientTokenRequestFailed = new("SC2108", ErrorCategory.ServiceFailure, "the CI system's token endpoint or command failed");

    /// <summary>SC2109: the OpenID provider's discovery document cannot be fetched or lacks a required endpoint.</summary>
    public static readonly ErrorCode OidcDiscoveryFailed = new("SC2109", ErrorCategory.ServiceFailure, "the OpenID provider's discovery document cannot be fetched or lacks a required endpoint");

    /// <summary>SC2110: the authorization response's state does not match the request (possible CSRF).</summary>
    public static readonly ErrorCode OidcStateMismatch = new("SC2110", ErrorCategory.VerificationFailed, "the authorization response's state does not match the request");

    /// <summary>SC2111: the user did not complete the sign-in in time.</summary>
    public static readonly ErrorCode OidcAuthorizationTimedOut = new("SC2111", ErrorCategory.ServiceFailure, "the user did not complete the sign-in in time");

    /// <summary>SC2112: the OpenID provider returned an error to the authorization request.</summary>
    public static readonly ErrorCode OidcAuthorizationFailed = new("SC2112", ErrorCategory.ServiceFailure, "the OpenID provider returned an error to the authorization request");

    /// <summary>SC2113: the token endpoint request failed or returned no id_token.</summary>
    public static readonly ErrorCode OidcTokenRequestFailed = new("SC2113", ErrorCategory.ServiceFailure, "the token endpoint request failed or returned no id_token");

    /// <summary>SC2114: the id_token's nonce does not match the authorization request.</summary>
    public static readonly ErrorCode OidcNonceMismatch = new("SC2114", ErrorCategory.VerificationFailed, "the id_token's nonce does not match the authorization request");

    /// <summary>SC2115: the device code expired before the user approved the sign-in.</summary>
    public static readonly ErrorCode DeviceCodeExpired = new("SC2115", ErrorCategory.ServiceFailure, "the device code expired before the user approved the sign-in");

    /// <summary>SC2116: the user denied the authorization request.</summary>
    public static readonly ErrorCode OidcAccessDenied = new("SC2116", ErrorCategory.VerificationFailed, "the user denied the authorization request");

    /// <summary>SC2117: the OIDC provider options are invalid (issuer not an absolute https or loopback URL, empty client id, non-positive timeouts).</summary>
    public static readonly ErrorCode OidcOptionsInvalid = new("SC2117", ErrorCategory.TrustRootOrConfiguration, "the OIDC provider options are invalid");

    /// <summary>SC2118: the id_token was issued by a different issuer than the one requested.</summary>
    public static readonly ErrorCode OidcIssuerMismatch = new("SC2118", ErrorCategory.VerificationFailed, "the id_token was issued by a different issuer than the one requested");
}
