using SupplyChain.Core.Keys;

namespace SupplyChain.Core.Trust;

/// <summary>A transparency log (Rekor) or certificate-transparency log the trusted root lists.</summary>
public sealed class TransparencyLogInstance
{
    internal TransparencyLogInstance(
        string baseUrl,
        string hashAlgorithm,
        PublicKeyVerifier publicKey,
        string keyDetails,
        TimeRange validFor,
        ReadOnlyMemory<byte> logId,
        ReadOnlyMemory<byte>? checkpointKeyId,
        string? @operator)
    {
        BaseUrl = baseUrl;
        HashAlgorithm = hashAlgorithm;
        PublicKey = publicKey;
        KeyDetails = keyDetails;
        ValidFor = validFor;
        LogId = logId;
        CheckpointKeyId = checkpointKeyId;
        Operator = @operator;
    }

    /// <summary>The log's base URL, such as <c>https://rekor.sigstore.dev</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>The Merkle tree hash algorithm (<c>SHA2_256</c>).</summary>
    public string HashAlgorithm { get; }

    /// <summary>The log's signing key, imported once.</summary>
    public PublicKeyVerifier PublicKey { get; }

    /// <summary>The key's algorithm as the trusted root names it, such as <c>PKIX_ED25519</c>.</summary>
    public string KeyDetails { get; }

    /// <summary>When the key was valid (closed interval).</summary>
    public TimeRange ValidFor { get; }

    /// <summary>The log ID: SHA-256 of the DER public key (RFC 6962 section 3.2).</summary>
    public ReadOnlyMemory<byte> LogId { get; }

    /// <summary>The checkpoint key ID, when the trusted root gives one (Rekor v2).</summary>
    public ReadOnlyMemory<byte>? CheckpointKeyId { get; }

    /// <summary>Who operates the log, when given.</summary>
    public string? Operator { get; }

    /// <summary>
    /// The checkpoint origin this log signs with: the base URL without scheme
    /// (Rekor v2 "log2025-1.rekor.sigstore.dev"), or for Rekor v1 a prefix of its
    /// origin line ("rekor.sigstore.dev - TREEID").
    /// </summary>
    public string OriginHostname
    {
        get
        {
            string url = BaseUrl;
            int scheme = url.IndexOf("://", StringComparison.Ordinal);
            string rest = scheme >= 0 ? url[(scheme + 3)..] : url;
            return rest.TrimEnd('/');
        }
    }
}
