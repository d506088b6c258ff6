namespace SupplyChain.Signing;

/// <summary>Limits on what SupplyChain.Signing reads from the network (DESIGN.md convention 5).</summary>
internal static class Limits
{
    /// <summary>Largest Fulcio response (a certificate chain as PEM).</summary>
    public const int MaxFulcioResponseBytes = 1024 * 1024;

    /// <summary>Largest Rekor response (one entry with its inclusion proof and body).</summary>
    public const int MaxRekorResponseBytes = 4 * 1024 * 1024;

    /// <summary>Largest TSA response (a TimeStampResp with its certificates).</summary>
    public const int MaxTimestampResponseBytes = 256 * 1024;

    /// <summary>Largest DSSE payload the signer accepts (it is held in memory and sent to Rekor v1).</summary>
    public const int MaxDssePayloadBytes = 32 * 1024 * 1024;

    /// <summary>Most attempts for one request, whatever the retry policy says.</summary>
    public const int MaxAttempts = 10;

    /// <summary>Longest wait between attempts, whatever Retry-After says.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(60);

    /// <summary>Most subjects in one attestation statement (files, checksum lines).</summary>
    public const int MaxStatementSubjects = 4096;

    /// <summary>Largest checksums file read (a sha256sum listing).</summary>
    public const int MaxChecksumsFileBytes = 4 * 1024 * 1024;

    /// <summary>Longest CI environment value copied into a provenance predicate.</summary>
    public const int MaxProvenanceValueChars = 2048;
}
