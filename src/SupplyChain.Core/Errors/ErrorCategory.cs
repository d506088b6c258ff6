namespace SupplyChain.Core.Errors;

/// <summary>What the caller must do about a failure.</summary>
public enum ErrorCategory
{
    /// <summary>The artifact, bundle or identity did not verify: deny.</summary>
    VerificationFailed,

    /// <summary>The input is malformed (bad JSON, bad base64, truncated DER, unsupported version): a user error.</summary>
    MalformedInput,

    /// <summary>A remote service failed or misbehaved: retrying may help.</summary>
    ServiceFailure,

    /// <summary>The trust root or the verifier configuration is unusable: an operator must act.</summary>
    TrustRootOrConfiguration,
}
