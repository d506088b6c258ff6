using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Certificates;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Timestamps;
using SupplyChain.Core.Transparency;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;

namespace SupplyChain.Benchmarks;

/// <summary>
/// <c>stages</c> mode: the cost of each verification step on each benchmark bundle, to find where time goes.
/// A diagnostic, not a figure to report.
/// </summary>
internal static class StageTimings
{
    public static int Run(int iterations)
    {
        foreach ((string curveName, System.Security.Cryptography.ECCurve curve, System.Security.Cryptography.HashAlgorithmName hash) in new[]
        {
            ("P-256", System.Security.Cryptography.ECCurve.NamedCurves.nistP256, System.Security.Cryptography.HashAlgorithmName.SHA256),
            ("P-384", System.Security.Cryptography.ECCurve.NamedCurves.nistP384, System.Security.Cryptography.HashAlgorithmName.SHA384),
        })
        {
            using var key = System.Security.Cryptography.ECDsa.Create(curve);
            byte[] data = new byte[1500];
            byte[] signature = key.SignData(data, hash, System.Security.Cryptography.DSASignatureFormat.Rfc3279DerSequence);
            byte[] spki = key.ExportSubjectPublicKeyInfo();
            Time($"raw {curveName} verify", iterations, () => key.VerifyData(data, signature, hash, System.Security.Cryptography.DSASignatureFormat.Rfc3279DerSequence));
            Time($"raw {curveName} import", iterations, () =>
            {
                using var imported = System.Security.Cryptography.ECDsa.Create();
                imported.ImportSubjectPublicKeyInfo(spki, out _);
            });
            System.Security.Cryptography.ECParameters parameters = key.ExportParameters(false);
            Time($"raw {curveName} ECParameters", iterations, () => System.Security.Cryptography.ECDsa.Create(parameters).Dispose());
            Time($"PublicKeyVerifier {curveName}", iterations, () => PublicKeyVerifier.FromSubjectPublicKeyInfo(spki).Dispose());
        }

        // Only the public API of Core is timed (the package boundary): each step a caller can run on its own.
        ConformanceBundleSet set = ConformanceBundleSet.Load();
        foreach ((string name, byte[] bytes, SigstoreVerifier verifier) in set.Items)
        {
            Console.WriteLine(name);
            SigstoreBundle bundle = SigstoreBundle.Parse(bytes);
            TrustedRoot trust = name == "rekor2-happy-path" ? TrustedRootFor(name) : TrustedRoot.Production;
            var tsa = new TimestampVerifier(trust);
            var issuance = new CertificateIssuanceVerifier(trust);
            Artifact artifact = Artifact.FromBytes(set.Artifact);
            using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(bundle.VerificationMaterial.LeafCertificate.Span);
            ReadOnlyMemory<byte> sig = bundle.MessageSignature?.Signature ?? bundle.DsseEnvelope!.Signatures[0].Signature;
            TransparencyLogEntry entry = bundle.VerificationMaterial.TlogEntries[0];
            InclusionProof proof = entry.InclusionProof!;
            TransparencyLogInstance log = trust.TransparencyLogs.First(l => l.LogId.Span.SequenceEqual(entry.LogId.Span));

            Time("parse bundle", iterations, () => SigstoreBundle.Parse(bytes));
            Time("write bundle", iterations, () => bundle.ToJson());
            Time("load leaf", iterations, () => X509CertificateLoader.LoadCertificate(bundle.VerificationMaterial.LeafCertificate.Span).Dispose());
            Time("import leaf key", iterations, () => PublicKeyVerifier.FromCertificate(leaf).Dispose());
            if (bundle.VerificationMaterial.Rfc3161Timestamps.Count > 0)
            {
                Time("rfc3161", iterations, () => tsa.Verify(bundle.VerificationMaterial.Rfc3161Timestamps[0], sig.Span));
            }

            Time("inclusion proof", iterations, () =>
            {
                Span<byte> leafHash = stackalloc byte[MerkleTree.HashSize];
                MerkleTree.HashLeaf(entry.CanonicalizedBody.Span, leafHash);
                return MerkleTree.VerifyInclusion(proof.LogIndex, proof.TreeSize, leafHash, proof.Hashes, proof.RootHash.Span);
            });
            Time("checkpoint", iterations, () => CheckpointVerifier.Verify(Checkpoint.Parse(proof.Checkpoint!), log));
            Time("chain + sct", iterations, () => issuance.Verify(leaf));
            Time("fulcio extensions", iterations, () => FulcioCertificate.Parse(leaf));
            Time("whole verify", iterations, () => verifier.Verify(bundle, artifact, set.Policy));
        }

        return 0;
    }

    private static TrustedRoot TrustedRootFor(string name)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "testdata", "benchmark", name, "trusted_root.json");
            if (File.Exists(candidate))
            {
                return TrustedRoot.Parse(File.ReadAllBytes(candidate));
            }
        }

        throw new FileNotFoundException(name);
    }

    private static void Time<T>(string label, int iterations, Func<T> action) => Time(label, iterations, () => { _ = action(); });

    private static void Time(string label, int iterations, Action action)
    {
        for (int i = 0; i < 50; i++)
        {
            action();
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            action();
        }

        double elapsed = clock.Elapsed.TotalMilliseconds;
        double allocatedKb = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / 1024.0 / iterations;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-20} {elapsed * 1000 / iterations,8:F1} us {allocatedKb,8:F1} KB"));
    }
}
