using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Transparency;
using SupplyChain.Core.Verification;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Tamper;

/// <summary>
/// Inputs the bundle, dsse and rekor-body fuzz targets found (docs/fuzzing.md), kept under testdata/fuzz-regressions:
/// JSON whose strings do not decode (bytes that are not UTF-8, an unpaired surrogate escape such as "\ud800").
/// System.Text.Json checks strings only when they are read and then throws InvalidOperationException; the JSON
/// preflight now refuses such documents, so every reader behind it fails with its own code.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static byte[] Input(string target, string name) =>
        File.ReadAllBytes(Path.Combine(TestPaths.TestData, "fuzz-regressions", target, name));

    [Theory]
    [InlineData("statement-invalid-utf8.json")]
    [InlineData("statement-lone-surrogate-escape.json")]
    public void A_statement_whose_strings_do_not_decode_is_SC1505(string name)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => InTotoStatement.Parse(Input("dsse", name)));
        Assert.Equal("SC1505", ex.Code);
    }

    [Theory]
    [InlineData("statement-invalid-utf8.json")]
    [InlineData("statement-lone-surrogate-escape.json")]
    public void A_dsse_bundle_whose_statement_does_not_decode_is_refused_with_a_code(string name)
    {
        SigstoreBundle bundle = SigstoreBundle.Parse(Input("bundle", name));
        Assert.Equal("SC1505", Assert.ThrowsAny<SupplyChainException>(() => InTotoStatement.Parse(bundle.DsseEnvelope!.Payload.Span)).Code);
        var ex = Assert.ThrowsAny<SupplyChainException>(() =>
            new SigstoreVerifier(Core.Trust.TrustedRoot.Production).Verify(bundle, Artifact.FromBytes(Fixture.Artifact), VerificationPolicy.WithoutIdentityUnsafe()));
        Assert.Matches("^SC1[0-9]{3}$", ex.Code);
    }

    [Theory]
    [InlineData("hashedrekord-v001-lone-surrogate-escape.bin", "hashedrekord", "0.0.1")]
    [InlineData("hashedrekord-v002-invalid-utf8.bin", "hashedrekord", "0.0.2")]
    public void An_entry_body_whose_strings_do_not_decode_is_SC1205(string name, string kind, string version)
    {
        // The fuzz target's first byte picks the declared kind; the body follows it.
        byte[] body = Input("rekor-body", name)[1..];
        SigstoreBundle bundle = SigstoreBundle.Parse(Fixture.MessageBundle);
        var entry = new TransparencyLogEntry(0, new byte[32], kind, version, 0, null, null, body);
        var subject = new TlogSubject(bundle.MessageSignature, null, bundle.VerificationMaterial.LeafCertificate, true, Artifact.FromBytes(Fixture.Artifact));
        var ex = Assert.ThrowsAny<SupplyChainException>(() => EntryBodyMatcher.Match(entry, subject));
        Assert.Equal("SC1205", ex.Code);
    }

    private static class Fixture
    {
        public static byte[] Artifact => File.ReadAllBytes(Path.Combine(TestPaths.TestData, "benchmark", "a.txt"));

        public static byte[] MessageBundle => File.ReadAllBytes(Path.Combine(TestPaths.TestData, "benchmark", "happy-path-v0.3-new-mediaType", "bundle.sigstore.json"));
    }
}
