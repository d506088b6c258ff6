using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Bundles;

public class BundleParserTests
{
    [Fact]
    public void A_v03_message_bundle_parses_with_its_fields()
    {
        SigstoreBundle bundle = SigstoreBundle.Parse(BundleJsonBuilder.Bytes(BundleJsonBuilder.V03Message()));
        Assert.Equal(BundleVersion.V0_3, bundle.Version);
        Assert.True(bundle.VerificationMaterial.HasCertificate);
        Assert.Single(bundle.VerificationMaterial.TlogEntries);
        TransparencyLogEntry entry = bundle.VerificationMaterial.TlogEntries[0];
        Assert.Equal(42, entry.LogIndex);
        Assert.Equal(1700000000, entry.IntegratedTime);
        Assert.Equal("hashedrekord", entry.Kind);
        Assert.Equal(8, entry.InclusionProof!.TreeSize);
        Assert.NotNull(bundle.MessageSignature);
        Assert.Null(bundle.DsseEnvelope);
        Assert.Equal("SHA2_256", bundle.MessageSignature!.DigestAlgorithm);
    }

    [Theory]
    [InlineData("application/vnd.dev.sigstore.bundle+json;version=0.1", BundleVersion.V0_1)]
    [InlineData("application/vnd.dev.sigstore.bundle+json;version=0.2", BundleVersion.V0_2)]
    [InlineData("application/vnd.dev.sigstore.bundle+json;version=0.3", BundleVersion.V0_3)]
    [InlineData("application/vnd.dev.sigstore.bundle.v0.3+json", BundleVersion.V0_3)]
    public void Every_supported_media_type_spelling_maps_to_its_version(string mediaType, BundleVersion expected)
    {
        JsonObject bundle = expected == BundleVersion.V0_3 ? BundleJsonBuilder.V03Message() : BundleJsonBuilder.V01Message();
        bundle["mediaType"] = mediaType;
        Assert.Equal(expected, SigstoreBundle.Parse(BundleJsonBuilder.Bytes(bundle)).Version);
    }

