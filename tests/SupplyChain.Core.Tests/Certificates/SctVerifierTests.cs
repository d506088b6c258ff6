using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Certificates;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using static SupplyChain.Testing.ErrorAssert;

namespace SupplyChain.Core.Tests.Certificates;

public class SctVerifierTests
{
    private static readonly TestCa Root = TestPki.Root();
    private static readonly TestCa Intermediate = TestPki.Intermediate(Root);
    private static readonly ECDsa LogKey = TestPki.NewEcKey();
    private static readonly ulong Timestamp = (ulong)TestPki.Epoch.ToUnixTimeMilliseconds();

    // A Static CT (tesseract) style extension: leaf_index(0), length 5, 40-bit index.
    private static readonly byte[] LeafIndexExtension = [0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x2a];

    private static TestTrust Trust(params TransparencyLogInstance[] logs) => new() { CertificateTransparencyLogs = logs };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_SCT_signed_over_the_precertificate_verifies(bool withExtensions)
    {
        byte[] extensions = withExtensions ? LeafIndexExtension : [];
        X509Certificate2 leaf = TestPki.LeafWithScts(Intermediate, tbs => [TestPki.SignSct(LogKey, Intermediate.Certificate, tbs, Timestamp, extensions)]);
        SctVerifier.Verify(leaf, Intermediate.Certificate, Trust(TestPki.CtLog(LogKey)));
    }

    [Fact]
    public void A_remembered_success_is_per_trusted_material()
    {
        X509Certificate2 leaf = TestPki.LeafWithScts(Intermediate, tbs => [TestPki.SignSct(LogKey, Intermediate.Certificate, tbs, Timestamp, [])]);
        TestTrust trust = Trust(TestPki.CtLog(LogKey));
        SctVerifier.Verify(leaf, Intermediate.Certificate, trust);
        SctVerifier.Verify(leaf, Intermediate.Certificate, trust);
        using ECDsa other = TestPki.NewEcKey();
        AssertCode(CoreErrors.SctInvalid, () => SctVerifier.Verify(leaf, Intermediate.Certificate, Trust(TestPki.CtLog(other))));
    }

    [Fact]
    public void An_RSA_PKCS1_log_is_supported()
    {
        using var rsa = RSA.Create(2048);
        X509Certificate2 leaf = TestPki.LeafWithScts(Intermediate, tbs => [TestPki.SignSct(rsa, Intermediate.Certificate, tbs, Timestamp, [])]);
        SctVerifier.Verify(leaf, Intermediate.Certificate, Trust(TestPki.CtLog(rsa)));
    }

    [Fact]
    public void One_verifying_SCT_among_several_is_enough()
    {
        using ECDsa unknownLog = TestPki.NewEcKey();
        X509Certificate2 leaf = TestPki.LeafWithScts(Intermediate, tbs =>
        [
            TestPki.SignSct(unknownLog, Intermediate.Certificate, tbs, Timestamp, []),
            [0x01, 0x02, 0x03],
            TestPki.SignSct(LogKey, Intermediate.Certificate, tbs, Timestamp, LeafIndexExtension),
        ]);
        SctVerifier.Verify(leaf, Intermediate.Certificate, Trust(TestPki.CtLog(LogKey)));
    }

    [Fact]
    public void Extensions_are_covered_by_the_signature()
    {
        X509Certificate2 leaf = TestPki.LeafWithScts(Intermediate, tbs =>
        {
            byte[] signed = TestPki.SignSct(LogKey, Intermediate.Certificate, tbs, Timestamp, LeafIndexExtension);
            signed[43 + LeafIndexExtension.Length - 1] ^= 0x01; // last byte of the extensions
            return [signed];
        });
        AssertCode(CoreErrors.SctInvalid, () => SctVerifier.Verify(leaf, Intermediate.Certificate, Trust(TestPki.CtLog(LogKey))));
    }

    [Fact]
    public void An_SCT_over_another_TBS_is_SC1306()
    {
        X509Certificate2 other = TestPki.Leaf(Intermediate);
        X509Certificate2 leaf = TestPki.LeafWithScts(Intermediate, _ => [TestPki.SignSct(LogKey, Intermediate.Certificate, TestPki.TbsOf(other), Timestamp, [])]);
        AssertCode(CoreErrors.SctInvalid, () => SctVerifier.Verify(leaf, Intermediate.Certificate, Trust(TestPki.CtLog(LogKey))));
    }

    [Fact]
    public void The_issuer_key_hash_is_covered_by_the_signature()
    {
        X509Certificate2 leaf = TestPki.LeafWithScts(Intermediate, tbs => [TestPki.SignSct(LogKey, Intermediate.Certificate, tbs, Timestamp, [])]);
        AssertCode(CoreErrors.SctInvalid, () => SctVerifier.Verify(leaf, Root.Certificate, Trust(TestPki.CtLog(LogKey))));
    }

