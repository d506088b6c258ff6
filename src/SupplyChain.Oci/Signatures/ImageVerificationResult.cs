using SupplyChain.Core.Verification;

namespace SupplyChain.Oci.Signatures;

/// <summary>A signature that was examined and rejected, with the code of its first failed check.</summary>
/// <param name="Location">Where it is (referrer digest, or legacy tag and layer).</param>
/// <param name="Code">The error code (<c>SCnnnn</c>).</param>
/// <param name="Reason">The error message.</param>
public sealed record RejectedSignature(string Location, string Code, string Reason);

/// <summary>What <see cref="ImageVerifier"/> verified: the image digest, the signature that matched and its signer.</summary>
public sealed class ImageVerificationResult
{
    /// <summary>The media type of <see cref="ToJson"/>'s document.</summary>
    public const string MediaType = "application/vnd.supplychain.image-verification.v1+json";

    internal ImageVerificationResult(string imageDigest, string matchedDigest, AttachedArtifact signature, SignerInfo signer, string? predicateType, VerificationResult? core, bool identityChecked, IReadOnlyList<RejectedSignature> rejected)
    {
        IdentityChecked = identityChecked;
        ImageDigest = imageDigest;
        MatchedDigest = matchedDigest;
        Signature = signature;
        Signer = signer;
        PredicateType = predicateType;
        Details = core;
        Rejected = rejected;
    }

    /// <summary>The digest verified: the given or resolved one, or the platform manifest's when a platform was asked for.</summary>
    public string ImageDigest { get; }

    /// <summary>The digest the matching signature is bound to: <see cref="ImageDigest"/>, or the index containing it.</summary>
    public string MatchedDigest { get; }

    /// <summary>The signature that verified.</summary>
    public AttachedArtifact Signature { get; }

    /// <summary>The signer: certificate identity and issuer (keyless) and the key's SHA-256.</summary>
    public SignerInfo Signer { get; }

    /// <summary>The verified statement's predicate type (legacy <c>.sig</c> signatures: <c>null</c>).</summary>
    public string? PredicateType { get; }

    /// <summary>Core's full result (log entries, verified times); <c>null</c> when the key alone was checked (<see cref="ImageVerificationRequest.IgnoreTransparencyLogUnsafe"/>).</summary>
    public VerificationResult? Details { get; }

    /// <summary>Whether the signer was held to the policy's identity or key (false only for <see cref="VerificationPolicy.WithoutIdentityUnsafe"/>).</summary>
    public bool IdentityChecked { get; }

    /// <summary><c>true</c> when the signature was checked without a transparency log.</summary>
    public bool TransparencyLogIgnored => Details is null;

    /// <summary>Signatures examined before the match and rejected.</summary>
    public IReadOnlyList<RejectedSignature> Rejected { get; }

    /// <summary>The result as JSON (<see cref="MediaType"/>); identities, digests and times only, never keys or certificates.</summary>
    /// <returns>The UTF-8 JSON document (as every <c>ToJson</c> of the toolkit returns).</returns>
    public byte[] ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("mediaType", MediaType);
            w.WriteString("imageDigest", ImageDigest);
            w.WriteString("matchedDigest", MatchedDigest);
            w.WriteStartObject("signature");
            w.WriteString("format", Signature.Format == AttachmentFormat.Referrer ? "referrer" : "legacy-tag");
            w.WriteString("location", Signature.Location);
            w.WriteString("mediaType", Signature.MediaType);
            w.WriteEndObject();
            if (PredicateType is not null)
            {
                w.WriteString("predicateType", PredicateType);
            }

            w.WriteStartObject("signer");
            w.WriteString("identity", Signer.SubjectAlternativeName);
            w.WriteString("issuer", Signer.Issuer);
            w.WriteString("publicKeySha256", Signer.PublicKeySha256);
            w.WriteEndObject();
            w.WriteBoolean("transparencyLogChecked", !TransparencyLogIgnored);
            w.WriteBoolean("identityChecked", IdentityChecked);
            w.WriteStartArray("logEntries");
            foreach (VerifiedLogEntry entry in Details?.LogEntries ?? [])
            {
                w.WriteStartObject();
                w.WriteString("logUrl", entry.LogUrl);
                w.WriteNumber("logIndex", entry.LogIndex);
                w.WriteString("kind", entry.Kind + "/" + entry.KindVersion);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("verifiedTimes");
            foreach (VerifiedTime time in Details?.VerifiedTimes ?? [])
            {
                w.WriteStartObject();
                w.WriteString("kind", time.Kind);
                w.WriteString("authority", time.Authority);
                w.WriteString("time", time.Time);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("rejected");
            foreach (RejectedSignature r in Rejected)
            {
                w.WriteStartObject();
                w.WriteString("location", r.Location);
                w.WriteString("code", r.Code);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }
}
