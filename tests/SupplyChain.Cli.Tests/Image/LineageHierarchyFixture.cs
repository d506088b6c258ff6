using System.Text;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using ImageSignatureAttacher = SupplyChain.Oci.Signatures.ImageSignatureAttacher;
using ImageStatements = SupplyChain.Oci.Signatures.ImageStatements;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Tests.Fakes;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>
/// Real image hierarchies on Debian's docker-registry, built by umoci and pushed by skopeo, signed with <c>signcli sign
/// --key</c> by two cosign keys ("publisher" for base images, "CI" for applications) through the in-process stub
/// Fulcio/Rekor (so every signature carries a Rekor entry the trusted root verifies). Built once per test class, on
/// first use. The good chain: scratch -> base (declares <c>base.name: scratch</c>, publisher) -> runtime (manifest
/// annotations, publisher) -> app (config labels as the .NET SDK writes them, CI). Each broken case is its own image.
/// </summary>
public sealed class LineageHierarchyFixture : IDisposable
{
    public const string Password = "correct horse";
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-lineage-cli-").FullName;
    private readonly Lazy<LineageHierarchy> _hierarchy;
    private readonly RegistryFixture _registry = new();

    public LineageHierarchyFixture()
    {
        Fake = new FakeSigstore();
        TrustedRoot = Write("trusted_root.json", Fake.TrustedRootBytes);
        (PublisherKey, PublisherPub) = WriteKeyPair("publisher");
        (CiKey, CiPub) = WriteKeyPair("ci");
        _hierarchy = new Lazy<LineageHierarchy>(Build, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    internal FakeSigstore Fake { get; }

    /// <summary>The running registry (started on first use).</summary>
    public DistributionRegistry Registry => _registry.Registry;

    public string TrustedRoot { get; }

    public string PublisherKey { get; }

    public string PublisherPub { get; }

    public string CiKey { get; }

    public string CiPub { get; }

    public LineageHierarchy Images => _hierarchy.Value;

    public string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    public string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Runs signcli with the fake signing services and the registry client the CLI builds itself.</summary>
    public CliRun Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CliRunner.Exit(() => CliApp.RunWithAsync(args, stdout, stderr, new PasswordEnvironment(), Fake));
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Signs <paramref name="image"/> (by digest) with <paramref name="key"/>.</summary>
    public void Sign(string image, string key)
    {
        CliRun sign = Run("sign", image, "--key", key, "--trusted-root", TrustedRoot, "--fulcio-url", FakeSigstore.BaseUrl.ToString(), "--rekor-url", FakeSigstore.BaseUrl.ToString(), "--rekor-version", "1");
        Assert.True(sign.ExitCode == 0, sign.ToString());
    }

    public void Dispose()
    {
        Fake.Dispose();
        _registry.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private (string Key, string Pub) WriteKeyPair(string name)
    {
        using KeyFileSigner key = KeyFileSigner.GenerateEcdsaP256();
        return (Write(name + ".key", Encoding.ASCII.GetBytes(key.ExportCosignEncryptedPem(Encoding.UTF8.GetBytes(Password)))),
            Write(name + ".pub", Encoding.ASCII.GetBytes(key.PublicKeyPem)));
    }

    private LineageHierarchy Build()
    {
        string host = Registry.Host;
        string run = "lin" + Guid.NewGuid().ToString("N")[..8];
        using var umoci = new UmociChain();
        var images = new LineageHierarchy(host, run);

        // The good chain (the test kit's): the base declares it was built FROM scratch.
        UmociLineage good = UmociLineage.Push(umoci, Registry, run, image => Sign(image, PublisherKey), image => Sign(image, CiKey));
        (images.Base, images.Runtime, images.App) = (good.Base, good.Runtime, good.App);

        // An unsigned base, and a base signed by the wrong identity (the CI key), each under a signed app.
        umoci.FromScratch("base-unsigned");
        umoci.Claim("base-unsigned", annotations: new Dictionary<string, string> { [BaseImageClaim.NameKey] = BaseImageClaim.Scratch });
        string baseUnsigned = Pushed(umoci, "base-unsigned", $"{run}/base");
        images.AppOnUnsignedBase = SignedApp(umoci, "base-unsigned", baseUnsigned, "app-on-unsigned");
        umoci.FromScratch("base-wrong");
        umoci.Claim("base-wrong", annotations: new Dictionary<string, string> { [BaseImageClaim.NameKey] = BaseImageClaim.Scratch });
        string baseWrong = Pushed(umoci, "base-wrong", $"{run}/base");
        Sign(baseWrong, CiKey);
        images.AppOnWrongBase = SignedApp(umoci, "base-wrong", baseWrong, "app-on-wrong");

        // A forged claim: an unrelated image (its own layers) claims the runtime.
        umoci.FromScratch("forged");
        umoci.AddLayer("forged");
        umoci.Claim("forged", annotations: Claim(images.Runtime));
        images.Forged = SignedPush(umoci, "forged");

        // A squashed app: the runtime's files and its own in ONE layer (as `docker build --squash`), still claiming the runtime.
        umoci.FromScratch("squashed");
        umoci.Claim("squashed", labels: Claim(images.Runtime));
        images.Squashed = SignedPush(umoci, "squashed");

        // An app without any claim.
        umoci.Derive("runtime", "noclaim");
        images.NoClaim = SignedPush(umoci, "noclaim");

        // A base deleted from the registry after its child was pushed.
        umoci.FromScratch("doomed");
        string doomed = Pushed(umoci, "doomed", $"{run}/doomed");
        images.AppOnDeletedBase = SignedApp(umoci, "doomed", doomed, "app-on-deleted");
        DeleteManifest(doomed);

        using var client = new OciRegistryClient();

        // A claim naming an index: the base's repository gets a multi-arch index (amd64 = the good base); the child
        // names the index, which the walk resolves to the child's own platform.
        images.BaseIndex = PushIndex(client, images.Base, [(images.Base, "amd64"), (baseUnsigned, "arm64")], null, "multi");
        umoci.Derive("base", "on-index");
        umoci.Claim("on-index", annotations: new Dictionary<string, string> { [BaseImageClaim.NameKey] = $"{host}/{run}/base:multi", [BaseImageClaim.DigestKey] = Digest(images.BaseIndex) });
        images.AppOnIndex = SignedPush(umoci, "on-index");

        // A cycle: an index whose annotations claim its own amd64 manifest as the base. The walk resolves the index to
        // that manifest, follows the claim to the same digest (the layer proof holds trivially: same diff_ids) and
        // meets the digest twice. The index is signed too: index annotations are a claim only when the index digest
        // carries the rule's signatures. (A cycle through two different digests cannot be built: each claim names the other's
        // digest, which depends on the claim.)
        umoci.Derive("runtime", "cycle");
        string cycleManifest = Pushed(umoci, "cycle", $"{run}/app");
        Sign(cycleManifest, CiKey);
        images.Cycle = PushIndex(client, cycleManifest, [(cycleManifest, "amd64")], new Dictionary<string, string>
        {
            [BaseImageClaim.NameKey] = cycleManifest[..cycleManifest.IndexOf('@', StringComparison.Ordinal)],
            [BaseImageClaim.DigestKey] = Digest(cycleManifest),
        }, "cycle-index");
        Sign(images.Cycle, CiKey);

        // Keyless: an app signed with a certificate from the fake's instance CA for its local user.
        umoci.Derive("runtime", "keyless");
        umoci.Claim("keyless", annotations: Claim(images.Runtime));
        images.AppKeyless = Pushed(umoci, "keyless", $"{run}/app");
        ImageReference keyless = ImageReference.Parse(images.AppKeyless);
        OciDescriptor keylessManifest = client.ResolveAsync(keyless).GetAwaiter().GetResult();
        byte[] bundle = SignKeyless(ImageStatements.Signature(keyless, keylessManifest.Digest));
        new ImageSignatureAttacher(client).AttachBundleAsync(keyless, keylessManifest, bundle).GetAwaiter().GetResult();
        return images;

        string SignedApp(UmociChain chain, string parentTag, string parent, string tag)
        {
            chain.Derive(parentTag, tag);
            chain.Claim(tag, annotations: Claim(parent));
            return SignedPush(chain, tag);
        }

        string SignedPush(UmociChain chain, string tag)
        {
            string image = Pushed(chain, tag, $"{run}/app");
            Sign(image, CiKey);
            return image;
        }
    }

    /// <summary>A keyless DSSE bundle over <paramref name="statement"/>: the instance's CA and TSA, the Rekor v1 log.</summary>
    private byte[] SignKeyless(byte[] statement)
    {
        using Signing.Bundles.BundleSigner signer = Fake.CreateSigner(rekorVersion: 1, tsa: true);
        return signer.SignDsseAsync(Core.Attestations.Dsse.InTotoPayloadType, statement, Fake.Signer, Fake.Token()).GetAwaiter().GetResult().ToJson();
    }

    /// <summary>host/repository:tag@digest of a pushed tag.</summary>
    private string Pushed(UmociChain chain, string tag, string repository) => UmociLineage.Pushed(chain, Registry, tag, repository);

    private static Dictionary<string, string> Claim(string image) => UmociLineage.Claim(image);

    public static string Digest(string image) => UmociLineage.Digest(image);

    /// <summary>Pushes an index over manifests of one repository (their platforms given), tagged, and returns host/repo:tag@digest.</summary>
    private static string PushIndex(OciRegistryClient client, string repositoryImage, IReadOnlyList<(string Image, string Architecture)> manifests, IReadOnlyDictionary<string, string>? annotations, string tag)
    {
        ImageReference repository = ImageReference.Parse(repositoryImage);
        var descriptors = manifests.Select(m =>
        {
            OciDescriptor resolved = client.ResolveAsync(repository.WithDigest(Digest(m.Image))).GetAwaiter().GetResult();
            return resolved with { Platform = new OciPlatform("linux", m.Architecture) };
        }).ToList();
        OciDescriptor pushed = client.PushManifestAsync(repository, OciMediaTypes.ImageIndex, OciIndex.Create(descriptors, annotations).ToJson(), tag).GetAwaiter().GetResult();
        return $"{repository.Registry}/{repository.Repository}:{tag}@{pushed.Digest}";
    }

    /// <summary>DELETE /v2/NAME/manifests/DIGEST (distribution-spec "Deleting manifests"; the fixture enables storage.delete).</summary>
    private void DeleteManifest(string image)
    {
        ImageReference reference = ImageReference.Parse(image);
        using var http = new HttpClient();
        using HttpResponseMessage response = http.DeleteAsync(new Uri($"http://{Registry.Host}/v2/{reference.Repository}/manifests/{reference.Digest}")).GetAwaiter().GetResult();
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    private sealed class PasswordEnvironment : IPasswordSource
    {
        public bool IsInteractive => false;

        public string? GetEnvironmentVariable(string name) => name == "COSIGN_PASSWORD" ? Password : null;

        public string ReadHidden(string prompt, TextWriter promptWriter) => throw new InvalidOperationException("no terminal");
    }
}

/// <summary>The images of <see cref="LineageHierarchyFixture"/>, each as host/repository:tag@digest.</summary>
public sealed class LineageHierarchy(string host, string run)
{
    public string Host { get; } = host;

    /// <summary>The repository prefix of this run (<c>host/linXXXX</c>).</summary>
    public string Prefix { get; } = host + "/" + run;

    public string Base { get; set; } = "";

    public string Runtime { get; set; } = "";

    public string App { get; set; } = "";

    public string AppOnUnsignedBase { get; set; } = "";

    public string AppOnWrongBase { get; set; } = "";

    public string Forged { get; set; } = "";

    public string Squashed { get; set; } = "";

    public string NoClaim { get; set; } = "";

    public string AppOnDeletedBase { get; set; } = "";

    public string BaseIndex { get; set; } = "";

    public string AppOnIndex { get; set; } = "";

    public string Cycle { get; set; } = "";

    public string AppKeyless { get; set; } = "";
}
