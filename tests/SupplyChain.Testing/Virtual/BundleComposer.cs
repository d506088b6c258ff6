using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Bundles;

namespace SupplyChain.Testing.Virtual;

/// <summary>
/// Signs content and assembles a bundle with Core's typed model (sigstore_bundle.proto), written with
/// <see cref="SigstoreBundle.ToJson"/>. The model refuses bundles that break a rule of their version (a v0.3 bundle
/// without inclusion proof, say: SC1012); a test that needs one edits the JSON with <see cref="MutableBundle"/>.
/// </summary>
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

            // Rekor v2 verifier: the certificate, or the key a test asks the entry to name instead.
            byte[]? v2Certificate = options.LogVerifierPublicKey is null ? leaf?.Certificate.RawData : null;
            byte[] v2Key = options.LogVerifierPublicKey ?? spki;

            byte[] signature;
            TransparencyLogEntry entry;
            MessageSignature? messageSignature = null;
            DsseEnvelope? envelope = null;
            if (artifact is not null)
            {
                byte[] digest = SHA256.HashData(artifact);
                signature = key.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
                entry = log.Flavour == LogFlavour.RekorV1
                    ? LogEntryWriter.Write(log, "hashedrekord", "0.0.1", RekorBodies.HashedRekordV001(digest, signature, pem), options, sigstore.Now)
                    : LogEntryWriter.Write(log, "hashedrekord", "0.0.2", RekorBodies.HashedRekordV002(digest, signature, keyDetails, v2Certificate, v2Key), options, sigstore.Now);
                messageSignature = new MessageSignature("SHA2_256", digest, signature);
            }
            else
            {
                byte[] pae = Dsse.PreAuthenticationEncoding(payloadType!, payload);
                signature = key.SignData(pae, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
                envelope = new DsseEnvelope(payload, payloadType!, [new DsseSignature(signature, null)]);

                // The envelope as Rekor v1's dsse 0.0.1 body hashes it (envelopeHash).
                byte[] envelopeJson = Encoding.UTF8.GetBytes(new JsonObject
                {
                    ["payload"] = Convert.ToBase64String(payload!),
                    ["payloadType"] = payloadType,
                    ["signatures"] = new JsonArray(new JsonObject { ["sig"] = Convert.ToBase64String(signature) }),
                }.ToJsonString());

                // rekor-v2-spec section 6.1.4: "DSSE-envelope bundles MUST be uploaded as a HashedRekord" whose digest is
                // Hash(PAE(payloadType, payload)); the withdrawn dsse 0.0.2 kind only when a test asks for it.
                entry = log.Flavour == LogFlavour.RekorV1
                    ? LogEntryWriter.Write(log, "dsse", "0.0.1", RekorBodies.DsseV001(envelopeJson, payload, signature, pem), options, sigstore.Now)
                    : options.RekorV2Dsse == RekorV2DsseEntry.DsseV002
                    ? LogEntryWriter.Write(log, "dsse", "0.0.2", RekorBodies.DsseV002(payload, signature, keyDetails, v2Certificate, v2Key), options, sigstore.Now)
                    : LogEntryWriter.Write(log, "hashedrekord", "0.0.2", RekorBodies.HashedRekordV002(SHA256.HashData(pae), signature, keyDetails, v2Certificate, v2Key), options, sigstore.Now);
            }

            ReadOnlyMemory<byte>[] timestamps = [];
            if (options.Timestamp)
            {
                ITimestampMinter minter = sigstore.TimestampMinter
                    ?? throw new InvalidOperationException("this VirtualSigstore has no ITimestampMinter (VirtualSigstoreOptions.TimestampMinter)");
                timestamps = [minter.Timestamp(signature, options.TimestampTime ?? sigstore.Now)];
            }

            // v0.1/v0.2 carry x509CertificateChain, v0.3 a single certificate; key-signed bundles a hint.
            VerificationMaterial material = leaf is null ? VerificationMaterial.ForPublicKey(options.KeyHint, [entry], timestamps)
                : options.Version == BundleVersion.V0_3 ? VerificationMaterial.ForCertificate(leaf.Certificate.RawData, [entry], timestamps)
                : VerificationMaterial.ForCertificateChain([leaf.Certificate.RawData], [entry], timestamps);
            string mediaType = BundleMediaTypes.For(options.Version);
            SigstoreBundle bundle = messageSignature is not null
                ? new SigstoreBundle(mediaType, material, messageSignature)
                : new SigstoreBundle(mediaType, material, envelope!);
            return bundle.ToJson();
        }
        finally
        {
            issued?.Dispose();
        }
    }
}
