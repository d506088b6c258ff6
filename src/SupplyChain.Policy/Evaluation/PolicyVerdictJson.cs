using System.Buffers;
using System.Text.Json;
using SupplyChain.Policy.Evidence;

namespace SupplyChain.Policy.Evaluation;

/// <summary>Writes a <see cref="PolicyVerdict"/> as JSON: the verdict, the lineage end, and per level the lineage fields plus rule, decision, signers and error.</summary>
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
            writer.WriteString("lineageEnd", verdict.Lineage.End.ToString());
            writer.WriteStartArray("levels");
            foreach (PolicyLevelVerdict level in verdict.Levels)
            {
                writer.WriteStartObject();
                level.Level.WriteJsonProperties(writer);
                writer.WriteString("rule", level.RuleName);
                writer.WriteString("decision", level.Decision.ToString());
                WriteError(writer, level.Error?.Code, level.ErrorDetail);
                WriteSigners(writer, "signers", level.Signers);
                WriteSigners(writer, "attestations", level.Attestations);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
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
