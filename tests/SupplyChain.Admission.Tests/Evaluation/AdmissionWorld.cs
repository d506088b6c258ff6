using System.Security.Cryptography;
using System.Text.Json;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;
using SupplyChain.Core.Trust;
using SupplyChain.Oci;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Model;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Admission.Tests.Evaluation;

/// <summary>
/// The images behind the golden cases (testdata/admission/README.md), in process: fixed content (so fixed digests)
/// in an <see cref="InMemoryRegistry"/> under <c>registry.example</c>, signed by the TEST-ONLY key
/// <c>testdata/admission/keys/test-signer.key.pem</c> through the VirtualSigstore (whose log the trusted root holds).
/// Reads of <c>registry.example/flaky/*</c> fail like an unreachable registry.
/// </summary>
public sealed class AdmissionWorld : IDisposable
{
    public const string Host = "registry.example";

    private readonly ECDsa _signer = LoadKey("test-signer.key.pem");
    private readonly ECDsa _other = LoadKey("other-signer.key.pem");

    public AdmissionWorld()
    {
        Inner = new InMemoryRegistry();
        Registry = new RecordingRegistry(Inner);
        Trust = TrustedRoot.Parse(Sigstore.TrustedRootBytes);
        var images = new LineageImages(Inner);
        var scratchClaim = new Dictionary<string, string> { [BaseImageClaim.NameKey] = BaseImageClaim.Scratch };

        Signed(images.Push($"{Host}/apps/web", ["web"], tag: "1.0"));
        Signed(images.Push($"{Host}/apps/api", ["api"], tag: "2.0"));
        Signed(images.Push($"{Host}/apps/init", ["init"], tag: "1.0"));
        Signed(images.Push($"{Host}/apps/debug", ["debug"], tag: "1.0"));
        Signed(images.Push($"{Host}/apps/models", ["models"], tag: "1.0"));
        images.Push($"{Host}/apps/unsigned", ["unsigned"], tag: "1.0");
        Sign(images.Push($"{Host}/apps/wrong", ["wrong"], tag: "1.0"), _other);
        images.Push($"{Host}/legacy/tool", ["legacy"], tag: "1.0");
        images.Push($"{Host}/audit/tool", ["audit"], tag: "1.0");
        Signed(images.Push($"{Host}/flaky/app", ["flaky"], tag: "1.0"));
        images.Push("unmatched.example/app", ["unmatched"], tag: "1.0");

        LineageImage os = Signed(images.Push($"{Host}/base/os", ["os"], tag: "1", annotations: scratchClaim));
        Signed(images.Push($"{Host}/lineage/shop", ["os", "shop"], tag: "1.0", annotations: os.AsBaseClaim()));
        LineageImage unsignedOs = images.Push($"{Host}/base/os-unsigned", ["os-unsigned"], tag: "1", annotations: scratchClaim);
        Signed(images.Push($"{Host}/lineage/shop-on-unsigned", ["os-unsigned", "shop"], tag: "1.0", annotations: unsignedOs.AsBaseClaim()));

        // Issue 13: a multi-platform index whose amd64 manifest is signed and whose arm64 manifest is not.
        var amd64 = new OciPlatform("linux", "amd64");
        var arm64 = new OciPlatform("linux", "arm64");
        LineageImage multiAmd = Signed(images.Push($"{Host}/apps/multi", ["multi-amd64"], platform: amd64));
        LineageImage multiArm = images.Push($"{Host}/apps/multi", ["multi-arm64"], platform: arm64);
        images.PushIndex($"{Host}/apps/multi", [(multiAmd, amd64), (multiArm, arm64)], tag: "1.0");

        // A signed image whose claim names a repository no rule covers, and one whose base lives in the flaky registry.
        LineageImage unruledOs = images.Push("unruled.example/os", ["unruled-os"], tag: "1", annotations: scratchClaim);
        Signed(images.Push($"{Host}/lineage/claims-unruled", ["unruled-os", "shop"], tag: "1.0", annotations: unruledOs.AsBaseClaim()));
        LineageImage flakyOs = images.Push($"{Host}/flaky/os", ["flaky-os"], tag: "1", annotations: scratchClaim);
        Signed(images.Push($"{Host}/lineage/on-flaky", ["flaky-os", "shop"], tag: "1.0", annotations: flakyOs.AsBaseClaim()));

        Registry.Calls.Clear();
        Inner.FailRead = r => r.Repository.StartsWith("flaky/", StringComparison.Ordinal)
            ? OciErrors.RegistryUnreachable.ToException($"{r.Registry}: connection refused")
            : null;
    }

    public static string Folder => Path.Combine(TestPaths.TestData, "admission");

    public VirtualSigstore Sigstore { get; } = VirtualSigstore.Create();

    public InMemoryRegistry Inner { get; }

    public RecordingRegistry Registry { get; }

    public TrustedRoot Trust { get; }

    /// <summary>The digest of <c>registry.example/REPOSITORY:TAG</c>.</summary>
    public string Digest(string repository, string tag) =>
        Inner.TryGetManifestAsync(ImageReference.Parse($"{Host}/{repository}:{tag}")).GetAwaiter().GetResult()!.Descriptor.Digest;

    public static ImagePolicy GoldenPolicy(string? path = null) => ImagePolicy.Load(path ?? Path.Combine(Folder, "policy.yaml"));

    /// <summary>A policy from text; relative key paths are read from testdata/admission.</summary>
    public static ImagePolicy Policy(string yaml) => ImagePolicy.Parse(yaml, Folder);

    public AdmissionSnapshot Snapshot(ImagePolicy? policy = null) => new(policy ?? GoldenPolicy(), Trust, "test-root", Registry);

    public static AdmissionRequest Request(string kind, string json, string group = "", string operation = "CREATE", string? subResource = null, string? ns = "shop", string resource = "pods") => new()
    {
        Uid = "uid-1",
        Kind = new GroupVersionKind { Group = group, Version = "v1", Kind = kind },
        Resource = new GroupVersionResource { Group = group, Version = "v1", Resource = resource },
        SubResource = subResource,
        Operation = operation,
        Namespace = ns,
        NewObject = JsonDocument.Parse(json).RootElement.Clone(),
    };

    /// <summary>A Pod whose containers run <paramref name="images"/>.</summary>
    public static AdmissionRequest Pod(params string[] images) =>
        Request("Pod", "{\"spec\":{\"containers\":[" + string.Join(",", images.Select((i, n) => $"{{\"name\":\"c{n}\",\"image\":\"{i}\"}}")) + "]}}");

    public Task<AdmissionOutcome> ReviewAsync(AdmissionRequest request, ImagePolicy? policy = null, IVerdictCache? cache = null, CancellationToken deadline = default) =>
        new AdmissionEvaluator(new AdmissionEvaluatorOptions { Cache = cache }).ReviewAsync(request, Snapshot(policy), deadline);

    public void Dispose()
    {
        Sigstore.Dispose();
        _signer.Dispose();
        _other.Dispose();
    }

    private static ECDsa LoadKey(string file)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(Folder, "keys", file)));
        return key;
    }

    private LineageImage Signed(LineageImage image) => Sign(image, _signer);

    private LineageImage Sign(LineageImage image, ECDsa key)
    {
        ImageReference repository = image.Reference;
        byte[] bundle = Sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, ImageStatements.Signature(repository, image.Digest), new SigningOptions { KeyPair = key });
        new ImageSignatureAttacher(Registry).AttachBundleAsync(repository, Inner.ResolveAsync(repository).GetAwaiter().GetResult(), bundle).GetAwaiter().GetResult();
        return image;
    }
}
