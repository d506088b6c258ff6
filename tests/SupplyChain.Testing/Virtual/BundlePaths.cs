namespace SupplyChain.Testing.Virtual;

/// <summary>JSON paths (for <see cref="MutableBundle"/>) of the fields a tamper suite flips; entry 0 of <c>tlogEntries</c>.</summary>
public static class BundlePaths
{
    /// <summary>The media type.</summary>
    public const string MediaType = "mediaType";

    /// <summary>v0.3 leaf certificate (base64 DER).</summary>
    public const string Certificate = "verificationMaterial.certificate.rawBytes";

    /// <summary>v0.1/v0.2 leaf certificate (base64 DER).</summary>
    public const string ChainLeaf = "verificationMaterial.x509CertificateChain.certificates[0].rawBytes";

    /// <summary>Key-signed bundles' key hint.</summary>
    public const string PublicKeyHint = "verificationMaterial.publicKey.hint";

    /// <summary>The first log entry.</summary>
    public const string Entry = "verificationMaterial.tlogEntries[0]";

    /// <summary>Log index (decimal string).</summary>
    public const string LogIndex = Entry + ".logIndex";

    /// <summary>Log ID (base64).</summary>
    public const string LogId = Entry + ".logId.keyId";

    /// <summary>Entry kind.</summary>
    public const string Kind = Entry + ".kindVersion.kind";

    /// <summary>Entry kind version.</summary>
    public const string KindVersion = Entry + ".kindVersion.version";

    /// <summary>Rekor v1 integrated time (decimal string, seconds).</summary>
    public const string IntegratedTime = Entry + ".integratedTime";

    /// <summary>Rekor v1 signed entry timestamp (base64).</summary>
    public const string SignedEntryTimestamp = Entry + ".inclusionPromise.signedEntryTimestamp";

    /// <summary>The inclusion proof object.</summary>
    public const string InclusionProof = Entry + ".inclusionProof";

    /// <summary>The proof's log index.</summary>
    public const string ProofLogIndex = InclusionProof + ".logIndex";

    /// <summary>The proof's root hash (base64).</summary>
    public const string RootHash = InclusionProof + ".rootHash";

    /// <summary>The proof's tree size.</summary>
    public const string TreeSize = InclusionProof + ".treeSize";

    /// <summary>The proof's first audit-path hash (base64).</summary>
    public const string FirstProofHash = InclusionProof + ".hashes[0]";

    /// <summary>The checkpoint signed note (text).</summary>
    public const string Checkpoint = InclusionProof + ".checkpoint.envelope";

    /// <summary>The canonicalized body (base64 JSON).</summary>
    public const string CanonicalizedBody = Entry + ".canonicalizedBody";

    /// <summary>The first RFC 3161 token (base64 DER).</summary>
    public const string Rfc3161Timestamp = "verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp";

    /// <summary>Message signature bytes (base64).</summary>
    public const string MessageSignature = "messageSignature.signature";

    /// <summary>Message digest (base64).</summary>
    public const string MessageDigest = "messageSignature.messageDigest.digest";

    /// <summary>DSSE payload (base64).</summary>
    public const string DssePayload = "dsseEnvelope.payload";

    /// <summary>DSSE payload type.</summary>
    public const string DssePayloadType = "dsseEnvelope.payloadType";

    /// <summary>DSSE signature (base64).</summary>
    public const string DsseSignature = "dsseEnvelope.signatures[0].sig";
}
