using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Core.Tests.Tamper;

/// <summary>The table of named mutations. No mutation may verify; each expects the code of its defect.</summary>
public static class TamperMutations
{
    private static readonly Func<TamperBase, bool> Any = _ => true;
    private static readonly Func<TamperBase, bool> Message = b => !b.IsDsse;
    private static readonly Func<TamperBase, bool> Envelope = b => b.IsDsse;
    private static readonly Func<TamperBase, bool> RekorV1 = b => b.HasSet;
    private static readonly Func<TamperBase, bool> Timestamped = b => b.HasTimestamp;

    public static IReadOnlyList<Mutation> All { get; } = Build();

    private static List<Mutation> Build()
    {
        var m = new List<Mutation>
        {
            // Signatures and content.
            new("signature-bit-flipped", Any, (c, b) => Edit(c, b, t => t.FlipBit(TamperContext.SignaturePath(b), -1)), b => b.HasTimestamp ? "SC1404" : "SC1204"),
            new("signature-replaced-by-other-valid-signature", Any, (c, b) => SwapSignature(c, b), b => b.HasTimestamp ? "SC1404" : "SC1204"),
            Mutation.For("message-digest-flipped", Message, (c, b) => Edit(c, b, t => t.FlipBit(BundlePaths.MessageDigest, 3)), "SC1502"),
            Mutation.For("dsse-payload-flipped", Envelope, (c, b) => Edit(c, b, t => t.FlipBit(BundlePaths.DssePayload, 5)), "SC1204"),
            new("dsse-payload-type-changed", Envelope, (c, b) => Edit(c, b, t => t.Set(BundlePaths.DssePayloadType, "application/json")), b => b.HasSet ? "SC1503" : "SC1204"),
            Mutation.For("dsse-second-signature-added", Envelope, (c, b) => Edit(c, b, t => ((JsonArray)t.Get("dsseEnvelope.signatures")!).Add(new JsonObject { ["sig"] = "MEUCIQ==", ["keyid"] = string.Empty })), "SC1509"),
            new("artifact-substituted", Any, (c, b) => new TamperCase(c.Valid(b), Artifact: Artifact.FromBytes("another artifact"u8.ToArray())), b => b.IsDsse ? "SC1504" : "SC1502"),
            new("artifact-digest-substituted", Any, (c, b) => new TamperCase(c.Valid(b), Artifact: Artifact.FromDigest(System.Security.Cryptography.HashAlgorithmName.SHA256, new byte[32])), b => b.IsDsse ? "SC1504" : "SC1502"),

            // Inclusion proofs and checkpoints.
            Mutation.For("root-hash-flipped", Any, (c, b) => Edit(c, b, t => t.FlipBit(BundlePaths.RootHash, 0)), "SC1206"),
            Mutation.For("tree-size-grown", Any, (c, b) => Edit(c, b, t => t.Set(BundlePaths.TreeSize, (long.Parse(t.GetString(BundlePaths.TreeSize), System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))), "SC1206"),
            Mutation.For("proof-log-index-changed", Any, (c, b) => Edit(c, b, t => t.Set(BundlePaths.ProofLogIndex, "0")), "SC1206"),
            Mutation.For("proof-hash-removed", Any, (c, b) => Edit(c, b, t => ((JsonArray)t.Get(BundlePaths.InclusionProof + ".hashes")!).RemoveAt(0)), "SC1206"),
            Mutation.For("proof-hash-appended", Any, (c, b) => Edit(c, b, t => ((JsonArray)t.Get(BundlePaths.InclusionProof + ".hashes")!).Add(Convert.ToBase64String(new byte[32]))), "SC1206"),
            Mutation.For("inclusion-proof-removed", b => b.Version != Core.Bundles.BundleVersion.V0_1, (c, b) => Edit(c, b, t => t.Remove(BundlePaths.InclusionProof)), "SC1012"),
            // v0.1 bundles predate checkpoints: there a checkpoint-less proof stands on the SET (see TamperSuiteTests).
            Mutation.For("checkpoint-removed", b => b.Version != Core.Bundles.BundleVersion.V0_1, (c, b) => Edit(c, b, t => t.Remove(BundlePaths.InclusionProof + ".checkpoint")), "SC1012"),
            Mutation.For("checkpoint-and-set-removed", b => b.Version == Core.Bundles.BundleVersion.V0_1, (c, b) => Edit(c, b, t => t.Remove(BundlePaths.InclusionProof + ".checkpoint").Remove(BundlePaths.Entry + ".inclusionPromise")), "SC1012"),
            Mutation.For("checkpoint-signature-flipped", Any, (c, b) => Edit(c, b, t => t.Set(BundlePaths.Checkpoint, FlipCheckpointSignature(t.GetString(BundlePaths.Checkpoint)))), "SC1209"),
            Mutation.For("checkpoint-signed-by-unknown-key", Any, (c, b) => ResignCheckpoint(c, b, unknownKey: true), "SC1209"),
            Mutation.For("checkpoint-signed-by-the-other-trusted-log", Any, (c, b) => ResignCheckpoint(c, b, otherLog: true), "SC1209"),
            Mutation.For("checkpoint-for-another-tree", Any, (c, b) => ResignCheckpoint(c, b, otherRoot: true), "SC1210"),
            Mutation.For("checkpoint-origin-renamed", Any, (c, b) => ResignCheckpoint(c, b, origin: "evil.example"), "SC1209"),

            // Inclusion promise (SET) and entry metadata.
            Mutation.For("set-bit-flipped", RekorV1, (c, b) => Edit(c, b, t => t.FlipBit(BundlePaths.SignedEntryTimestamp, -3)), "SC1211"),
            Mutation.For("integrated-time-changed", RekorV1, (c, b) => Edit(c, b, t => t.Set(BundlePaths.IntegratedTime, (long.Parse(t.GetString(BundlePaths.IntegratedTime), System.Globalization.CultureInfo.InvariantCulture) - 60).ToString(System.Globalization.CultureInfo.InvariantCulture))), "SC1211"),
            Mutation.For("entry-log-index-changed", RekorV1, (c, b) => Edit(c, b, t => t.Set(BundlePaths.LogIndex, "1")), "SC1211"),
            new("set-removed", RekorV1, (c, b) => Edit(c, b, t => t.Remove(BundlePaths.Entry + ".inclusionPromise")), b => b.Version == Core.Bundles.BundleVersion.V0_1 ? "SC1012" : "SC1407"),
            Mutation.For("log-id-unknown", Any, (c, b) => Edit(c, b, t => t.SetBytes(BundlePaths.LogId, new byte[32])), "SC1201"),
            Mutation.For("entry-from-an-untrusted-log", Any, (c, b) => UntrustedLog(c, b), "SC1201"),
            new("entry-claims-the-other-trusted-log", Any, (c, b) => Edit(c, b, t => t.SetBytes(BundlePaths.LogId, (b.HasSet ? c.Sigstore.RekorV2 : c.Sigstore.RekorV1).LogId)), b => b.HasSet ? "SC1211" : "SC1209"),
            Mutation.For("swapped-entry-of-another-signing-CVE-2022-36056", Any, (c, b) => SwapEntry(c, b), "SC1204"),
            Mutation.For("kind-unsupported", Any, (c, b) => Edit(c, b, t => t.Set(BundlePaths.Kind, "rekord")), "SC1203"),
            Mutation.For("kind-version-unsupported", Any, (c, b) => Edit(c, b, t => t.Set(BundlePaths.KindVersion, "0.0.9")), "SC1203"),
            new("canonicalized-body-byte-changed", Any, (c, b) => Edit(c, b, t => t.SetBytes(BundlePaths.CanonicalizedBody, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(t.GetBytes(BundlePaths.CanonicalizedBody)).Replace("\"kind\":", "\"kind\" :", StringComparison.Ordinal)))), b => b.HasSet ? "SC1211" : "SC1206"),
            Mutation.For("entries-removed", Any, (c, b) => Edit(c, b, t => t.Set("verificationMaterial.tlogEntries", new JsonArray())), "SC1212"),

            // Certificates and SCTs.
            Mutation.For("certificate-replaced-by-another-leaf", Any, (c, b) => ReplaceCertificate(c, b), "SC1204"),
            Mutation.For("certificate-from-an-untrusted-ca", Any, (c, b) => ForeignCertificate(c, b), "SC1301"),
            Mutation.For("certificate-expired-at-the-verified-time", Any, (c, b) => new TamperCase(c.Sign(b, o => Later(o, b, TimeSpan.FromHours(1)))), "SC1302"),
            Mutation.For("certificate-not-yet-valid-at-the-verified-time", Any, (c, b) => new TamperCase(c.Sign(b, o => Later(o, b, TimeSpan.FromMinutes(-30)))), "SC1302"),
            Mutation.For("ca-validity-ends-before-the-verified-time", Any, (c, b) => WithTrust(c, b, root => root["certificateAuthorities"]![0]!["validFor"]!["end"] = c.Sigstore.Now.AddDays(-1).ToString("O")), "SC1303"),
            Mutation.For("sct-missing", Any, (c, b) => new TamperCase(c.Sign(b, o => With(o, leaf: new LeafOptions { EmbedSct = false }))), "SC1305"),
            Mutation.For("sct-signed-by-an-unknown-ct-key", Any, (c, b) => UnknownSctKey(c, b), "SC1306"),
            Mutation.For("ct-log-removed-from-trusted-root", Any, (c, b) => WithTrust(c, b, root => root["ctlogs"] = new JsonArray()), "SC1306"),

            // RFC 3161 timestamps.
            Mutation.For("timestamp-signature-flipped", Timestamped, (c, b) => Edit(c, b, t => t.FlipBit(BundlePaths.Rfc3161Timestamp, -2)), "SC1402"),
            Mutation.For("timestamp-removed", Timestamped, (c, b) => Edit(c, b, t => t.Remove("verificationMaterial.timestampVerificationData")), "SC1407"),
            Mutation.For("timestamp-outside-leaf-validity", Timestamped, (c, b) => new TamperCase(c.Sign(b, o => Later(o, b, TimeSpan.FromHours(2)))), "SC1302"),
            Mutation.For("tsa-removed-from-trusted-root", Timestamped, (c, b) => WithTrust(c, b, root => root["timestampAuthorities"] = new JsonArray()), "SC1403"),
            Mutation.For("tsa-validity-ends-before-the-timestamp", Timestamped, (c, b) => WithTrust(c, b, root => root["timestampAuthorities"]![0]!["validFor"]!["end"] = c.Sigstore.Now.AddDays(-1).ToString("O")), "SC1405"),

            // Log key validity.
            Mutation.For("log-key-validity-ends-before-the-entry", Any, (c, b) => WithTrust(c, b, root => LogEntryOf(root, b)["publicKey"]!["validFor"]!["end"] = c.Sigstore.Now.AddDays(-1).ToString("O")), "SC1202"),

            // Identity policy.
            Mutation.For("wrong-identity", Any, (c, b) => new TamperCase(c.Valid(b), Policy: Policy(StringMatcher.Exact("https://github.com/evil/repo/.github/workflows/release.yml@refs/heads/main"), StringMatcher.Exact(SigningOptions.DefaultIssuer))), "SC1601"),
            Mutation.For("identity-regex-matching-only-a-substring", Any, (c, b) => new TamperCase(c.Valid(b), Policy: Policy(StringMatcher.Regex("virtual-org/virtual-repo"), StringMatcher.Exact(SigningOptions.DefaultIssuer))), "SC1601"),
            Mutation.For("wrong-issuer", Any, (c, b) => new TamperCase(c.Valid(b), Policy: Policy(StringMatcher.Exact(SigningOptions.DefaultIdentity), StringMatcher.Exact("https://accounts.google.com"))), "SC1602"),
            Mutation.For("extension-mismatch", Any, (c, b) => new TamperCase(c.Valid(b), Policy: VerificationPolicy.ForCertificateIdentities(new CertificateIdentity(StringMatcher.Exact(SigningOptions.DefaultIdentity), StringMatcher.Exact(SigningOptions.DefaultIssuer), new Dictionary<string, string> { ["sourceRepositoryURI"] = "https://github.com/evil/repo" }))), "SC1603"),
            Mutation.For("key-policy-for-a-certificate-bundle", Any, (c, b) => new TamperCase(c.Valid(b), Policy: VerificationPolicy.ForPublicKey(Keys.PublicKeyVerifier.FromSubjectPublicKeyInfo(c.Sigstore.RekorV1.Key.SubjectPublicKeyInfo))), "SC1607"),
        };

        for (int i = 0; i < 2; i++)
        {
            int index = i;
            m.Add(Mutation.For($"proof-hash-{index}-flipped", Any, (c, b) => Edit(c, b, t => t.FlipBit($"{BundlePaths.InclusionProof}.hashes[{index}]", index)), "SC1206"));
        }

        return m;
    }

