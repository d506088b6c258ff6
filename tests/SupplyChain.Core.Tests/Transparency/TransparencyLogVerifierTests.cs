using System.Security.Cryptography;
using System.Text.Json;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Transparency;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Transparency;

public sealed class TransparencyLogVerifierTests : IDisposable
{
    private static readonly byte[] ArtifactBytes = "artifact"u8.ToArray();
    private static readonly byte[] Signature = RandomNumberGenerator.GetBytes(70);
    private static readonly DateTimeOffset Integrated = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private readonly byte[] _signer = RandomNumberGenerator.GetBytes(300);
    private readonly TestLog _v1 = TestLog.Ecdsa("https://rekor.test");
    private readonly TestLog _v2 = TestLog.Ed25519("https://log2025-1.rekor.test");

    public void Dispose()
    {
        _v1.Dispose();
        _v2.Dispose();
    }

    private TlogSubject Subject() => new(new MessageSignature(null, null, Signature), null, _signer, true, Artifact.FromBytes(ArtifactBytes));

    private byte[] V001Body() => JsonSerializer.SerializeToUtf8Bytes(new
    {
        apiVersion = "0.0.1",
        kind = "hashedrekord",
        spec = new
        {
            data = new { hash = new { algorithm = "sha256", value = Convert.ToHexStringLower(SHA256.HashData(ArtifactBytes)) } },
            signature = new { content = Convert.ToBase64String(Signature), publicKey = new { content = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE", _signer))) } },
        },
    });

    private byte[] V002Body() => JsonSerializer.SerializeToUtf8Bytes(new
    {
        apiVersion = "0.0.2",
        kind = "hashedrekord",
        spec = new
        {
            hashedRekordV002 = new
            {
                data = new { algorithm = "SHA2_256", digest = Convert.ToBase64String(SHA256.HashData(ArtifactBytes)) },
                signature = new { content = Convert.ToBase64String(Signature), verifier = new { keyDetails = "PKIX_ECDSA_P256_SHA_256", x509Certificate = new { rawBytes = Convert.ToBase64String(_signer) } } },
            },
        },
    });

    private static void AssertCode(string code, Action action) => ErrorAssert.AssertCode<VerificationFailedException>(code, action);

    [Fact]
    public void Rekor_v1_entry_with_SET_and_proof_yields_the_signed_integrated_time()
    {
        TransparencyLogEntry entry = _v1.Entry(V001Body(), "hashedrekord", "0.0.1");
        VerifiedTlogEntry verified = TransparencyLogVerifier.VerifyEntry(entry, Subject(), new TestTrust(_v2.Instance, _v1.Instance), []);
        Assert.Same(_v1.Instance, verified.Log);
        Assert.Same(entry, verified.Entry);
        Assert.Equal(Integrated, verified.IntegratedTime);
    }

    [Fact]
    public void Rekor_v1_entry_with_only_a_SET_verifies()
    {
        TransparencyLogEntry entry = _v1.Entry(V001Body(), "hashedrekord", "0.0.1", withProof: false);
        Assert.Equal(Integrated, TransparencyLogVerifier.VerifyEntry(entry, Subject(), new TestTrust(_v1.Instance), []).IntegratedTime);
    }

    [Fact]
    public void Rekor_v2_entry_needs_a_verified_timestamp_inside_the_log_validity()
    {
        TransparencyLogEntry entry = _v2.Entry(V002Body(), "hashedrekord", "0.0.2", withSet: false);
        var trust = new TestTrust(_v2.Instance);
        Assert.Null(TransparencyLogVerifier.VerifyEntry(entry, Subject(), trust, [Integrated]).IntegratedTime);
        AssertCode("SC1407", () => TransparencyLogVerifier.VerifyEntry(entry, Subject(), trust, []));

        using TestLog bounded = TestLog.Ed25519("https://log2025-1.rekor.test", new TimeRange(Integrated, Integrated.AddDays(1)));
        TransparencyLogEntry boundedEntry = bounded.Entry(V002Body(), "hashedrekord", "0.0.2", withSet: false);
        var boundedTrust = new TestTrust(bounded.Instance);
        AssertCode("SC1202", () => TransparencyLogVerifier.VerifyEntry(boundedEntry, Subject(), boundedTrust, [Integrated.AddSeconds(-1), Integrated.AddDays(2)]));

        // Closed interval: the very end is valid; one of several timestamps suffices.
        TransparencyLogVerifier.VerifyEntry(boundedEntry, Subject(), boundedTrust, [Integrated.AddDays(-3), Integrated.AddDays(1)]);
    }

    [Fact]
    public void The_integrated_time_must_lie_in_the_log_key_validity()
    {
        using TestLog expired = TestLog.Ecdsa("https://rekor.test", new TimeRange(DateTimeOffset.UnixEpoch, Integrated.AddSeconds(-1)));
        TransparencyLogEntry entry = expired.Entry(V001Body(), "hashedrekord", "0.0.1");
        AssertCode("SC1202", () => TransparencyLogVerifier.VerifyEntry(entry, Subject(), new TestTrust(expired.Instance), [Integrated]));
    }

    [Fact]
    public void An_entry_of_an_untrusted_log_is_rejected()
    {
        TransparencyLogEntry entry = _v1.Entry(V001Body(), "hashedrekord", "0.0.1");
        AssertCode("SC1201", () => TransparencyLogVerifier.VerifyEntry(entry, Subject(), new TestTrust(_v2.Instance), []));
    }

    [Fact]
    public void An_entry_without_proof_and_promise_is_rejected()
    {
        TransparencyLogEntry entry = _v2.Entry(V002Body(), "hashedrekord", "0.0.2", withSet: false, withProof: false);
        AssertCode("SC1213", () => TransparencyLogVerifier.VerifyEntry(entry, Subject(), new TestTrust(_v2.Instance), [Integrated]));
    }

    [Fact]
    public void An_unsupported_kind_is_rejected_before_anything_else_is_trusted()
    {
        TransparencyLogEntry entry = _v1.Entry("{}"u8.ToArray(), "rekord", "0.0.1");
        AssertCode("SC1203", () => TransparencyLogVerifier.VerifyEntry(entry, Subject(), new TestTrust(_v1.Instance), []));
    }

    [Fact]
    public void A_checkpoint_signed_by_another_trusted_log_does_not_anchor_the_proof()
    {
        TransparencyLogEntry own = _v2.Entry(V002Body(), "hashedrekord", "0.0.2", withSet: false);
        InclusionProof proof = own.InclusionProof!;

        // Same tree, but the note is signed by another log the trusted root also lists.
        using TestLog other = TestLog.Ed25519("https://log2025-1.rekor.test");
        var foreign = new InclusionProof(proof.LogIndex, proof.RootHash, proof.TreeSize, proof.Hashes, other.SignedCheckpoint(proof.TreeSize, proof.RootHash.Span));
        var entry = new TransparencyLogEntry(own.LogIndex, own.LogId, own.Kind, own.KindVersion, 0, null, foreign, own.CanonicalizedBody);
        AssertCode("SC1209", () => TransparencyLogVerifier.VerifyEntry(entry, Subject(), new TestTrust(_v2.Instance, other.Instance), [Integrated]));
    }

    [Fact]
    public void The_checkpoint_must_commit_to_the_proof_tree()
    {
        TransparencyLogEntry own = _v2.Entry(V002Body(), "hashedrekord", "0.0.2", withSet: false);
        InclusionProof proof = own.InclusionProof!;
        var trust = new TestTrust(_v2.Instance);

        string wrongRoot = _v2.SignedCheckpoint(proof.TreeSize, SHA256.HashData("another tree"u8));
        string wrongSize = _v2.SignedCheckpoint(proof.TreeSize + 1, proof.RootHash.Span);
        foreach (string checkpoint in new[] { wrongRoot, wrongSize })
        {
            var entry = new TransparencyLogEntry(own.LogIndex, own.LogId, own.Kind, own.KindVersion, 0, null, new InclusionProof(proof.LogIndex, proof.RootHash, proof.TreeSize, proof.Hashes, checkpoint), own.CanonicalizedBody);
            AssertCode("SC1210", () => TransparencyLogVerifier.VerifyEntry(entry, Subject(), trust, [Integrated]));
        }
    }

    [Fact]
    public void A_corrupted_proof_hash_or_wrong_index_is_rejected()
    {
        TransparencyLogEntry own = _v2.Entry(V002Body(), "hashedrekord", "0.0.2", withSet: false);
        InclusionProof proof = own.InclusionProof!;
        var trust = new TestTrust(_v2.Instance);
        byte[] flipped = proof.Hashes[0].ToArray();
        flipped[5] ^= 0x10;
        var corrupted = new InclusionProof(proof.LogIndex, proof.RootHash, proof.TreeSize, [flipped, .. proof.Hashes.Skip(1)], proof.Checkpoint);
        var moved = new InclusionProof(proof.LogIndex + 1, proof.RootHash, proof.TreeSize, proof.Hashes, proof.Checkpoint);
        foreach (InclusionProof bad in new[] { corrupted, moved })
        {
            var entry = new TransparencyLogEntry(own.LogIndex, own.LogId, own.Kind, own.KindVersion, 0, null, bad, own.CanonicalizedBody);
            AssertCode("SC1206", () => TransparencyLogVerifier.VerifyEntry(entry, Subject(), trust, [Integrated]));
        }
    }

    [Fact]
    public void A_proof_without_checkpoint_fails_SC1214_even_under_a_verified_SET()
    {
        TransparencyLogEntry withSet = _v1.Entry(V001Body(), "hashedrekord", "0.0.1");
        InclusionProof proof = withSet.InclusionProof!;
        var bare = new InclusionProof(proof.LogIndex, proof.RootHash, proof.TreeSize, proof.Hashes, null);
        var promised = new TransparencyLogEntry(withSet.LogIndex, withSet.LogId, withSet.Kind, withSet.KindVersion, withSet.IntegratedTime, withSet.SignedEntryTimestamp, bare, withSet.CanonicalizedBody);
        AssertCode("SC1214", () => TransparencyLogVerifier.VerifyEntry(promised, Subject(), new TestTrust(_v1.Instance), []));

        var unpromised = new TransparencyLogEntry(withSet.LogIndex, withSet.LogId, withSet.Kind, withSet.KindVersion, 0, null, bare, withSet.CanonicalizedBody);
        AssertCode("SC1214", () => TransparencyLogVerifier.VerifyEntry(unpromised, Subject(), new TestTrust(_v1.Instance), [Integrated]));
    }

    [Fact]
    public void A_valid_entry_for_another_signature_is_rejected()
    {
        TransparencyLogEntry entry = _v1.Entry(V001Body(), "hashedrekord", "0.0.1");
        var other = new TlogSubject(new MessageSignature(null, null, RandomNumberGenerator.GetBytes(70)), null, _signer, true, Artifact.FromBytes(ArtifactBytes));
        AssertCode("SC1204", () => TransparencyLogVerifier.VerifyEntry(entry, other, new TestTrust(_v1.Instance), []));
    }
}
