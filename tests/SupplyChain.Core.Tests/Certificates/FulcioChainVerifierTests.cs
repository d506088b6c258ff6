using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Certificates;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using static SupplyChain.Testing.ErrorAssert;

namespace SupplyChain.Core.Tests.Certificates;

public class FulcioChainVerifierTests
{
    private static readonly DateTimeOffset At = TestPki.Epoch.AddMinutes(5);
    private static readonly TestCa Root = TestPki.Root();
    private static readonly TestCa Intermediate = TestPki.Intermediate(Root);

    private static FulcioChainVerifier Verifier(params CertificateAuthority[] authorities) => new(new TestTrust { CertificateAuthorities = authorities });

    private static FulcioChainVerifier Default => Verifier(TestPki.Authority(null, Intermediate, Root));

    [Fact]
    public void A_code_signing_leaf_of_a_trusted_CA_verifies_and_names_its_issuer()
    {
        X509Certificate2 leaf = TestPki.Leaf(Intermediate);
        FulcioChainVerifier verifier = Default;
        Assert.Empty(verifier.UnusableAuthorities);
        ChainResult result = verifier.Verify(leaf, At);
        Assert.Equal(Intermediate.Certificate.Thumbprint, result.Issuer.Thumbprint);
        Assert.Equal("https://fulcio.test", result.Authority.Uri);
    }

    [Fact]
    public void Validity_bounds_are_inclusive()
    {
        X509Certificate2 leaf = TestPki.Leaf(Intermediate);
        FulcioChainVerifier verifier = Default;
        _ = verifier.Verify(leaf, TestPki.Epoch);
        _ = verifier.Verify(leaf, TestPki.Epoch.AddMinutes(10));
    }

    [Fact]
    public void Every_verified_time_is_checked_with_one_signature_check()
    {
        X509Certificate2 leaf = TestPki.Leaf(Intermediate);
        CertificateDer der = CertificateDer.Parse(leaf.RawDataMemory);
        Assert.Equal(Intermediate.Certificate.RawData, Default.Verify(der, [TestPki.Epoch, At, TestPki.Epoch.AddMinutes(10)]).Issuer.RawData);
        AssertCode(CoreErrors.CertificateNotValidAtTime, () => Default.Verify(der, [At, TestPki.Epoch.AddHours(1)]));
        AssertCode(CoreErrors.CertificateNotValidAtTime, () => Default.Verify(der, [TestPki.Epoch.AddHours(-1), At]));
    }

    [Fact]
    public void A_leaf_without_the_codeSigning_EKU_is_SC1304() =>
        AssertCode(CoreErrors.CertificateInvalidUsage, () => Default.Verify(TestPki.Leaf(Intermediate, TestPki.LeafRequest(codeSigning: false)), At));

    [Fact]
    public void A_leaf_without_digitalSignature_is_SC1304() =>
        AssertCode(CoreErrors.CertificateInvalidUsage, () => Default.Verify(TestPki.Leaf(Intermediate, TestPki.LeafRequest(digitalSignature: false)), At));

    [Fact]
    public void A_CA_leaf_is_SC1304() =>
        AssertCode(CoreErrors.CertificateInvalidUsage, () => Default.Verify(TestPki.Leaf(Intermediate, TestPki.LeafRequest(isCa: true)), At));

    [Fact]
    public void A_leaf_with_an_unknown_critical_extension_is_SC1304()
    {
        var unknown = new X509Extension("1.2.3.4.5", [0x05, 0x00], critical: true);
        AssertCode(CoreErrors.CertificateInvalidUsage, () => Default.Verify(TestPki.Leaf(Intermediate, TestPki.LeafRequest(extra: [unknown])), At));
    }

    [Fact]
    public void An_expired_leaf_is_SC1302() =>
        AssertCode(CoreErrors.CertificateNotValidAtTime, () => Default.Verify(TestPki.Leaf(Intermediate), TestPki.Epoch.AddMinutes(10).AddSeconds(1)));

    [Fact]
    public void A_not_yet_valid_leaf_is_SC1302() =>
        AssertCode(CoreErrors.CertificateNotValidAtTime, () => Default.Verify(TestPki.Leaf(Intermediate), TestPki.Epoch.AddSeconds(-1)));

    [Fact]
    public void An_expired_intermediate_is_SC1302()
    {
        TestCa shortLived = TestPki.Intermediate(Root, notBefore: TestPki.Epoch.AddDays(-2), notAfter: TestPki.Epoch.AddMinutes(1));
        X509Certificate2 leaf = TestPki.Leaf(shortLived);
        AssertCode(CoreErrors.CertificateNotValidAtTime, () => Verifier(TestPki.Authority(null, shortLived, Root)).Verify(leaf, At));
    }

    [Fact]
    public void A_CA_outside_its_validFor_is_SC1303()
    {
        CertificateAuthority ca = TestPki.Authority(new TimeRange(TestPki.Epoch.AddYears(-3), TestPki.Epoch.AddDays(-1)), Intermediate, Root);
        AssertCode(CoreErrors.CertificateAuthorityNotValidAtTime, () => Verifier(ca).Verify(TestPki.Leaf(Intermediate), At));
    }

    [Fact]
    public void A_CA_validFor_end_is_inclusive()
    {
        CertificateAuthority ca = TestPki.Authority(new TimeRange(TestPki.Epoch.AddYears(-3), At), Intermediate, Root);
        _ = Verifier(ca).Verify(TestPki.Leaf(Intermediate), At);
    }

    [Fact]
    public void A_leaf_signed_by_another_key_under_the_same_issuer_name_is_SC1301()
    {
        // Same subject name as the trusted intermediate, different key.
        TestCa impostor = TestPki.Intermediate(TestPki.Root());
        AssertCode(CoreErrors.CertificateUntrusted, () => Default.Verify(TestPki.Leaf(impostor), At));
    }

