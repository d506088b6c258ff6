namespace SupplyChain.Core.Keys;

/// <summary>The families of public keys Sigstore uses.</summary>
public enum KeyAlgorithm
{
    /// <summary>ECDSA over NIST P-256, P-384 or P-521.</summary>
    Ecdsa,

    /// <summary>RSA with PKCS#1 v1.5 or PSS padding.</summary>
    Rsa,

    /// <summary>Ed25519 (pure EdDSA, RFC 8032).</summary>
    Ed25519,
}
