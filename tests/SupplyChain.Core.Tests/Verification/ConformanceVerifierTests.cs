using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Verification;

/// <summary>
/// Every Sigstore conformance bundle-verify case, in process, in PATH and DIGEST modes. Passing cases
/// must verify; each _fail case must fail with the code that names its actual defect (the process-level
/// run through tests/conformance/entrypoint lives in SupplyChain.Cli.Tests).
/// </summary>
public class ConformanceVerifierTests
{
    private const string DefaultIdentity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    private const string DefaultIssuer = "https://token.actions.githubusercontent.com";

    /// <summary>
    /// The code each failing case must produce. Notes: incorrect-public-key_fail changes the logged body, which the
    /// SET covers, so the SET fails first (SC1211); intoto-expired-certificate_fail's CA window does contain the
    /// integrated time, the leaf's does not (SC1302); managed-key-wrong-key_fail's key.pub does not parse (SC1507);
    /// rekor2-timestamp-with-incorrect-time_fail's timestamp is base64 with embedded newlines, which strict proto3
    /// JSON decoding refuses (SC1008); its time check is exercised by <see cref="Timestamp_outside_the_leaf_validity_fails_SC1302_once_the_base64_is_repaired"/>.
    /// bundle-with-root-cert_fail is a v0.1 bundle whose inclusion proof has no checkpoint, refused at parse time since
    /// issue 14 (SC1012; its root certificate is still refused once the unsigned proof is removed, see
    /// <see cref="Root_certificate_in_the_chain_fails_SC1309_once_the_unsigned_proof_is_removed"/>); wrong-material_fail
    /// verifies a valid bundle over another artifact, which is reported as such (SC1502) before any log entry is read.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ExpectedCodes = new Dictionary<string, string>
    {
        ["bundle-empty-certificate-chain_fail"] = "SC1011",
        ["bundle-from-wrong-instance_fail"] = "SC1201",
        ["bundle-invalid-base64-signature_fail"] = "SC1008",
        ["bundle-malformed-json_fail"] = "SC1002",
        ["bundle-negative-log-index_fail"] = "SC1010",
        ["bundle-unknown-version_fail"] = "SC1007",
        ["bundle-with-root-cert_fail"] = "SC1012",
        ["checkpoint-bad-keyhint_fail"] = "SC1209",
        ["checkpoint-wrong-roothash_fail"] = "SC1210",
        ["dsse-invalid-sig_fail"] = "SC1204",
        ["dsse-mismatch-envelope_fail"] = "SC1204",
        ["dsse-mismatch-sig_fail"] = "SC1204",
        ["inclusion-proof-corrupted-hash_fail"] = "SC1206",
        ["incorrect-public-key_fail"] = "SC1211",
        ["integrated-time-in-future_fail"] = "SC1302",
        ["intoto-expired-certificate_fail"] = "SC1302",
        ["intoto-log-entry-mismatch_fail"] = "SC1204",
        ["intoto-missing-inclusion-proof_fail"] = "SC1012",
        ["intoto-set-outside-signing-cert-validity_fail"] = "SC1302",
        ["intoto-tsa-timestamp-outside-cert-validity_fail"] = "SC1302",
        ["invalid-checkpoint-signature_fail"] = "SC1209",
        ["invalid-ct-key_fail"] = "SC1306",
        ["invalid-inclusion-proof_fail"] = "SC1012",
        ["managed-key-no-key_fail"] = "SC1607",
        ["managed-key-wrong-key_fail"] = "SC1507",
        ["message-digest-mismatch_fail"] = "SC1502",
        ["rekor2-checkpoint-missing-log-signature_fail"] = "SC1208",
        ["rekor2-checkpoint-missing-origin_fail"] = "SC1208",
        ["rekor2-checkpoint-missing-root-hash_fail"] = "SC1208",
        ["rekor2-checkpoint-missing-size_fail"] = "SC1208",
        ["rekor2-checkpoint-no-matching-signature_fail"] = "SC1209",
        ["rekor2-dsse-invalid-sig_fail"] = "SC1204",
        ["rekor2-dsse-mismatch-envelope_fail"] = "SC1204",
        ["rekor2-dsse-mismatch-sig_fail"] = "SC1204",
        ["rekor2-no-inclusion-proof_fail"] = "SC1012",
        ["rekor2-no-timestamp_fail"] = "SC1407",
        ["rekor2-timestamp-outside-trust-root-tsa-validity_fail"] = "SC1405",
        ["rekor2-timestamp-outside-tsa-cert-validity_fail"] = "SC1405",
        ["rekor2-timestamp-payload-mismatch_fail"] = "SC1404",
        ["rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail"] = "SC1403",
        ["rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail"] = "SC1403",
        ["rekor2-timestamp-with-incorrect-time_fail"] = "SC1008",
        ["set-invalid-signature_fail"] = "SC1211",
        ["signature-mismatch_fail"] = "SC1204",
        ["trust-root-tlog-missing-validity-start_fail"] = "SC1103",
        ["wrong-hashedrekord-artifact_fail"] = "SC1204",
        ["wrong-hashedrekord-cert-and-sig_fail"] = "SC1204",
        ["wrong-hashedrekord-entry_fail"] = "SC1204",
        ["wrong-material_fail"] = "SC1502",
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        if (TestPaths.ConformanceBundleVerify is not { } dir)
        {
            data.Add("(shared fixtures absent)", "PATH");
            return data;
        }

        foreach (string caseDir in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(caseDir), "PATH");
            data.Add(Path.GetFileName(caseDir), "DIGEST");
        }