    [Fact]
    public void The_authority_key_identifier_must_match_the_issuer_subject_key_identifier()
    {
        byte[] intermediateSki = ((X509SubjectKeyIdentifierExtension)Intermediate.Certificate.Extensions["2.5.29.14"]!).SubjectKeyIdentifierBytes.ToArray();
        var matching = X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(intermediateSki);
        _ = Default.Verify(TestPki.Leaf(Intermediate, TestPki.LeafRequest(extra: [matching])), At);

        var other = X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(new byte[20]);
        AssertCode(CoreErrors.CertificateUntrusted, () => Default.Verify(TestPki.Leaf(Intermediate, TestPki.LeafRequest(extra: [other])), At));
    }

    [Fact]
    public void A_leaf_of_another_CA_is_SC1301()
    {
        TestCa otherRoot = TestPki.Root("CN=other-root");
        TestCa other = TestPki.Intermediate(otherRoot, "CN=other-intermediate");
        AssertCode(CoreErrors.CertificateUntrusted, () => Default.Verify(TestPki.Leaf(other), At));
    }

    [Fact]
    public void A_CA_whose_chain_is_not_linked_is_unusable_and_SC1301()
    {
        // The intermediate is not signed by this root (same name, other key).
        TestCa unrelatedRoot = TestPki.Root();
        FulcioChainVerifier verifier = Verifier(TestPki.Authority(null, Intermediate, unrelatedRoot));
        Assert.Single(verifier.UnusableAuthorities);
        AssertCode(CoreErrors.CertificateUntrusted, () => verifier.Verify(TestPki.Leaf(Intermediate), At));
    }

    [Fact]
    public void A_CA_certificate_without_cA_is_unusable()
    {
        TestCa notCa = TestPki.Intermediate(Root, isCa: false);
        FulcioChainVerifier verifier = Verifier(TestPki.Authority(null, notCa, Root));
        Assert.Contains(verifier.UnusableAuthorities, p => p.Contains("not a CA", StringComparison.Ordinal));
        AssertCode(CoreErrors.CertificateUntrusted, () => verifier.Verify(TestPki.Leaf(notCa), At));
    }

    [Fact]
    public void Rotated_CAs_with_the_same_name_are_each_tried()
    {
        TestCa oldIntermediate = TestPki.Intermediate(Root);
        TestCa newIntermediate = TestPki.Intermediate(Root);
        FulcioChainVerifier verifier = Verifier(
            TestPki.Authority(new TimeRange(TestPki.Epoch.AddYears(-3), TestPki.Epoch.AddDays(-1)), oldIntermediate, Root),
            TestPki.Authority(new TimeRange(TestPki.Epoch.AddDays(-1), null), newIntermediate, Root));
        Assert.Equal(newIntermediate.Certificate.Thumbprint, verifier.Verify(TestPki.Leaf(newIntermediate), At).Issuer.Thumbprint);

        // The old CA signed it but is no longer trusted; the new one did not sign it: the more specific SC1303 wins.
        AssertCode(CoreErrors.CertificateAuthorityNotValidAtTime, () => verifier.Verify(TestPki.Leaf(oldIntermediate), At));
    }

    [Fact]
    public void A_leaf_issued_directly_by_the_root_verifies_within_the_path_length()
    {
        X509Certificate2 leaf = TestPki.Leaf(Root);
        Assert.Equal(Root.Certificate.Thumbprint, Default.Verify(leaf, At).Issuer.Thumbprint);
    }

    [Theory]
    [InlineData("ecdsa-p256-sha256")]
    [InlineData("rsa-pkcs1-sha256")]
    [InlineData("rsa-pss-sha384")]
    public void Certificate_signature_algorithms_are_supported(string algorithm)
    {
        TestCa root;
        TestCa intermediate;
        switch (algorithm)
        {
            case "ecdsa-p256-sha256":
                root = TestPki.Root(key: TestPki.NewEcKey(256));
                intermediate = TestPki.Intermediate(root, key: TestPki.NewEcKey(256), hash: HashAlgorithmName.SHA256);
                break;
            case "rsa-pkcs1-sha256":
                root = TestPki.Root(key: RSA.Create(2048));
                intermediate = TestPki.Intermediate(root, key: RSA.Create(2048), hash: HashAlgorithmName.SHA256);
                break;
            default:
                root = TestPki.Root(key: RSA.Create(2048));
                intermediate = TestPki.Intermediate(root, key: RSA.Create(2048), hash: HashAlgorithmName.SHA384, padding: RSASignaturePadding.Pss);
                break;
        }

        FulcioChainVerifier verifier = Verifier(TestPki.Authority(null, intermediate, root));
        Assert.Empty(verifier.UnusableAuthorities);
        X509Certificate2 leaf = TestPki.Leaf(intermediate, TestPki.LeafRequest(hash: HashAlgorithmName.SHA256));
        _ = verifier.Verify(leaf, At);
    }

    [Fact]
    public void A_remembered_signature_still_gets_every_time_check()
    {
        FulcioChainVerifier verifier = Default;
        X509Certificate2 leaf = TestPki.Leaf(Intermediate);
        _ = verifier.Verify(leaf, At);
        AssertCode(CoreErrors.CertificateNotValidAtTime, () => verifier.Verify(leaf, TestPki.Epoch.AddHours(1)));
        _ = verifier.Verify(leaf, At);
    }

    [Fact]
    public void The_verifier_is_thread_safe()
    {
        FulcioChainVerifier verifier = Default;
        X509Certificate2 leaf = TestPki.Leaf(Intermediate);
        Parallel.For(0, 200, _ => verifier.Verify(leaf, At));
    }
}
