using System.Diagnostics;
using System.Globalization;
using System.Text;
using SupplyChain.Core.Trust;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Benchmarks;

/// <summary>
/// <c>lineage [runs]</c>: registry requests and milliseconds per policy evaluation of a 3-level lineage (app -> runtime ->
/// base -> scratch, each level signed keyless with one bundle referrer) against Debian's docker-registry on 127.0.0.1.
/// Cold = a new registry client per evaluation; warm = one client reused (its digest cache, connections). What
/// <c>signcli verify IMAGE --policy</c> and the webhook run, without process start-up.
/// </summary>
internal static class LineageTimings
{
    private const int Levels = 3;

    public static int Run(string[] args)
    {
        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        using DistributionRegistry registry = DistributionRegistry.Start();
        RunAgainst(registry, runs).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAgainst(DistributionRegistry registry, int runs)
    {
        using var sigstore = VirtualSigstore.Create();
        TrustedRoot trust = TrustedRoot.Parse(sigstore.TrustedRootBytes);
        ImageReference app = await PushChainAsync(registry.Host, sigstore).ConfigureAwait(false);
        ImagePolicy policy = ChainPolicy(registry.Host);

        (double coldRequests, double coldMs) = await Measure(runs, async () =>
        {
            var counting = new CountingHandler();
            using var client = new OciRegistryClient(new OciRegistryClientOptions { Transport = counting });
            await EvaluateAsync(policy, client, trust, app).ConfigureAwait(false);
            return counting.Count;
        }).ConfigureAwait(false);

        var shared = new CountingHandler();
        using var warmClient = new OciRegistryClient(new OciRegistryClientOptions { Transport = shared });
        (double warmRequests, double warmMs) = await Measure(runs, async () =>
        {
            int before = shared.Count;
            await EvaluateAsync(policy, warmClient, trust, app).ConfigureAwait(false);
            return shared.Count - before;
        }).ConfigureAwait(false);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"3-level lineage, IMAGE:tag, {runs} runs"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold: {coldRequests:F1} requests ({coldRequests / Levels:F1} per level), {coldMs:F2} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm: {warmRequests:F1} requests ({warmRequests / Levels:F1} per level), {warmMs:F2} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm/cold: requests {warmRequests / coldRequests:F2}, ms {warmMs / coldMs:F2}"));
    }

    /// <summary>The policy both lineage benchmarks evaluate the chain against: keyless CI signer on every level, lineage proved to scratch.</summary>
    internal static ImagePolicy ChainPolicy(string registryHost) => ImagePolicy.Parse($"""
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            rules:
              - name: all
                images: ["{registryHost}/bench/**"]
                authorities:
                  - name: ci
                    keyless: {"{"} issuer: "{SigningOptions.DefaultIssuer}", subject: "{SigningOptions.DefaultIdentity}" {"}"}
                lineage: {"{"} required: true, trustedRoots: [scratch] {"}"}
            """);

    private static async Task EvaluateAsync(ImagePolicy policy, OciRegistryClient client, TrustedRoot trust, ImageReference app)
    {
        PolicyVerdict verdict = await new PolicyEvaluator(policy, client, new OciSignatureEvidenceSource(client, trust)).EvaluateAsync(app).ConfigureAwait(false);
        if (!verdict.Allowed || verdict.Levels.Count != Levels)
        {
            throw new InvalidOperationException($"the benchmark lineage did not verify: {verdict.ErrorDetail}");
        }
    }

    /// <summary>base (declares scratch, 2 layers) -> runtime (+1) -> app (+1), each signed; returns app:v1.</summary>
    internal static async Task<ImageReference> PushChainAsync(string host, VirtualSigstore sigstore)
    {
        using var client = new OciRegistryClient();
        return await PushChainAsync(client, name => ImageReference.Parse($"{host}/bench/{name}"), (repository, _) => repository.WithTag("v1").ToString(), sigstore).ConfigureAwait(false);
    }

    /// <summary>The same chain through any registry: <paramref name="repositoryOf"/> names each level, <paramref name="claimOf"/> the base claim a child makes (given the base's repository and the child's name).</summary>
    internal static async Task<ImageReference> PushChainAsync(IOciRegistry client, Func<string, ImageReference> repositoryOf, Func<ImageReference, string, string> claimOf, VirtualSigstore sigstore)
    {
        var layers = new List<(OciDescriptor Descriptor, byte[] Bytes)>();
        var claim = new Dictionary<string, string> { [BaseImageClaim.NameKey] = BaseImageClaim.Scratch };
        ImageReference? image = null;
        foreach ((string name, int added) in new[] { ("base", 2), ("runtime", 1), ("app", 1) })
        {
            // Blobs belong to a repository: each child pushes its base's layers again (same bytes, same digests), then its own.
            ImageReference repository = repositoryOf(name);
            var own = new List<(OciDescriptor Descriptor, byte[] Bytes)>();
            IEnumerable<byte[]> contents = layers.Select(l => l.Bytes)
                .Concat(Enumerable.Range(0, added).Select(i => Encoding.UTF8.GetBytes(name + i.ToString(CultureInfo.InvariantCulture) + Guid.NewGuid())));
            foreach (byte[] bytes in contents)
            {
                own.Add((await client.PushBlobAsync(repository, "application/vnd.oci.image.layer.v1.tar+gzip", bytes).ConfigureAwait(false), bytes));
            }

            // As TestImages: each layer's digest stands for its diff_id.
            string diffIds = string.Join(',', own.Select(l => $"\"{l.Descriptor.Digest}\""));
            OciDescriptor config = await client.PushBlobAsync(repository, Oci.Registry.Manifests.OciMediaTypes.ImageConfig, Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[{{{diffIds}}}]}}""")).ConfigureAwait(false);
            OciDescriptor manifest = await client.PushManifestAsync(repository, Oci.Registry.Manifests.OciMediaTypes.ImageManifest, Oci.Registry.Manifests.OciManifest.Create(config, own.Select(l => l.Descriptor).ToList(), annotations: claim).ToJson(), "v1").ConfigureAwait(false);
            byte[] bundle = sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, ImageStatements.Signature(repository, manifest.Digest));
            await new ImageSignatureAttacher(client).AttachBundleAsync(repository, manifest, bundle).ConfigureAwait(false);
            claim = new Dictionary<string, string> { [BaseImageClaim.NameKey] = claimOf(repository, name), [BaseImageClaim.DigestKey] = manifest.Digest };
            layers = own;
            image = repository.WithTag("v1");
        }

        return image!;
    }

    /// <summary>Runs <paramref name="evaluate"/> (which returns its request count) <paramref name="runs"/> times after two uncounted warm-ups; mean requests and ms.</summary>
    internal static async Task<(double Requests, double Ms)> Measure(int runs, Func<Task<int>> evaluate)
    {
        long requests = 0;
        double ms = 0;
        for (int i = -2; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            int count = await evaluate().ConfigureAwait(false);
            clock.Stop();
            if (i >= 0)
            {
                requests += count;
                ms += clock.Elapsed.TotalMilliseconds;
            }
        }

        return ((double)requests / runs, ms / runs);
    }
}