        return data;
    }

    [SharedFixtureTheory]
    [MemberData(nameof(Cases))]
    public void Conformance_case(string name, string mode)
    {
        string dir = Path.Combine(TestPaths.ConformanceBundleVerify ?? throw new DirectoryNotFoundException("shared conformance fixtures are missing"), name);
        bool mustFail = name.EndsWith("_fail", StringComparison.Ordinal);
        if (mustFail)
        {
            Assert.True(ExpectedCodes.TryGetValue(name, out string? expected), $"no expected code recorded for {name}");
            var ex = Assert.ThrowsAny<SupplyChainException>(() => Run(dir, mode));
            Assert.Equal(expected, ex.Code);
        }
        else
        {
            VerificationResult result = Run(dir, mode);
            Assert.NotEmpty(result.LogEntries);
            Assert.NotEmpty(result.VerifiedTimes);
        }
    }

    [SharedFixtureFact]
    public void Every_failing_case_has_an_expected_code_and_no_stale_entries()
    {
        var failing = Directory.GetDirectories(TestPaths.ConformanceBundleVerify!)
            .Select(Path.GetFileName).Where(n => n!.EndsWith("_fail", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(failing.Order(StringComparer.Ordinal), ExpectedCodes.Keys.Order(StringComparer.Ordinal));
    }

    [SharedFixtureFact]
    public void Root_certificate_in_the_chain_fails_SC1309_once_the_unsigned_proof_is_removed() =>
        Assert.Equal("SC1309", RunEdited("bundle-with-root-cert_fail", bundle =>
        {
            var entry = bundle["verificationMaterial"]!["tlogEntries"]![0]!.AsObject();
            Assert.Null(entry["inclusionProof"]!["checkpoint"]);
            entry.Remove("inclusionProof");
        }));

    [SharedFixtureFact]
    public void Timestamp_outside_the_leaf_validity_fails_SC1302_once_the_base64_is_repaired() =>
        Assert.Equal("SC1302", RunEdited("rekor2-timestamp-with-incorrect-time_fail", bundle =>
        {
            var token = bundle["verificationMaterial"]!["timestampVerificationData"]!["rfc3161Timestamps"]![0]!;
            string base64 = token["signedTimestamp"]!.GetValue<string>();
            Assert.Contains('\n', base64);
            token["signedTimestamp"] = base64.Replace("\n", string.Empty, StringComparison.Ordinal);
        }));

    /// <summary>Runs a copy of a case whose bundle <paramref name="edit"/> changed; returns the code it fails with.</summary>
    private static string RunEdited(string name, Action<System.Text.Json.Nodes.JsonNode> edit)
    {
        string dir = Path.Combine(TestPaths.ConformanceBundleVerify!, name);
        string edited = Directory.CreateTempSubdirectory("sc-conformance-").FullName;
        try
        {
            var bundle = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "bundle.sigstore.json")))!;
            edit(bundle);
            File.WriteAllText(Path.Combine(edited, "bundle.sigstore.json"), bundle.ToJsonString());
            foreach (string file in Directory.GetFiles(dir).Where(f => Path.GetFileName(f) is not ("bundle.sigstore.json" or "README")))
            {
                File.Copy(file, Path.Combine(edited, Path.GetFileName(file)));
            }

            if (!File.Exists(Path.Combine(edited, "artifact")))
            {
                File.Copy(Path.Combine(TestPaths.ConformanceBundleVerify!, "a.txt"), Path.Combine(edited, "artifact"));
            }

            return Assert.ThrowsAny<SupplyChainException>(() => Run(edited, "PATH")).Code;
        }
        finally
        {
            Directory.Delete(edited, recursive: true);
        }
    }

    private static VerificationResult Run(string dir, string mode)
    {
        string assets = TestPaths.ConformanceBundleVerify!;
        string trustPath = Path.Combine(dir, "trusted_root.json");
        ITrustedMaterial trust = File.Exists(trustPath) ? TrustedRoot.Parse(File.ReadAllBytes(trustPath)) : TrustedRoot.Production;
        SigstoreBundle bundle = SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(dir, "bundle.sigstore.json")));

        string artifactPath = File.Exists(Path.Combine(dir, "artifact")) ? Path.Combine(dir, "artifact") : Path.Combine(assets, "a.txt");
        Artifact artifact;
        if (mode == "DIGEST")
        {
            string digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(artifactPath)));
            Assert.True(Artifact.TryParseDigest(digest, out Artifact? parsed));
            artifact = parsed;
        }
        else
        {
            artifact = Artifact.FromFile(artifactPath);
        }

        VerificationPolicy policy;
        string keyPath = Path.Combine(dir, "key.pub");
        if (File.Exists(keyPath))
        {
            policy = VerificationPolicy.ForPublicKey(PublicKeyVerifier.FromPem(File.ReadAllText(keyPath)));
        }
        else
        {
            string identity = ReadOptional(Path.Combine(dir, "identity")) ?? DefaultIdentity;
            string issuer = ReadOptional(Path.Combine(dir, "issuer")) ?? DefaultIssuer;
            policy = VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(identity, issuer));
        }

        return new SigstoreVerifier(trust).Verify(bundle, artifact, policy);
    }

    private static string? ReadOptional(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;
}
