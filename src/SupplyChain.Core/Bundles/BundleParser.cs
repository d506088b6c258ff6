using System.Formats.Asn1;
using System.Text.Json;
using SupplyChain.Core.Serialization;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Bundles;

/// <summary>
/// Turns bundle JSON into a <see cref="SigstoreBundle"/>, enforcing the structural rules of
/// protobuf-specs sigstore_bundle.proto for each version (fail closed: anything unknown is rejected).
/// </summary>
internal static class BundleParser
{
    public static SigstoreBundle Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > Limits.MaxBundleBytes)
        {
            throw CoreErrors.BundleTooLarge.ToException($"{utf8Json.Length} bytes, limit {Limits.MaxBundleBytes}");
        }

        ThrowOnPreflightFailure(JsonPreflight.Check(utf8Json, Limits.MaxJsonDepth, out string? detail), detail);

        BundleDto dto;
        try
        {
            dto = JsonSerializer.Deserialize(utf8Json, BundleJsonContext.Default.BundleDto)
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

        return FromDto(dto);
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
            throw CoreErrors.BundleUnsupportedMediaType.ToException($"'{Printable(dto.MediaType)}'");
        }

        VerificationMaterialDto vm = dto.VerificationMaterial ?? throw CoreErrors.BundleMissingField.ToException("verificationMaterial");
        var material = ParseVerificationMaterial(vm, version);

        // sigstore_bundle.proto: "oneof content { MessageSignature message_signature; DSSE envelope }", REQUIRED.
        if ((dto.MessageSignature is null) == (dto.DsseEnvelope is null))
        {
            throw CoreErrors.BundleInvalidContent.ToException();
        }

        MessageSignature? messageSignature = dto.MessageSignature is { } ms ? ParseMessageSignature(ms) : null;
        DsseEnvelope? envelope = dto.DsseEnvelope is { } env ? ParseEnvelope(env) : null;
        return new SigstoreBundle(dto.MediaType, version, material, messageSignature, envelope);
    }

    private static VerificationMaterial ParseVerificationMaterial(VerificationMaterialDto vm, BundleVersion version)
    {
        int contentKinds = (vm.PublicKey is null ? 0 : 1) + (vm.X509CertificateChain is null ? 0 : 1) + (vm.Certificate is null ? 0 : 1);
        if (contentKinds != 1)
        {
            throw CoreErrors.BundleVersionRuleViolated.ToException(
                "verificationMaterial must carry exactly one of publicKey, x509CertificateChain and certificate");
        }

        var certificates = new List<ReadOnlyMemory<byte>>();
        string? hint = null;
        if (vm.PublicKey is { } pk)
        {
            hint = pk.Hint ?? string.Empty;
        }
        else if (vm.X509CertificateChain is { } chain)
        {
            // sigstore_bundle.proto v0.3: "x509_certificate_chain ... MUST NOT be used" (a single leaf 'certificate' instead).
            if (version == BundleVersion.V0_3)
            {
                throw CoreErrors.BundleVersionRuleViolated.ToException("a v0.3 bundle must carry a single 'certificate', not 'x509CertificateChain'");
            }

            if (chain.Certificates is null || chain.Certificates.Count == 0)
            {
                throw CoreErrors.BundleEmptyCertificateChain.ToException();
            }

            if (chain.Certificates.Count > Limits.MaxCertificatesInChain)
            {
                throw CoreErrors.BundleTooLarge.ToException($"{chain.Certificates.Count} certificates in the chain");
            }

            for (int i = 0; i < chain.Certificates.Count; i++)
            {
                certificates.Add(ParseCertificate(chain.Certificates[i], $"verificationMaterial.x509CertificateChain.certificates[{i}]"));
            }
        }
        else
        {
            certificates.Add(ParseCertificate(vm.Certificate, "verificationMaterial.certificate"));
        }

        var entries = new List<TransparencyLogEntry>();
        if (vm.TlogEntries is { } tlogEntries)
        {
            if (tlogEntries.Count > Limits.MaxTlogEntries)
            {
                throw CoreErrors.BundleTooLarge.ToException($"{tlogEntries.Count} tlog entries");
            }

            for (int i = 0; i < tlogEntries.Count; i++)
            {
                entries.Add(ParseTlogEntry(tlogEntries[i], version, $"verificationMaterial.tlogEntries[{i}]"));
            }
        }

        var timestamps = new List<ReadOnlyMemory<byte>>();
        if (vm.TimestampVerificationData?.Rfc3161Timestamps is { } rfc3161)
        {
            if (rfc3161.Count > Limits.MaxTimestamps)
            {
                throw CoreErrors.BundleTooLarge.ToException($"{rfc3161.Count} timestamps");
            }

            for (int i = 0; i < rfc3161.Count; i++)
            {
                string path = $"verificationMaterial.timestampVerificationData.rfc3161Timestamps[{i}].signedTimestamp";
                byte[] token = Base64Field(rfc3161[i]?.SignedTimestamp, path);
                if (token.Length == 0)
                {
                    throw CoreErrors.BundleMissingField.ToException(path);
                }

                timestamps.Add(token);
            }
        }

        return new VerificationMaterial(certificates, hint, entries, timestamps);
    }

    private static byte[] ParseCertificate(X509CertificateDto? certificate, string path)
    {
        byte[] der = Base64Field(certificate?.RawBytes, path + ".rawBytes");
        if (der.Length == 0)
        {
            throw CoreErrors.BundleMissingField.ToException(path + ".rawBytes");
        }

        if (der.Length > Limits.MaxDerBytes)
        {
            throw CoreErrors.BundleTooLarge.ToException($"{path}: {der.Length} bytes");
        }

        // Reject truncated DER or trailing bytes now: a certificate is exactly one SEQUENCE (RFC 5280 section 4.1).
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            reader.ReadSequence();
            reader.ThrowIfNotEmpty();
        }
        catch (AsnContentException ex)
        {
            throw CoreErrors.BundleInvalidCertificate.ToException(path, ex);
        }

        return der;
    }

    private static TransparencyLogEntry ParseTlogEntry(TlogEntryDto? entry, BundleVersion version, string path)
    {
        if (entry is null)
        {
            throw CoreErrors.BundleMissingField.ToException(path);
        }

        long logIndex = entry.LogIndex ?? 0;
        if (logIndex < 0)
        {
            throw CoreErrors.BundleInvalidLogIndex.ToException($"{path}.logIndex = {logIndex}");
        }

        byte[] logId = Base64Field(entry.LogId?.KeyId, path + ".logId.keyId");
        if (logId.Length == 0)
        {
            throw CoreErrors.BundleMissingField.ToException(path + ".logId.keyId");
        }

        string kind = entry.KindVersion?.Kind ?? throw CoreErrors.BundleMissingField.ToException(path + ".kindVersion.kind");
        string kindVersion = entry.KindVersion.Version ?? throw CoreErrors.BundleMissingField.ToException(path + ".kindVersion.version");

        long integratedTime = entry.IntegratedTime ?? 0;
        if (integratedTime < 0)
        {
            throw CoreErrors.BundleInvalidNumber.ToException($"{path}.integratedTime = {integratedTime}");
        }

        byte[]? set = null;
        if (entry.InclusionPromise is { } promise)
        {
            set = Base64Field(promise.SignedEntryTimestamp, path + ".inclusionPromise.signedEntryTimestamp");
            if (set.Length == 0)
            {
                throw CoreErrors.BundleMissingField.ToException(path + ".inclusionPromise.signedEntryTimestamp");
            }
        }

        InclusionProof? proof = entry.InclusionProof is { } p ? ParseInclusionProof(p, path + ".inclusionProof") : null;

        // sigstore_bundle.proto: v0.1 bundles need an inclusion promise; from v0.2 on, an inclusion proof.
        if (version == BundleVersion.V0_1 && set is null)
        {
            throw CoreErrors.BundleVersionRuleViolated.ToException($"{path}: a v0.1 bundle entry needs an inclusionPromise");
        }

        if (version >= BundleVersion.V0_2 && proof is null)
        {
            throw CoreErrors.BundleVersionRuleViolated.ToException($"{path}: a v0.2+ bundle entry needs an inclusionProof");
        }

        // protobuf-specs: from v0.2 the inclusion proof carries the checkpoint that signs its root.
        if (version >= BundleVersion.V0_2 && proof!.Checkpoint is null)
        {
            throw CoreErrors.BundleVersionRuleViolated.ToException($"{path}: a v0.2+ inclusion proof needs a checkpoint");
        }

        byte[] body = Base64Field(entry.CanonicalizedBody, path + ".canonicalizedBody");
        if (body.Length == 0)
        {
            throw CoreErrors.BundleMissingField.ToException(path + ".canonicalizedBody");
        }

        // A null byte[] converts to an empty, non-null ReadOnlyMemory<byte>?: keep absent fields absent.
        return new TransparencyLogEntry(logIndex, logId, kind, kindVersion, integratedTime, set is null ? null : set, proof, body);
    }

    private static InclusionProof ParseInclusionProof(InclusionProofDto proof, string path)
    {
        long logIndex = proof.LogIndex ?? 0;
        long treeSize = proof.TreeSize ?? 0;
        if (logIndex < 0 || treeSize < 0)
        {
            throw CoreErrors.BundleInvalidLogIndex.ToException($"{path}: logIndex {logIndex}, treeSize {treeSize}");
        }

        if (logIndex >= treeSize)
        {
            throw CoreErrors.BundleInvalidLogIndex.ToException($"{path}: logIndex {logIndex} is not below treeSize {treeSize}");
        }

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

        string? checkpoint = proof.Checkpoint?.Envelope;
        if (checkpoint is { Length: > Limits.MaxCheckpointBytes })
        {
            throw CoreErrors.BundleTooLarge.ToException($"{path}.checkpoint: {checkpoint.Length} characters");
        }

        return new InclusionProof(logIndex, rootHash, treeSize, hashes, checkpoint);
    }

    private static MessageSignature ParseMessageSignature(MessageSignatureDto dto)
    {
        byte[] signature = Base64Field(dto.Signature, "messageSignature.signature");
        if (signature.Length == 0)
        {
            throw CoreErrors.BundleMissingField.ToException("messageSignature.signature");
        }

        string? algorithm = null;
        byte[]? digest = null;
        if (dto.MessageDigest is { } md)
        {
            algorithm = md.Algorithm ?? throw CoreErrors.BundleMissingField.ToException("messageSignature.messageDigest.algorithm");
            if (algorithm is not ("SHA2_256" or "SHA2_384" or "SHA2_512"))
            {
                throw CoreErrors.BundleInvalidFieldValue.ToException($"messageSignature.messageDigest.algorithm '{Printable(algorithm)}'");
            }

            digest = Base64Field(md.Digest, "messageSignature.messageDigest.digest");
            int expected = algorithm switch { "SHA2_256" => 32, "SHA2_384" => 48, _ => 64 };
            if (digest.Length != expected)
            {
                throw CoreErrors.BundleInvalidFieldValue.ToException($"messageSignature.messageDigest.digest has {digest.Length} bytes, {algorithm} needs {expected}");
            }
        }

        return new MessageSignature(algorithm, digest is null ? null : digest, signature);
    }

    private static DsseEnvelope ParseEnvelope(EnvelopeDto dto)
    {
        byte[] payload = Base64Field(dto.Payload, "dsseEnvelope.payload");
        string payloadType = dto.PayloadType ?? throw CoreErrors.BundleMissingField.ToException("dsseEnvelope.payloadType");
        if (dto.Signatures is null || dto.Signatures.Count == 0)
        {
            throw CoreErrors.BundleMissingField.ToException("dsseEnvelope.signatures");
        }

        if (dto.Signatures.Count > Limits.MaxDsseSignatures)
        {
            throw CoreErrors.BundleTooLarge.ToException($"{dto.Signatures.Count} DSSE signatures");
        }

        var signatures = new List<DsseSignature>(dto.Signatures.Count);
        for (int i = 0; i < dto.Signatures.Count; i++)
        {
            string path = $"dsseEnvelope.signatures[{i}]";
            EnvelopeSignatureDto s = dto.Signatures[i] ?? throw CoreErrors.BundleMissingField.ToException(path);
            byte[] sig = Base64Field(s.Sig, path + ".sig");
            if (sig.Length == 0)
            {
                throw CoreErrors.BundleMissingField.ToException(path + ".sig");
            }

            signatures.Add(new DsseSignature(sig, s.KeyId));
        }

        return new DsseEnvelope(payload, payloadType, signatures);
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

    private static string Printable(string value)
    {
        string cut = value.Length > 80 ? value[..80] + "..." : value;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }
}
