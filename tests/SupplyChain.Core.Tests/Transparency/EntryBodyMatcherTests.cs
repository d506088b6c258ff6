using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Transparency;
using SupplyChain.Core.Verification;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Transparency;

public sealed class EntryBodyMatcherTests : IDisposable
{
    private static readonly byte[] ArtifactBytes = "hello, transparency"u8.ToArray();
    private static readonly byte[] Signature = RandomNumberGenerator.GetBytes(71);
    private static readonly byte[] Payload = "{\"_type\":\"https://in-toto.io/Statement/v1\"}"u8.ToArray();
    private const string PayloadType = "application/vnd.in-toto+json";
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _certificate;
    private readonly byte[] _spki;

    public EntryBodyMatcherTests()
    {
        var request = new CertificateRequest("CN=signer", _key, HashAlgorithmName.SHA256);
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        _certificate = certificate.RawData;
        _spki = _key.ExportSubjectPublicKeyInfo();
    }

    public void Dispose() => _key.Dispose();

    // ---------- subjects ----------

    private TlogSubject MessageSubject(byte[]? signature = null, bool certificate = true, Artifact? artifact = null)
        => new(new MessageSignature("SHA2_256", SHA256.HashData(ArtifactBytes), signature ?? Signature), null, certificate ? _certificate : _spki, certificate, artifact ?? Artifact.FromBytes(ArtifactBytes), _spki);

    private TlogSubject DsseSubject(byte[]? payload = null, byte[]? signature = null, int signatures = 1)
        => new(null, new DsseEnvelope(payload ?? Payload, PayloadType, Enumerable.Range(0, signatures).Select(_ => new DsseSignature(signature ?? Signature, null)).ToList()), _certificate, true, null, _spki);

    // ---------- bodies ----------

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    private static string Pem(string label, byte[] der) => B64(System.Text.Encoding.ASCII.GetBytes(PemEncoding.WriteString(label, der)));

    private string CertPem => Pem("CERTIFICATE", _certificate);

    private static TransparencyLogEntry Entry(object body, string kind, string version)
        => new(1, new byte[32], kind, version, 0, null, null, JsonSerializer.SerializeToUtf8Bytes(body));

    private static TransparencyLogEntry RawEntry(string body, string kind, string version)
        => new(1, new byte[32], kind, version, 0, null, null, System.Text.Encoding.UTF8.GetBytes(body));

    private static object HashedRekordV001(string alg, byte[] digest, byte[] signature, string pemB64) => new
    {
        apiVersion = "0.0.1",
        kind = "hashedrekord",
        spec = new
        {
            data = new { hash = new { algorithm = alg, value = Convert.ToHexStringLower(digest) } },
            signature = new { content = B64(signature), publicKey = new { content = pemB64 } },
        },
    };

    private static object RawVerifier(byte[] der, bool certificate) => certificate
        ? new { keyDetails = "PKIX_ECDSA_P256_SHA_256", x509Certificate = new { rawBytes = B64(der) } }
        : new { keyDetails = "PKIX_ECDSA_P256_SHA_256", publicKey = new { rawBytes = B64(der) } };

    private static object HashedRekordV002(string alg, byte[] digest, byte[] signature, object verifier) => new
    {
        apiVersion = "0.0.2",
        kind = "hashedrekord",
        spec = new { hashedRekordV002 = new { data = new { algorithm = alg, digest = B64(digest) }, signature = new { content = B64(signature), verifier } } },
    };

    private static object DsseV001(byte[] payloadHash, byte[][] signatures, string verifierPem) => new
    {
        apiVersion = "0.0.1",
        kind = "dsse",
        spec = new
        {
            envelopeHash = new { algorithm = "sha256", value = new string('0', 64) },
            payloadHash = new { algorithm = "sha256", value = Convert.ToHexStringLower(payloadHash) },
            signatures = signatures.Select(s => new { signature = B64(s), verifier = verifierPem }).ToArray(),
        },
    };

    private static object DsseV002(byte[] payloadHash, byte[] signature, object verifier) => new
    {
        apiVersion = "0.0.2",
        kind = "dsse",
        spec = new { dsseV002 = new { payloadHash = new { algorithm = "SHA2_256", digest = B64(payloadHash) }, signatures = new[] { new { content = B64(signature), verifier } } } },
    };

