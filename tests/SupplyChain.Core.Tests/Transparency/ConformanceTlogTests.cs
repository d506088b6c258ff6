using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Transparency;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Transparency;

/// <summary>
/// Real Rekor v1 and v2 entries from the Sigstore conformance suite, checked by the transparency-log
/// step alone. The RFC 3161 step is verified elsewhere; for Rekor v2 entries a time inside the log's
/// validity window stands in for the time a verified timestamp would give.
/// </summary>
public class ConformanceTlogTests
{
    [SharedFixtureTheory]
    [InlineData("happy-path-v0.1", true)]
    [InlineData("happy-path-v0.2", true)]
    [InlineData("happy-path-v0.3", true)]
    [InlineData("happy-path-intoto-in-dsse-v3", true)]
    [InlineData("intoto-with-custom-trust-root", true)]
    [InlineData("managed-key-happy-path", true)]
    [InlineData("managed-key-and-trusted-root", true)]
    [InlineData("trust-root-tlog-validity-end-inclusive", true)]
    [InlineData("rekor2-happy-path", false)]
    [InlineData("rekor2-dsse-happy-path", false)]
    [InlineData("rekor2-checkpoint-cosigned", false)]
    [InlineData("rekor2-checkpoint-multiple-cosigs", false)]
    [InlineData("rekor2-checkpoint-origin-not-first", false)]
    [InlineData("rekor2-checkpoint-two-sigs-cosigned", false)]
    [InlineData("rekor2-checkpoint-two-sigs-from-origin", false)]
    [InlineData("bundle-with-sct-with-extensions", false)]
    public void Valid_entries_verify(string name, bool hasSet)
    {
        (SigstoreBundle bundle, TlogSubject subject, TrustedRoot trust) = Load(name);
        TransparencyLogEntry entry = Assert.Single(bundle.VerificationMaterial.TlogEntries);
        VerifiedTlogEntry verified = TransparencyLogVerifier.VerifyEntry(entry, subject, trust, StandInTimestamps(entry, trust));
        Assert.True(verified.Log.LogId.Span.SequenceEqual(entry.LogId.Span));
        Assert.Equal(hasSet ? DateTimeOffset.FromUnixTimeSeconds(entry.IntegratedTime) : null, verified.IntegratedTime);
    }

    [SharedFixtureTheory]
    [InlineData("bundle-from-wrong-instance_fail", "SC1201")]
    [InlineData("inclusion-proof-corrupted-hash_fail", "SC1206")]
    [InlineData("checkpoint-bad-keyhint_fail", "SC1209")]
    [InlineData("invalid-checkpoint-signature_fail", "SC1209")]
    [InlineData("checkpoint-wrong-roothash_fail", "SC1210")]
    [InlineData("set-invalid-signature_fail", "SC1211")]
    [InlineData("rekor2-checkpoint-missing-log-signature_fail", "SC1208")]
    [InlineData("rekor2-checkpoint-missing-origin_fail", "SC1208")]
    [InlineData("rekor2-checkpoint-missing-root-hash_fail", "SC1208")]
    [InlineData("rekor2-checkpoint-missing-size_fail", "SC1208")]
    [InlineData("rekor2-checkpoint-no-matching-signature_fail", "SC1209")]
    [InlineData("wrong-hashedrekord-artifact_fail", "SC1204")]
    [InlineData("wrong-hashedrekord-cert-and-sig_fail", "SC1204")]
    [InlineData("wrong-hashedrekord-entry_fail", "SC1204")]
    [InlineData("dsse-mismatch-envelope_fail", "SC1204")]
    [InlineData("dsse-mismatch-sig_fail", "SC1204")]
    [InlineData("rekor2-dsse-mismatch-envelope_fail", "SC1204")]
    [InlineData("rekor2-dsse-mismatch-sig_fail", "SC1204")]
    [InlineData("intoto-log-entry-mismatch_fail", "SC1204")]
    public void Invalid_entries_fail_with_their_code(string name, string code)
    {
        (SigstoreBundle bundle, TlogSubject subject, TrustedRoot trust) = Load(name);
        TransparencyLogEntry entry = Assert.Single(bundle.VerificationMaterial.TlogEntries);
        var ex = Assert.Throws<VerificationFailedException>(() => TransparencyLogVerifier.VerifyEntry(entry, subject, trust, StandInTimestamps(entry, trust)));
        Assert.Equal(code, ex.Code);
    }

