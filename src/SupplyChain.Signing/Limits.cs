namespace SupplyChain.Signing;

/// <summary>
/// Limits on what SupplyChain.Signing reads from the network, files, processes and the environment, in one place
/// (DESIGN.md convention 5). Retry bounds are the HTTP layer's (SupplyChain.Http).
/// </summary>
internal static class Limits
{
    // Sigstore services

    /// <summary>Largest Fulcio response (a certificate chain as PEM).</summary>
    public const int MaxFulcioResponseBytes = 1024 * 1024;

    /// <summary>Largest Rekor response (one entry with its inclusion proof and body).</summary>
    public const int MaxRekorResponseBytes = 4 * 1024 * 1024;

    /// <summary>Largest TSA response (a TimeStampResp with its certificates).</summary>
    public const int MaxTimestampResponseBytes = 256 * 1024;

    /// <summary>Largest DSSE payload the signer accepts (it is held in memory and sent to Rekor v1).</summary>
    public const int MaxDssePayloadBytes = 32 * 1024 * 1024;

    /// <summary>Most characters of a service's error answer kept in an exception's RemoteDetail (never in its message).</summary>
    public const int MaxRemoteDetailChars = 512;

    /// <summary>Deepest JSON nesting read from a service or OIDC answer.</summary>
    public const int MaxJsonDepth = 32;

    // OIDC

    /// <summary>The longest identity token accepted (real ones are 1-4 KiB).</summary>
    public const int MaxTokenLength = 64 * 1024;

    /// <summary>The largest JSON response (discovery document, token response) read from an OIDC endpoint.</summary>
    public const int MaxOidcResponseBytes = 256 * 1024;

    /// <summary>The largest request the loopback redirect listener reads.</summary>
    public const int MaxCallbackQueryLength = 16 * 1024;

    // Key files

    /// <summary>The largest key file read (a 4096-bit RSA key in cosign's format is about 5 KiB).</summary>
    public const int MaxKeyFileBytes = 64 * 1024;

    /// <summary>
    /// The largest scrypt cost parameter N accepted (RFC 7914 section 2: N is a power of two greater than 1).
    /// 2^20 is go-securesystemslib's "overkill" profile; cosign writes 2^15 and newer files 2^16.
    /// </summary>
    public const int MaxScryptN = 1 << 20;

    /// <summary>The largest scrypt block size r accepted (cosign uses 8).</summary>
    public const int MaxScryptR = 32;

    /// <summary>The largest scrypt parallelisation p accepted (cosign uses 1).</summary>
    public const int MaxScryptP = 16;

    /// <summary>
    /// The most memory scrypt may use: RFC 7914 section 5, scryptROMix keeps N blocks of 128*r bytes.
    /// 1 GiB admits N = 2^20 with r = 8 and nothing larger.
    /// </summary>
    public const long MaxScryptMemoryBytes = 1L << 30;

    /// <summary>The most work scrypt may do, as N*r*p (time grows linearly with it).</summary>
    public const long MaxScryptWork = 1L << 24;

    /// <summary>
    /// The most PBKDF2 (or PBES1/PKCS#12 PBE) iterations an encrypted PKCS#8 key may ask for. OpenSSL writes 2048,
    /// .NET and current guidance (OWASP: 600,000 for PBKDF2-HMAC-SHA256) stay below it.
    /// </summary>
    public const int MaxPbeIterations = 1_000_000;

    /// <summary>The longest salt accepted (cosign writes 32 bytes).</summary>
    public const int MaxSaltBytes = 64;

    /// <summary>Most subjects in one attestation statement (files, checksum lines).</summary>
    public const int MaxStatementSubjects = 4096;

    /// <summary>Largest checksums file read (a sha256sum listing).</summary>
    public const int MaxChecksumsFileBytes = 4 * 1024 * 1024;

    /// <summary>Longest CI environment value copied into a provenance predicate.</summary>
    public const int MaxProvenanceValueChars = 2048;
}
