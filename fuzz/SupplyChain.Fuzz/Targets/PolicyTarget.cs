using System.Text;
using SupplyChain.Policy.Model;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// An image policy (YAML, or JSON when it starts with '{'): parsed and bound, then its rules matched against images
/// that stress the globs (deep paths, long names) in and out of namespaces.
/// </summary>
internal sealed class PolicyTarget : FuzzTarget
{
    private static readonly string[] Images =
    [
        "docker.io/library/alpine:3.20",
        "ghcr.io/org/app@sha256:" + new string('a', 64),
        "registry.example/" + string.Join('/', Enumerable.Repeat("a", 60)) + "/b",
        "registry.example:5000/" + new string('a', 200),
    ];

    /// <summary>The folder relative key paths resolve in: <c>keys/test-signer.pub.pem</c> as in the golden policy.</summary>
    private static readonly Lazy<string> BaseDirectory = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), "supplychain-fuzz-policy-" + Environment.ProcessId);
        Directory.CreateDirectory(Path.Combine(dir, "keys"));
        File.WriteAllBytes(Path.Combine(dir, "keys", "test-signer.pub.pem"), Fixtures.Read("policy-key.pub.pem"));
        return dir;
    });

    public override string Name => "policy";

    public override string Description => "policy YAML/JSON -> ImagePolicy.Parse (binder), Match on 4 images x 2 namespaces";

    public override string Dictionary => "yaml.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        ImagePolicy policy = ImagePolicy.Parse(Encoding.UTF8.GetString(input), BaseDirectory.Value);
        foreach (string image in Images)
        {
            Step(() => policy.Match(image));
            Step(() => policy.Match(image, "kube-system"));
        }
    }
}
