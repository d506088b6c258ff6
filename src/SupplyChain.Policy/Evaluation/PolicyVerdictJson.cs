using System.Buffers;
using System.Text.Json;
using SupplyChain.Policy.Evidence;

namespace SupplyChain.Policy.Evaluation;

/// <summary>
/// Writes a <see cref="PolicyVerdict"/> as JSON: the verdict; <c>lineageEnd</c> and <c>levels</c> of the deciding
/// platform (the first denied, else the first); every evaluated platform with its own end and levels; the skipped
/// index entries.
/// </summary>
internal static class PolicyVerdictJson
{
    public static byte[] Write(PolicyVerdict verdict)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("mediaType", PolicyVerdict.MediaType);
            writer.WriteString("image", verdict.Image.ToString());
            writer.WriteBoolean("allowed", verdict.Allowed);
            WriteError(writer, verdict.Error?.Code, verdict.ErrorDetail);
            writer.WriteString("rule", verdict.RuleName);
            if (verdict.Decision is { } decision)
            {
                writer.WriteString("decision", decision.ToString());
            }

            if (verdict.Digest is not null)
            {
                writer.WriteString("digest", verdict.Digest);
            }

            writer.WriteString("lineageEnd", verdict.Lineage?.End.ToString());
            WriteLevels(writer, verdict.Levels);
            writer.WriteStartArray("platforms");
            foreach (PlatformVerdict platform in verdict.Platforms)
            {
                writer.WriteStartObject();
                writer.WriteString("platform", platform.PlatformText);
                writer.WriteString("digest", platform.Digest);
                writer.WriteBoolean("allowed", platform.Allowed);
                WriteError(writer, platform.Error?.Code, platform.ErrorDetail);
                writer.WriteString("lineageEnd", platform.Lineage.End.ToString());
                WriteLevels(writer, platform.Levels);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("skipped");
            foreach (SkippedPlatform skipped in verdict.Skipped)
            {
                writer.WriteStartObject();
                writer.WriteString("digest", skipped.Digest);
                writer.WriteString("platform", skipped.Platform);
                writer.WriteString("reason", skipped.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteLevels(Utf8JsonWriter writer, IReadOnlyList<PolicyLevelVerdict> levels)
    {
        writer.WriteStartArray("levels");
        foreach (PolicyLevelVerdict level in levels)
        {
            writer.WriteStartObject();
            level.Level.WriteJsonProperties(writer);
            writer.WriteString("rule", level.RuleName);
            writer.WriteString("decision", level.Decision.ToString());
            WriteError(writer, level.Error?.Code, level.ErrorDetail);
            WriteSigners(writer, "signers", level.Signers);
            WriteSigners(writer, "attestations", level.Attestations);
            writer.WriteStartArray("rejected");
            foreach (Oci.Signatures.RejectedSignature rejected in level.Rejected)
            {
                writer.WriteStartObject();
                writer.WriteString("location", rejected.Location);
                writer.WriteString("code", rejected.Code);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteSigners(Utf8JsonWriter writer, string name, IEnumerable<VerifiedSigner> signers)
    {
        writer.WriteStartArray(name);
        foreach (VerifiedSigner signer in signers)
        {
            writer.WriteStartObject();
            if (signer is VerifiedAttestation attestation)
            {
                writer.WriteString("predicateType", attestation.PredicateType);
            }

            writer.WriteString("authority", signer.AuthorityName);
            writer.WriteString("identity", signer.Identity);
            writer.WriteString("signedDigest", signer.SignedDigest);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteError(Utf8JsonWriter writer, string? code, string? detail)
    {
        if (code is not null)
        {
            writer.WriteString("error", code);
            writer.WriteString("errorDetail", detail);
        }
    }
}
