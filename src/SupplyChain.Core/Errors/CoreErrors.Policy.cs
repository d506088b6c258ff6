namespace SupplyChain.Core.Errors;

/// <summary>Stable error codes of SupplyChain.Core.</summary>
public static partial class CoreErrors
{
    // Identity policy and verifier options (SC16xx)

    /// <summary>SC1601: the certificate identity (SAN) does not match the policy.</summary>
    public static readonly ErrorCode IdentityMismatch = new("SC1601", ErrorCategory.VerificationFailed, "the certificate identity (SAN) does not match the policy");

    /// <summary>SC1602: the certificate OIDC issuer does not match the policy.</summary>
    public static readonly ErrorCode IssuerMismatch = new("SC1602", ErrorCategory.VerificationFailed, "the certificate OIDC issuer does not match the policy");

    /// <summary>SC1603: a Fulcio certificate extension does not match the policy.</summary>
    public static readonly ErrorCode ExtensionMismatch = new("SC1603", ErrorCategory.VerificationFailed, "a Fulcio certificate extension does not match the policy");

    /// <summary>SC1604: the verification policy names no identity and no key.</summary>
    public static readonly ErrorCode PolicyEmpty = new("SC1604", ErrorCategory.TrustRootOrConfiguration, "the verification policy names no identity and no key");

    /// <summary>SC1605: a policy regular expression is invalid.</summary>
    public static readonly ErrorCode PolicyInvalidRegex = new("SC1605", ErrorCategory.TrustRootOrConfiguration, "a policy regular expression is invalid");

    /// <summary>SC1606: a policy regular expression timed out.</summary>
    public static readonly ErrorCode PolicyRegexTimeout = new("SC1606", ErrorCategory.VerificationFailed, "a policy regular expression timed out");

    /// <summary>SC1607: the bundle is signed with a key but the policy expects a certificate identity, or the reverse.</summary>
    public static readonly ErrorCode KeyMaterialMismatch = new("SC1607", ErrorCategory.VerificationFailed, "the bundle is signed with a key but the policy expects a certificate identity, or the reverse");

    /// <summary>SC1608: the bundle was not signed by the supplied public key.</summary>
    public static readonly ErrorCode PublicKeyMismatch = new("SC1608", ErrorCategory.VerificationFailed, "the bundle was not signed by the supplied public key");

    /// <summary>SC1609: the verifier options are invalid.</summary>
    public static readonly ErrorCode VerifierOptionsInvalid = new("SC1609", ErrorCategory.TrustRootOrConfiguration, "the verifier options are invalid");

    /// <summary>SC1610: an identity or issuer pattern is not one self-contained regular expression: anchored as <c>\A(?:pattern)\z</c> it could escape the anchors (an unbalanced ')', a comment, an inline option other than i, m or s, a conditional, a balancing group, <c>\G</c>).</summary>
    public static readonly ErrorCode PolicyRegexNotSelfContained = new("SC1610", ErrorCategory.TrustRootOrConfiguration, "a policy regular expression is not one self-contained expression that its anchors cover");
}
