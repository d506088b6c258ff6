using System.Text.Json;

namespace SupplyChain.Oci.Signatures;

/// <summary>
/// The payload of a legacy cosign image signature (containers/image "simple signing", cosign <c>pkg/cosign/payload</c>):
/// <c>{"critical":{"identity":{"docker-reference":R},"image":{"docker-manifest-digest":D},"type":"cosign container image signature"},"optional":null}</c>.
/// </summary>
public static class SimpleSigningPayload
{
    /// <summary>The <c>critical.type</c> of a cosign container image signature.</summary>
    public const string SignatureType = "cosign container image signature";

    /// <summary>Builds the payload for the image <paramref name="dockerReference"/> (registry/repository, no tag or digest) at <paramref name="manifestDigest"/>.</summary>
    /// <param name="dockerReference">The repository, as <c>registry/repository</c>.</param>
    /// <param name="manifestDigest">The signed manifest digest.</param>
    /// <returns>The payload's UTF-8 JSON.</returns>
    public static byte[] Create(string dockerReference, string manifestDigest)
    {
        ArgumentNullException.ThrowIfNull(dockerReference);
        ArgumentNullException.ThrowIfNull(manifestDigest);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartObject("critical");
            w.WriteStartObject("identity");
            w.WriteString("docker-reference", dockerReference);
            w.WriteEndObject();
            w.WriteStartObject("image");
            w.WriteString("docker-manifest-digest", manifestDigest);
            w.WriteEndObject();
            w.WriteString("type", SignatureType);
            w.WriteEndObject();
            w.WriteNull("optional");
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Reads the signed manifest digest; SC4405 when the payload is not a cosign container image signature.</summary>
    internal static string ReadDigest(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > Limits.MaxSimpleSigningBytes)
        {
            throw OciErrors.SimpleSigningPayloadMalformed.ToException($"{payload.Length} bytes");
        }

        // RFC 8259 section 8.1: JSON is UTF-8; System.Text.Json checks a string's bytes only when it is read.
        if (!System.Text.Unicode.Utf8.IsValid(payload))
        {
            throw OciErrors.SimpleSigningPayloadMalformed.ToException("the payload is not UTF-8");
        }

        try
        {
            // One JSON value and nothing after it: the deserializer refuses trailing data.
            SimpleSigningJson? document = JsonSerializer.Deserialize(payload, SignatureJsonContext.Default.SimpleSigningJson);
            if (document?.Critical is not { Type: { } type, Image.DockerManifestDigest: { } digest })
            {
                throw OciErrors.SimpleSigningPayloadMalformed.ToException("critical.type and critical.image.docker-manifest-digest are required");
            }

            // containers/image signature/simple.go: the type must be exactly the atomic/cosign signature type.
            if (type != SignatureType)
            {
                throw OciErrors.SimpleSigningPayloadMalformed.ToException($"critical.type is not '{SignatureType}'");
            }

            return digest;
        }
        catch (JsonException ex)
        {
            throw OciErrors.SimpleSigningPayloadMalformed.ToException(ex.Message, ex);
        }
    }
}
