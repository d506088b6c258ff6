using System.Text.Json;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Serialization;

namespace SupplyChain.Core.Bundles;

/// <summary>
/// Turns bundle JSON into a <see cref="SigstoreBundle"/>, enforcing the structure of protobuf-specs
/// sigstore_bundle.proto (fail closed: anything unknown is rejected). The JSON level is checked here (well-formed,
/// no duplicate keys or unknown fields, required fields present, strict base64) with the path of each field; the
/// values are checked by the model's constructors and the rules of each version by <see cref="BundleVersionRules"/>,
/// each applied as soon as its part is read.
/// </summary>
internal static class BundleParser
{
    public static SigstoreBundle Parse(ReadOnlySpan<byte> utf8Json)
    {
        BundleDto dto = Deserialize(utf8Json, BundleJsonContext.Default.BundleDto);
        return FromDto(dto);
    }

    /// <summary>A standalone DSSE envelope document, as strictly as a bundle's <c>dsseEnvelope</c>.</summary>
    public static DsseEnvelope ParseEnvelopeDocument(ReadOnlySpan<byte> utf8Json) =>
        ParseEnvelope(Deserialize(utf8Json, BundleJsonContext.Default.EnvelopeDto), "dsseEnvelope");

    /// <summary>A standalone TransparencyLogEntry document (a Rekor v2 response), as strictly as a bundle's entries.</summary>
    public static TransparencyLogEntry ParseEntryDocument(ReadOnlySpan<byte> utf8Json) =>
        ParseTlogEntry(Deserialize(utf8Json, BundleJsonContext.Default.TlogEntryDto), "transparencyLogEntry");

    private static T Deserialize<T>(ReadOnlySpan<byte> utf8Json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (utf8Json.Length > Limits.MaxBundleBytes)
        {
            throw CoreErrors.BundleTooLarge.ToException($"{utf8Json.Length} bytes, limit {Limits.MaxBundleBytes}");
        }

        ThrowOnPreflightFailure(JsonPreflight.Check(utf8Json, Limits.MaxJsonDepth, out string? detail), detail);
        try
        {
            return JsonSerializer.Deserialize(utf8Json, typeInfo)
                ?? throw CoreErrors.BundleMalformedJson.ToException("the document is null");
        }
        catch (JsonException ex) when (ex.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            throw CoreErrors.BundleUnknownField.ToException($"at {ex.Path}", ex);
        }
        catch (JsonException ex)
        {
            throw CoreErrors.BundleMalformedJson.ToException($"at {ex.Path}: a value has the wrong JSON type", ex);
        }
    }

    private static void ThrowOnPreflightFailure(JsonPreflightFailure failure, string? detail)
    {
        switch (failure)
        {
            case JsonPreflightFailure.None:
                return;
            case JsonPreflightFailure.TrailingData:
                throw CoreErrors.BundleTrailingData.ToException(detail);
            case JsonPreflightFailure.DuplicateKey:
                throw CoreErrors.BundleDuplicateKey.ToException(detail);
            case JsonPreflightFailure.TooDeep:
                throw CoreErrors.BundleTooDeep.ToException(detail);
            default:
                throw CoreErrors.BundleMalformedJson.ToException(detail);
        }
    }

    private static SigstoreBundle FromDto(BundleDto dto)
    {
        if (dto.MediaType is null)
        {
            throw CoreErrors.BundleMissingField.ToException("mediaType");
        }

        if (!BundleMediaTypes.TryGetVersion(dto.MediaType, out BundleVersion version))
        {
            throw CoreErrors.BundleUnsupportedMediaType.ToException($"'{Printable.Cut(dto.MediaType)}'");
        }

        VerificationMaterialDto vm = dto.VerificationMaterial ?? throw CoreErrors.BundleMissingField.ToException("verificationMaterial");
        VerificationMaterial material = ParseVerificationMaterial(vm, version);

        // sigstore_bundle.proto: "oneof content { MessageSignature message_signature; DSSE envelope }", REQUIRED.
        if ((dto.MessageSignature is null) == (dto.DsseEnvelope is null))
        {
            throw CoreErrors.BundleInvalidContent.ToException();
        }

        return dto.MessageSignature is { } ms
            ? new SigstoreBundle(dto.MediaType, material, ParseMessageSignature(ms))
            : new SigstoreBundle(dto.MediaType, material, ParseEnvelope(dto.DsseEnvelope!, "dsseEnvelope"));
    }