    private static TamperCase Edit(TamperContext context, TamperBase shape, Action<MutableBundle> edit)
    {
        MutableBundle tree = MutableBundle.Parse(context.Valid(shape));
        edit(tree);
        return new TamperCase(tree.ToBytes());
    }

    private static SigningOptions With(SigningOptions o, LeafOptions? leaf = null, DateTimeOffset? integrated = null, DateTimeOffset? timestamp = null) => new()
    {
        Version = o.Version,
        Log = o.Log,
        Timestamp = o.Timestamp,
        Leaf = leaf ?? o.Leaf,
        IntegratedTime = integrated ?? o.IntegratedTime,
        TimestampTime = timestamp ?? o.TimestampTime,
    };

    /// <summary>Moves the verified time (integrated time for Rekor v1, timestamp for Rekor v2) by <paramref name="offset"/>.</summary>
    private static SigningOptions Later(SigningOptions o, TamperBase shape, TimeSpan offset)
    {
        DateTimeOffset at = VirtualSigstoreOptions.DefaultNow + offset;
        return shape.HasSet ? With(o, integrated: at) : With(o, timestamp: at);
    }

    private static TamperCase SwapSignature(TamperContext context, TamperBase shape)
    {
        // A second, equally valid ECDSA signature by another key over the same content: not the one the log holds.
        MutableBundle other = MutableBundle.Parse(context.Sign(shape, o => o));
        MutableBundle tree = MutableBundle.Parse(context.Valid(shape));
        tree.SetBytes(TamperContext.SignaturePath(shape), other.GetBytes(TamperContext.SignaturePath(shape)));
        return new TamperCase(tree.ToBytes());
    }

