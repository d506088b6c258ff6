using System.Security.Cryptography;
using System.Text.Json;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Serialization;
using SupplyChain.Core.Errors;
using static SupplyChain.Core.Transparency.EntryBodyReader;

namespace SupplyChain.Core.Transparency;

/// <summary>
/// Checks that a log entry body records the bundle's own signature, signer and content. Without it a
/// valid entry for another artifact or signature could be replayed into a bundle (CVE-2022-36056).
/// </summary>
internal static class EntryBodyMatcher
{
    /// <summary><see langword="true"/> when (<paramref name="kind"/>, <paramref name="version"/>) is a body this verifier can match.</summary>
    public static bool IsSupported(string kind, string version) => (kind, version) is
        ("hashedrekord", "0.0.1") or ("hashedrekord", "0.0.2") or ("dsse", "0.0.1") or ("dsse", "0.0.2") or ("intoto", "0.0.2");

    /// <summary>Matches the entry body to <paramref name="subject"/>; throws SC1203, SC1204 or SC1205.</summary>
    public static void Match(TransparencyLogEntry entry, TlogSubject subject)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(subject);

        // DESIGN.md convention 1, fail closed: only kinds whose every field is checked are accepted.
        if (!IsSupported(entry.Kind, entry.KindVersion))
        {
            throw CoreErrors.TlogUnsupportedKind.ToException($"{Truncate(entry.Kind)} {Truncate(entry.KindVersion)}");
        }

        if ((subject.MessageSignature is null) == (subject.Envelope is null))
        {
            throw new ArgumentException("A subject has exactly one of a message signature and a DSSE envelope.", nameof(subject));
        }

        ReadOnlySpan<byte> body = entry.CanonicalizedBody.Span;
        if (JsonPreflight.Check(body, Limits.MaxJsonDepth, out string? detail) != JsonPreflightFailure.None)
        {
            throw Malformed(detail ?? "invalid JSON");
        }

        // DOM on purpose: five Rekor kinds and versions share this reader, each read only after the declared pair picks it,
        // and the body is the log's canonical bytes, checked field by field rather than bound to one schema.
        using JsonDocument document = ParseDocument(entry.CanonicalizedBody);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("the body is not a JSON object");
        }

        // The body's own kind and version must be the ones the entry declares: the verifier chose
        // how to read the body from the declared pair.
        string kind = String(root, "kind");
        string apiVersion = String(root, "apiVersion");
        if (kind != entry.Kind || apiVersion != entry.KindVersion)
        {
            throw Mismatch($"the body is {Truncate(kind)} {Truncate(apiVersion)} but the entry declares {entry.Kind} {entry.KindVersion}");
        }

        JsonElement spec = Object(root, "spec");
        if (subject.MessageSignature is { } message)
        {
            switch (entry.KindVersion)
            {
                case "0.0.1" when entry.Kind == "hashedrekord":
                    MessageBodies.MatchHashedRekordV001(spec, message, subject);
                    break;
                case "0.0.2" when entry.Kind == "hashedrekord":
                    MessageBodies.MatchHashedRekordV002(spec, message, subject);
                    break;
                default:
                    throw Mismatch($"a {entry.Kind} {entry.KindVersion} entry cannot record a message signature");
            }

            return;
        }

        DsseEnvelope envelope = subject.Envelope!;

        // DSSE bundles carry exactly one signature (Sigstore client spec); the entry must record that one.
        if (envelope.Signatures.Count != 1)
        {
            throw Mismatch($"the DSSE envelope has {envelope.Signatures.Count} signatures; exactly one is supported");
        }

        switch ((entry.Kind, entry.KindVersion))
        {
            case ("dsse", "0.0.1"):
                DsseBodies.MatchDsseV001(spec, envelope, subject);
                break;
            case ("dsse", "0.0.2"):
                DsseBodies.MatchDsseV002(spec, envelope, subject);
                break;
            case ("intoto", "0.0.2"):
                DsseBodies.MatchIntotoV002(spec, envelope, subject);
                break;
            case ("hashedrekord", "0.0.2"):
                DsseBodies.MatchHashedRekordV002(spec, envelope, subject);
                break;
            default:
                throw Mismatch($"a {entry.Kind} {entry.KindVersion} entry cannot record a DSSE envelope");
        }
    }

    /// <summary>The body's verifier must be the bundle's: same kind (certificate or key) and same DER.</summary>
    internal static void RequireVerifier((byte[] Der, bool IsCertificate) bodyVerifier, TlogSubject subject)
    {
        if (bodyVerifier.IsCertificate != subject.VerifierIsCertificate || !bodyVerifier.Der.AsSpan().SequenceEqual(subject.VerifierDer.Span))
        {
            throw Mismatch(subject.VerifierIsCertificate ? "the entry's certificate is not the bundle's" : "the entry's public key is not the bundle's");
        }
    }

    /// <summary>
    /// A Rekor v2 body's verifier (rekor-tiles <c>Verifier</c>): as <see cref="RequireVerifier"/>, and for a certificate
    /// bundle also a <c>publicKey</c> that is exactly the leaf certificate's SubjectPublicKeyInfo. Rekor v2 logs what
    /// signed; a client may name the signer by its key while the bundle carries the Fulcio certificate for that key
    /// (sigstore-js accepts such entries). The certificate still binds the identity, and the entry still records this
    /// signature by this key; any other key is rejected (SC1204). docs/verification.md, "Divergences".
    /// </summary>
    internal static void RequireRekorV2Verifier((byte[] Der, bool IsCertificate) bodyVerifier, TlogSubject subject)
    {
        if (subject.VerifierIsCertificate && !bodyVerifier.IsCertificate)
        {
            if (subject.SignerSpki.IsEmpty || !bodyVerifier.Der.AsSpan().SequenceEqual(subject.SignerSpki.Span))
            {
                throw Mismatch("the entry's public key is not the key of the bundle's certificate");
            }

            return;
        }

        RequireVerifier(bodyVerifier, subject);
    }

    /// <summary>The body's signature must be the bundle's, byte for byte.</summary>
    internal static void RequireSignature(ReadOnlySpan<byte> bodySignature, ReadOnlySpan<byte> bundleSignature)
    {
        if (!bodySignature.SequenceEqual(bundleSignature))
        {
            throw Mismatch("the entry's signature is not the bundle's");
        }
    }

    /// <summary>The recorded digest must equal the digest computed here.</summary>
    internal static void RequireDigest(ReadOnlySpan<byte> recorded, ReadOnlySpan<byte> computed, string what)
    {
        if (!recorded.SequenceEqual(computed))
        {
            throw Mismatch($"the entry's {what} digest is not the bundle's");
        }
    }

    internal static SupplyChainException Mismatch(string detail) => CoreErrors.TlogBodyMismatch.ToException(detail);

    private static JsonDocument ParseDocument(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = Limits.MaxJsonDepth + 1 });
        }
        catch (JsonException ex)
        {
            throw CoreErrors.TlogBodyMalformed.ToException("invalid JSON", ex);
        }
    }
}
