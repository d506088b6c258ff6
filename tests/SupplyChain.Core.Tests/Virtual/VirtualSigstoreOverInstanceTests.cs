using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Instance.Ca;
using SupplyChain.Instance.Log;
using SupplyChain.Testing.Timestamps;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Core.Tests.Virtual;

/// <summary>
/// The test kit's VirtualSigstore is a tampering layer over the shipped local instance: its leaves come from the
/// instance's CA, its honest timestamps from the instance's TSA, its Rekor v2 entries from the instance's tile log,
/// which the kit's own RFC 6962 Merkle tree cross-checks.
/// </summary>
public sealed class VirtualSigstoreOverInstanceTests : IDisposable
{
    private static readonly byte[] Content = "over the instance"u8.ToArray();
    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();

    public void Dispose() => _sigstore.Dispose();

    [Fact]
    public void A_bundle_leaf_is_issued_by_the_instance_ca_whose_chain_the_trusted_root_lists()
    {
        JsonNode bundle = JsonNode.Parse(_sigstore.SignMessage(Content, new SigningOptions { Log = LogFlavour.RekorV2, Timestamp = true }))!;
        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String((string)bundle["verificationMaterial"]!["certificate"]!["rawBytes"]!));
        LocalCertificateAuthority ca = _sigstore.CertificateAuthority.Instance;