    private static TamperCase SwapEntry(TamperContext context, TamperBase shape)
    {
        // CVE-2022-36056: a valid entry of the same log for another signing (other key, same artifact) replaces ours.
        MutableBundle other = MutableBundle.Parse(context.Sign(shape, o => o));
        MutableBundle tree = MutableBundle.Parse(context.Valid(shape));
        tree.Set("verificationMaterial.tlogEntries", other.Get("verificationMaterial.tlogEntries")!.DeepClone());
        return new TamperCase(tree.ToBytes());
    }

    private static TamperCase ReplaceCertificate(TamperContext context, TamperBase shape)
    {
        MutableBundle other = MutableBundle.Parse(context.Sign(shape, o => o));
        MutableBundle tree = MutableBundle.Parse(context.Valid(shape));
        string path = shape.Version == Core.Bundles.BundleVersion.V0_1 ? BundlePaths.ChainLeaf : BundlePaths.Certificate;
        tree.Set(path, other.GetString(path));
        return new TamperCase(tree.ToBytes());
    }

    private static TamperCase ForeignCertificate(TamperContext context, TamperBase shape)
    {
        using VirtualSigstore foreign = VirtualSigstore.Create();
        using LeafCertificate leaf = foreign.IssueLeaf(SigningOptions.DefaultIdentity, SigningOptions.DefaultIssuer);
        return new TamperCase(context.Sign(shape, o => new SigningOptions { Version = o.Version, Log = o.Log, Timestamp = o.Timestamp, Certificate = leaf }));
    }