    [Theory]
    [InlineData("application/vnd.dev.sigstore.bundle+json;version=99.9")]
    [InlineData("application/vnd.dev.sigstore.bundle.v0.4+json")]
    [InlineData("application/json")]
    [InlineData("")]
    public void Unknown_media_types_fail_SC1007(string mediaType)
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        bundle["mediaType"] = mediaType;
        AssertCode("SC1007", BundleJsonBuilder.Bytes(bundle));
    }

    [Theory]
    [InlineData("{\"mediaType\": \"x\"")]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"mediaType\": \"x\",}")]
    [InlineData("{\"mediaType\": 'x'}")]
    [InlineData("{/* comment */ \"mediaType\": \"x\"}")]
    public void Malformed_json_fails_SC1002(string json) => AssertCode("SC1002", Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Truncated_bundles_fail_SC1002_at_every_cut()
    {
        byte[] whole = BundleJsonBuilder.Bytes(BundleJsonBuilder.V03Message());
        for (int cut = 1; cut < whole.Length - 1; cut += 7)
        {
            var ex = Assert.ThrowsAny<SupplyChainException>(() => SigstoreBundle.Parse(whole.AsSpan(0, cut)));
            Assert.Equal("SC1002", ex.Code);
        }
    }

    [Theory]
    [InlineData("{} {}")]
    [InlineData("{} x")]
    [InlineData("{} 1")]
    public void Trailing_data_fails_SC1003(string suffixed) =>
        AssertCode("SC1003", Encoding.UTF8.GetBytes(suffixed));

    [Fact]
    public void Trailing_data_after_a_valid_bundle_fails_SC1003()
    {
        string json = BundleJsonBuilder.V03Message().ToJsonString() + "{\"mediaType\":\"x\"}";
        AssertCode("SC1003", Encoding.UTF8.GetBytes(json));
    }

    [Fact]
    public void Trailing_whitespace_is_allowed()
    {
        string json = BundleJsonBuilder.V03Message().ToJsonString() + "\n\r\n  ";
        Assert.Equal(BundleVersion.V0_3, SigstoreBundle.Parse(Encoding.UTF8.GetBytes(json)).Version);
    }

    [Fact]
    public void Duplicate_keys_fail_SC1004()
    {
        string json = BundleJsonBuilder.V03Message().ToJsonString();
        string duplicated = json.Replace("\"mediaType\":", "\"mediaType\":\"application/json\",\"mediaType\":", StringComparison.Ordinal);
        AssertCode("SC1004", Encoding.UTF8.GetBytes(duplicated));
    }

    [Fact]
    public void Duplicate_keys_nested_deep_fail_SC1004()
    {
        string json = BundleJsonBuilder.V03Message().ToJsonString();
        string duplicated = json.Replace("\"kind\":", "\"kind\":\"dsse\",\"kind\":", StringComparison.Ordinal);
        AssertCode("SC1004", Encoding.UTF8.GetBytes(duplicated));
    }

    [Fact]
    public void Deeply_nested_json_fails_SC1005()
    {
        string json = new string('[', 10_000) + new string(']', 10_000);
        AssertCode("SC1005", Encoding.UTF8.GetBytes(json));
    }

    [Fact]
    public void Unknown_fields_fail_SC1006()
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        bundle["verificationMaterial"]!["somethingNew"] = "x";
        AssertCode("SC1006", BundleJsonBuilder.Bytes(bundle));
    }

    [Theory]
    [InlineData("ME UCIQ==")]
    [InlineData("MEUCIQ==\n")]
    [InlineData("MEUCIQ=")]
    [InlineData("MEUCIQ===")]
    [InlineData("ME=UCIQ=")]
    [InlineData("MEUCI")]
    [InlineData("MEUC*Q==")]
    [InlineData("ME+C_Q==")]
    [InlineData("MEUCIR==")]
    [InlineData("MEUCIQ1=")]
    public void Invalid_base64_fails_SC1008(string signature)
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        bundle["messageSignature"]!["signature"] = signature;
        AssertCode("SC1008", BundleJsonBuilder.Bytes(bundle));
    }

    [Theory]
    [InlineData("MEUCIQ")]
    [InlineData("-_-_")]
    public void Unpadded_and_url_safe_base64_are_accepted_as_proto3_json_allows(string signature)
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        bundle["messageSignature"]!["signature"] = signature;
        Assert.NotNull(SigstoreBundle.Parse(BundleJsonBuilder.Bytes(bundle)).MessageSignature);
    }

    [Theory]
    [InlineData("mediaType")]
    [InlineData("verificationMaterial")]
    public void Missing_top_level_fields_fail_SC1009(string field)
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        bundle.Remove(field);
        AssertCode("SC1009", BundleJsonBuilder.Bytes(bundle));
    }

    [Theory]
    [InlineData("logId")]
    [InlineData("kindVersion")]
    [InlineData("canonicalizedBody")]
    public void Missing_entry_fields_fail_SC1009(string field)
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        bundle["verificationMaterial"]!["tlogEntries"]![0]!.AsObject().Remove(field);
        AssertCode("SC1009", BundleJsonBuilder.Bytes(bundle));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-9223372036854775808")]
    public void Negative_log_index_fails_SC1010(string index)
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        bundle["verificationMaterial"]!["tlogEntries"]![0]!["logIndex"] = index;
        AssertCode("SC1010", BundleJsonBuilder.Bytes(bundle));
    }

    [Fact]
    public void Proof_index_not_below_tree_size_fails_SC1010()
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        bundle["verificationMaterial"]!["tlogEntries"]![0]!["inclusionProof"]!["logIndex"] = "8";
        AssertCode("SC1010", BundleJsonBuilder.Bytes(bundle));
    }

    [Theory]
    [InlineData("\"12x\"")]
    [InlineData("1.5")]
    [InlineData("\"99999999999999999999\"")]
    [InlineData("true")]
    public void Non_integer_numbers_fail_SC1002(string value)
    {
        string json = BundleJsonBuilder.V03Message().ToJsonString().Replace("\"logIndex\":\"42\"", "\"logIndex\":" + value, StringComparison.Ordinal);
        AssertCode("SC1002", Encoding.UTF8.GetBytes(json));
    }

    [Fact]
    public void Empty_certificate_chain_fails_SC1011()
    {
        JsonObject bundle = BundleJsonBuilder.V01Message();
        bundle["verificationMaterial"]!["x509CertificateChain"]!["certificates"] = new JsonArray();
        AssertCode("SC1011", BundleJsonBuilder.Bytes(bundle));
    }

    [Fact]
    public void V01_entry_without_inclusion_promise_fails_SC1012()
    {
        JsonObject bundle = BundleJsonBuilder.V01Message();
        bundle["verificationMaterial"]!["tlogEntries"] = new JsonArray(BundleJsonBuilder.TlogEntry(promise: false));
        AssertCode("SC1012", BundleJsonBuilder.Bytes(bundle));
    }

    [Theory]
    [InlineData("application/vnd.dev.sigstore.bundle+json;version=0.2")]
    [InlineData("application/vnd.dev.sigstore.bundle.v0.3+json")]
    public void V02_and_later_entries_without_inclusion_proof_fail_SC1012(string mediaType)
    {
        JsonObject bundle = mediaType.Contains("0.2", StringComparison.Ordinal) ? BundleJsonBuilder.V01Message() : BundleJsonBuilder.V03Message();
        bundle["mediaType"] = mediaType;
        bundle["verificationMaterial"]!["tlogEntries"] = new JsonArray(BundleJsonBuilder.TlogEntry(proof: false));
        AssertCode("SC1012", BundleJsonBuilder.Bytes(bundle));
    }

    [Fact]
    public void V03_with_a_certificate_chain_fails_SC1012()
    {
        JsonObject bundle = BundleJsonBuilder.V01Message();
        bundle["mediaType"] = "application/vnd.dev.sigstore.bundle.v0.3+json";
        AssertCode("SC1012", BundleJsonBuilder.Bytes(bundle));
    }

    [Fact]
    public void Two_kinds_of_verification_material_fail_SC1012()
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        bundle["verificationMaterial"]!["publicKey"] = new JsonObject { ["hint"] = "abc" };
        AssertCode("SC1012", BundleJsonBuilder.Bytes(bundle));
    }

    [Fact]
    public void Both_message_signature_and_envelope_fail_SC1013()
    {
        JsonObject bundle = BundleJsonBuilder.V03Dsse();
        bundle["messageSignature"] = new JsonObject { ["signature"] = "MEUCIQ==" };
        AssertCode("SC1013", BundleJsonBuilder.Bytes(bundle));
    }

    [Fact]
    public void Neither_message_signature_nor_envelope_fails_SC1013()
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        bundle.Remove("messageSignature");
        AssertCode("SC1013", BundleJsonBuilder.Bytes(bundle));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(100)]
    public void Truncated_certificate_der_fails_SC1015(int keep)
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        byte[] der = Convert.FromBase64String(BundleJsonBuilder.Certificate);
        bundle["verificationMaterial"]!["certificate"]!["rawBytes"] = Convert.ToBase64String(der.AsSpan(0, keep));
        AssertCode("SC1015", BundleJsonBuilder.Bytes(bundle));
    }

    [Fact]
    public void Certificate_der_with_trailing_bytes_fails_SC1015()
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        byte[] der = [.. Convert.FromBase64String(BundleJsonBuilder.Certificate), 0x00];
        bundle["verificationMaterial"]!["certificate"]!["rawBytes"] = Convert.ToBase64String(der);
        AssertCode("SC1015", BundleJsonBuilder.Bytes(bundle));
    }

    [Fact]
    public void Unknown_digest_algorithm_fails_SC1016()
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        bundle["messageSignature"]!["messageDigest"]!["algorithm"] = "MD5";
        AssertCode("SC1016", BundleJsonBuilder.Bytes(bundle));
    }

    [Fact]
    public void Oversized_bundles_fail_SC1001_before_parsing()
    {
        byte[] huge = new byte[(32 * 1024 * 1024) + 1];
        huge.AsSpan().Fill((byte)' ');
        AssertCode("SC1001", huge);
    }

    [Fact]
    public void Too_many_tlog_entries_fail_SC1001()
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        var entries = new JsonArray();
        for (int i = 0; i < 33; i++)
        {
            entries.Add(BundleJsonBuilder.TlogEntry());
        }

        bundle["verificationMaterial"]!["tlogEntries"] = entries;
        AssertCode("SC1001", BundleJsonBuilder.Bytes(bundle));
    }

    [Fact]
    public void TryParse_reports_the_error_without_throwing()
    {
        Assert.False(SigstoreBundle.TryParse("{"u8, out SigstoreBundle? bundle, out SupplyChainException? error));
        Assert.Null(bundle);
        Assert.Equal("SC1002", error!.Code);
        Assert.IsType<MalformedInputException>(error);
    }

    [Fact]
    public void A_dsse_bundle_parses_its_envelope()
    {
        SigstoreBundle bundle = SigstoreBundle.Parse(BundleJsonBuilder.Bytes(BundleJsonBuilder.V03Dsse()));
        Assert.Equal("application/vnd.in-toto+json", bundle.DsseEnvelope!.PayloadType);
        Assert.Equal("{}"u8.ToArray(), bundle.DsseEnvelope.Payload.ToArray());
        Assert.Single(bundle.DsseEnvelope.Signatures);
    }

    [Fact]
    public void Key_signed_bundles_keep_the_hint()
    {
        JsonObject bundle = BundleJsonBuilder.V03Message();
        JsonObject vm = bundle["verificationMaterial"]!.AsObject();
        vm.Remove("certificate");
        vm["publicKey"] = new JsonObject { ["hint"] = "my-key" };
        SigstoreBundle parsed = SigstoreBundle.Parse(BundleJsonBuilder.Bytes(bundle));
        Assert.False(parsed.VerificationMaterial.HasCertificate);
        Assert.Equal("my-key", parsed.VerificationMaterial.PublicKeyHint);
    }

    private static void AssertCode(string code, byte[] json) => ErrorAssert.AssertCode(code, () => SigstoreBundle.Parse(json));
}
