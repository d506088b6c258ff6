using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Bundles;

/// <summary>
/// The rules that differ between bundle versions (issue 13 item 10), each broken once: by a fixture under
/// testdata/bundle-version-rules (parse) and by the model's constructors (build). Every breach is SC1012.
/// </summary>
public class BundleVersionRuleTests
{
    private static string Folder => Path.Combine(TestPaths.TestData, "bundle-version-rules");

    public static TheoryData<string> FailingCases()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.GetDirectories(Folder).Where(d => d.EndsWith("_fail", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FailingCases))]
    public void A_bundle_that_breaks_a_rule_of_its_version_fails_SC1012(string name)
    {
        byte[] json = File.ReadAllBytes(Path.Combine(Folder, name, "bundle.sigstore.json"));
        var ex = Assert.Throws<MalformedInputException>(() => SigstoreBundle.Parse(json));
        Assert.Equal("SC1012", ex.Code);
    }

    [Fact]
    public void Every_rule_has_its_fixture()
    {
        Assert.Equal(9, FailingCases().Count);
    }

    [Fact]
    public void A_v01_inclusion_proof_without_checkpoint_is_refused_although_its_promise_verifies()
    {
        // The same bundle with its checkpoint verifies (conformance happy-path-v0.1): only the rule refuses it.
        string json = File.ReadAllText(Path.Combine(Folder, "v0.1-inclusion-proof-without-checkpoint_fail", "bundle.sigstore.json"));
        var ex = Assert.Throws<MalformedInputException>(() => SigstoreBundle.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Equal("SC1012", ex.Code);
        Assert.Contains("inclusion proof needs a checkpoint", ex.Message, StringComparison.Ordinal);
    }

    // The same rules, met by a bundle built in code: no bundle of a version exists that breaks one of its rules.
    [Theory]
    [InlineData(BundleVersion.V0_1)]
    [InlineData(BundleVersion.V0_2)]
    public void Building_a_v01_or_v02_bundle_with_a_single_certificate_fails_SC1012(BundleVersion version) =>
        AssertBuildFails(version, VerificationMaterial.ForCertificate(Certificate(), [BundleJsonBuilder.Entry()]));

    [Fact]
    public void Building_a_v03_bundle_with_a_certificate_chain_fails_SC1012() =>
        AssertBuildFails(BundleVersion.V0_3, VerificationMaterial.ForCertificateChain([Certificate()], [BundleJsonBuilder.Entry()]));

    [Fact]
    public void Building_a_v01_bundle_with_a_proof_without_checkpoint_fails_SC1012()
    {
        TransparencyLogEntry full = BundleJsonBuilder.Entry();
        InclusionProof proof = full.InclusionProof!;
        var entry = new TransparencyLogEntry(full.LogIndex, full.LogId, full.Kind, full.KindVersion, full.IntegratedTime, full.SignedEntryTimestamp, new InclusionProof(proof.LogIndex, proof.RootHash, proof.TreeSize, proof.Hashes, null), full.CanonicalizedBody);
        AssertBuildFails(BundleVersion.V0_1, VerificationMaterial.ForCertificateChain([Certificate()], [entry]));
    }

    [Fact]
    public void Building_a_v01_bundle_with_an_entry_without_promise_fails_SC1012() =>
        AssertBuildFails(BundleVersion.V0_1, VerificationMaterial.ForCertificateChain([Certificate()], [BundleJsonBuilder.Entry(promise: false)]));

    [Theory]
    [InlineData(BundleVersion.V0_2)]
    [InlineData(BundleVersion.V0_3)]
    public void Building_a_v02_or_later_bundle_with_an_entry_without_proof_fails_SC1012(BundleVersion version) =>
        AssertBuildFails(version, Material(version, BundleJsonBuilder.Entry(proof: false)));

    [Theory]
    [InlineData(BundleVersion.V0_2)]
    [InlineData(BundleVersion.V0_3)]
    public void Building_a_v02_or_later_bundle_with_a_proof_without_checkpoint_fails_SC1012(BundleVersion version)
    {
        TransparencyLogEntry full = BundleJsonBuilder.Entry();
        InclusionProof proof = full.InclusionProof!;
        var entry = new TransparencyLogEntry(full.LogIndex, full.LogId, full.Kind, full.KindVersion, full.IntegratedTime, full.SignedEntryTimestamp, new InclusionProof(proof.LogIndex, proof.RootHash, proof.TreeSize, proof.Hashes, null), full.CanonicalizedBody);
        AssertBuildFails(version, Material(version, entry));
    }

    [Fact]
    public void Key_material_is_allowed_in_every_version()
    {
        foreach (BundleVersion version in new[] { BundleVersion.V0_1, BundleVersion.V0_2, BundleVersion.V0_3 })
        {
            var bundle = new SigstoreBundle(BundleMediaTypes.For(version), VerificationMaterial.ForPublicKey("hint", [BundleJsonBuilder.Entry()]), BundleJsonBuilder.Message());
            Assert.Equal(version, bundle.Version);
        }
    }

    private static VerificationMaterial Material(BundleVersion version, TransparencyLogEntry entry) =>
        version == BundleVersion.V0_3 ? VerificationMaterial.ForCertificate(Certificate(), [entry]) : VerificationMaterial.ForCertificateChain([Certificate()], [entry]);

    private static byte[] Certificate() => Convert.FromBase64String(BundleJsonBuilder.Certificate);

    private static void AssertBuildFails(BundleVersion version, VerificationMaterial material) =>
        ErrorAssert.AssertCode<MalformedInputException>("SC1012", () => _ = new SigstoreBundle(BundleMediaTypes.For(version), material, BundleJsonBuilder.Message()));
}
