using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Core.Tests.Virtual;

/// <summary>The test kit's VirtualSigstore produces what Core parses, and its cryptography checks out independently.</summary>
public sealed class VirtualSigstoreTests : IClassFixture<VirtualSigstoreTests.Fixture>
{
    private static readonly byte[] Artifact = System.Text.Encoding.UTF8.GetBytes("virtual artifact");
    private readonly VirtualSigstore _sigstore;

    public VirtualSigstoreTests(Fixture fixture) => _sigstore = fixture.Sigstore;

    public static TheoryData<BundleVersion, LogFlavour, bool, bool> Shapes()
    {
        var data = new TheoryData<BundleVersion, LogFlavour, bool, bool>();
        foreach (BundleVersion version in new[] { BundleVersion.V0_1, BundleVersion.V0_2, BundleVersion.V0_3 })
        {
            foreach (LogFlavour log in new[] { LogFlavour.RekorV1, LogFlavour.RekorV2 })
            {
                if (version == BundleVersion.V0_1 && log == LogFlavour.RekorV2)
                {
                    continue; // v0.1 needs an inclusion promise, which Rekor v2 does not give.
                }

                foreach (bool dsse in new[] { false, true })
                {
                    foreach (bool keySigned in new[] { false, true })
                    {
                        data.Add(version, log, dsse, keySigned);
                    }
                }
            }
        }

        return data;
    }

