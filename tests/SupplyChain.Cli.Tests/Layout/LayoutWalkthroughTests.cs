using SupplyChain.Cli.Tests.Instance;
using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests.Layout;

/// <summary>
/// The README's walk-through, word for word: the three-level lineage of testdata/layout-lineage as OCI layouts, signed
/// with the local instance, walked by <c>lineage</c>, allowed by <c>verify --policy</c>, the forged level refused; then
/// copied with <c>copy --lineage</c> and verified in the copy. No registry, no network.
/// </summary>
public sealed class LayoutWalkthroughTests : IDisposable
{
    private readonly InstanceCli _cli = new();
    private readonly string _layouts;

    public LayoutWalkthroughTests()
    {
        _layouts = Path.Combine(_cli.Root, "layout-lineage");
        CopyFolder(Path.Combine(TestPaths.TestData, "layout-lineage"), _layouts);
    }

    public void Dispose() => _cli.Dispose();

    private string Image(string name) => "oci:" + Path.Combine(_layouts, name) + ":1.0";

    [Fact]
    public void Sign_walk_verify_and_refuse_the_forged_level_then_copy_and_verify_the_copy()
    {
        foreach (string level in new[] { "base", "runtime", "app", "forged" })
        {
            CliRun signed = _cli.Run("sign", "--instance", "local", Image(level));
            Assert.True(signed.ExitCode == 0, signed.ToString());
            Assert.Contains("Pushed signature referrer sha256:", signed.Stderr, StringComparison.Ordinal);
        }

        CliRun lineage = _cli.Run("lineage", Image("app"));
        Assert.True(lineage.ExitCode == 0, lineage.ToString());
        Assert.Contains("end: Scratch", lineage.Stdout, StringComparison.Ordinal);
        Assert.Contains("oci:" + Path.Combine(_layouts, "base") + "@sha256:", lineage.Stdout, StringComparison.Ordinal);

        string policy = Path.Combine(_layouts, "policy.yaml");
        CliRun allowed = _cli.Run("verify", "--instance", "local", "--policy", policy, Image("app"));
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Contains("ALLOWED", allowed.Stdout + allowed.Stderr, StringComparison.Ordinal);

        CliRun forged = _cli.Run("verify", "--instance", "local", "--policy", policy, Image("forged"));
        Assert.Equal(1, forged.ExitCode);
        Assert.Contains("SC4603", forged.Stderr, StringComparison.Ordinal);

        CliRun verified = _cli.Run("verify", "--instance", "local", Image("runtime"), "--certificate-identity", InstanceCli.Identity, "--certificate-oidc-issuer", InstanceCli.Issuer);
        Assert.True(verified.ExitCode == 0, verified.ToString());

        string moved = Path.Combine(_cli.Root, "moved");
        CliRun copied = _cli.Run("copy", "--lineage", Image("app"), "oci:" + Path.Combine(moved, "app") + ":1.0");
        Assert.True(copied.ExitCode == 0, copied.ToString());
        Assert.Contains("base image copied to oci:" + Path.Combine(moved, "base") + ":1.0@sha256:", copied.Stderr, StringComparison.Ordinal);
        File.Copy(policy, Path.Combine(moved, "policy.yaml"));
        CliRun inCopy = _cli.Run("verify", "--instance", "local", "--policy", Path.Combine(moved, "policy.yaml"), "oci:" + Path.Combine(moved, "app") + ":1.0");
        Assert.True(inCopy.ExitCode == 0, inCopy.ToString());

        // The unsigned runtime of testdata in place of the copied one: denied at that level (SC5102, exit 5), whatever the app's signature says.
        CopyFolder(Path.Combine(TestPaths.TestData, "layout-lineage", "runtime"), Path.Combine(moved, "runtime"), overwrite: true);
        CliRun unsignedRuntime = _cli.Run("verify", "--instance", "local", "--policy", Path.Combine(moved, "policy.yaml"), "oci:" + Path.Combine(moved, "app") + ":1.0");
        Assert.True(unsignedRuntime.ExitCode == 5 && unsignedRuntime.Stderr.Contains("SC5102", StringComparison.Ordinal), unsignedRuntime.ToString());
    }

    [Fact]
    public void Admission_review_refuses_a_layout_named_by_a_pod()
    {
        string review = _cli.Write("review.json", """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1",
              "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
              "namespace":"shop","operation":"CREATE","userInfo":{"username":"alice"},
              "object":{"spec":{"containers":[{"name":"a","image":"oci:/var/lib/images/app:1.0"}]}}}}
            """);
        CliRun run = _cli.Run("admission", "review", review, "--policy", Path.Combine(_layouts, "policy.yaml"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("SC7030", run.Stdout, StringComparison.Ordinal);
    }

    private static void CopyFolder(string from, string to, bool overwrite = false)
    {
        if (overwrite && Directory.Exists(to))
        {
            Directory.Delete(to, recursive: true);
        }

        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
