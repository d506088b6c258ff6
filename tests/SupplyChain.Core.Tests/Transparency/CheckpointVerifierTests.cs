using System.Security.Cryptography;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Transparency;

namespace SupplyChain.Core.Tests.Transparency;

public sealed class CheckpointVerifierTests : IDisposable
{
    private static readonly byte[] Root = SHA256.HashData("root"u8);
    private readonly TestLog _ed25519 = TestLog.Ed25519("https://log2025-1.rekor.test");
    private readonly TestLog _ecdsa = TestLog.Ecdsa("https://rekor.test");
    private readonly TestLog _witness = TestLog.Ed25519("https://witness.example");

    public void Dispose()
    {
        _ed25519.Dispose();
        _ecdsa.Dispose();
        _witness.Dispose();
    }

    [Fact]
    public void Ed25519_log_signature_with_the_C2SP_key_id_verifies()
    {
        Checkpoint checkpoint = Checkpoint.Parse(_ed25519.SignedCheckpoint(10, Root));
        CheckpointVerifier.Verify(checkpoint, _ed25519.Instance);

        // The C2SP key ID depends on the name: the log ID's prefix is not what an Ed25519 note uses.
        Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(_ed25519.KeyHint()), CheckpointKeyHint.For(_ed25519.Instance));
        Assert.NotEqual(_ed25519.LogId[..4], _ed25519.KeyHint());
    }

    [Fact]
    public void Ecdsa_Rekor_v1_checkpoint_with_tree_id_origin_and_timestamp_extension_verifies()
    {
        string body = TestLog.Body("rekor.test - 2605736670972794746", 10, Root, "Timestamp: 1689177396617352539");
        Checkpoint checkpoint = Checkpoint.Parse(body + "\n" + _ecdsa.SignatureLine(body));
        CheckpointVerifier.Verify(checkpoint, _ecdsa.Instance);
        Assert.Equal(_ecdsa.LogId[..4], _ecdsa.KeyHint());
    }

    [Fact]
    public void Witness_cosignatures_before_and_after_the_log_signature_are_ignored()
    {
        string body = TestLog.Body(_ed25519.Name, 10, Root);
        string text = body + "\n" + _witness.SignatureLine(body) + _ed25519.SignatureLine(body) + _witness.SignatureLine(body, "witness.example/w2");
        CheckpointVerifier.Verify(Checkpoint.Parse(text), _ed25519.Instance);
    }

    [Fact]
    public void A_note_signed_only_by_a_witness_is_rejected()
    {
        string body = TestLog.Body(_ed25519.Name, 10, Root);
        var ex = Assert.Throws<VerificationFailedException>(() => CheckpointVerifier.Verify(Checkpoint.Parse(body + "\n" + _witness.SignatureLine(body)), _ed25519.Instance));
        Assert.Equal("SC1209", ex.Code);
    }

    [Fact]
    public void A_signature_by_another_key_under_the_log_name_and_key_hint_is_rejected()
    {
        using TestLog impostor = TestLog.Ed25519("https://log2025-1.rekor.test");
        string body = TestLog.Body(_ed25519.Name, 10, Root);
        string forged = impostor.SignatureLine(body, _ed25519.Name, _ed25519.KeyHint());
        var ex = Assert.Throws<VerificationFailedException>(() => CheckpointVerifier.Verify(Checkpoint.Parse(body + "\n" + forged), _ed25519.Instance));
        Assert.Equal("SC1209", ex.Code);

        // With the log's own signature added after it, the note verifies: the extra one is ignored.
        CheckpointVerifier.Verify(Checkpoint.Parse(body + "\n" + forged + _ed25519.SignatureLine(body)), _ed25519.Instance);
    }

    [Fact]
    public void A_valid_signature_with_the_wrong_key_hint_is_rejected()
    {
        string body = TestLog.Body(_ecdsa.Name, 10, Root);
        byte[] hint = _ecdsa.KeyHint();
        hint[0] ^= 0x04;
        var ex = Assert.Throws<VerificationFailedException>(() => CheckpointVerifier.Verify(Checkpoint.Parse(body + "\n" + _ecdsa.SignatureLine(body, hint: hint)), _ecdsa.Instance));
        Assert.Equal("SC1209", ex.Code);
    }

    [Fact]
    public void A_valid_signature_under_another_name_is_rejected()
    {
        string body = TestLog.Body(_ecdsa.Name, 10, Root);
        var ex = Assert.Throws<VerificationFailedException>(() => CheckpointVerifier.Verify(Checkpoint.Parse(body + "\n" + _ecdsa.SignatureLine(body, "other.test")), _ecdsa.Instance));
        Assert.Equal("SC1209", ex.Code);
    }

    [Theory]
    [InlineData("other.rekor.test")]
    [InlineData("rekor.test - ")]
    [InlineData("rekor.test - 12ab")]
    [InlineData("rekor.testing")]
    [InlineData("rekor.test-123")]
    public void A_note_of_another_origin_is_rejected_even_when_signed_by_the_log_key(string origin)
    {
        string body = TestLog.Body(origin, 10, Root);
        var ex = Assert.Throws<VerificationFailedException>(() => CheckpointVerifier.Verify(Checkpoint.Parse(body + "\n" + _ecdsa.SignatureLine(body)), _ecdsa.Instance));
        Assert.Equal("SC1209", ex.Code);
    }

    [Fact]
    public void The_note_must_be_signed_by_the_entry_s_own_log_not_by_another_trusted_log()
    {
        // Same hostname, another trusted key: its valid signature does not vouch for this log.
        using TestLog sibling = TestLog.Ecdsa("https://rekor.test");
        string body = TestLog.Body(_ecdsa.Name, 10, Root);
        string text = body + "\n" + sibling.SignatureLine(body);
        CheckpointVerifier.Verify(Checkpoint.Parse(text), sibling.Instance);
        var ex = Assert.Throws<VerificationFailedException>(() => CheckpointVerifier.Verify(Checkpoint.Parse(text), _ecdsa.Instance));
        Assert.Equal("SC1209", ex.Code);
    }

    [Fact]
    public void A_tampered_body_is_rejected()
    {
        string body = TestLog.Body(_ed25519.Name, 10, Root);
        string tampered = TestLog.Body(_ed25519.Name, 11, Root);
        var ex = Assert.Throws<VerificationFailedException>(() => CheckpointVerifier.Verify(Checkpoint.Parse(tampered + "\n" + _ed25519.SignatureLine(body)), _ed25519.Instance));
        Assert.Equal("SC1209", ex.Code);
    }

    [Fact]
    public void The_trusted_root_checkpoint_key_id_is_used_when_given()
    {
        byte[] keyId = SHA256.HashData("custom key id"u8);
        using TestLog log = TestLog.Ed25519("https://log.test", checkpointKeyId: keyId);
        Assert.Equal(keyId[..4], log.KeyHint());
        CheckpointVerifier.Verify(Checkpoint.Parse(log.SignedCheckpoint(3, Root)), log.Instance);

        // The computed C2SP key ID is then not accepted in its place.
        string body = TestLog.Body(log.Name, 3, Root);
        byte[] c2sp = SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(log.Name), 0x0A, 0x01, .. log.Instance.PublicKey.SubjectPublicKeyInfo.Span[^32..]])[..4];
        var ex = Assert.Throws<VerificationFailedException>(() => CheckpointVerifier.Verify(Checkpoint.Parse(body + "\n" + log.SignatureLine(body, hint: c2sp)), log.Instance));
        Assert.Equal("SC1209", ex.Code);
    }

    // Issue 14: a private Rekor v1 deployment (sigstore/scaffolding on Kubernetes) names its checkpoints after the
    // server's own host name, not after the base URL clients reach it by. The log is identified by its key.
    private const string PodName = "rekor-server-6d5c8b7f9-x2x4q";
    private const string PodOrigin = PodName + " - 8050909264565447525";

    [Fact]
    public void A_Rekor_v1_origin_that_names_the_log_itself_verifies_with_the_log_key_whatever_the_base_URL()
    {
        using TestLog cluster = TestLog.Ecdsa("http://rekor.rekor-system.svc:8080");
        string body = TestLog.Body(PodOrigin, 10, Root);
        CheckpointVerifier.Verify(Checkpoint.Parse(body + "\n" + cluster.SignatureLine(body, PodName)), cluster.Instance);
    }

    [Fact]
    public void A_Rekor_v1_origin_signed_by_another_log_key_is_rejected_even_under_the_log_key_hint()
    {
        using TestLog cluster = TestLog.Ecdsa("http://rekor.rekor-system.svc:8080");
        using TestLog other = TestLog.Ecdsa("http://rekor.rekor-system.svc:8080");
        string body = TestLog.Body(PodOrigin, 10, Root);
        foreach (string line in new[] { other.SignatureLine(body, PodName), other.SignatureLine(body, PodName, cluster.KeyHint()) })
        {
            var ex = Assert.Throws<VerificationFailedException>(() => CheckpointVerifier.Verify(Checkpoint.Parse(body + "\n" + line), cluster.Instance));
            Assert.Equal("SC1209", ex.Code);
        }
    }

    [Fact]
    public void A_Rekor_v1_signature_under_a_name_other_than_the_origin_s_is_rejected()
    {
        using TestLog cluster = TestLog.Ecdsa("http://rekor.rekor-system.svc:8080");
        string body = TestLog.Body(PodOrigin, 10, Root);
        foreach (string name in new[] { "rekor.rekor-system.svc:8080", "rekor-server-other" })
        {
            var ex = Assert.Throws<VerificationFailedException>(() => CheckpointVerifier.Verify(Checkpoint.Parse(body + "\n" + cluster.SignatureLine(body, name)), cluster.Instance));
            Assert.Equal("SC1209", ex.Code);
        }
    }

    [Theory]
    [InlineData("localhost:3003")]
    [InlineData("localhost")]
    public void A_Rekor_v2_origin_is_the_base_URL_without_scheme_or_its_host_name_alone(string origin)
    {
        // sigstore-go verifies Rekor v2 checkpoints under url.Hostname(); the Ed25519 key ID is derived from that name.
        using TestLog local = TestLog.Ed25519("http://localhost:3003");
        string body = TestLog.Body(origin, 10, Root);
        byte[] raw = local.Instance.PublicKey.SubjectPublicKeyInfo.Span[^32..].ToArray();
        byte[] hint = SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(origin), 0x0A, 0x01, .. raw])[..4];
        CheckpointVerifier.Verify(Checkpoint.Parse(body + "\n" + local.SignatureLine(body, origin, hint)), local.Instance);
    }

    [Fact]
    public void A_Rekor_v2_origin_that_is_not_the_base_URL_is_rejected_even_when_signed_by_the_log_key()
    {
        // Unlike Rekor v1, a Rekor v2 origin carries no tree ID to tell it apart; sigstore-go requires the base URL's host.
        string body = TestLog.Body("rekor-tiles-0", 10, Root);
        byte[] raw = _ed25519.Instance.PublicKey.SubjectPublicKeyInfo.Span[^32..].ToArray();
        byte[] hint = SHA256.HashData([.. "rekor-tiles-0"u8.ToArray(), 0x0A, 0x01, .. raw])[..4];
        var ex = Assert.Throws<VerificationFailedException>(() => CheckpointVerifier.Verify(Checkpoint.Parse(body + "\n" + _ed25519.SignatureLine(body, "rekor-tiles-0", hint)), _ed25519.Instance));
        Assert.Equal("SC1209", ex.Code);
    }
}
