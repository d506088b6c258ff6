using System.Text;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;

namespace SupplyChain.Core.Tests.Bundles;

/// <summary>The typed bundle model built in code: checks at construction, private copies, and the JSON it writes.</summary>
public class BundleModelTests
{
    private static readonly byte[] Certificate = Convert.FromBase64String(BundleJsonBuilder.Certificate);

    [Fact]
    public void ToJson_writes_the_protobuf_specs_form_in_declaration_order()
    {
        string json = Encoding.UTF8.GetString(BundleJsonBuilder.V03MessageBundle().ToJson());
        Assert.StartsWith("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{\"certificate\":{\"rawBytes\":\"", json, StringComparison.Ordinal);
        Assert.Contains(
            "\"tlogEntries\":[{\"logIndex\":\"42\",\"logId\":{\"keyId\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"},\"kindVersion\":{\"kind\":\"hashedrekord\",\"version\":\"0.0.1\"},"
            + "\"integratedTime\":\"1700000000\",\"inclusionPromise\":{\"signedEntryTimestamp\":\"MEUCIQ==\"},\"inclusionProof\":{\"logIndex\":\"7\",\"rootHash\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"treeSize\":\"8\","
            + "\"hashes\":[\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"],\"checkpoint\":{\"envelope\":\"origin\\n8\\nAAAA\\n\\n\"}},\"canonicalizedBody\":\"e30=\"}]}",
            json,
            StringComparison.Ordinal);
        Assert.EndsWith(",\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\",\"digest\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"},\"signature\":\"MEUCIQ==\"}}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_values_are_left_out_and_an_empty_keyid_is_kept()
    {
        // Rekor v2: no integrated time; a first entry: index 0; no timestamps; an empty hint.
        var entry = new TransparencyLogEntry(0, new byte[32], "hashedrekord", "0.0.2", 0, null, new InclusionProof(0, new byte[32], 1, [], "c"), "{}"u8.ToArray());
        var bundle = new SigstoreBundle(
            BundleMediaTypes.V0_3,
            VerificationMaterial.ForPublicKey(null, [entry]),
            new DsseEnvelope("{}"u8.ToArray(), "application/vnd.in-toto+json", [new DsseSignature(new byte[] { 1 }, string.Empty), new DsseSignature(new byte[] { 2 }, null)]));
        string json = Encoding.UTF8.GetString(bundle.ToJson());
        Assert.Contains("\"verificationMaterial\":{\"publicKey\":{},\"tlogEntries\":[{\"logId\"", json, StringComparison.Ordinal);
        Assert.Contains("\"inclusionProof\":{\"rootHash\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"treeSize\":\"1\",\"checkpoint\":{\"envelope\":\"c\"}}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("integratedTime", json, StringComparison.Ordinal);
        Assert.DoesNotContain("timestampVerificationData", json, StringComparison.Ordinal);
        Assert.Contains("\"signatures\":[{\"sig\":\"AQ==\",\"keyid\":\"\"},{\"sig\":\"Ag==\"}]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_are_ascii_with_base64_plus_and_slash_unescaped()
    {
        var entry = new TransparencyLogEntry(1, new byte[] { 0xFB, 0xFF }, "hashedrekord", "0.0.1", 5, new byte[] { 0xFF }, new InclusionProof(0, new byte[32], 1, [], "log\n1\nroot\n\n\u2014 log sig\n\"q\\\"\n"), "{}"u8.ToArray());
        var bundle = new SigstoreBundle(BundleMediaTypes.V0_1, VerificationMaterial.ForCertificateChain([Certificate], [entry]), BundleJsonBuilder.Message());
        byte[] bytes = bundle.ToJson();
        string json = Encoding.ASCII.GetString(bytes);
        Assert.All(bytes, b => Assert.InRange(b, 0x20, 0x7E));
        Assert.Contains("\"keyId\":\"+/8=\"", json, StringComparison.Ordinal);
        Assert.Contains("\"envelope\":\"log\\n1\\nroot\\n\\n\\u2014 log sig\\n\\\"q\\\\\\\"\\n\"", json, StringComparison.Ordinal);
        Assert.Equal(entry.InclusionProof!.Checkpoint, SigstoreBundle.Parse(bytes).VerificationMaterial.TlogEntries[0].InclusionProof!.Checkpoint);
    }

    [Fact]
    public void The_model_keeps_private_copies_of_what_it_is_given()
    {
        byte[] signature = [1, 2, 3];
        byte[] payload = [4, 5];
        var envelope = new DsseEnvelope(payload, "t", [new DsseSignature(signature, null)]);
        signature[0] = 9;
        payload[0] = 9;
        Assert.Equal(new byte[] { 1, 2, 3 }, envelope.Signatures[0].Signature.ToArray());
        Assert.Equal(new byte[] { 4, 5 }, envelope.Payload.ToArray());
    }

    [Fact]
    public void A_null_array_for_an_optional_field_means_absent()
    {
        // A null byte[] converts to an empty ReadOnlyMemory<byte>?, not to null: the model reads it as "none".
        byte[]? none = null;
        var entry = new TransparencyLogEntry(1, new byte[32], "k", "v", 0, none, BundleJsonBuilder.Entry().InclusionProof, "{}"u8.ToArray());
        Assert.Null(entry.SignedEntryTimestamp);
        Assert.Null(new MessageSignature(null, none, new byte[] { 1 }).Digest);
    }

    [Theory]
    [InlineData("negative-log-index", "SC1010")]
    [InlineData("empty-log-id", "SC1009")]
    [InlineData("empty-body", "SC1009")]
    [InlineData("negative-integrated-time", "SC1014")]
    [InlineData("proof-index-at-tree-size", "SC1010")]
    [InlineData("too-many-proof-hashes", "SC1001")]
    [InlineData("empty-signature", "SC1009")]
    [InlineData("digest-without-algorithm", "SC1009")]
    [InlineData("unknown-digest-algorithm", "SC1016")]
    [InlineData("short-digest", "SC1016")]
    [InlineData("certificate-not-der", "SC1015")]
    [InlineData("empty-chain", "SC1011")]
    [InlineData("eleven-certificates", "SC1001")]
    [InlineData("thirty-three-entries", "SC1001")]
    [InlineData("empty-timestamp", "SC1009")]
    [InlineData("dsse-without-signatures", "SC1009")]
    [InlineData("payload-type-lone-surrogate", "SC1016")]
    [InlineData("unknown-media-type", "SC1007")]
    public void Invalid_values_fail_at_construction_with_the_parser_s_code(string defect, string code)
    {
        TransparencyLogEntry e = BundleJsonBuilder.Entry();
        Action build = defect switch
        {
            "negative-log-index" => () => _ = new TransparencyLogEntry(-1, e.LogId, e.Kind, e.KindVersion, 0, null, e.InclusionProof, e.CanonicalizedBody),
            "empty-log-id" => () => _ = new TransparencyLogEntry(1, ReadOnlyMemory<byte>.Empty, e.Kind, e.KindVersion, 0, null, e.InclusionProof, e.CanonicalizedBody),
            "empty-body" => () => _ = new TransparencyLogEntry(1, e.LogId, e.Kind, e.KindVersion, 0, null, e.InclusionProof, ReadOnlyMemory<byte>.Empty),
            "negative-integrated-time" => () => _ = new TransparencyLogEntry(1, e.LogId, e.Kind, e.KindVersion, -1, null, e.InclusionProof, e.CanonicalizedBody),
            "proof-index-at-tree-size" => () => _ = new InclusionProof(8, new byte[32], 8, [], null),
            "too-many-proof-hashes" => () => _ = new InclusionProof(0, new byte[32], 1, Enumerable.Repeat((ReadOnlyMemory<byte>)new byte[32], 65), null),
            "empty-signature" => () => _ = new MessageSignature(null, null, ReadOnlyMemory<byte>.Empty),
            "digest-without-algorithm" => () => _ = new MessageSignature(null, new byte[32], new byte[] { 1 }),
            "unknown-digest-algorithm" => () => _ = new MessageSignature("MD5", new byte[16], new byte[] { 1 }),
            "short-digest" => () => _ = new MessageSignature("SHA2_384", new byte[32], new byte[] { 1 }),
            "certificate-not-der" => () => VerificationMaterial.ForCertificate(Certificate.AsMemory(0, 100)),
            "empty-chain" => () => VerificationMaterial.ForCertificateChain([]),
            "eleven-certificates" => () => VerificationMaterial.ForCertificateChain(Enumerable.Repeat((ReadOnlyMemory<byte>)Certificate, 11)),
            "thirty-three-entries" => () => VerificationMaterial.ForCertificate(Certificate, Enumerable.Repeat(e, 33)),
            "empty-timestamp" => () => VerificationMaterial.ForCertificate(Certificate, [e], [ReadOnlyMemory<byte>.Empty]),
            "dsse-without-signatures" => () => _ = new DsseEnvelope(new byte[] { 1 }, "t", []),
            "payload-type-lone-surrogate" => () => _ = new DsseEnvelope(new byte[] { 1 }, "a\ud800b", [new DsseSignature(new byte[] { 1 }, null)]),
            _ => () => _ = new SigstoreBundle("application/vnd.dev.sigstore.bundle.v0.4+json", VerificationMaterial.ForCertificate(Certificate, [e]), BundleJsonBuilder.Message()),
        };
        var ex = Assert.Throws<MalformedInputException>(build);
        Assert.Equal(code, ex.Code);
    }

    [Fact]
    public void A_dsse_envelope_parses_on_its_own_as_strictly_as_in_a_bundle()
    {
        DsseEnvelope envelope = DsseEnvelope.Parse("{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"AQ==\"}]}"u8);
        Assert.Equal("t", envelope.PayloadType);
        Assert.Equal(string.Empty, envelope.Signatures[0].KeyId);
        Assert.False(DsseEnvelope.TryParse("{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":[{\"sig\":\"AQ==\"}],\"x\":1}"u8, out _, out SupplyChainException? unknown));
        Assert.Equal("SC1006", unknown.Code);
        Assert.False(DsseEnvelope.TryParse("{\"payloadType\":\"t\",\"payload\":\"e3 0=\",\"signatures\":[{\"sig\":\"AQ==\"}]}"u8, out _, out SupplyChainException? base64));
        Assert.Equal("SC1008", base64.Code);
    }

    [Fact]
    public void A_transparency_log_entry_parses_on_its_own()
    {
        byte[] json = Encoding.UTF8.GetBytes(BundleJsonBuilder.TlogEntry().ToJsonString());
        TransparencyLogEntry entry = TransparencyLogEntry.Parse(json);
        Assert.Equal(42, entry.LogIndex);
        Assert.Equal(8, entry.InclusionProof!.TreeSize);
        var ex = Assert.Throws<MalformedInputException>(() => TransparencyLogEntry.Parse("{\"logIndex\":\"-1\"}"u8));
        Assert.Equal("SC1010", ex.Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_verifier_refuses_a_signed_entity_with_both_or_neither_content_SC1013(bool both)
    {
        var entity = new SignedEntity(
            VerificationMaterial.ForCertificate(Certificate, [BundleJsonBuilder.Entry()]),
            both ? BundleJsonBuilder.Message() : null,
            both ? BundleJsonBuilder.V03DsseBundle().DsseEnvelope : null);
        var verifier = new SigstoreVerifier(TrustedRoot.Production);
        var ex = Assert.Throws<MalformedInputException>(() => verifier.Verify(entity, Artifact.FromBytes(new byte[] { 1 }), VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact("a", "b"))));
        Assert.Equal("SC1013", ex.Code);
    }

    [Fact]
    public void The_verifier_verifies_any_signed_entity_as_it_verifies_the_bundle_it_came_from()
    {
        string dir = Path.Combine(SupplyChain.Testing.TestPaths.TestData, "benchmark");
        SigstoreBundle bundle = SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(dir, "happy-path-v0.3", "bundle.sigstore.json")));
        var entity = new SignedEntity(bundle.VerificationMaterial, bundle.MessageSignature, null, "application/x-test-double");
        VerificationResult result = new SigstoreVerifier(TrustedRoot.Production).Verify(
            entity,
            Artifact.FromBytes(File.ReadAllBytes(Path.Combine(dir, "a.txt"))),
            VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(
                "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
                "https://token.actions.githubusercontent.com")));
        Assert.Equal("application/x-test-double", result.BundleMediaType);
    }

    private sealed record SignedEntity(VerificationMaterial VerificationMaterial, MessageSignature? MessageSignature, DsseEnvelope? DsseEnvelope, string MediaType = "test") : ISignedEntity;
}
