using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Testing;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Core.Tests.Verification;

/// <summary>
/// Issue 14: bundles that other Sigstore clients accept or refuse, where they disagree, each decided in
/// docs/verification.md ("Where the clients disagree"). Real bundles come from testdata/interop (origins in its
/// README); the shapes no public fixture shows are built with the test kit's VirtualSigstore.
/// </summary>
public sealed class InteropDivergenceTests : IDisposable
{
    private static readonly byte[] ArtifactBytes = "interop artifact"u8.ToArray();
    private const string PodName = "rekor-server-6d5c8b7f9-x2x4q";
    private const string PodOrigin = PodName + " - 8050909264565447525";

    // sigstore-python test/assets: bundle.txt is signed by these identities (its SHA-256 is the bundles' messageDigest).
    private const string PythonArtifactSha256 = "802dd60ff88333802f2585e73043bd21c341285e1992fe5b31755e1cadeae30e";

    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();

    public void Dispose() => _sigstore.Dispose();

    private static string Case(string name) => Path.Combine(TestPaths.TestData, "interop", name);

    private static VerificationPolicy Identity(string san = SigningOptions.DefaultIdentity, string issuer = SigningOptions.DefaultIssuer) =>
        VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(san, issuer));

    private static Artifact PythonArtifact => Artifact.FromDigest(HashAlgorithmName.SHA256, Convert.FromHexString(PythonArtifactSha256));

    // ---------- Rekor v2 entries that record a public key ----------

    [Fact]
    public void A_Rekor_v2_entry_naming_the_leaf_certificate_s_key_verifies()
    {
        using LeafCertificate leaf = _sigstore.IssueLeaf(SigningOptions.DefaultIdentity, SigningOptions.DefaultIssuer);
        byte[] json = _sigstore.SignMessage(ArtifactBytes, new SigningOptions
        {
            Log = LogFlavour.RekorV2,
            Timestamp = true,
            Certificate = leaf,
            LogVerifierPublicKey = leaf.Key.ExportSubjectPublicKeyInfo(),
        });

        Assert.Contains("\"publicKey\"", System.Text.Encoding.UTF8.GetString(MutableBundle.Parse(json).GetBytes(BundlePaths.CanonicalizedBody)), StringComparison.Ordinal);
        VerificationResult result = Verifier().Verify(SigstoreBundle.Parse(json), Artifact.FromBytes(ArtifactBytes), Identity());
        Assert.Equal("hashedrekord", result.LogEntries.Single().Kind);
    }

    [Fact]
    public void A_Rekor_v2_entry_naming_another_key_is_rejected_SC1204()
    {
        using ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] json = _sigstore.SignMessage(ArtifactBytes, new SigningOptions
        {
            Log = LogFlavour.RekorV2,
            Timestamp = true,
            LogVerifierPublicKey = other.ExportSubjectPublicKeyInfo(),
        });

        var ex = Assert.Throws<VerificationFailedException>(() => Verifier().Verify(SigstoreBundle.Parse(json), Artifact.FromBytes(ArtifactBytes), Identity()));
        Assert.Equal("SC1204", ex.Code);
        Assert.EndsWith("the entry's public key is not the key of the bundle's certificate", ex.Message, StringComparison.Ordinal);
    }

    // ---------- private deployments: the checkpoint origin names the log itself ----------

    [Fact]
    public void A_private_Rekor_v1_checkpoint_whose_origin_is_the_pod_name_verifies_when_signed_by_the_entry_s_log()
    {
        (byte[] json, SigstoreVerifier verifier) = PrivateDeployment(_sigstore.RekorV1.Key);
        VerificationResult result = verifier.Verify(SigstoreBundle.Parse(json), Artifact.FromBytes(ArtifactBytes), Identity());
        Assert.Equal("http://rekor.rekor-system.svc:8080", result.LogEntries.Single().LogUrl);
    }

    [Fact]
    public void A_private_Rekor_v1_checkpoint_signed_by_another_log_s_key_is_rejected_SC1209()
    {
        using VirtualTransparencyLog other = VirtualTransparencyLog.CreateRekorV1(PodOrigin);
        (byte[] json, SigstoreVerifier verifier) = PrivateDeployment(other.Key);
        var ex = Assert.Throws<VerificationFailedException>(() => verifier.Verify(SigstoreBundle.Parse(json), Artifact.FromBytes(ArtifactBytes), Identity()));
        Assert.Equal("SC1209", ex.Code);
    }

    [Fact]
    public void A_private_Rekor_v1_checkpoint_signed_by_another_trusted_log_is_rejected_SC1209()
    {
        // The Rekor v2 log of the same trusted root is trusted too, but it is not the entry's log.
        (byte[] json, SigstoreVerifier verifier) = PrivateDeployment(_sigstore.RekorV2.Key);
        var ex = Assert.Throws<VerificationFailedException>(() => verifier.Verify(SigstoreBundle.Parse(json), Artifact.FromBytes(ArtifactBytes), Identity()));
        Assert.Equal("SC1209", ex.Code);
    }

    /// <summary>
    /// A bundle from a Rekor v1 log reached at a cluster-internal base URL, whose checkpoint origin is the server's pod
    /// name and tree ID (sigstore/scaffolding), re-signed by <paramref name="checkpointKey"/> under the log's key hint.
    /// </summary>
    private (byte[] Json, SigstoreVerifier Verifier) PrivateDeployment(LogKey checkpointKey)
    {
        JsonObject root = _sigstore.CreateTrustedRootDocument();
        root["tlogs"]![0]!["baseUrl"] = "http://rekor.rekor-system.svc:8080";
        var trust = TrustedRoot.Parse(System.Text.Encoding.UTF8.GetBytes(root.ToJsonString()));

        var bundle = MutableBundle.Parse(_sigstore.SignMessage(ArtifactBytes, new SigningOptions { Version = BundleVersion.V0_3 }));
        long size = long.Parse(bundle.GetString(BundlePaths.TreeSize), System.Globalization.CultureInfo.InvariantCulture);
        string checkpoint = _sigstore.RekorV1.SignCheckpoint(size, bundle.GetBytes(BundlePaths.RootHash), signingKey: checkpointKey, origin: PodOrigin, keyName: PodName);
        bundle.Set(BundlePaths.Checkpoint, checkpoint);
        return (bundle.ToBytes(), new SigstoreVerifier(trust));
    }

    // ---------- several RFC 3161 timestamps, one of them over other data ----------

    [Fact]
    public void The_sigstore_python_bundle_with_a_second_timestamp_over_other_data_verifies_on_the_valid_one()
    {
        // As sigstore-python's test_verifier_verify_timestamp (and sigstore-go): the timestamp over other data is set
        // aside, the valid one and the SET give two verified times.
        (SigstoreBundle bundle, SigstoreVerifier verifier) = PythonTsa("python-tsa-timestamp-over-other-data", new VerifierOptions { SignedTimestampThreshold = 1, ObserverTimestampThreshold = 2 });
        Assert.Equal(2, bundle.VerificationMaterial.Rfc3161Timestamps.Count);

        VerificationResult result = verifier.Verify(bundle, PythonArtifact, Identity("alexis.challande@trailofbits.com", "https://accounts.google.com"));

        VerifiedTime timestamp = Assert.Single(result.VerifiedTimes, t => t.Kind == "rfc3161");
        Assert.Equal(new DateTimeOffset(2024, 10, 31, 10, 23, 39, TimeSpan.Zero), timestamp.Time);
    }

    [Fact]
    public void A_timestamp_that_fails_never_counts_toward_the_threshold()
    {
        (SigstoreBundle bundle, SigstoreVerifier verifier) = PythonTsa("python-tsa-timestamp-over-other-data", new VerifierOptions { SignedTimestampThreshold = 2 });
        var ex = Assert.Throws<VerificationFailedException>(() => verifier.Verify(bundle, PythonArtifact, VerificationPolicy.WithoutIdentityUnsafe()));

        // What the user can act on: the failing timestamp's own reason, then the threshold it left unmet.
        Assert.Equal("SC1404", ex.Code);
        Assert.Contains("timestamp 2 of 2: the SHA512 message imprint is not the hash of the signature; set aside, so 1 verified, 2 required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicated_timestamp_is_rejected_SC1409()
    {
        (SigstoreBundle bundle, SigstoreVerifier verifier) = PythonTsa("python-tsa-duplicate-timestamp_fail", new VerifierOptions { SignedTimestampThreshold = 2 });
        var ex = Assert.Throws<VerificationFailedException>(() => verifier.Verify(bundle, PythonArtifact, VerificationPolicy.WithoutIdentityUnsafe()));
        Assert.Equal("SC1409", ex.Code);
    }

    [Fact]
    public void A_Rekor_v2_bundle_whose_only_timestamp_is_over_other_data_fails_with_that_timestamp_s_reason()
    {
        var bundle = MutableBundle.Parse(_sigstore.SignMessage(ArtifactBytes, new SigningOptions { Log = LogFlavour.RekorV2, Timestamp = true }));
        byte[] good = bundle.GetBytes(BundlePaths.Rfc3161Timestamp);
        byte[] overOther = _sigstore.TimestampMinter!.Timestamp("other data"u8.ToArray(), _sigstore.Now);

        bundle.SetBytes(BundlePaths.Rfc3161Timestamp, overOther);
        var ex = Assert.Throws<VerificationFailedException>(() => Verifier().Verify(SigstoreBundle.Parse(bundle.ToBytes()), Artifact.FromBytes(ArtifactBytes), Identity()));
        Assert.Equal("SC1404", ex.Code);
        Assert.Contains("set aside, so the entry has no signed integrated time (SET) and the bundle no verified RFC 3161 timestamp", ex.Message, StringComparison.Ordinal);

        // With the valid timestamp beside it, in either order, the bundle verifies on the valid one.
        foreach (byte[][] order in new[] { new[] { overOther, good }, new[] { good, overOther } })
        {
            var json = JsonNode.Parse(bundle.ToBytes())!.AsObject();
            json["verificationMaterial"]!["timestampVerificationData"]!["rfc3161Timestamps"] = new JsonArray(
                order.Select(t => (JsonNode)new JsonObject { ["signedTimestamp"] = Convert.ToBase64String(t) }).ToArray());
            VerificationResult result = Verifier().Verify(SigstoreBundle.Parse(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString())), Artifact.FromBytes(ArtifactBytes), Identity());
            Assert.Single(result.VerifiedTimes);
        }
    }

    [Fact]
    public void A_duplicated_log_entry_is_rejected_SC1215()
    {
        var bundle = JsonNode.Parse(_sigstore.SignMessage(ArtifactBytes))!.AsObject();
        JsonArray entries = bundle["verificationMaterial"]!["tlogEntries"]!.AsArray();
        entries.Add(entries[0]!.DeepClone());
        var verifier = new SigstoreVerifier(TrustedRoot.Parse(_sigstore.TrustedRootBytes), new VerifierOptions { TransparencyLogThreshold = 2 });
        var ex = Assert.Throws<VerificationFailedException>(() => verifier.Verify(SigstoreBundle.Parse(System.Text.Encoding.UTF8.GetBytes(bundle.ToJsonString())), Artifact.FromBytes(ArtifactBytes), Identity()));
        Assert.Equal("SC1215", ex.Code);
    }

    private static (SigstoreBundle Bundle, SigstoreVerifier Verifier) PythonTsa(string name, VerifierOptions options) => (
        SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(Case(name), "bundle.sigstore.json"))),
        new SigstoreVerifier(TrustedRoot.Parse(File.ReadAllBytes(Path.Combine(Case(name), "trusted_root.json"))), options));

    // ---------- an inclusion proof without checkpoint ----------

    [Theory]
    [InlineData("python-no-checkpoint-v0.2_fail")]
    [InlineData("python-no-checkpoint-v0.1_fail")]
    public void An_inclusion_proof_without_checkpoint_is_refused_at_parse_time_in_every_version(string name)
    {
        var ex = Assert.Throws<MalformedInputException>(() => SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(Case(name), "bundle.sigstore.json"))));
        Assert.Equal("SC1012", ex.Code);
        Assert.Contains("inclusion proof needs a checkpoint", ex.Message, StringComparison.Ordinal);
    }

    // ---------- a changed artifact ----------

    [Theory]
    [InlineData(LogFlavour.RekorV1)]
    [InlineData(LogFlavour.RekorV2)]
    public void A_changed_artifact_is_reported_as_not_what_was_signed_SC1502(LogFlavour log)
    {
        byte[] json = _sigstore.SignMessage(ArtifactBytes, new SigningOptions { Log = log, Timestamp = log == LogFlavour.RekorV2 });
        byte[] changed = [.. ArtifactBytes, (byte)'!'];
        var ex = Assert.Throws<VerificationFailedException>(() => Verifier().Verify(SigstoreBundle.Parse(json), Artifact.FromBytes(changed), Identity()));
        Assert.Equal(
            $"SC1502: the artifact does not match what was signed: its sha256 digest is {Convert.ToHexStringLower(SHA256.HashData(changed))}, the bundle signed {Convert.ToHexStringLower(SHA256.HashData(ArtifactBytes))}",
            ex.Message);
    }

    private SigstoreVerifier Verifier() => new(TrustedRoot.Parse(_sigstore.TrustedRootBytes));
}
