using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Certificates;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Tests.Certificates;

public class FulcioCertificateTests
{
    private static readonly TestCa Root = TestPki.Root();

    private static X509Certificate2 LeafWith(IEnumerable<X509Extension> extensions, X509Extension? san = null)
    {
        var key = TestPki.NewEcKey();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(new X500DistinguishedName(string.Empty), key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        foreach (X509Extension extension in extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        return TestPki.Leaf(Root, request);
    }

    private static X509Extension Raw(string suffix, string value) => new(FulcioCertificate.FulcioOidArc + "." + suffix, System.Text.Encoding.UTF8.GetBytes(value), critical: false);

    private static X509Extension Der(string suffix, string value) => TestPki.DerStringExtension(FulcioCertificate.FulcioOidArc + "." + suffix, value);

    [Fact]
    public void Every_Fulcio_extension_is_read_under_its_sigstore_go_name()
    {
        X509Certificate2 leaf = LeafWith(
        [
            Raw("1", "https://old.example"), Raw("2", "push"), Raw("3", "abc123"), Raw("4", "release"), Raw("5", "org/repo"), Raw("6", "refs/heads/main"),
            Der("8", "https://issuer.example"), Der("9", "v9"), Der("10", "v10"), Der("11", "v11"), Der("12", "v12"), Der("13", "v13"), Der("14", "v14"),
            Der("15", "v15"), Der("16", "v16"), Der("17", "v17"), Der("18", "v18"), Der("19", "v19"), Der("20", "v20"), Der("21", "v21"), Der("22", "public"),
        ]);
        FulcioCertificate c = FulcioCertificate.Parse(leaf);
        Assert.Equal("https://issuer.example", c.Issuer);
        Assert.Equal("push", c.GitHubWorkflowTrigger);
        Assert.Equal("abc123", c.GitHubWorkflowSha);
        Assert.Equal("release", c.GitHubWorkflowName);
        Assert.Equal("org/repo", c.GitHubWorkflowRepository);
        Assert.Equal("refs/heads/main", c.GitHubWorkflowRef);
        Assert.Equal("v9", c.BuildSignerUri);
        Assert.Equal("v10", c.BuildSignerDigest);
        Assert.Equal("v11", c.RunnerEnvironment);
        Assert.Equal("v12", c.SourceRepositoryUri);
        Assert.Equal("v13", c.SourceRepositoryDigest);
        Assert.Equal("v14", c.SourceRepositoryRef);
        Assert.Equal("v15", c.SourceRepositoryIdentifier);
        Assert.Equal("v16", c.SourceRepositoryOwnerUri);
        Assert.Equal("v17", c.SourceRepositoryOwnerIdentifier);
        Assert.Equal("v18", c.BuildConfigUri);
        Assert.Equal("v19", c.BuildConfigDigest);
        Assert.Equal("v20", c.BuildTrigger);
        Assert.Equal("v21", c.RunInvocationUri);
        Assert.Equal("public", c.SourceRepositoryVisibilityAtSigning);
        string[] names =
        [
            "issuer", "githubWorkflowTrigger", "githubWorkflowSHA", "githubWorkflowName", "githubWorkflowRepository", "githubWorkflowRef",
            "buildSignerURI", "buildSignerDigest", "runnerEnvironment", "sourceRepositoryURI", "sourceRepositoryDigest", "sourceRepositoryRef",
            "sourceRepositoryIdentifier", "sourceRepositoryOwnerURI", "sourceRepositoryOwnerIdentifier", "buildConfigURI", "buildConfigDigest",
            "buildTrigger", "runInvocationURI", "sourceRepositoryVisibilityAtSigning",
        ];
        Assert.Equal(names.Order(StringComparer.Ordinal), c.Extensions.Keys.Order(StringComparer.Ordinal));
        Assert.Null(c.SubjectAlternativeName);
    }

    [Fact]
    public void The_deprecated_issuer_is_used_when_the_V2_one_is_absent()
    {
        FulcioCertificate c = FulcioCertificate.Parse(LeafWith([Raw("1", "https://accounts.google.com")]));
        Assert.Equal("https://accounts.google.com", c.Issuer);
        Assert.Null(c.BuildTrigger);
        Assert.False(c.Extensions.ContainsKey("buildTrigger"));
    }

    [Fact]
    public void The_V2_issuer_wins_whatever_the_order()
    {
        FulcioCertificate c = FulcioCertificate.Parse(LeafWith([Der("8", "https://v2.example"), Raw("1", "https://v1.example")]));
        Assert.Equal("https://v2.example", c.Issuer);
    }

    [Fact]
    public void Email_SAN_is_the_identity_when_there_is_no_URI()
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddEmailAddress("signer@example.com");
        Assert.Equal("signer@example.com", FulcioCertificate.Parse(LeafWith([], san.Build(critical: true))).SubjectAlternativeName);
    }

    [Fact]
    public void A_URI_SAN_wins_over_an_email_SAN()
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddEmailAddress("signer@example.com");
        san.AddUri(new Uri("https://example.com/workflow"));
        Assert.Equal("https://example.com/workflow", FulcioCertificate.Parse(LeafWith([], san.Build(critical: true))).SubjectAlternativeName);
    }

    [Fact]
    public void The_Fulcio_username_otherName_SAN_is_read()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            writer.WriteObjectIdentifier(FulcioCertificate.FulcioOidArc + ".7");
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteCharacterString(UniversalTagNumber.UTF8String, "alice!example.com");
            }
        }

        var san = new X509Extension("2.5.29.17", writer.Encode(), critical: true);
        Assert.Equal("alice!example.com", FulcioCertificate.Parse(LeafWith([], san)).SubjectAlternativeName);
    }

    [Theory]
    [InlineData("raw bytes where DER is expected")]
    [InlineData("DER with trailing bytes")]
    [InlineData("DER INTEGER")]
    [InlineData("invalid UTF-8 in a raw extension")]
    public void Malformed_Fulcio_extensions_are_SC1308(string kind)
    {
        X509Extension extension = kind switch
        {
            "raw bytes where DER is expected" => Raw("12", "https://github.com/org/repo"),
            "DER with trailing bytes" => new X509Extension(FulcioCertificate.FulcioOidArc + ".12", [0x0c, 0x01, 0x61, 0x00], false),
            "DER INTEGER" => new X509Extension(FulcioCertificate.FulcioOidArc + ".8", [0x02, 0x01, 0x01], false),
            _ => new X509Extension(FulcioCertificate.FulcioOidArc + ".2", [0xff, 0xfe], false),
        };
        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => FulcioCertificate.Parse(LeafWith([extension])));
        Assert.Equal(CoreErrors.FulcioExtensionMalformed.Code, ex.Code);
    }

    [Fact]
    public void A_malformed_SAN_is_SC1308()
    {
        var san = new X509Extension("2.5.29.17", [0x30, 0x00], critical: true);
        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => FulcioCertificate.Parse(LeafWith([], san)));
        Assert.Equal(CoreErrors.FulcioExtensionMalformed.Code, ex.Code);
    }
}
