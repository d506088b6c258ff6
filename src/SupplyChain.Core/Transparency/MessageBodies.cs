using System.Security.Cryptography;
using System.Text.Json;
using SupplyChain.Core.Bundles;
using static SupplyChain.Core.Transparency.EntryBodyMatcher;
using static SupplyChain.Core.Transparency.EntryBodyReader;

namespace SupplyChain.Core.Transparency;

/// <summary>hashedrekord bodies recording a message signature: artifact digest, signature and signer must be the bundle's.</summary>
internal static class MessageBodies
{
    /// <summary>
    /// Rekor v1 hashedrekord 0.0.1: <c>spec.data.hash{algorithm,value}</c> (hex),
    /// <c>spec.signature.content</c> (base64) and <c>spec.signature.publicKey.content</c> (base64 PEM).
    /// </summary>
    public static void MatchHashedRekordV001(JsonElement spec, MessageSignature message, TlogSubject subject)
    {
        JsonElement hash = Object(Object(spec, "data"), "hash");
        HashAlgorithmName algorithm = RekorV1HashAlgorithm(String(hash, "algorithm"));
        byte[] digest = Hex(hash, "value");
        JsonElement signature = Object(spec, "signature");
        byte[] content = Base64(signature, "content");
        (byte[] Der, bool IsCertificate) verifier = PemVerifier(Object(signature, "publicKey"), "content");

        RequireSignature(content, message.Signature.Span);
        RequireVerifier(verifier, subject);
        RequireDigest(digest, ArtifactDigest(subject, algorithm), "artifact");
    }

    /// <summary>
    /// Rekor v2 hashedrekord 0.0.2: <c>spec.hashedRekordV002.data{algorithm,digest}</c> and
    /// <c>spec.hashedRekordV002.signature{content, verifier}</c>.
    /// </summary>
    public static void MatchHashedRekordV002(JsonElement spec, MessageSignature message, TlogSubject subject)
    {
        JsonElement v002 = Object(spec, "hashedRekordV002");
        JsonElement data = Object(v002, "data");
        HashAlgorithmName algorithm = ProtobufHashAlgorithm(String(data, "algorithm"));
        byte[] digest = Base64(data, "digest");
        JsonElement signature = Object(v002, "signature");
        byte[] content = Base64(signature, "content");
        (byte[] Der, bool IsCertificate) verifier = RawVerifier(Object(signature, "verifier"));

        RequireSignature(content, message.Signature.Span);
        RequireRekorV2Verifier(verifier, subject);
        RequireDigest(digest, ArtifactDigest(subject, algorithm), "artifact");
    }

    /// <summary>The artifact's digest under the algorithm the entry recorded; a digest-only artifact under another algorithm cannot match.</summary>
    private static byte[] ArtifactDigest(TlogSubject subject, HashAlgorithmName algorithm)
    {
        if (subject.Artifact is not { } artifact)
        {
            throw Mismatch("no artifact was given to compare with the entry's digest");
        }

        return artifact.GetDigest(algorithm)
            ?? throw Mismatch($"the entry records a {algorithm.Name} digest but only another digest of the artifact is known");
    }
}