    private static object IntotoV002(string payloadType, byte[]? payload, byte[] payloadHash, byte[] signature, string publicKeyPem) => new
    {
        apiVersion = "0.0.2",
        kind = "intoto",
        spec = new
        {
            content = new
            {
                envelope = payload is null
                    ? (object)new { payloadType, signatures = new[] { new { sig = B64(System.Text.Encoding.ASCII.GetBytes(B64(signature))), publicKey = publicKeyPem } } }
                    : new { payload = B64(System.Text.Encoding.ASCII.GetBytes(B64(payload))), payloadType, signatures = new[] { new { sig = B64(System.Text.Encoding.ASCII.GetBytes(B64(signature))), publicKey = publicKeyPem } } },
                hash = new { algorithm = "sha256", value = new string('0', 64) },
                payloadHash = new { algorithm = "sha256", value = Convert.ToHexStringLower(payloadHash) },
            },
        },
    };

    private static byte[] Pae(string type, byte[] body)
        => [.. System.Text.Encoding.UTF8.GetBytes($"DSSEv1 {System.Text.Encoding.UTF8.GetByteCount(type)} {type} {body.Length} "), .. body];

    /// <summary>Asserts that <paramref name="entry"/> matches <paramref name="subject"/>, and that the same entry does not match it with the signature changed (a matcher that accepts everything fails here).</summary>
    private static void AssertMatches(TransparencyLogEntry entry, TlogSubject subject, TlogSubject withOtherSignature)
    {
        Assert.Null(Record.Exception(() => EntryBodyMatcher.Match(entry, subject)));
        AssertCode("SC1204", entry, withOtherSignature);
    }

    private static void AssertCode(string code, TransparencyLogEntry entry, TlogSubject subject) =>
        ErrorAssert.AssertCode<VerificationFailedException>(code, () => EntryBodyMatcher.Match(entry, subject));

    // ---------- hashedrekord 0.0.1 ----------

    [Fact]
    public void HashedRekord_v001_matches_the_bundle_certificate_signature_and_artifact()
    {
        byte[] other = [.. Signature, 0];
        AssertMatches(Entry(HashedRekordV001("sha256", SHA256.HashData(ArtifactBytes), Signature, CertPem), "hashedrekord", "0.0.1"), MessageSubject(), MessageSubject(signature: other));
        AssertMatches(Entry(HashedRekordV001("sha512", SHA512.HashData(ArtifactBytes), Signature, CertPem), "hashedrekord", "0.0.1"), MessageSubject(), MessageSubject(signature: other));
        AssertMatches(Entry(HashedRekordV001("sha256", SHA256.HashData(ArtifactBytes), Signature, Pem("PUBLIC KEY", _spki)), "hashedrekord", "0.0.1"), MessageSubject(certificate: false), MessageSubject(signature: other, certificate: false));
    }

    [Fact]
    public void HashedRekord_v001_for_another_artifact_signature_or_signer_is_rejected_with_SC1204()
    {
        // CVE-2022-36056: a valid entry of another artifact, signature or certificate must not be accepted.
        AssertCode("SC1204", Entry(HashedRekordV001("sha256", SHA256.HashData("other"u8), Signature, CertPem), "hashedrekord", "0.0.1"), MessageSubject());
        AssertCode("SC1204", Entry(HashedRekordV001("sha256", SHA256.HashData(ArtifactBytes), Signature, CertPem), "hashedrekord", "0.0.1"), MessageSubject(signature: [.. Signature, 0]));
        AssertCode("SC1204", Entry(HashedRekordV001("sha256", SHA256.HashData(ArtifactBytes), Signature, Pem("CERTIFICATE", [.. _certificate, 0])), "hashedrekord", "0.0.1"), MessageSubject());

        // The key of the certificate is not the certificate.
        AssertCode("SC1204", Entry(HashedRekordV001("sha256", SHA256.HashData(ArtifactBytes), Signature, Pem("PUBLIC KEY", _spki)), "hashedrekord", "0.0.1"), MessageSubject());
        AssertCode("SC1204", Entry(HashedRekordV001("sha256", SHA256.HashData(ArtifactBytes), Signature, CertPem), "hashedrekord", "0.0.1"), MessageSubject(certificate: false));
    }

    [Fact]
    public void A_digest_only_artifact_under_another_algorithm_cannot_match()
    {
        Artifact digestOnly = Artifact.FromDigest(HashAlgorithmName.SHA256, SHA256.HashData(ArtifactBytes));
        EntryBodyMatcher.Match(Entry(HashedRekordV001("sha256", SHA256.HashData(ArtifactBytes), Signature, CertPem), "hashedrekord", "0.0.1"), MessageSubject(artifact: digestOnly));
        AssertCode("SC1204", Entry(HashedRekordV001("sha512", SHA512.HashData(ArtifactBytes), Signature, CertPem), "hashedrekord", "0.0.1"), MessageSubject(artifact: digestOnly));
    }

