using System.Reflection;
using System.Security.Cryptography;
using SupplyChain.Testing;
using Xunit.Sdk;

namespace SupplyChain.Cli.Tests.Conformance;

/// <summary>One conformance invocation: the arguments after <c>verify-bundle</c>, and whether it must verify.</summary>
public sealed record ConformanceInvocation(string CaseName, string Mode, IReadOnlyList<string> Arguments, bool MustVerify);

/// <summary>
/// The sigstore-conformance bundle-verify cases (../shared/conformance/assets/bundle-verify), built the
/// way the upstream harness builds them (test/test_bundle.py, test_verify): one row per case folder and
/// per artifact mode, <c>PATH</c> (the artifact file) and <c>DIGEST</c> (<c>sha256:HEX</c>).
/// </summary>
public static class ConformanceCases
{
    /// <summary>The name of the placeholder row yielded when the shared folder is absent.</summary>
    public const string Absent = "(shared conformance folder absent)";

    public const string DefaultIdentity = CliRunner.BeaconIdentity;
    public const string DefaultIssuer = CliRunner.GitHubIssuer;

    /// <summary>Rows (case name, mode). Never throws: a single placeholder row when the shared folder is absent.</summary>
    public static IEnumerable<object[]> All()
    {
        string? root = TestPaths.ConformanceBundleVerify;
        if (root is null || !Directory.Exists(root))
        {
            yield return [Absent, "PATH"];
            yield break;
        }

        foreach (string dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(dir, "bundle.sigstore.json")))
            {
                continue;
            }

            yield return [Path.GetFileName(dir), "PATH"];
            yield return [Path.GetFileName(dir), "DIGEST"];
        }
    }

    /// <summary>Builds the invocation of one case, as the upstream harness does.</summary>
    public static ConformanceInvocation Build(string caseName, string mode)
    {
        string root = TestPaths.ConformanceBundleVerify
            ?? throw new InvalidOperationException("the shared conformance folder (../shared/conformance or $SUPPLYCHAIN_SHARED) is absent; under CI=true this is a failure");
        string dir = Path.Combine(root, caseName);
        string artifact = File.Exists(Path.Combine(dir, "artifact")) ? Path.Combine(dir, "artifact") : Path.Combine(root, "a.txt");
        var args = new List<string> { "--bundle", Path.Combine(dir, "bundle.sigstore.json") };

        string key = Path.Combine(dir, "key.pub");
        if (File.Exists(key))
        {
            args.AddRange(["--key", key]);
        }
        else
        {
            args.AddRange(["--certificate-identity", ReadOr(Path.Combine(dir, "identity"), DefaultIdentity)]);
            args.AddRange(["--certificate-oidc-issuer", ReadOr(Path.Combine(dir, "issuer"), DefaultIssuer)]);
        }

        string trustedRoot = Path.Combine(dir, "trusted_root.json");
        if (File.Exists(trustedRoot))
        {
            args.AddRange(["--trusted-root", trustedRoot]);
        }

        args.Add(mode switch
        {
            "PATH" => artifact,
            "DIGEST" => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(artifact))),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "PATH or DIGEST"),
        });

        return new ConformanceInvocation(caseName, mode, args, !caseName.EndsWith("fail", StringComparison.Ordinal));
    }

    private static string ReadOr(string path, string fallback) => File.Exists(path) ? File.ReadAllText(path).Trim() : fallback;
}

/// <summary>
/// The rows of <see cref="ConformanceCases.All"/>. Used together with <c>[SharedFixtureTheory]</c>,
/// which handles the absent shared folder.
/// </summary>
[DataDiscoverer("Xunit.Sdk.MemberDataDiscoverer", "xunit.core")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ConformanceCasesDataAttribute : MemberDataAttributeBase
{
    public ConformanceCasesDataAttribute()
        : base(nameof(ConformanceCases.All), [])
    {
        MemberType = typeof(ConformanceCases);
    }

    protected override object[] ConvertDataItem(MethodInfo testMethod, object item) => (object[])item;
}
