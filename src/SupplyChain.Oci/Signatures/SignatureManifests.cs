using System.Globalization;
using System.Text.Json;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Signatures;

/// <summary>Writes the manifests that carry signatures: a cosign 3 bundle referrer, and a legacy cosign <c>.sig</c>/<c>.att</c> manifest.</summary>
internal static class SignatureManifests
{
    /// <summary>The empty JSON object, the content of the OCI empty descriptor.</summary>
    public static readonly byte[] EmptyJson = "{}"u8.ToArray();

    /// <summary>Largest bundle also embedded in the referrer manifest's layer descriptor (<c>data</c>), saving the blob request.</summary>
    public const int MaxEmbeddedBundleBytes = 64 * 1024;

    /// <summary>The OCI empty descriptor: <c>{}</c>, size 2 (image-spec <c>manifest.md</c>, "Guidance for an Empty Descriptor").</summary>
    public static OciDescriptor EmptyDescriptor { get; } = new(OciMediaTypes.Empty, Digests.Sha256(EmptyJson), EmptyJson.Length);

    /// <summary>
    /// A cosign 3 bundle referrer: <c>artifactType</c> the bundle media type, config the empty descriptor, one layer holding
    /// the bundle, <c>subject</c> the signed manifest, and the bundle content / predicate type / created annotations.
    /// The layer descriptor also embeds small bundles in <c>data</c> (the blob is pushed too, so every client finds it).
    /// </summary>
    public static byte[] BundleReferrer(OciDescriptor subject, ReadOnlySpan<byte> bundle, string content, string? predicateType, DateTimeOffset created)
    {
        var layer = new OciDescriptor(SignatureMediaTypes.SigstoreBundle, Digests.Sha256(bundle), bundle.Length);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", OciMediaTypes.ImageManifest);
            w.WriteString("artifactType", SignatureMediaTypes.SigstoreBundle);
            w.WritePropertyName("config");
            WriteDescriptor(w, EmptyDescriptor, EmptyJson);
            w.WriteStartArray("layers");
            WriteDescriptor(w, layer, bundle.Length <= MaxEmbeddedBundleBytes ? bundle : default);
            w.WriteEndArray();
            w.WritePropertyName("subject");
            WriteDescriptor(w, new OciDescriptor(subject.MediaType, subject.Digest, subject.Size), default);
            w.WriteStartObject("annotations");
            w.WriteString(SignatureMediaTypes.BundleContentAnnotation, content);
            if (predicateType is not null)
            {
                w.WriteString(SignatureMediaTypes.BundlePredicateTypeAnnotation, predicateType);
            }

            w.WriteString(SignatureMediaTypes.CreatedAnnotation, created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>A legacy cosign signature manifest over <paramref name="layers"/>, with cosign's config (rootfs diff_ids = the layers).</summary>
    public static (byte[] Manifest, byte[] Config) Legacy(IReadOnlyList<OciDescriptor> layers)
    {
        byte[] config = LegacyConfig(layers);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", OciMediaTypes.ImageManifest);
            w.WritePropertyName("config");
            WriteDescriptor(w, new OciDescriptor(OciMediaTypes.ImageConfig, Digests.Sha256(config), config.Length), default);
            w.WriteStartArray("layers");
            foreach (OciDescriptor layer in layers)
            {
                WriteDescriptor(w, layer, default);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return (stream.ToArray(), config);
    }

    private static byte[] LegacyConfig(IReadOnlyList<OciDescriptor> layers)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("architecture", "");
            w.WriteString("created", "0001-01-01T00:00:00Z");
            w.WriteStartArray("history");
            w.WriteStartObject();
            w.WriteString("created", "0001-01-01T00:00:00Z");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("os", "");
            w.WriteStartObject("rootfs");
            w.WriteString("type", "layers");
            w.WriteStartArray("diff_ids");
            foreach (OciDescriptor layer in layers)
            {
                w.WriteStringValue(layer.Digest);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("config");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteDescriptor(Utf8JsonWriter w, OciDescriptor descriptor, ReadOnlySpan<byte> data)
    {
        w.WriteStartObject();
        w.WriteString("mediaType", descriptor.MediaType);
        w.WriteString("digest", descriptor.Digest);
        w.WriteNumber("size", descriptor.Size);
        if (!data.IsEmpty)
        {
            w.WriteBase64String("data", data);
        }

        if (descriptor.Annotations is { Count: > 0 } annotations)
        {
            w.WriteStartObject("annotations");
            foreach (KeyValuePair<string, string> pair in annotations.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteString(pair.Key, pair.Value);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