    [Theory]
    [InlineData("{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{}}")]
    [InlineData("{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\"")]
    [InlineData("[]")]
    [InlineData("{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"kind\":\"hashedrekord\",\"spec\":{}}")]
    [InlineData("{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"md5\",\"value\":\"00\"}}}}")]
    [InlineData("{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\"zz\"}},\"signature\":{\"content\":\"AA==\",\"publicKey\":{\"content\":\"AA==\"}}}}")]
    [InlineData("{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\"00\"}},\"signature\":{\"content\":\"A\",\"publicKey\":{\"content\":\"AA==\"}}}}")]
    [InlineData("{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\"00\"}},\"signature\":{\"content\":\"AA==\",\"publicKey\":{\"content\":\"bm90IHBlbQ==\"}}}}")]
    [InlineData("{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\"00\"}},\"signature\":{\"content\":\"AA==\",\"publicKey\":{\"content\":1}}}}")]
    public void Malformed_bodies_are_rejected_with_SC1205(string body)
        => AssertCode("SC1205", RawEntry(body, "hashedrekord", "0.0.1"), MessageSubject());

    [Fact]
    public void The_body_kind_and_version_must_be_the_ones_the_entry_declares()
    {
        object body = HashedRekordV001("sha256", SHA256.HashData(ArtifactBytes), Signature, CertPem);
        AssertCode("SC1204", Entry(body, "hashedrekord", "0.0.2"), MessageSubject());
    }

    [Theory]
    [InlineData("rekord", "0.0.1")]
    [InlineData("hashedrekord", "0.0.3")]
    [InlineData("intoto", "0.0.1")]
    [InlineData("helm", "0.0.1")]
    [InlineData("dsse", "0.0.3")]
    public void Unsupported_kinds_are_rejected_with_SC1203(string kind, string version)
        => AssertCode("SC1203", RawEntry("{}", kind, version), MessageSubject());

    // ---------- hashedrekord 0.0.2 ----------

    [Fact]
    public void HashedRekord_v002_matches_and_rejects_swaps()
    {
        byte[] digest = SHA256.HashData(ArtifactBytes);
        EntryBodyMatcher.Match(Entry(HashedRekordV002("SHA2_256", digest, Signature, RawVerifier(_certificate, true)), "hashedrekord", "0.0.2"), MessageSubject());
        EntryBodyMatcher.Match(Entry(HashedRekordV002("SHA2_256", digest, Signature, RawVerifier(_spki, false)), "hashedrekord", "0.0.2"), MessageSubject(certificate: false));
        EntryBodyMatcher.Match(Entry(HashedRekordV002("SHA2_384", SHA384.HashData(ArtifactBytes), Signature, RawVerifier(_certificate, true)), "hashedrekord", "0.0.2"), MessageSubject());

        AssertCode("SC1204", Entry(HashedRekordV002("SHA2_256", SHA256.HashData("x"u8), Signature, RawVerifier(_certificate, true)), "hashedrekord", "0.0.2"), MessageSubject());
        AssertCode("SC1204", Entry(HashedRekordV002("SHA2_256", digest, [1, 2, 3], RawVerifier(_certificate, true)), "hashedrekord", "0.0.2"), MessageSubject());
        AssertCode("SC1204", Entry(HashedRekordV002("SHA2_256", digest, Signature, RawVerifier(OtherSpki(), false)), "hashedrekord", "0.0.2"), MessageSubject());
        AssertCode("SC1204", Entry(HashedRekordV002("SHA2_256", digest, Signature, RawVerifier(_certificate, true)), "hashedrekord", "0.0.2"), MessageSubject(certificate: false));
        AssertCode("SC1205", Entry(HashedRekordV002("SHA-256", digest, Signature, RawVerifier(_certificate, true)), "hashedrekord", "0.0.2"), MessageSubject());
        AssertCode("SC1205", Entry(HashedRekordV002("SHA2_256", digest, Signature, new { keyDetails = "X" }), "hashedrekord", "0.0.2"), MessageSubject());
    }