    [Fact]
    public void TrustedRootParsesWithEverything()
    {
        TrustedRoot root = TrustedRoot.Parse(_sigstore.TrustedRootBytes);

        Assert.Equal(TrustedRoot.MediaTypeV0_1, root.MediaType);
        Assert.Equal(2, root.TransparencyLogs.Count);
        Assert.Equal(_sigstore.RekorV1.LogId, root.TransparencyLogs[0].LogId.ToArray());
        Assert.Equal(_sigstore.RekorV2.LogId, root.TransparencyLogs[1].LogId.ToArray());
        Assert.Single(root.CertificateTransparencyLogs);
        Assert.Equal([_sigstore.CertificateAuthority.Intermediate.RawData, _sigstore.CertificateAuthority.Root.RawData], root.CertificateAuthorities.Single().Chain.Select(c => c.RawData));
        Assert.Single(root.TimestampAuthorities);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryBundleShapeParses(BundleVersion version, LogFlavour log, bool dsse, bool keySigned)
    {
        using ECDsa? key = keySigned ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
        var options = new SigningOptions { Version = version, Log = log, KeyPair = key };
        byte[] json = dsse
            ? _sigstore.SignDsse(Dsse.InTotoPayloadType, Dsse.InTotoStatement("a", Artifact), options)
            : _sigstore.SignMessage(Artifact, options);

        SigstoreBundle bundle = SigstoreBundle.Parse(json);

        Assert.Equal(version, bundle.Version);
        Assert.Equal(dsse, bundle.DsseEnvelope is not null);
        var tree = MutableBundle.Parse(json);
        Assert.Equal(Convert.ToBase64String(_sigstore.GetLog(log).LogId), tree.GetString(BundlePaths.LogId));
        Assert.Equal(log == LogFlavour.RekorV1 ? (dsse ? "dsse" : "hashedrekord") : "hashedrekord", tree.GetString(BundlePaths.Kind));
        Assert.Equal(log == LogFlavour.RekorV1 ? "0.0.1" : "0.0.2", tree.GetString(BundlePaths.KindVersion));
        Assert.Equal(log == LogFlavour.RekorV1, tree.Get(BundlePaths.SignedEntryTimestamp) is not null);
    }

    [Fact]
    public void LeafIsFulcioShapedAndItsSctSignsThePrecertificate()
    {
        using LeafCertificate leaf = _sigstore.IssueLeaf("someone@example.test", "https://issuer.example.test", new LeafOptions
        {
            ExtraExtensions = new Dictionary<string, string> { [FulcioOids.SourceRepositoryUri] = "https://github.com/virtual-org/virtual-repo" },
        });
        X509Certificate2 cert = leaf.Certificate;

        Assert.Equal([0x30, 0x00], cert.SubjectName.RawData);
        Assert.True(cert.Extensions["2.5.29.17"]!.Critical);
        Assert.True(((X509KeyUsageExtension)cert.Extensions["2.5.29.15"]!).Critical);
        Assert.Equal("https://issuer.example.test", System.Text.Encoding.UTF8.GetString(cert.Extensions[FulcioOids.IssuerV1]!.RawData));
        Assert.Equal(FulcioOids.SctList, cert.Extensions[^1].Oid!.Value);
        Assert.Equal(TimeSpan.FromMinutes(10), cert.NotAfter - cert.NotBefore);
        using X509Certificate2 reloaded = X509CertificateLoader.LoadCertificate(cert.RawData);
        Assert.Equal(cert.SerialNumber, reloaded.SerialNumber);

        // Removing the SCT list extension from the final TBS yields exactly the precertificate TBS.
        Assert.Equal(leaf.PrecertificateTbs, TbsWithoutLastExtension(cert.RawData));

        // RFC 6962 section 3.2 digitally-signed struct, rebuilt independently here.
        byte[] sct = leaf.Sct!;
        byte[] timestamp = sct[33..41];
        byte[] issuerKeyHash = SHA256.HashData(_sigstore.CertificateAuthority.Intermediate.PublicKey.ExportSubjectPublicKeyInfo());
        int tbsLength = leaf.PrecertificateTbs.Length;
        byte[] signed = [0, 0, .. timestamp, 0, 1, .. issuerKeyHash, (byte)(tbsLength >> 16), (byte)(tbsLength >> 8), (byte)tbsLength, .. leaf.PrecertificateTbs, 0, 0];
        byte[] signature = sct[(43 + 4)..];
        Assert.Equal(_sigstore.CtLog.LogId, sct[1..33]);
        using PublicKeyVerifier ctKey = PublicKeyVerifier.FromSubjectPublicKeyInfo(_sigstore.CtLog.Key.SubjectPublicKeyInfo);
        Assert.True(ctKey.VerifyData(signed, signature));

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_sigstore.CertificateAuthority.Root);
        chain.ChainPolicy.ExtraStore.Add(_sigstore.CertificateAuthority.Intermediate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _sigstore.Now.UtcDateTime;
        Assert.True(chain.Build(cert), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Theory]
    [InlineData(LogFlavour.RekorV1)]
    [InlineData(LogFlavour.RekorV2)]
    public void ProofAndCheckpointVerifyIndependently(LogFlavour log)
    {
        var tree = MutableBundle.Parse(_sigstore.SignMessage(Artifact, new SigningOptions { Log = log }));
        byte[] body = tree.GetBytes(BundlePaths.CanonicalizedBody);
        long index = long.Parse(tree.GetString(BundlePaths.ProofLogIndex), System.Globalization.CultureInfo.InvariantCulture);
        long size = long.Parse(tree.GetString(BundlePaths.TreeSize), System.Globalization.CultureInfo.InvariantCulture);
        var hashes = tree.Get(BundlePaths.InclusionProof + ".hashes")!.AsArray().Select(h => Convert.FromBase64String(h!.GetValue<string>())).ToList();

        Assert.True(hashes.Count >= 2, $"{hashes.Count} hashes");
        Assert.Equal(tree.GetBytes(BundlePaths.RootHash), RootFromInclusionProof(index, size, MerkleTree.HashLeaf(body), hashes));

        VirtualTransparencyLog virtualLog = _sigstore.GetLog(log);
        string note = tree.GetString(BundlePaths.Checkpoint);
        int blank = note.IndexOf("\n\n", StringComparison.Ordinal);
        string[] signatureLine = note[(blank + 2)..].TrimEnd('\n').Split(' ');
        Assert.Equal("\u2014", signatureLine[0]);
        Assert.Equal(virtualLog.KeyName, signatureLine[1]);
        byte[] hinted = Convert.FromBase64String(signatureLine[2]);
        Assert.Equal(virtualLog.LogId[..4], hinted[..4]);
        using PublicKeyVerifier key = PublicKeyVerifier.FromSubjectPublicKeyInfo(virtualLog.Key.SubjectPublicKeyInfo);
        Assert.True(key.VerifyData(System.Text.Encoding.UTF8.GetBytes(note[..(blank + 1)]), hinted.AsSpan(4)));
    }

    [Fact]
    public void RekorV1BodyIsSortedCompactJsonAndTheSetVerifies()
    {
        var tree = MutableBundle.Parse(_sigstore.SignMessage(Artifact));
        byte[] body = tree.GetBytes(BundlePaths.CanonicalizedBody);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(body), Sorted(JsonNode.Parse(body)!).ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        string payload = $"{{\"body\":\"{Convert.ToBase64String(body)}\",\"integratedTime\":{tree.GetString(BundlePaths.IntegratedTime)},\"logID\":\"{Convert.ToHexStringLower(_sigstore.RekorV1.LogId)}\",\"logIndex\":{tree.GetString(BundlePaths.LogIndex)}}}";
        using PublicKeyVerifier key = PublicKeyVerifier.FromSubjectPublicKeyInfo(_sigstore.RekorV1.Key.SubjectPublicKeyInfo);
        Assert.True(key.VerifyData(System.Text.Encoding.UTF8.GetBytes(payload), tree.GetBytes(BundlePaths.SignedEntryTimestamp)));
        Assert.Equal(_sigstore.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), tree.GetString(BundlePaths.IntegratedTime));
    }

    [Fact]
    public void TimestampWithoutAnyAuthorityThrows()
    {
        using VirtualSigstore withoutTsa = VirtualSigstore.Create(new VirtualSigstoreOptions { WithoutTimestampAuthority = true });
        Assert.Empty(TrustedRoot.Parse(withoutTsa.TrustedRootBytes).TimestampAuthorities);
        Assert.Throws<InvalidOperationException>(() => withoutTsa.SignMessage(Artifact, new SigningOptions { Timestamp = true }));
    }

    [Fact]
    public void MinterTokensAndChainLandInBundleAndTrustedRoot()
    {
        var minter = new FakeMinter(_sigstore.CertificateAuthority.Root);
        using VirtualSigstore withTsa = VirtualSigstore.Create(new VirtualSigstoreOptions { TimestampMinter = minter });

        var tree = MutableBundle.Parse(withTsa.SignMessage(Artifact, new SigningOptions { Timestamp = true }));

        Assert.Equal(FakeMinter.Token, tree.GetBytes(BundlePaths.Rfc3161Timestamp));
        Assert.Equal(tree.GetBytes(BundlePaths.MessageSignature), minter.LastSignature);
        Assert.Single(TrustedRoot.Parse(withTsa.TrustedRootBytes).TimestampAuthorities);
    }

    [Fact]
    public void MutableBundleFlipsOneFieldOnly()
    {
        byte[] original = _sigstore.SignMessage(Artifact);
        var tree = MutableBundle.Parse(original).FlipBit(BundlePaths.RootHash, 3);

        Assert.NotEqual(MutableBundle.Parse(original).GetBytes(BundlePaths.RootHash), tree.GetBytes(BundlePaths.RootHash));
        Assert.Equal(MutableBundle.Parse(original).GetString(BundlePaths.Checkpoint), tree.GetString(BundlePaths.Checkpoint));
        Assert.Null(MutableBundle.Parse(tree.Remove(BundlePaths.SignedEntryTimestamp).ToBytes()).Get(BundlePaths.SignedEntryTimestamp));
    }

    // RFC 9162 section 2.1.3.2: recompute the root from a leaf hash and its audit path.
    private static byte[] RootFromInclusionProof(long index, long size, byte[] leafHash, List<byte[]> proof)
    {
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        foreach (byte[] p in proof)
        {
            if (sn == 0)
            {
                throw new InvalidOperationException("proof too long");
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleTree.HashChildren(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleTree.HashChildren(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        Assert.Equal(0, sn);
        return r;
    }

    private static byte[] TbsWithoutLastExtension(byte[] certificate)
    {
        AsnReader tbs = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        var explicit3 = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
        using (writer.PushSequence())
        {
            while (tbs.HasData)
            {
                if (tbs.PeekTag() == explicit3)
                {
                    AsnReader extensions = tbs.ReadSequence(explicit3).ReadSequence();
                    var kept = new List<byte[]>();
                    while (extensions.HasData)
                    {
                        kept.Add(extensions.ReadEncodedValue().ToArray());
                    }

                    using (writer.PushSequence(explicit3))
                    using (writer.PushSequence())
                    {
                        foreach (byte[] extension in kept.Take(kept.Count - 1))
                        {
                            writer.WriteEncodedValue(extension);
                        }
                    }
                }
                else
                {
                    writer.WriteEncodedValue(tbs.ReadEncodedValue().Span);
                }
            }
        }

        return writer.Encode();
    }

    private static JsonNode Sorted(JsonNode node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Sorted(p.Value!)))),
        JsonArray a => new JsonArray(a.Select(e => (JsonNode?)Sorted(e!)).ToArray()),
        _ => node.DeepClone(),
    };

    public sealed class Fixture : IDisposable
    {
        public VirtualSigstore Sigstore { get; } = VirtualSigstore.Create();

        public void Dispose() => Sigstore.Dispose();
    }

    private sealed class FakeMinter(X509Certificate2 certificate) : ITimestampMinter
    {
        public static readonly byte[] Token = [0x30, 0x03, 0x02, 0x01, 0x00];

        public byte[]? LastSignature { get; private set; }

        public IReadOnlyList<X509Certificate2> Chain => [certificate];

        public byte[] Timestamp(ReadOnlySpan<byte> signature, DateTimeOffset genTime)
        {
            LastSignature = signature.ToArray();
            return Token;
        }
    }
}
