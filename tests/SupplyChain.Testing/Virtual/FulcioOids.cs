namespace SupplyChain.Testing.Virtual;

/// <summary>Object identifiers of the Fulcio certificate extensions (sigstore/fulcio docs/oid-info.md) and the SCT list.</summary>
public static class FulcioOids
{
    /// <summary>1.3.6.1.4.1.57264.1.1: OIDC issuer (deprecated form, raw string value).</summary>
    public const string IssuerV1 = "1.3.6.1.4.1.57264.1.1";

    /// <summary>1.3.6.1.4.1.57264.1.8: OIDC issuer (DER UTF8String value).</summary>
    public const string IssuerV2 = "1.3.6.1.4.1.57264.1.8";

    /// <summary>1.3.6.1.4.1.57264.1.12: source repository URI.</summary>
    public const string SourceRepositoryUri = "1.3.6.1.4.1.57264.1.12";

    /// <summary>1.3.6.1.4.1.11129.2.4.2: embedded SCT list (RFC 6962 section 3.3).</summary>
    public const string SctList = "1.3.6.1.4.1.11129.2.4.2";

    /// <summary>1.3.6.1.5.5.7.3.3: id-kp-codeSigning.</summary>
    public const string CodeSigning = "1.3.6.1.5.5.7.3.3";
}
