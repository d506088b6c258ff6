using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Instance.Http;

namespace SupplyChain.Instance.Rekor;

/// <summary>
/// Rekor v2 <c>POST /api/v2/log/entries</c> (rekor-tiles rekor/v2/rekor_service.proto CreateEntryRequest):
/// a <c>hashedRekordRequestV002</c> or <c>dsseRequestV002</c> whose signatures verify with their verifiers (as
/// rekor-tiles checks before logging), canonicalized as hashedrekord/dsse 0.0.2, appended to the tile log, answered
/// with a protobuf-specs TransparencyLogEntry carrying the inclusion proof and the signed checkpoint.
/// </summary>
internal sealed class LogEntryService
{
    private static readonly HashSet<string> KeyDetailsNames = new(StringComparer.Ordinal)
    {
        "PKIX_ECDSA_P256_SHA_256", "PKIX_ECDSA_P384_SHA_384", "PKIX_ECDSA_P521_SHA_512",
        "PKIX_RSA_PKCS1V15_2048_SHA256", "PKIX_RSA_PKCS1V15_3072_SHA256", "PKIX_RSA_PKCS1V15_4096_SHA256",
    };

    private readonly IEntryLog _log;

    public LogEntryService(IEntryLog log) => _log = log;

    public async Task<byte[]> CreateAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        CreateEntryRequestJson request = RequestJson.Read(body.Span, RequestJsonContext.Default.CreateEntryRequestJson);
        (byte[] canonical, string kind) = request switch
        {
            { HashedRekord: { } h, Dsse: null } => (HashedRekord(h), "hashedrekord"),
            { HashedRekord: null, Dsse: { } d } => (Dsse(d), "dsse"),
            _ => throw InstanceErrors.RequestMalformed.ToException("the request needs exactly one of hashedRekordRequestV002 and dsseRequestV002"),
        };

        AppendedEntry appended = await _log.AppendAsync(canonical, cancellationToken).ConfigureAwait(false);
        var hashes = new JsonArray();
        foreach (byte[] hash in appended.Proof)
        {
            hashes.Add((JsonNode)Convert.ToBase64String(hash));
        }

        // proto3 JSON writes int64 as a decimal string.
        var entry = new JsonObject
        {
            ["logIndex"] = Int64(appended.Index),
            ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(_log.LogId) },
            ["kindVersion"] = new JsonObject { ["kind"] = kind, ["version"] = "0.0.2" },
            ["integratedTime"] = "0",
            ["inclusionProof"] = new JsonObject
            {
                ["logIndex"] = Int64(appended.Index),
                ["rootHash"] = Convert.ToBase64String(appended.RootHash),
                ["treeSize"] = Int64(appended.TreeSize),
                ["hashes"] = hashes,
                ["checkpoint"] = new JsonObject { ["envelope"] = appended.Checkpoint },
            },
            ["canonicalizedBody"] = Convert.ToBase64String(canonical),
        };
        return Encoding.UTF8.GetBytes(entry.ToJsonString());
    }

    /// <summary>hashedrekord 0.0.2: the signature must verify over the SHA-256 digest with the verifier's key.</summary>
    private static byte[] HashedRekord(HashedRekordRequestJson request)
    {
        byte[] digest = RequestJson.Base64(request.Digest, "digest");
        if (digest.Length != SHA256.HashSizeInBytes)
        {
            throw InstanceErrors.RequestMalformed.ToException("digest is not a SHA-256 digest");
        }

        RekorSignatureJson signatureNode = RequestJson.Required(request.Signature, "signature");
        byte[] signature = RequestJson.Base64(signatureNode.Content, "content");
        (LoggedVerifier verifier, PublicKey key) = Verifier(RequestJson.Required(signatureNode.Verifier, "verifier"));
        if (!ServiceKeys.VerifyDigest(key, digest, signature))
        {
            throw InstanceErrors.LogEntrySignatureInvalid.ToException("the signature does not verify over the digest");
        }

        return EntryBodies.HashedRekord(digest, signature, verifier);
    }

    /// <summary>dsse 0.0.2: every envelope signature must verify over PAE(payloadType, payload) with one of the verifiers.</summary>
    private static byte[] Dsse(DsseRequestJson request)
    {
        DsseEnvelopeRequestJson envelope = RequestJson.Required(request.Envelope, "envelope");
        byte[] payload = RequestJson.Base64(envelope.Payload, "payload");
        string payloadType = RequestJson.Required(envelope.PayloadType, "payloadType");
        if (envelope.Signatures is not { Count: > 0 and <= Limits.MaxDsseSignatures } signatures
            || request.Verifiers is not { Count: > 0 and <= Limits.MaxDsseSignatures } verifierNodes)
        {
            throw InstanceErrors.RequestMalformed.ToException($"the envelope needs 1 to {Limits.MaxDsseSignatures} signatures and verifiers");
        }

        var verifiers = verifierNodes.Select(v => Verifier(v ?? throw InstanceErrors.RequestMalformed.ToException("a verifier is not an object"))).ToList();
        byte[] pae = Core.Attestations.Dsse.PreAuthenticationEncoding(payloadType, payload);
        var logged = new List<(byte[], LoggedVerifier)>();
        foreach (DsseSignatureRequestJson? node in signatures)
        {
            byte[] signature = RequestJson.Base64(node?.Sig, "sig");
            (LoggedVerifier Verifier, PublicKey Key)? match = verifiers.FirstOrDefault(v => ServiceKeys.VerifyData(v.Key, pae, signature));
            if (match is not { } found)
            {
                throw InstanceErrors.LogEntrySignatureInvalid.ToException("an envelope signature verifies with none of the verifiers");
            }

            logged.Add((signature, found.Verifier));
        }

        return EntryBodies.Dsse(SHA256.HashData(payload), logged);
    }

    /// <summary>A protobuf-specs Verifier: <c>{"publicKey"|"x509Certificate":{"rawBytes"},"keyDetails"}</c>.</summary>
    private static (LoggedVerifier Verifier, PublicKey Key) Verifier(VerifierJson node)
    {
        string keyDetails = RequestJson.Required(node.KeyDetails, "keyDetails");
        if (!KeyDetailsNames.Contains(keyDetails))
        {
            throw InstanceErrors.PublicKeyUnsupported.ToException($"keyDetails '{(keyDetails.Length > 40 ? keyDetails[..40] : keyDetails)}'");
        }

        if (node.X509Certificate is { } certificateNode)
        {
            byte[] der = RequestJson.Base64(certificateNode.RawBytes, "rawBytes");
            try
            {
                using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(der);
                return (new LoggedVerifier(der, true, keyDetails), ServiceKeys.FromSpki(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
            }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                throw InstanceErrors.RequestMalformed.ToException("x509Certificate is not a DER certificate", ex);
            }
        }

        byte[] spki = RequestJson.Base64(RequestJson.Required(node.PublicKey, "publicKey").RawBytes, "rawBytes");
        return (new LoggedVerifier(spki, false, keyDetails), ServiceKeys.FromSpki(spki));
    }

    private static string Int64(long value) => value.ToString(CultureInfo.InvariantCulture);
}