    private static VerificationMaterial ParseVerificationMaterial(VerificationMaterialDto vm, BundleVersion version)
    {
        // sigstore_bundle.proto VerificationMaterial: "oneof content { ... } = REQUIRED": exactly one form.
        int contentKinds = (vm.PublicKey is null ? 0 : 1) + (vm.X509CertificateChain is null ? 0 : 1) + (vm.Certificate is null ? 0 : 1);
        if (contentKinds != 1)
        {
            throw CoreErrors.BundleVersionRuleViolated.ToException(
                "verificationMaterial must carry exactly one of publicKey, x509CertificateChain and certificate");
        }

        VerificationMaterialContent content = vm.PublicKey is not null ? VerificationMaterialContent.PublicKey
            : vm.X509CertificateChain is not null ? VerificationMaterialContent.X509CertificateChain
            : VerificationMaterialContent.Certificate;
        BundleVersionRules.CheckContent(version, content);

        // The certificates first, each checked where it stands; then the entries, then the timestamps.
        const string path = "verificationMaterial";
        List<ReadOnlyMemory<byte>> certificates = content switch
        {
            VerificationMaterialContent.X509CertificateChain => ParseChain(vm.X509CertificateChain!.Certificates, path + ".x509CertificateChain.certificates"),
            VerificationMaterialContent.Certificate => [RawBytes(vm.Certificate, path + ".certificate")],
            _ => [],
        };
        List<TransparencyLogEntry> entries = ParseTlogEntries(vm.TlogEntries, version);
        List<ReadOnlyMemory<byte>> timestamps = ParseTimestamps(vm.TimestampVerificationData?.Rfc3161Timestamps);
        return BundleFields.At(path, () => content switch
        {
            VerificationMaterialContent.PublicKey => VerificationMaterial.ForPublicKey(vm.PublicKey!.Hint, entries, timestamps),
            VerificationMaterialContent.X509CertificateChain => VerificationMaterial.ForCertificateChain(certificates, entries, timestamps),
            _ => VerificationMaterial.ForCertificate(certificates[0], entries, timestamps),
        });
    }

    private static List<ReadOnlyMemory<byte>> ParseChain(List<X509CertificateDto?>? chain, string path)
    {
        if (chain is null || chain.Count == 0)
        {
            throw CoreErrors.BundleEmptyCertificateChain.ToException();
        }

        if (chain.Count > Limits.MaxCertificatesInChain)
        {
            throw CoreErrors.BundleTooLarge.ToException($"{chain.Count} certificates in the chain");
        }

        var certificates = new List<ReadOnlyMemory<byte>>(chain.Count);
        for (int i = 0; i < chain.Count; i++)
        {
            certificates.Add(RawBytes(chain[i], $"{path}[{i}]"));
        }

        return certificates;
    }

    /// <summary>A certificate's DER, checked where it stands (empty: SC1009; not one DER SEQUENCE: SC1015).</summary>
    private static byte[] RawBytes(X509CertificateDto? certificate, string path) =>
        BundleFields.Certificate(Base64Field(certificate?.RawBytes, path + ".rawBytes"), path + ".rawBytes");

    private static List<TransparencyLogEntry> ParseTlogEntries(List<TlogEntryDto?>? tlogEntries, BundleVersion version)
    {
        var entries = new List<TransparencyLogEntry>();
        if (tlogEntries is null)
        {
            return entries;
        }

        if (tlogEntries.Count > Limits.MaxTlogEntries)
        {
            throw CoreErrors.BundleTooLarge.ToException($"{tlogEntries.Count} tlog entries");
        }

        for (int i = 0; i < tlogEntries.Count; i++)
        {
            string path = $"verificationMaterial.tlogEntries[{i}]";
            TransparencyLogEntry entry = ParseTlogEntry(tlogEntries[i], path);
            BundleVersionRules.CheckEntry(version, entry, path);
            entries.Add(entry);
        }

        return entries;
    }

    private static List<ReadOnlyMemory<byte>> ParseTimestamps(List<Rfc3161TimestampDto?>? rfc3161)
    {
        var timestamps = new List<ReadOnlyMemory<byte>>();
        if (rfc3161 is null)
        {
            return timestamps;
        }

        if (rfc3161.Count > Limits.MaxTimestamps)
        {
            throw CoreErrors.BundleTooLarge.ToException($"{rfc3161.Count} timestamps");
        }

        for (int i = 0; i < rfc3161.Count; i++)
        {
            string path = $"verificationMaterial.timestampVerificationData.rfc3161Timestamps[{i}].signedTimestamp";
            byte[] token = Base64Field(rfc3161[i]?.SignedTimestamp, path);
            timestamps.Add(token.Length == 0 ? throw CoreErrors.BundleMissingField.ToException(path) : token);
        }

        return timestamps;
    }

