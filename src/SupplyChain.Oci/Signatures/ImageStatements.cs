using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Signatures;

/// <summary>
/// In-toto Statement v1 about an image (subject: the repository name and the manifest's SHA-256), as cosign 3 signs
/// images (predicate type <see cref="SignatureMediaTypes.CosignSignPredicateType"/>, empty predicate) and attestations,
/// and cosign's predicate type short names (<c>pkg/cosign/attestation</c>).
/// </summary>
public static class ImageStatements
{
    private static readonly Dictionary<string, string> ShortTypes = new(StringComparer.Ordinal)
    {
        ["slsaprovenance"] = "https://slsa.dev/provenance/v0.2",
        ["slsaprovenance02"] = "https://slsa.dev/provenance/v0.2",
        ["slsaprovenance1"] = "https://slsa.dev/provenance/v1",
        ["link"] = "https://in-toto.io/Link/v1",
        ["spdx"] = "https://spdx.dev/Document",
        ["spdxjson"] = "https://spdx.dev/Document",
        ["cyclonedx"] = "https://cyclonedx.org/bom",
        ["vuln"] = "https://cosign.sigstore.dev/attestation/vuln/v1",
        ["openvex"] = "https://openvex.dev/ns",
        ["custom"] = "https://cosign.sigstore.dev/attestation/v1",
    };

    /// <summary>Maps a short name (<c>slsaprovenance1</c>, <c>cyclonedx</c>, ...) to its URI; any other value must be an absolute URI (SC4409).</summary>
    /// <param name="type">A short name or a URI.</param>
    /// <returns>The predicate type URI.</returns>
    public static string ResolvePredicateType(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (ShortTypes.TryGetValue(type, out string? uri))
        {
            return uri;
        }

        return Uri.TryCreate(type, UriKind.Absolute, out Uri? parsed) && parsed.Scheme.Length > 1
            ? type
            : throw OciErrors.PredicateTypeUnknown.ToException($"'{type}' (short names: {string.Join(", ", ShortTypes.Keys)})");
    }

    /// <summary>The statement cosign 3 signs for an image signature: predicate type <see cref="SignatureMediaTypes.CosignSignPredicateType"/>, empty predicate.</summary>
    /// <param name="image">The image (its repository names the subject).</param>
    /// <param name="manifestDigest">The signed manifest's digest.</param>
    /// <returns>The statement's UTF-8 JSON.</returns>
    public static byte[] Signature(ImageReference image, string manifestDigest) =>
        Build(image, manifestDigest, SignatureMediaTypes.CosignSignPredicateType, new JsonObject());

    /// <summary>An attestation statement; the predicate must be a JSON object within the size limit (SC4408).</summary>
    /// <param name="image">The image (its repository names the subject).</param>
    /// <param name="manifestDigest">The attested manifest's digest.</param>
    /// <param name="predicateType">The predicate type URI (see <see cref="ResolvePredicateType"/>).</param>
    /// <param name="predicateJson">The predicate's JSON.</param>
    /// <returns>The statement's UTF-8 JSON.</returns>
    public static byte[] Attestation(ImageReference image, string manifestDigest, string predicateType, ReadOnlySpan<byte> predicateJson)
    {
        if (predicateJson.Length > Limits.MaxPredicateBytes)
        {
            throw OciErrors.PredicateMalformed.ToException($"{predicateJson.Length} bytes, limit {Limits.MaxPredicateBytes}");
        }

        JsonNode? predicate;
        try
        {
            // DOM on purpose: an in-toto predicate is free-form by definition (in-toto Statement v1: "predicate: ... any
            // JSON object"); it is carried into the statement as it is, not read.
            predicate = JsonNode.Parse(predicateJson.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = Limits.MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            throw OciErrors.PredicateMalformed.ToException(ex.Message, ex);
        }

        return predicate is JsonObject o ? Build(image, manifestDigest, predicateType, o) : throw OciErrors.PredicateMalformed.ToException("the predicate is not a JSON object");
    }

    private static byte[] Build(ImageReference image, string manifestDigest, string predicateType, JsonObject predicate)
    {
        ArgumentNullException.ThrowIfNull(image);
        byte[] digest = Digests.Bytes(manifestDigest);
        var statement = new JsonObject
        {
            ["_type"] = "https://in-toto.io/Statement/v1",
            ["subject"] = new JsonArray(new JsonObject
            {
                ["name"] = image.Registry + "/" + image.Repository,
                ["digest"] = new JsonObject { ["sha256"] = Convert.ToHexStringLower(digest) },
            }),
            ["predicateType"] = predicateType,
            ["predicate"] = predicate,
        };
        return System.Text.Encoding.UTF8.GetBytes(statement.ToJsonString());
    }
}