    // Issue 14: a Rekor v2 entry may name its signer by the leaf certificate's key while the bundle carries the certificate.
    [Fact]
    public void A_Rekor_v2_entry_naming_the_leaf_certificate_s_key_matches_a_certificate_bundle()
    {
        byte[] digest = SHA256.HashData(ArtifactBytes);
        byte[] other = [.. Signature, 0];
        AssertMatches(Entry(HashedRekordV002("SHA2_256", digest, Signature, RawVerifier(_spki, false)), "hashedrekord", "0.0.2"), MessageSubject(), MessageSubject(signature: other));
        AssertMatches(Entry(DsseV002(SHA256.HashData(Payload), Signature, RawVerifier(_spki, false)), "dsse", "0.0.2"), DsseSubject(), DsseSubject(signature: other));
        AssertMatches(Entry(HashedRekordV002("SHA2_256", SHA256.HashData(Pae(PayloadType, Payload)), Signature, RawVerifier(_spki, false)), "hashedrekord", "0.0.2"), DsseSubject(), DsseSubject(signature: other));
    }

    [Fact]
    public void A_Rekor_v2_entry_naming_any_other_key_does_not_match_a_certificate_bundle()
    {
        byte[] digest = SHA256.HashData(ArtifactBytes);
        byte[] other = OtherSpki();
        var ex = Assert.Throws<VerificationFailedException>(() => EntryBodyMatcher.Match(Entry(HashedRekordV002("SHA2_256", digest, Signature, RawVerifier(other, false)), "hashedrekord", "0.0.2"), MessageSubject()));
        Assert.Equal("SC1204: the log entry body does not match the bundle: the entry's public key is not the key of the bundle's certificate", ex.Message);

        // The leaf's key with one byte changed, and the key where the signer's key is unknown, fail the same way.
        byte[] flipped = [.. _spki];
        flipped[^1] ^= 1;
        AssertCode("SC1204", Entry(HashedRekordV002("SHA2_256", digest, Signature, RawVerifier(flipped, false)), "hashedrekord", "0.0.2"), MessageSubject());
        var unknownSigner = MessageSubject() with { SignerSpki = default };
        AssertCode("SC1204", Entry(HashedRekordV002("SHA2_256", digest, Signature, RawVerifier(_spki, false)), "hashedrekord", "0.0.2"), unknownSigner);
    }

    [Fact]
    public void A_Rekor_v1_entry_naming_the_leaf_key_still_does_not_match_a_certificate_bundle()
        => AssertCode("SC1204", Entry(HashedRekordV001("sha256", SHA256.HashData(ArtifactBytes), Signature, Pem("PUBLIC KEY", _spki)), "hashedrekord", "0.0.1"), MessageSubject());

    private static byte[] OtherSpki()
    {
        using ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return other.ExportSubjectPublicKeyInfo();
    }

    [Fact]
    public void A_message_bundle_is_not_matched_by_a_dsse_entry()
        => AssertCode("SC1204", Entry(DsseV001(SHA256.HashData(ArtifactBytes), [Signature], CertPem), "dsse", "0.0.1"), MessageSubject());

    // ---------- dsse 0.0.1 / 0.0.2 ----------

    [Fact]
    public void Dsse_v001_matches_the_payload_signature_and_verifier()
    {
        EntryBodyMatcher.Match(Entry(DsseV001(SHA256.HashData(Payload), [Signature], CertPem), "dsse", "0.0.1"), DsseSubject());
        AssertCode("SC1204", Entry(DsseV001(SHA256.HashData(Payload), [Signature], CertPem), "dsse", "0.0.1"), DsseSubject(payload: [.. Payload, 0x20]));
        AssertCode("SC1204", Entry(DsseV001(SHA256.HashData(Payload), [Signature], CertPem), "dsse", "0.0.1"), DsseSubject(signature: [9, 9]));
        AssertCode("SC1204", Entry(DsseV001(SHA256.HashData(Payload), [Signature], Pem("PUBLIC KEY", _spki)), "dsse", "0.0.1"), DsseSubject());
        AssertCode("SC1204", Entry(DsseV001(SHA256.HashData(Payload), [Signature, Signature], CertPem), "dsse", "0.0.1"), DsseSubject());
        AssertCode("SC1204", Entry(DsseV001(SHA256.HashData(Payload), [Signature], CertPem), "dsse", "0.0.1"), DsseSubject(signatures: 2));
    }

