using System.Diagnostics;
using System.Globalization;
using SupplyChain.Core.Trust;
using SupplyChain.Oci.Copy;
using SupplyChain.Oci.Layout;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Benchmarks;

/// <summary>
/// <c>layouts [runs]</c>: the 3-level lineage of <see cref="LineageTimings"/> evaluated from OCI layouts beside the same
/// evaluation from docker-registry (registry operations, HTTP requests, milliseconds), and copies of the signed app
/// registry -> layout -> registry beside skopeo's copy of the same image (skopeo carries no referrers).
/// </summary>
internal static class LayoutTimings
{
    public static int Run(string[] args)
    {
        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        using DistributionRegistry registry = DistributionRegistry.Start();
        string root = Directory.CreateTempSubdirectory("scbench").FullName;
        try
        {
            RunAgainst(registry, root, runs).GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    private static async Task RunAgainst(DistributionRegistry registry, string root, int runs)
    {
        using var sigstore = VirtualSigstore.Create();
        TrustedRoot trust = TrustedRoot.Parse(sigstore.TrustedRootBytes);
        ImageReference hostedApp = await LineageTimings.PushChainAsync(registry.Host, sigstore).ConfigureAwait(false);
        ImageReference layoutApp = await LineageTimings.PushChainAsync(new OciLayoutRegistry(), name => ImageReference.ParseLayout($"oci:{root}/bench/{name}"), (_, name) => $"oci:../{name}:v1", sigstore).ConfigureAwait(false);
        ImagePolicy hostedPolicy = LineageTimings.ChainPolicy(registry.Host);
        ImagePolicy layoutPolicy = ImagePolicy.Parse(LineageTimingsPolicy($"oci:{root}/bench/**"));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"3-level lineage, IMAGE:tag, {runs} runs: registry operations, HTTP requests, ms"));
        foreach ((string name, bool layout, bool warm) in new[] { ("registry cold", false, false), ("registry warm", false, true), ("layout cold", true, false), ("layout warm", true, true) })
        {
            var http = new CountingHandler();
            using var client = new OciRegistryClient(new OciRegistryClientOptions { Transport = http });
            var shared = new CountingRegistry(new OciRegistryRouter(client, new OciLayoutRegistry()));
            int httpBefore = 0;
            (double operations, double ms) = await LineageTimings.Measure(runs, async () =>
            {
                CountingRegistry counted = warm ? shared : new CountingRegistry(new OciRegistryRouter(new OciRegistryClient(new OciRegistryClientOptions { Transport = http }), new OciLayoutRegistry()));
                int before = counted.Operations;
                httpBefore = http.Count;
                PolicyVerdict verdict = await new PolicyEvaluator(layout ? layoutPolicy : hostedPolicy, counted, new OciSignatureEvidenceSource(counted, trust)).EvaluateAsync(layout ? layoutApp : hostedApp).ConfigureAwait(false);
                if (!verdict.Allowed || verdict.Levels.Count != 3)
                {
                    throw new InvalidOperationException($"{name}: the lineage did not verify: {verdict.ErrorDetail}");
                }

                return counted.Operations - before;
            }).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {operations:F1} operations, {http.Count - httpBefore} HTTP requests (last run), {ms:F2} ms"));
        }

        // Copies: the signed app (2 layers + config, one bundle referrer) registry -> layout and back, beside skopeo.
        (double down, double downMs) = await LineageTimings.Measure(runs, async () =>
        {
            var http = new CountingHandler();
            using var router = new OciRegistryRouter(new OciRegistryClient(new OciRegistryClientOptions { Transport = http }));
            await new ImageCopier(router).CopyAsync(hostedApp, ImageReference.ParseLayout($"oci:{root}/copy-{Guid.NewGuid():N}:v1")).ConfigureAwait(false);
            return http.Count;
        }).ConfigureAwait(false);
        (double up, double upMs) = await LineageTimings.Measure(runs, async () =>
        {
            var http = new CountingHandler();
            using var router = new OciRegistryRouter(new OciRegistryClient(new OciRegistryClientOptions { Transport = http }));
            await new ImageCopier(router).CopyAsync(layoutApp, ImageReference.Parse($"{registry.Host}/copy/up{Guid.NewGuid():N}:v1")).ConfigureAwait(false);
            return http.Count;
        }).ConfigureAwait(false);
        (double skopeoDown, double skopeoDownMs) = await LineageTimings.Measure(runs, () =>
        {
            DistributionRegistry.Run("skopeo", "copy", "--quiet", "--preserve-digests", "--src-tls-verify=false", $"docker://{hostedApp}", $"oci:{root}/skopeo-{Guid.NewGuid():N}:v1");
            return Task.FromResult(0);
        }).ConfigureAwait(false);
        (double skopeoUp, double skopeoUpMs) = await LineageTimings.Measure(runs, () =>
        {
            DistributionRegistry.Run("skopeo", "copy", "--quiet", "--preserve-digests", "--dest-tls-verify=false", $"oci:{layoutApp.LayoutPath}:v1", $"docker://{registry.Host}/copy/skopeo{Guid.NewGuid():N}:v1");
            return Task.FromResult(0);
        }).ConfigureAwait(false);
        _ = skopeoDown + skopeoUp;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"copy registry -> layout (with the referrer): {down:F1} HTTP requests, {downMs:F2} ms; skopeo (no referrer): {skopeoDownMs:F2} ms; ratio {downMs / skopeoDownMs:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"copy layout -> registry (with the referrer): {up:F1} HTTP requests, {upMs:F2} ms; skopeo (no referrer): {skopeoUpMs:F2} ms; ratio {upMs / skopeoUpMs:F2}"));
    }

    private static string LineageTimingsPolicy(string glob) => $"""
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        rules:
          - name: all
            images: ["{glob}"]
            authorities:
              - name: ci
                keyless: {"{"} issuer: "{SigningOptions.DefaultIssuer}", subject: "{SigningOptions.DefaultIdentity}" {"}"}
            lineage: {"{"} required: true, trustedRoots: [scratch] {"}"}
        """;

    /// <summary>Counts the registry operations (every IOciRegistry call) made through it.</summary>
    private sealed class CountingRegistry(IOciRegistry inner) : IOciRegistry
    {
        private int _operations;

        public int Operations => Volatile.Read(ref _operations);

        public Task<OciDescriptor> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default) => Count(inner.ResolveAsync(reference, cancellationToken));

        public Task<FetchedManifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default) => Count(inner.TryGetManifestAsync(reference, cancellationToken));

        public Task<ReadOnlyMemory<byte>> GetBlobAsync(ImageReference repository, OciDescriptor blob, CancellationToken cancellationToken = default) => Count(inner.GetBlobAsync(repository, blob, cancellationToken));

        public Task<OciDescriptor> PushBlobAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => Count(inner.PushBlobAsync(repository, mediaType, content, cancellationToken));

        public Task<OciDescriptor> PushManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag = null, CancellationToken cancellationToken = default) => Count(inner.PushManifestAsync(repository, mediaType, manifest, tag, cancellationToken));

        public Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default) => Count(inner.ListReferrersAsync(subject, artifactType, cancellationToken));

        public Task<OciDescriptor> PushReferrerAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default) => Count(inner.PushReferrerAsync(repository, mediaType, manifest, cancellationToken));

        private T Count<T>(T task)
        {
            Interlocked.Increment(ref _operations);
            return task;
        }
    }
}
