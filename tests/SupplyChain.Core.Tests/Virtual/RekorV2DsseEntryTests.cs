using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Testing;
using SupplyChain.Testing.Virtual;
using static SupplyChain.Testing.ErrorAssert;

namespace SupplyChain.Core.Tests.Virtual;

/// <summary>
/// How the kit logs a DSSE bundle on Rekor v2. By default as rekor-v2-spec section 6.1.4 says ("DSSE-envelope bundles
/// MUST be uploaded as a HashedRekord" over Hash(PAE(payloadType, payload)), the shape of the conformance vectors
/// rekor2-dsse-*); on request as the withdrawn dsse 0.0.2 kind, which Core's verifier still accepts. Either way the
/// bundle verifies, and the conformance suite's three tamperings (another envelope, another signature by the same key,
/// a signature by another key) fail with the verifier's code.
/// </summary>
public sealed class RekorV2DsseEntryTests : IDisposable
{
    private static readonly byte[] Content = "rekor v2 dsse\n"u8.ToArray();
    private static readonly VerificationPolicy Policy = VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(SigningOptions.DefaultIdentity, SigningOptions.DefaultIssuer));
    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();

    public void Dispose() => _sigstore.Dispose();

    [SharedFixtureFact]
    public void By_default_the_entry_is_a_hashedrekord_over_the_pae_with_the_fields_of_the_conformance_vector()
    {
        byte[] statement = Dsse.InTotoStatement("a.txt", Content);
        var tree = MutableBundle.Parse(Sign(statement, new SigningOptions { Log = LogFlavour.RekorV2, Timestamp = true }));
        var vector = MutableBundle.Parse(File.ReadAllBytes(Path.Combine(TestPaths.ConformanceBundleVerify!, "rekor2-dsse-happy-path", "bundle.sigstore.json")));

        Assert.Equal(("hashedrekord", "0.0.2"), (tree.GetString(BundlePaths.Kind), tree.GetString(BundlePaths.KindVersion)));
        Assert.Equal((vector.GetString(BundlePaths.Kind), vector.GetString(BundlePaths.KindVersion)), (tree.GetString(BundlePaths.Kind), tree.GetString(BundlePaths.KindVersion)));
        JsonNode body = JsonNode.Parse(tree.GetBytes(BundlePaths.CanonicalizedBody))!;
        Assert.Equal(FieldPaths(JsonNode.Parse(vector.GetBytes(BundlePaths.CanonicalizedBody))!), FieldPaths(body));

        JsonNode spec = body["spec"]!["hashedRekordV002"]!;
        Assert.Equal(SHA256.HashData(Dsse.PreAuthenticationEncoding(Dsse.InTotoPayloadType, statement)), Convert.FromBase64String((string)spec["data"]!["digest"]!));
        Assert.Equal(tree.GetString(BundlePaths.DsseSignature), (string)spec["signature"]!["content"]!);
        Assert.Equal(tree.GetString(BundlePaths.Certificate), (string)spec["signature"]!["verifier"]!["x509Certificate"]!["rawBytes"]!);
    }

    [Fact]
    public void On_request_the_entry_is_a_dsse_v002_over_the_payload_with_the_fields_rekor_tiles_wrote()
    {
        byte[] statement = Dsse.InTotoStatement("a.txt", Content);
        var tree = MutableBundle.Parse(Sign(statement, new SigningOptions { Log = LogFlavour.RekorV2, Timestamp = true, RekorV2Dsse = RekorV2DsseEntry.DsseV002 }));

        Assert.Equal(("dsse", "0.0.2"), (tree.GetString(BundlePaths.Kind), tree.GetString(BundlePaths.KindVersion)));
        JsonNode body = JsonNode.Parse(tree.GetBytes(BundlePaths.CanonicalizedBody))!;

        // rekor-tiles pkg/generated/protobuf DSSELogEntryV002: payloadHash (HashOutput) and signatures (Signature: content, verifier).
        Assert.Equal(
            [
                "apiVersion", "kind", "spec.dsseV002.payloadHash.algorithm", "spec.dsseV002.payloadHash.digest",
                "spec.dsseV002.signatures[].content", "spec.dsseV002.signatures[].verifier.keyDetails", "spec.dsseV002.signatures[].verifier.x509Certificate.rawBytes",
            ],
            FieldPaths(body));
        JsonNode spec = body["spec"]!["dsseV002"]!;
        Assert.Equal("SHA2_256", (string)spec["payloadHash"]!["algorithm"]!);
        Assert.Equal(SHA256.HashData(statement), Convert.FromBase64String((string)spec["payloadHash"]!["digest"]!));
        Assert.Equal(tree.GetString(BundlePaths.DsseSignature), (string)spec["signatures"]![0]!["content"]!);
    }

    [Theory]
    [InlineData(RekorV2DsseEntry.HashedRekordOverPae)]
    [InlineData(RekorV2DsseEntry.DsseV002)]
    public void The_bundle_verifies(RekorV2DsseEntry kind)
    {
        byte[] bundle = Sign(Dsse.InTotoStatement("a.txt", Content), Options(kind));

        VerificationResult result = Verify(bundle);

        Assert.Equal(SigningOptions.DefaultIdentity, result.Signer.SubjectAlternativeName);
        VerifiedLogEntry entry = Assert.Single(result.LogEntries);
        Assert.Equal(kind == RekorV2DsseEntry.DsseV002 ? ("dsse", "0.0.2") : ("hashedrekord", "0.0.2"), (entry.Kind, entry.KindVersion));
    }

    // Conformance rekor2-dsse-mismatch-envelope_fail: a valid envelope by the same certificate, but not the one logged.
    [Theory]
    [InlineData(RekorV2DsseEntry.HashedRekordOverPae)]
    [InlineData(RekorV2DsseEntry.DsseV002)]
    public void Another_envelope_by_the_same_certificate_fails(RekorV2DsseEntry kind)
    {
        using LeafCertificate leaf = _sigstore.IssueLeaf(SigningOptions.DefaultIdentity, SigningOptions.DefaultIssuer);
        byte[] logged = Sign(Dsse.InTotoStatement("a.txt", Content), Options(kind, leaf));
        byte[] other = Sign(Dsse.InTotoStatement("b.txt", Content), Options(kind, leaf));

        AssertCode(CoreErrors.TlogBodyMismatch, () => Verify(Swap(logged, other, "dsseEnvelope")));
    }

    // Conformance rekor2-dsse-mismatch-sig_fail: the same statement signed again by the same key (ECDSA signatures differ).
    [Theory]
    [InlineData(RekorV2DsseEntry.HashedRekordOverPae)]
    [InlineData(RekorV2DsseEntry.DsseV002)]
    public void Another_signature_by_the_same_key_fails(RekorV2DsseEntry kind)
    {
        using LeafCertificate leaf = _sigstore.IssueLeaf(SigningOptions.DefaultIdentity, SigningOptions.DefaultIssuer);
        byte[] statement = Dsse.InTotoStatement("a.txt", Content);
        byte[] logged = Sign(statement, Options(kind, leaf));
        byte[] other = Sign(statement, Options(kind, leaf));
        Assert.NotEqual(MutableBundle.Parse(logged).GetString(BundlePaths.DsseSignature), MutableBundle.Parse(other).GetString(BundlePaths.DsseSignature));

        AssertCode(CoreErrors.TlogBodyMismatch, () => Verify(Swap(logged, other, BundlePaths.DsseSignature)));
    }

    // Conformance rekor2-dsse-invalid-sig_fail: the envelope signature was made by another key entirely.
    [Theory]
    [InlineData(RekorV2DsseEntry.HashedRekordOverPae)]
    [InlineData(RekorV2DsseEntry.DsseV002)]
    public void A_signature_by_another_key_fails(RekorV2DsseEntry kind)
    {
        byte[] statement = Dsse.InTotoStatement("a.txt", Content);
        byte[] logged = Sign(statement, Options(kind));
        byte[] other = Sign(statement, Options(kind));

        AssertCode(CoreErrors.TlogBodyMismatch, () => Verify(Swap(logged, other, BundlePaths.DsseSignature)));
    }

    private static SigningOptions Options(RekorV2DsseEntry kind, LeafCertificate? leaf = null) =>
        new() { Log = LogFlavour.RekorV2, Timestamp = true, RekorV2Dsse = kind, Certificate = leaf };

    private byte[] Sign(byte[] statement, SigningOptions options) => _sigstore.SignDsse(Dsse.InTotoPayloadType, statement, options);

    private VerificationResult Verify(byte[] bundle) =>
        new SigstoreVerifier(TrustedRoot.Parse(_sigstore.TrustedRootBytes)).Verify(SigstoreBundle.Parse(bundle), Artifact.FromBytes(Content), Policy);

    /// <summary>
    /// <paramref name="logged"/> with <paramref name="path"/> taken from <paramref name="other"/>, and its timestamps too,
    /// as the conformance vectors are built: the timestamp covers the signature the bundle shows, so only the log entry disagrees.
    /// </summary>
    private static byte[] Swap(byte[] logged, byte[] other, string path)
    {
        var from = MutableBundle.Parse(other);
        return MutableBundle.Parse(logged)
            .Set(path, from.Get(path)!.DeepClone())
            .Set(Timestamps, from.Get(Timestamps)!.DeepClone())
            .ToBytes();
    }

    private const string Timestamps = "verificationMaterial.timestampVerificationData";

    /// <summary>The dotted paths of a JSON document's leaf fields, array items as <c>[]</c>, in document order.</summary>
    private static List<string> FieldPaths(JsonNode node, string prefix = "")
    {
        var paths = new List<string>();
        switch (node)
        {
            case JsonObject obj:
                foreach ((string name, JsonNode? child) in obj)
                {
                    paths.AddRange(FieldPaths(child!, prefix.Length == 0 ? name : prefix + "." + name));
                }

                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    paths.AddRange(FieldPaths(item!, prefix + "[]"));
                }

                break;
            default:
                paths.Add(prefix);
                break;
        }

        return paths;
    }
}