    private static TamperCase UnknownSctKey(TamperContext context, TamperBase shape)
    {
        using LogKey key = LogKey.CreateEcdsaP256();
        return new TamperCase(context.Sign(shape, o => With(o, leaf: new LeafOptions { SctSigningKey = key })));
    }

    private static TamperCase UntrustedLog(TamperContext context, TamperBase shape)
    {
        using VirtualTransparencyLog stray = shape.HasSet ? VirtualTransparencyLog.CreateRekorV1("stray.example - 1") : VirtualTransparencyLog.CreateRekorV2("stray.example");
        return new TamperCase(context.Sign(shape, o => new SigningOptions { Version = o.Version, Log = o.Log, Timestamp = o.Timestamp, LogOverride = stray }));
    }

    private static TamperCase ResignCheckpoint(TamperContext context, TamperBase shape, bool unknownKey = false, bool otherLog = false, bool otherRoot = false, string? origin = null)
    {
        MutableBundle tree = MutableBundle.Parse(context.Valid(shape));
        VirtualTransparencyLog log = context.Sigstore.GetLog(shape.Log);
        long size = long.Parse(tree.GetString(BundlePaths.TreeSize), System.Globalization.CultureInfo.InvariantCulture);
        byte[] root = tree.GetBytes(BundlePaths.RootHash);
        if (otherRoot)
        {
            root = System.Security.Cryptography.SHA256.HashData(root);
        }

        string note;
        if (unknownKey)
        {
            using LogKey key = shape.HasSet ? LogKey.CreateEcdsaP256() : LogKey.CreateEd25519();
            note = log.SignCheckpoint(size, root, signingKey: key);
        }
        else if (otherLog)
        {
            VirtualTransparencyLog other = shape.HasSet ? context.Sigstore.RekorV2 : context.Sigstore.RekorV1;
            note = other.SignCheckpoint(size, root, origin: log.Origin);
        }
        else
        {
            note = log.SignCheckpoint(size, root, origin: origin);
        }

        tree.Set(BundlePaths.Checkpoint, note);
        return new TamperCase(tree.ToBytes());
    }

