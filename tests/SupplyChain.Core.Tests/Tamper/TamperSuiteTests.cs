using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Verification;

namespace SupplyChain.Core.Tests.Tamper;

/// <summary>
/// Valid bundles of five shapes (v0.1, v0.3 message, v0.3 DSSE on Rekor v1; message and DSSE on Rekor v2 with
/// RFC 3161), each broken by every applicable mutation of <see cref="TamperMutations"/>. Nothing may verify;
/// each failure must carry the code of its defect.
/// </summary>
public class TamperSuiteTests : IClassFixture<TamperContext>
{
    private readonly TamperContext _context;

    public TamperSuiteTests(TamperContext context) => _context = context;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (TamperBase shape in TamperBase.All)
        {
            foreach (Mutation mutation in TamperMutations.All.Where(m => m.AppliesTo(shape)))
            {
                data.Add(shape.Name, mutation.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mutation_fails_with_its_code(string shapeName, string mutationName)
    {
        TamperBase shape = TamperBase.All.Single(s => s.Name == shapeName);
        Mutation mutation = TamperMutations.All.Single(m => m.Name == mutationName);
        TamperCase tampered = mutation.Build(_context, shape);

        var ex = Assert.ThrowsAny<SupplyChainException>(() => Verify(tampered));
        Assert.Equal(mutation.ExpectedCode(shape), ex.Code);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_unmodified_bundle_verifies_by_path_and_by_digest(string shapeName)
    {
        TamperBase shape = TamperBase.All.Single(s => s.Name == shapeName);
        byte[] bundle = _context.Valid(shape);
        VerificationResult byBytes = Verify(new TamperCase(bundle));
        Assert.Equal(Testing.Virtual.SigningOptions.DefaultIdentity, byBytes.Signer.SubjectAlternativeName);
        Assert.NotEmpty(byBytes.VerifiedTimes);
        VerificationResult byDigest = Verify(new TamperCase(bundle, Artifact: TamperContext.DigestInput()));
        Assert.Equal(byBytes.Signer.PublicKeySha256, byDigest.Signer.PublicKeySha256);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Flipping_every_inclusion_proof_hash_fails_SC1206(string shapeName)
    {
        TamperBase shape = TamperBase.All.Single(s => s.Name == shapeName);
        var tree = Testing.Virtual.MutableBundle.Parse(_context.Valid(shape));
        int count = ((System.Text.Json.Nodes.JsonArray)tree.Get(Testing.Virtual.BundlePaths.InclusionProof + ".hashes")!).Count;
        Assert.True(count >= 2, $"only {count} proof hashes");
        for (int i = 0; i < count; i++)
        {
            byte[] bad = Testing.Virtual.MutableBundle.Parse(_context.Valid(shape)).FlipBit($"{Testing.Virtual.BundlePaths.InclusionProof}.hashes[{i}]", 31).ToBytes();
            var ex = Assert.ThrowsAny<SupplyChainException>(() => Verify(new TamperCase(bad)));
            Assert.Equal("SC1206", ex.Code);
        }
    }

    [Fact]
    public void A_v01_bundle_whose_proof_has_no_checkpoint_is_refused_at_parse_time_although_its_SET_verifies()
    {
        // Issue 14 (docs/verification.md, "Where the clients disagree"): as sigstore-go and sigstore-python.
        byte[] bundle = Testing.Virtual.MutableBundle.Parse(_context.Valid(TamperBase.V01Message))
            .Remove(Testing.Virtual.BundlePaths.InclusionProof + ".checkpoint").ToBytes();
        Assert.Equal("SC1012", Assert.Throws<MalformedInputException>(() => SigstoreBundle.Parse(bundle)).Code);

        // Without the unsigned proof, the entry stands on its SET, as v0.1 allows.
        byte[] promiseOnly = Testing.Virtual.MutableBundle.Parse(_context.Valid(TamperBase.V01Message)).Remove(Testing.Virtual.BundlePaths.InclusionProof).ToBytes();
        Assert.NotNull(Assert.Single(Verify(new TamperCase(promiseOnly)).LogEntries).IntegratedTime);
    }

    public static TheoryData<string> Shapes()
    {
        var data = new TheoryData<string>();
        foreach (TamperBase shape in TamperBase.All)
        {
            data.Add(shape.Name);
        }

        return data;
    }

    private VerificationResult Verify(TamperCase tampered)
    {
        SigstoreBundle bundle = SigstoreBundle.Parse(tampered.Bundle);
        SigstoreVerifier verifier = tampered.Trust is null ? _context.Verifier : new SigstoreVerifier(tampered.Trust);
        return verifier.Verify(bundle, tampered.Artifact ?? TamperContext.ArtifactInput(), tampered.Policy ?? TamperContext.DefaultPolicy);
    }
}