    [Fact]
    public void Dsse_v002_matches_the_payload_signature_and_verifier()
    {
        EntryBodyMatcher.Match(Entry(DsseV002(SHA256.HashData(Payload), Signature, RawVerifier(_certificate, true)), "dsse", "0.0.2"), DsseSubject());
        AssertCode("SC1204", Entry(DsseV002(SHA256.HashData(Payload), Signature, RawVerifier(_certificate, true)), "dsse", "0.0.2"), DsseSubject(payload: [0x7B, 0x7D]));
        AssertCode("SC1204", Entry(DsseV002(SHA256.HashData(Payload), Signature, RawVerifier(_certificate, true)), "dsse", "0.0.2"), DsseSubject(signature: [1]));
        AssertCode("SC1204", Entry(DsseV002(SHA256.HashData(Payload), Signature, RawVerifier(OtherSpki(), false)), "dsse", "0.0.2"), DsseSubject());
    }

    [Fact]
    public void A_dsse_bundle_is_not_matched_by_a_hashedrekord_v001_entry()
        => AssertCode("SC1204", Entry(HashedRekordV001("sha256", SHA256.HashData(Pae(PayloadType, Payload)), Signature, CertPem), "hashedrekord", "0.0.1"), DsseSubject());

    // ---------- intoto 0.0.2 ----------

    [Fact]
    public void Intoto_v002_reads_the_double_base64_payload_and_signature()
    {
        EntryBodyMatcher.Match(Entry(IntotoV002(PayloadType, Payload, SHA256.HashData(Payload), Signature, CertPem), "intoto", "0.0.2"), DsseSubject());
        EntryBodyMatcher.Match(Entry(IntotoV002(PayloadType, null, SHA256.HashData(Payload), Signature, CertPem), "intoto", "0.0.2"), DsseSubject());

        AssertCode("SC1204", Entry(IntotoV002(PayloadType, Payload, SHA256.HashData(Payload), [5, 5, 5], CertPem), "intoto", "0.0.2"), DsseSubject());
        AssertCode("SC1204", Entry(IntotoV002("text/plain", Payload, SHA256.HashData(Payload), Signature, CertPem), "intoto", "0.0.2"), DsseSubject());
        AssertCode("SC1204", Entry(IntotoV002(PayloadType, [.. Payload, 0x20], SHA256.HashData(Payload), Signature, CertPem), "intoto", "0.0.2"), DsseSubject());
        AssertCode("SC1204", Entry(IntotoV002(PayloadType, Payload, SHA256.HashData("x"u8), Signature, CertPem), "intoto", "0.0.2"), DsseSubject());
        AssertCode("SC1204", Entry(IntotoV002(PayloadType, Payload, SHA256.HashData(Payload), Signature, Pem("PUBLIC KEY", _spki)), "intoto", "0.0.2"), DsseSubject());
    }

    [Fact]
    public void Intoto_v002_with_a_single_base64_signature_records_another_signature()
    {
        string body = $"{{\"apiVersion\":\"0.0.2\",\"kind\":\"intoto\",\"spec\":{{\"content\":{{\"envelope\":{{\"payloadType\":\"{PayloadType}\",\"signatures\":[{{\"sig\":\"{B64([0x00, 0x01, 0xFF])}\",\"publicKey\":\"{CertPem}\"}}]}},\"payloadHash\":{{\"algorithm\":\"sha256\",\"value\":\"{Convert.ToHexStringLower(SHA256.HashData(Payload))}\"}}}}}}}}";
        AssertCode("SC1204", RawEntry(body, "intoto", "0.0.2"), DsseSubject());
    }

    // ---------- DSSE logged as hashedrekord 0.0.2 ----------

    [Fact]
    public void Dsse_as_hashedrekord_v002_binds_the_PAE_digest_and_signature()
    {
        byte[] pae = SHA256.HashData(Pae(PayloadType, Payload));
        Assert.Equal(pae, DsseBodies.PaeDigest(HashAlgorithmName.SHA256, PayloadType, Payload));
        EntryBodyMatcher.Match(Entry(HashedRekordV002("SHA2_256", pae, Signature, RawVerifier(_certificate, true)), "hashedrekord", "0.0.2"), DsseSubject());

        // The payload's own hash is not the PAE hash: an envelope with another type or payload fails.
        AssertCode("SC1204", Entry(HashedRekordV002("SHA2_256", SHA256.HashData(Payload), Signature, RawVerifier(_certificate, true)), "hashedrekord", "0.0.2"), DsseSubject());
        AssertCode("SC1204", Entry(HashedRekordV002("SHA2_256", pae, Signature, RawVerifier(_certificate, true)), "hashedrekord", "0.0.2"), DsseSubject(payload: [0x31]));
        AssertCode("SC1204", Entry(HashedRekordV002("SHA2_256", pae, Signature, RawVerifier(_certificate, true)), "hashedrekord", "0.0.2"), DsseSubject(signature: [0x31]));
    }
}
