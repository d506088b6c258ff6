using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Bundles;

namespace SupplyChain.Testing.Virtual;

/// <summary>Signs content and assembles a protobuf-specs Bundle JSON (sigstore_bundle.proto).</summary>
internal static class BundleComposer
{
    public static byte[] Compose(VirtualSigstore sigstore, SigningOptions options, byte[]? artifact, string? payloadType, byte[]? payload)
    {
        LeafCertificate? issued = null;
        try
        {
            LeafCertificate? leaf = null;
            ECDsa key;
            if (options.KeyPair is { } keyPair)
            {
                key = keyPair;
            }
            else
            {
                leaf = options.Certificate ?? (issued = sigstore.IssueLeaf(options.Identity, options.OidcIssuer, options.Leaf));
                key = leaf.Key;
            }

            VirtualTransparencyLog log = options.LogOverride ?? sigstore.GetLog(options.Log);
            byte[] spki = key.ExportSubjectPublicKeyInfo();
            string pem = leaf is not null ? leaf.Certificate.ExportCertificatePem() + "\n" : PemEncoding.WriteString("PUBLIC KEY", spki) + "\n";
            const string keyDetails = "PKIX_ECDSA_P256_SHA_256";

            var bundle = new JsonObject { ["mediaType"] = MediaType(options.Version) };
            var material = new JsonObject();
            bundle["verificationMaterial"] = material;
            if (leaf is null)
            {
                material["publicKey"] = new JsonObject { ["hint"] = options.KeyHint };
            }
            else if (options.Version == BundleVersion.V0_3)
            {
                material["certificate"] = RawBytes(leaf.Certificate.RawData);
            }
            else
            {
                material["x509CertificateChain"] = new JsonObject { ["certificates"] = new JsonArray(RawBytes(leaf.Certificate.RawData)) };
            }

            byte[] signature;
            JsonObject entry;
            if (artifact is not null)
            {
                byte[] digest = SHA256.HashData(artifact);
                signature = key.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
                entry = log.Flavour == LogFlavour.RekorV1
                    ? LogEntryWriter.Write(log, "hashedrekord", "0.0.1", RekorBodies.HashedRekordV001(digest, signature, pem), options, sigstore.Now)
                    : LogEntryWriter.Write(log, "hashedrekord", "0.0.2", RekorBodies.HashedRekordV002(digest, signature, keyDetails, leaf?.Certificate.RawData, spki), options, sigstore.Now);
                bundle["messageSignature"] = new JsonObject
                {
                    ["messageDigest"] = new JsonObject { ["algorithm"] = "SHA2_256", ["digest"] = Convert.ToBase64String(digest) },
                    ["signature"] = Convert.ToBase64String(signature),
                };
            }
            else
            {
                byte[] pae = Dsse.PreAuthenticationEncoding(payloadType!, payload);
                signature = key.SignData(pae, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
                var envelope = new JsonObject
                {
                    ["payload"] = Convert.ToBase64String(payload!),
                    ["payloadType"] = payloadType,
                    ["signatures"] = new JsonArray(new JsonObject { ["sig"] = Convert.ToBase64String(signature) }),
                };
                byte[] envelopeJson = Encoding.UTF8.GetBytes(envelope.ToJsonString());

                // Rekor v2 records DSSE here as hashedrekord 0.0.2 over SHA-256(PAE) (the kit's choice; see README).
                entry = log.Flavour == LogFlavour.RekorV1
                    ? LogEntryWriter.Write(log, "dsse", "0.0.1", RekorBodies.DsseV001(envelopeJson, payload, signature, pem), options, sigstore.Now)
                    : LogEntryWriter.Write(log, "hashedrekord", "0.0.2", RekorBodies.HashedRekordV002(SHA256.HashData(pae), signature, keyDetails, leaf?.Certificate.RawData, spki), options, sigstore.Now);
                bundle["dsseEnvelope"] = envelope;
            }

            material["tlogEntries"] = new JsonArray(entry);
            if (options.Timestamp)
            {
                ITimestampMinter minter = sigstore.TimestampMinter
                    ?? throw new InvalidOperationException("this VirtualSigstore has no ITimestampMinter (VirtualSigstoreOptions.TimestampMinter)");
                byte[] token = minter.Timestamp(signature, options.TimestampTime ?? sigstore.Now);
                material["timestampVerificationData"] = new JsonObject
                {
                    ["rfc3161Timestamps"] = new JsonArray(new JsonObject { ["signedTimestamp"] = Convert.ToBase64String(token) }),
                };
            }

            return Encoding.UTF8.GetBytes(bundle.ToJsonString());
        }
        finally
        {
            issued?.Dispose();
        }
    }

    private static string MediaType(BundleVersion version) => version switch
    {
        BundleVersion.V0_1 => BundleMediaTypes.V0_1,
        BundleVersion.V0_2 => BundleMediaTypes.V0_2,
        BundleVersion.V0_3 => BundleMediaTypes.V0_3,
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "unknown bundle version"),
    };

    private static JsonObject RawBytes(byte[] der) => new() { ["rawBytes"] = Convert.ToBase64String(der) };
}