        Assert.Equal(
            ca.Chain.Select(c => c.RawData),
            TrustedRoot.Parse(_sigstore.TrustedRootBytes).CertificateAuthorities.Single().Chain.Select(c => c.RawData));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.Root);
        chain.ChainPolicy.ExtraStore.Add(ca.Intermediate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _sigstore.Now.UtcDateTime;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void The_embedded_sct_is_signed_by_the_instance_ct_log()
    {
        using LeafCertificate leaf = _sigstore.IssueLeaf("dev@example.com", SigningOptions.DefaultIssuer);

        // SignedCertificateTimestamp (RFC 6962 section 3.2): version (1 byte), then the 32-byte log ID.
        Assert.Equal(_sigstore.CtLog.Instance.LogId, leaf.Sct![1..33]);
        Assert.Equal(_sigstore.CtLog.LogId, _sigstore.CtLog.Instance.LogId);
    }

    [Fact]
    public void Rekor_v2_entries_are_in_the_instance_log_with_its_checkpoint()
    {
        JsonNode entry = JsonNode.Parse(_sigstore.SignMessage(Content, new SigningOptions { Log = LogFlavour.RekorV2, Timestamp = true }))!["verificationMaterial"]!["tlogEntries"]![0]!;
        TileLog log = _sigstore.RekorV2.InstanceLog!;
        long index = long.Parse((string)entry["logIndex"]!, System.Globalization.CultureInfo.InvariantCulture);
        long treeSize = long.Parse((string)entry["inclusionProof"]!["treeSize"]!, System.Globalization.CultureInfo.InvariantCulture);
        string note = (string)entry["inclusionProof"]!["checkpoint"]!["envelope"]!;

        Assert.Equal(Convert.FromBase64String((string)entry["canonicalizedBody"]!), log.ReadEntry(index).ToArray());
        Assert.Equal(Convert.FromBase64String((string)entry["inclusionProof"]!["rootHash"]!), log.GetRootHash(treeSize));
        SignedCheckpoint checkpoint = SignedCheckpoint.Parse(note, _sigstore.RekorV2.CheckpointSigner!.VerifierKey);
        Assert.Equal(treeSize, checkpoint.Size);
        Assert.Equal(_sigstore.RekorV2.LogId, _sigstore.RekorV2.CheckpointSigner.LogId);
        Assert.Null(_sigstore.RekorV1.InstanceLog);
    }

    [Fact]
    public void The_kit_merkle_tree_agrees_with_the_instance_log_and_catches_a_wrong_inclusion_proof()
    {
        using VirtualTransparencyLog log = VirtualTransparencyLog.CreateRekorV2("crosscheck.virtual.test", fillerEntries: 6);
        LogAppend appended = log.AppendWithProof("an entry"u8);
        byte[][] proof = [.. appended.InclusionProof.Select(h => (byte[])h.Clone())];
        byte[][] flipped = [.. proof.Select(h => (byte[])h.Clone())];
        flipped[1][0] ^= 1;
        byte[] wrongRoot = (byte[])appended.RootHash.Clone();
        wrongRoot[^1] ^= 0x80;

        log.Tree.CheckAgrees(appended.Index, appended.TreeSize, appended.RootHash, proof);
        Assert.Equal(6, appended.Index);
        Assert.Throws<InvalidOperationException>(() => log.Tree.CheckAgrees(appended.Index, appended.TreeSize, appended.RootHash, flipped));
        Assert.Throws<InvalidOperationException>(() => log.Tree.CheckAgrees(appended.Index, appended.TreeSize, appended.RootHash, proof[..^1]));
        Assert.Throws<InvalidOperationException>(() => log.Tree.CheckAgrees(appended.Index, appended.TreeSize, appended.RootHash, log.InstanceLog!.GetInclusionProof(appended.Index - 1, appended.TreeSize)));
        Assert.Throws<InvalidOperationException>(() => log.Tree.CheckAgrees(appended.Index, appended.TreeSize, wrongRoot, proof));
        Assert.Throws<InvalidOperationException>(() => log.Tree.CheckAgrees(appended.Index, appended.TreeSize + 1, appended.RootHash, proof));
    }

    [Fact]
    public void Honest_timestamps_are_the_instance_tsa_answer_and_tampered_ones_the_kit_encoding()
    {
        var tsa = Assert.IsType<TestTimestampAuthority>(_sigstore.TimestampMinter);
        Assert.NotNull(tsa.Instance);
        Assert.Equal(tsa.Leaf.RawData, tsa.Instance.Leaf.RawData);

        // The instance TSA numbers its tokens from a random multiple of 1024; the kit's own encoder counts from 1.
        Assert.True(Serial(tsa.TimestampToken("data"u8, _sigstore.Now)) > 1024);
        Assert.True(Serial(tsa.TimestampToken("data"u8, _sigstore.Now.AddMilliseconds(250))) < 1024);
    }

    public static TheoryData<string, string> LeafTampering() => new()
    {
        { "no-sct", "SC1305" },
        { "sct-by-another-key", "SC1306" },
        { "expired-before-signing", "SC1302" },
    };

    [Theory]
    [MemberData(nameof(LeafTampering))]
    public void Leaf_tampering_options_still_fail_verification_with_their_codes(string tampering, string code)
    {
        using LogKey otherKey = LogKey.CreateEcdsaP256();
        LeafOptions options = tampering switch
        {
            "no-sct" => new LeafOptions { EmbedSct = false },
            "sct-by-another-key" => new LeafOptions { SctSigningKey = otherKey },
            _ => new LeafOptions { NotBefore = _sigstore.Now.AddHours(-2), NotAfter = _sigstore.Now.AddHours(-1) },
        };
        byte[] bundle = _sigstore.SignMessage(Content, new SigningOptions { Log = LogFlavour.RekorV2, Timestamp = true, Leaf = options });
        var verifier = new SigstoreVerifier(TrustedRoot.Parse(_sigstore.TrustedRootBytes));
        VerificationPolicy policy = VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(SigningOptions.DefaultIdentity, SigningOptions.DefaultIssuer));

        var error = Assert.ThrowsAny<SupplyChainException>(() => verifier.Verify(SigstoreBundle.Parse(bundle), Artifact.FromBytes(Content), policy));
        Assert.Equal(code, error.Code);
    }

    private static long Serial(byte[] token)
    {
        Assert.True(System.Security.Cryptography.Pkcs.Rfc3161TimestampToken.TryDecode(token, out var decoded, out _));
        return (long)new System.Numerics.BigInteger(decoded!.TokenInfo.GetSerialNumber().Span, isUnsigned: true, isBigEndian: true);
    }
}