    private static string FlipCheckpointSignature(string note)
    {
        // The last signature line: "— name base64(hint || signature)"; flip one bit of the signature part.
        string[] lines = note.Split('\n');
        int last = Array.FindLastIndex(lines, l => l.StartsWith('\u2014'));
        int space = lines[last].LastIndexOf(' ');
        byte[] blob = Convert.FromBase64String(lines[last][(space + 1)..]);
        blob[^5] ^= 0x01;
        lines[last] = lines[last][..(space + 1)] + Convert.ToBase64String(blob);
        return string.Join('\n', lines);
    }

    private static TamperCase WithTrust(TamperContext context, TamperBase shape, Action<JsonObject> edit)
    {
        JsonObject root = context.Sigstore.CreateTrustedRootDocument();
        edit(root);
        return new TamperCase(context.Valid(shape), Trust: TrustedRoot.Parse(Encoding.UTF8.GetBytes(root.ToJsonString())));
    }

    private static JsonNode LogEntryOf(JsonObject root, TamperBase shape) => root["tlogs"]![shape.HasSet ? 0 : 1]!;

    private static VerificationPolicy Policy(StringMatcher identity, StringMatcher issuer) =>
        VerificationPolicy.ForCertificateIdentities(new CertificateIdentity(identity, issuer));
}