    private static TransparencyLogEntry ParseTlogEntry(TlogEntryDto? entry, string path)
    {
        if (entry is null)
        {
            throw CoreErrors.BundleMissingField.ToException(path);
        }

        // proto3 JSON: an absent int64 is 0.
        long logIndex = entry.LogIndex ?? 0;
        if (logIndex < 0)
        {
            throw CoreErrors.BundleInvalidLogIndex.ToException($"{path}.logIndex = {logIndex}");
        }

        byte[] logId = Base64Field(entry.LogId?.KeyId, path + ".logId.keyId");
        string kind = entry.KindVersion?.Kind ?? throw CoreErrors.BundleMissingField.ToException(path + ".kindVersion.kind");
        string kindVersion = entry.KindVersion.Version ?? throw CoreErrors.BundleMissingField.ToException(path + ".kindVersion.version");
        byte[]? set = entry.InclusionPromise is { } promise ? Base64Field(promise.SignedEntryTimestamp, path + ".inclusionPromise.signedEntryTimestamp") : null;
        if (set is { Length: 0 })
        {
            // An inclusionPromise without a signature promises nothing.
            throw CoreErrors.BundleMissingField.ToException(path + ".inclusionPromise.signedEntryTimestamp");
        }

        InclusionProof? proof = entry.InclusionProof is { } p ? ParseInclusionProof(p, path + ".inclusionProof") : null;
        byte[] body = Base64Field(entry.CanonicalizedBody, path + ".canonicalizedBody");

        // A null byte[] converts to an empty, non-null ReadOnlyMemory<byte> (even the null literal, through the
        // array conversion): only an explicitly typed null keeps an absent field absent.
        ReadOnlyMemory<byte>? promised = set is null ? (ReadOnlyMemory<byte>?)null : set;
        return BundleFields.At(path, () => new TransparencyLogEntry(logIndex, logId, kind, kindVersion, entry.IntegratedTime ?? 0, promised, proof, body));
    }

    private static InclusionProof ParseInclusionProof(InclusionProofDto proof, string path)
    {
        byte[] rootHash = Base64Field(proof.RootHash, path + ".rootHash");
        var hashes = new List<ReadOnlyMemory<byte>>();
        if (proof.Hashes is { } list)
        {
            if (list.Count > Limits.MaxInclusionProofHashes)
            {
                throw CoreErrors.BundleTooLarge.ToException($"{path}.hashes: {list.Count} hashes");
            }

            for (int i = 0; i < list.Count; i++)
            {
                hashes.Add(Base64Field(list[i], $"{path}.hashes[{i}]"));
            }
        }

        return BundleFields.At(path, () => new InclusionProof(proof.LogIndex ?? 0, rootHash, proof.TreeSize ?? 0, hashes, proof.Checkpoint?.Envelope));
    }

    private static MessageSignature ParseMessageSignature(MessageSignatureDto dto)
    {
        byte[] signature = Base64Field(dto.Signature, "messageSignature.signature");
        if (dto.MessageDigest is not { } md)
        {
            return BundleFields.At("messageSignature", () => new MessageSignature(null, null, signature));
        }

        string algorithm = md.Algorithm ?? throw CoreErrors.BundleMissingField.ToException("messageSignature.messageDigest.algorithm");
        byte[] digest = Base64Field(md.Digest, "messageSignature.messageDigest.digest");
        return BundleFields.At("messageSignature", () => new MessageSignature(algorithm, digest, signature));
    }

    private static DsseEnvelope ParseEnvelope(EnvelopeDto dto, string path)
    {
        byte[] payload = Base64Field(dto.Payload, path + ".payload");
        string payloadType = dto.PayloadType ?? throw CoreErrors.BundleMissingField.ToException(path + ".payloadType");
        if (dto.Signatures is null || dto.Signatures.Count == 0)
        {
            throw CoreErrors.BundleMissingField.ToException(path + ".signatures");
        }

        if (dto.Signatures.Count > Limits.MaxDsseSignatures)
        {
            throw CoreErrors.BundleTooLarge.ToException($"{dto.Signatures.Count} DSSE signatures");
        }

        var signatures = new List<DsseSignature>(dto.Signatures.Count);
        for (int i = 0; i < dto.Signatures.Count; i++)
        {
            string at = $"{path}.signatures[{i}]";
            EnvelopeSignatureDto s = dto.Signatures[i] ?? throw CoreErrors.BundleMissingField.ToException(at);
            byte[] sig = Base64Field(s.Sig, at + ".sig");
            signatures.Add(BundleFields.At(at, () => new DsseSignature(sig, s.KeyId)));
        }

        return BundleFields.At(path, () => new DsseEnvelope(payload, payloadType, signatures));
    }

    private static byte[] Base64Field(string? value, string path)
    {
        if (value is null)
        {
            throw CoreErrors.BundleMissingField.ToException(path);
        }

        if (!StrictBase64.TryDecode(value, out byte[]? bytes))
        {
            throw CoreErrors.BundleInvalidBase64.ToException(path);
        }

        return bytes;
    }
}