    [Fact]
    public void A_leaf_without_SCTs_is_SC1305() =>
        AssertCode(CoreErrors.SctMissing, () => SctVerifier.Verify(TestPki.Leaf(Intermediate), Intermediate.Certificate, Trust(TestPki.CtLog(LogKey))));

    [Fact]
    public void An_SCT_of_an_untrusted_log_is_SC1306()
    {
        X509Certificate2 leaf = TestPki.LeafWithScts(Intermediate, tbs => [TestPki.SignSct(LogKey, Intermediate.Certificate, tbs, Timestamp, [])]);
        using ECDsa other = TestPki.NewEcKey();
        AssertCode(CoreErrors.SctInvalid, () => SctVerifier.Verify(leaf, Intermediate.Certificate, Trust(TestPki.CtLog(other))));
    }

    [Fact]
    public void An_SCT_outside_the_log_validFor_is_SC1306()
    {
        X509Certificate2 leaf = TestPki.LeafWithScts(Intermediate, tbs => [TestPki.SignSct(LogKey, Intermediate.Certificate, tbs, Timestamp, [])]);
        var validFor = new TimeRange(TestPki.Epoch.AddMilliseconds(1), null);
        AssertCode(CoreErrors.SctInvalid, () => SctVerifier.Verify(leaf, Intermediate.Certificate, Trust(TestPki.CtLog(LogKey, validFor))));

        // Closed interval: an SCT exactly at the end of validFor is accepted.
        SctVerifier.Verify(leaf, Intermediate.Certificate, Trust(TestPki.CtLog(LogKey, new TimeRange(TestPki.Epoch.AddDays(-1), TestPki.Epoch))));
    }

    [Fact]
    public void The_precertificate_TBS_drops_only_the_SCT_list_and_keeps_the_order()
    {
        X509Certificate2 leaf = TestPki.LeafWithScts(Intermediate, tbs => [TestPki.SignSct(LogKey, Intermediate.Certificate, tbs, Timestamp, [])]);
        CertificateDer parsed = CertificateDer.Parse(leaf.RawData);
        byte[] precert = PrecertificateTbs.FromTbsCertificate(parsed.TbsCertificate);
        Assert.True(precert.Length < parsed.TbsCertificate.Length);
        byte[] again = PrecertificateTbs.FromTbsCertificate(precert);
        Assert.Equal(precert, again);
    }

    public static TheoryData<string, byte[]> MalformedLists() => new()
    {
        { "empty OCTET STRING", [] },
        { "list length too long", [0x00, 0x10, 0x00, 0x01, 0x00] },
        { "empty list", [0x00, 0x00] },
        { "SCT length past the end", [0x00, 0x04, 0xff, 0xff, 0x00, 0x00] },
        { "zero-length SCT", [0x00, 0x02, 0x00, 0x00] },
        { "trailing bytes", [0x00, 0x03, 0x00, 0x01, 0x00, 0x07] },
    };

    [Theory]
    [MemberData(nameof(MalformedLists))]
    public void Malformed_TLS_lists_are_SC1306(string name, byte[] tls)
    {
        Assert.NotNull(name);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(tls);
        var extension = new X509Extension(CertificateProfile.SctListOid, writer.Encode(), critical: false);
        X509Certificate2 leaf = TestPki.Leaf(Intermediate, TestPki.LeafRequest(extra: [extension]));
        AssertCode(CoreErrors.SctInvalid, () => SctVerifier.Verify(leaf, Intermediate.Certificate, Trust(TestPki.CtLog(LogKey))));
    }

    [Fact]
    public void An_extension_that_is_not_an_OCTET_STRING_is_SC1306()
    {
        var extension = new X509Extension(CertificateProfile.SctListOid, [0x05, 0x00], critical: false);
        X509Certificate2 leaf = TestPki.Leaf(Intermediate, TestPki.LeafRequest(extra: [extension]));
        AssertCode(CoreErrors.SctInvalid, () => SctVerifier.Verify(leaf, Intermediate.Certificate, Trust(TestPki.CtLog(LogKey))));
    }

    [Fact]
    public void Every_truncation_of_a_valid_SCT_fails_with_SC1306_only()
    {
        byte[] sct = [];
        _ = TestPki.LeafWithScts(Intermediate, tbs => [sct = TestPki.SignSct(LogKey, Intermediate.Certificate, tbs, Timestamp, LeafIndexExtension)]);
        TestTrust trust = Trust(TestPki.CtLog(LogKey));
        for (int length = 1; length < sct.Length; length++)
        {
            byte[] truncated = sct[..length];
            X509Certificate2 leaf = TestPki.Leaf(Intermediate, TestPki.LeafRequest(extra: [SignedCertificateTimestamp.EncodeListExtension([truncated])]));
            AssertCode(CoreErrors.SctInvalid, () => SctVerifier.Verify(leaf, Intermediate.Certificate, trust));
        }
    }
}
