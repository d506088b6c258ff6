using SupplyChain.Core.Bundles;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;

namespace SupplyChain.Benchmarks;

/// <summary>The six passing conformance bundles of testdata/benchmark, each with a verifier built once.</summary>
internal sealed class ConformanceBundleSet
{
    public const string Identity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    public const string Issuer = "https://token.actions.githubusercontent.com";

    private static readonly string[] Cases =
    [
        "happy-path-v0.1", "happy-path-v0.2", "happy-path-v0.3", "happy-path-v0.3-new-mediaType",
        "happy-path-intoto-in-dsse-v3", "rekor2-happy-path",
    ];

    private ConformanceBundleSet(IReadOnlyList<(string Name, byte[] Bundle, SigstoreVerifier Verifier)> items, byte[] artifact)
    {
        Items = items;
        Artifact = artifact;
        Policy = VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(Identity, Issuer));
    }

    public IReadOnlyList<(string Name, byte[] Bundle, SigstoreVerifier Verifier)> Items { get; }

    public byte[] Artifact { get; }

    public VerificationPolicy Policy { get; }

    public static ConformanceBundleSet Load()
    {
        string root = FindBenchmarkData();
        var production = new SigstoreVerifier(TrustedRoot.Production);
        var items = new List<(string, byte[], SigstoreVerifier)>();
        foreach (string name in Cases)
        {
            string dir = Path.Combine(root, name);
            string trustPath = Path.Combine(dir, "trusted_root.json");
            SigstoreVerifier verifier = File.Exists(trustPath)
                ? new SigstoreVerifier(TrustedRoot.Parse(File.ReadAllBytes(trustPath)))
                : production;
            items.Add((name, File.ReadAllBytes(Path.Combine(dir, "bundle.sigstore.json")), verifier));
        }

        return new ConformanceBundleSet(items, File.ReadAllBytes(Path.Combine(root, "a.txt")));
    }

    /// <summary>Parses and verifies every bundle once; returns how many verified (always all, or it throws).</summary>
    public int VerifyAll()
    {
        int verified = 0;
        Artifact artifact = Core.Verification.Artifact.FromBytes(Artifact);
        foreach ((string _, byte[] bundleBytes, SigstoreVerifier verifier) in Items)
        {
            SigstoreBundle bundle = SigstoreBundle.Parse(bundleBytes);
            verifier.Verify(bundle, artifact, Policy);
            verified++;
        }

        return verified;
    }

    private static string FindBenchmarkData()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "testdata", "benchmark");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("testdata/benchmark not found above " + AppContext.BaseDirectory);
    }
}