    /// <summary>
    /// invalid-inclusion-proof_fail is a v0.2 bundle whose proof has no checkpoint, which the parser already refuses
    /// (SC1012). Its entry read alone (no bundle version applies), the stale proof itself must fail before the missing checkpoint.
    /// </summary>
    [SharedFixtureFact]
    public void The_stale_proof_of_invalid_inclusion_proof_fail_fails_SC1206_on_its_own()
    {
        string folder = Path.Combine(TestPaths.ConformanceBundleVerify!, "invalid-inclusion-proof_fail");
        string json = File.ReadAllText(Path.Combine(folder, "bundle.sigstore.json"));
        Assert.Equal("SC1012", Assert.ThrowsAny<SupplyChainException>(() => SigstoreBundle.Parse(System.Text.Encoding.UTF8.GetBytes(json))).Code);
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        TransparencyLogEntry entry = TransparencyLogEntry.Parse(System.Text.Encoding.UTF8.GetBytes(node["verificationMaterial"]!["tlogEntries"]![0]!.ToJsonString()));
        (_, TlogSubject subject, TrustedRoot trust) = Load("happy-path-v0.2");
        var ex = Assert.Throws<VerificationFailedException>(() => TransparencyLogVerifier.VerifyEntry(entry, subject, trust, []));
        Assert.Equal("SC1206", ex.Code);
    }

    [SharedFixtureFact]
    public void A_Rekor_v2_entry_without_any_verified_timestamp_fails()
    {
        (SigstoreBundle bundle, TlogSubject subject, TrustedRoot trust) = Load("rekor2-happy-path");
        TransparencyLogEntry entry = Assert.Single(bundle.VerificationMaterial.TlogEntries);
        Assert.Equal("SC1407", Assert.Throws<VerificationFailedException>(() => TransparencyLogVerifier.VerifyEntry(entry, subject, trust, [])).Code);
    }

    [SharedFixtureFact]
    public void A_Rekor_v1_entry_replayed_into_another_bundle_fails()
    {
        // CVE-2022-36056 shape: a genuine entry (valid SET, proof and checkpoint) of another signature.
        (SigstoreBundle victim, TlogSubject subject, TrustedRoot trust) = Load("happy-path-v0.3");
        (SigstoreBundle donor, _, _) = Load("managed-key-happy-path");
        TransparencyLogEntry foreign = Assert.Single(donor.VerificationMaterial.TlogEntries);
        Assert.NotNull(victim.MessageSignature);
        Assert.Equal("SC1204", Assert.Throws<VerificationFailedException>(() => TransparencyLogVerifier.VerifyEntry(foreign, subject, trust, [])).Code);
    }

    private static (SigstoreBundle Bundle, TlogSubject Subject, TrustedRoot Trust) Load(string name)
    {
        string root = TestPaths.ConformanceBundleVerify ?? throw new InvalidOperationException("shared fixtures absent");
        string folder = Path.Combine(root, name);
        SigstoreBundle bundle = SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(folder, "bundle.sigstore.json")));
        string trustedRootPath = Path.Combine(folder, "trusted_root.json");
        TrustedRoot trust = File.Exists(trustedRootPath)
            ? TrustedRoot.Parse(File.ReadAllBytes(trustedRootPath))
            : TrustedRoot.Parse(File.ReadAllBytes(Path.Combine(TestPaths.RepositoryRoot, "src", "SupplyChain.Core", "TrustRoots", "trusted_root.production.json")));

        string keyPath = Path.Combine(folder, "key.pub");
        ReadOnlyMemory<byte> verifier;
        bool isCertificate;
        if (File.Exists(keyPath))
        {
            using PublicKeyVerifier key = PublicKeyVerifier.FromPem(File.ReadAllText(keyPath));
            verifier = key.SubjectPublicKeyInfo.ToArray();
            isCertificate = false;
        }
        else
        {
            verifier = bundle.VerificationMaterial.LeafCertificate;
            isCertificate = true;
        }

        string artifactPath = Path.Combine(folder, "artifact");
        Artifact artifact = Artifact.FromFile(File.Exists(artifactPath) ? artifactPath : Path.Combine(root, "a.txt"));
        return (bundle, new TlogSubject(bundle.MessageSignature, bundle.DsseEnvelope, verifier, isCertificate, artifact), trust);
    }

    /// <summary>For entries without a SET: a time inside the entry's log validity, as a verified RFC 3161 timestamp would give.</summary>
    private static DateTimeOffset[] StandInTimestamps(TransparencyLogEntry entry, TrustedRoot trust)
    {
        TransparencyLogInstance? log = trust.TransparencyLogs.FirstOrDefault(l => l.LogId.Span.SequenceEqual(entry.LogId.Span));
        return log is null ? [] : [log.ValidFor.Start];
    }
}
