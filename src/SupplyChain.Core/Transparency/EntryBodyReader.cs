using System.Security.Cryptography;
using System.Text.Json;
using SupplyChain.Core.Serialization;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Transparency;

/// <summary>
/// Reads fields of a log entry body (untrusted JSON); every missing, mistyped or undecodable field
/// is SC1205 (<see cref="CoreErrors.TlogBodyMalformed"/>), every verifier that differs is SC1204.
/// </summary>
internal static class EntryBodyReader
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public static JsonElement Object(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"'{name}' is missing or not an object");
        }

        return value;
    }

    public static JsonElement Array(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Array)
        {
            throw Malformed($"'{name}' is missing or not an array");
        }

        return value;
    }

    public static string String(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            throw Malformed($"'{name}' is missing or not a string");
        }

        return value.GetString()!;
    }

    /// <summary>A standard, padded base64 field (Go's encoding/json and protojson both write bytes so).</summary>
    public static byte[] Base64(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            throw Malformed($"'{name}' is missing or not a string");
        }

        // Decodes straight from the UTF-8 JSON, without an intermediate string.
        if (!value.TryGetBytesFromBase64(out byte[]? bytes))
        {
            throw Malformed($"'{name}' is not base64");
        }

        return bytes;
    }

    /// <summary>
    /// Rekor's double encoding: the field is the base64 of the envelope's base64 text of the bytes.
    /// Rekor's schema only makes the outer layer base64, so an inner layer that is not base64 text is
    /// a well-formed body that records other bytes: <see langword="null"/>, for the caller to reject
    /// as a mismatch (as sigstore-go, which compares an empty signature then).
    /// </summary>
    public static byte[]? DoubleBase64(JsonElement parent, string name)
    {
        byte[] inner = Base64(parent, name);
        if (inner.AsSpan().ContainsAnyExceptInRange((byte)0x21, (byte)0x7E) || !StrictBase64.TryDecode(System.Text.Encoding.ASCII.GetString(inner), out byte[]? bytes))
        {
            return null;
        }

        return bytes;
    }

    public static byte[] Hex(JsonElement parent, string name)
    {
        string text = String(parent, name);
        if (text.Length == 0 || text.Length % 2 != 0 || text.AsSpan().ContainsAnyExcept(HexDigits))
        {
            throw Malformed($"'{name}' is not hexadecimal");
        }

        return Convert.FromHexString(text);
    }

    /// <summary>Rekor v1 hash algorithm names (<c>sha256</c>, <c>sha384</c>, <c>sha512</c>).</summary>
    public static HashAlgorithmName RekorV1HashAlgorithm(string name) => name switch
    {
        "sha256" => HashAlgorithmName.SHA256,
        "sha384" => HashAlgorithmName.SHA384,
        "sha512" => HashAlgorithmName.SHA512,
        _ => throw Malformed($"unsupported hash algorithm '{Truncate(name)}'"),
    };

    /// <summary>protobuf-specs HashAlgorithm names (<c>SHA2_256</c>, <c>SHA2_384</c>, <c>SHA2_512</c>).</summary>
    public static HashAlgorithmName ProtobufHashAlgorithm(string name) => name switch
    {
        "SHA2_256" => HashAlgorithmName.SHA256,
        "SHA2_384" => HashAlgorithmName.SHA384,
        "SHA2_512" => HashAlgorithmName.SHA512,
        _ => throw Malformed($"unsupported hash algorithm '{Truncate(name)}'"),
    };

    /// <summary>
    /// A Rekor v1 verifier: base64 of a PEM <c>CERTIFICATE</c> or <c>PUBLIC KEY</c> block. Returns the
    /// DER and whether it is a certificate.
    /// </summary>
    public static (byte[] Der, bool IsCertificate) PemVerifier(JsonElement parent, string name)
    {
        byte[] pem = Base64(parent, name);
        if (!PemEncoding.TryFindUtf8(pem, out PemFields fields) || !IsWhiteSpace(pem.AsSpan(0, fields.Location.Start.Value)) || !IsWhiteSpace(pem.AsSpan(fields.Location.End.Value)))
        {
            throw Malformed($"'{name}' is not exactly one PEM block");
        }

        ReadOnlySpan<byte> label = pem.AsSpan()[fields.Label];
        bool isCertificate = label.SequenceEqual("CERTIFICATE"u8);
        if (!isCertificate && !label.SequenceEqual("PUBLIC KEY"u8))
        {
            throw Malformed($"'{name}' is neither a certificate nor a public key");
        }

        // RFC 7468 section 2: the base64 text may be wrapped; Base64.DecodeFromUtf8 skips the line breaks.
        byte[] der = new byte[fields.DecodedDataLength];
        if (System.Buffers.Text.Base64.DecodeFromUtf8(pem.AsSpan()[fields.Base64Data], der, out _, out int written) != System.Buffers.OperationStatus.Done)
        {
            throw Malformed($"'{name}' has invalid PEM base64");
        }

        return (written == der.Length ? der : der.AsSpan(0, written).ToArray(), isCertificate);
    }

    private static bool IsWhiteSpace(ReadOnlySpan<byte> text) => !text.ContainsAnyExcept(" \t\r\n"u8);

    /// <summary>
    /// A Rekor v2 verifier (rekor-tiles <c>Verifier</c>): exactly one of <c>publicKey.rawBytes</c>
    /// (DER SubjectPublicKeyInfo) and <c>x509Certificate.rawBytes</c> (DER certificate).
    /// </summary>
    public static (byte[] Der, bool IsCertificate) RawVerifier(JsonElement verifier)
    {
        bool hasKey = verifier.TryGetProperty("publicKey", out _);
        bool hasCertificate = verifier.TryGetProperty("x509Certificate", out _);
        if (hasKey == hasCertificate)
        {
            throw Malformed("the verifier must hold exactly one of a public key and a certificate");
        }

        return hasCertificate
            ? (Base64(Object(verifier, "x509Certificate"), "rawBytes"), true)
            : (Base64(Object(verifier, "publicKey"), "rawBytes"), false);
    }

    public static SupplyChainException Malformed(string detail) => CoreErrors.TlogBodyMalformed.ToException(detail);

    public static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
