using System.Buffers;
using System.Text.Json;

namespace SupplyChain.Oci.Lineage;

/// <summary>Writes <see cref="LineageTree"/> as JSON; levels are written by <see cref="WriteLevelFields"/>, which the policy verdict reuses.</summary>
internal static class LineageJsonWriter
{
    public static byte[] Write(LineageTree tree)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("mediaType", LineageTree.MediaType);
            writer.WriteString("image", tree.Image.ToString());
            writer.WriteString("end", tree.End.ToString());
            WriteError(writer, tree.Error?.Code, tree.ErrorDetail);
            writer.WriteStartArray("levels");
            foreach (LineageLevel level in tree.Levels)
            {
                writer.WriteStartObject();
                WriteLevelFields(writer, level);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteLevelFields(Utf8JsonWriter writer, LineageLevel level)
    {
        writer.WriteNumber("depth", level.Depth);
        writer.WriteString("name", level.Name);
        writer.WriteString("digest", level.Digest);
        if (level.IndexDigest is not null)
        {
            writer.WriteString("indexDigest", level.IndexDigest);
        }

        writer.WriteString("platform", level.Platform.Os + "/" + level.Platform.Architecture + (level.Platform.Variant is null ? "" : "/" + level.Platform.Variant));
        writer.WriteNumber("layersTotal", level.LayersTotal);
        writer.WriteNumber("layersAdded", level.LayersAdded);
        if (level.Claim is { } claim)
        {
            writer.WriteStartObject("baseClaim");
            writer.WriteString("name", claim.Name);
            if (claim.Digest is not null)
            {
                writer.WriteString("digest", claim.Digest);
            }

            writer.WriteString("source", claim.Source.ToString());
            writer.WriteStartArray("sources");
            foreach (ClaimSource source in Enum.GetValues<ClaimSource>().Where(s => claim.Sources.HasFlag(BaseImageClaim.FlagOf(s))))
            {
                writer.WriteStringValue(source.ToString());
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (level.Provenance is { } provenance)
        {
            writer.WriteStartObject("provenance");
            writer.WriteNumber("statements", provenance.Statements);
            writer.WriteStartArray("candidates");
            foreach (BaseCandidate candidate in provenance.Candidates)
            {
                writer.WriteStartObject();
                writer.WriteString("uri", candidate.Uri);
                if (candidate.Reference is not null)
                {
                    writer.WriteString("reference", candidate.Reference);
                }

                writer.WriteString("outcome", candidate.Outcome.ToString());
                writer.WriteNumber("provedLayers", candidate.ProvedLayers);
                if (candidate.Detail is not null)
                {
                    writer.WriteString("detail", candidate.Detail);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    public static void WriteError(Utf8JsonWriter writer, string? code, string? detail)
    {
        if (code is not null)
        {
            writer.WriteString("error", code);
            writer.WriteString("errorDetail", detail);
        }
    }
}
