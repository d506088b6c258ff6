using System.Diagnostics;
using System.Globalization;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Benchmarks;

/// <summary>
/// <c>verify-image [runs]</c>: registry requests and milliseconds per <c>verify IMAGE</c> against Debian's docker-registry
/// on 127.0.0.1 (no referrers API: the tag-schema fallback), counted by an <see cref="HttpMessageHandler"/>. Cold = a new
/// registry client per verification (no token, no cached manifest, new connections); warm = one client reused.
/// Each row is measured by <c>IMAGE@digest</c> (no resolve) and <c>IMAGE:tag</c>, with and without htpasswd basic auth.
/// </summary>
internal static class ImageVerifyTimings
{
    public static int Run(string[] args)
    {
        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        foreach (bool basicAuth in new[] { false, true })
        {
            using DistributionRegistry registry = DistributionRegistry.Start(basicAuth);
            RunAgainst(registry, runs).GetAwaiter().GetResult();
        }

        return 0;
    }

    private static async Task RunAgainst(DistributionRegistry registry, int runs)
    {
        using var sigstore = VirtualSigstore.Create();
        TrustedRoot trust = TrustedRoot.Parse(sigstore.TrustedRootBytes);
        VerificationPolicy policy = VerificationPolicy.ForCertificateIdentities(new CertificateIdentity(StringMatcher.Exact(SigningOptions.DefaultIdentity), StringMatcher.Exact(SigningOptions.DefaultIssuer)));
        ImageReference repository = ImageReference.Parse(registry.Host + "/bench/app");
        PushedImage image;
        using (var setup = new OciRegistryClient(Options(registry, null)))
        {
            image = await TestImages.PushImageAsync(setup, repository, "v1").ConfigureAwait(false);
            byte[] bundle = sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, ImageStatements.Signature(repository, image.Descriptor.Digest));
            await new ImageSignatureAttacher(setup).AttachBundleAsync(repository, image.Descriptor, bundle).ConfigureAwait(false);
        }

        var request = new ImageVerificationRequest { Policy = policy };
        string auth = registry.Credentials is null ? "anonymous" : "basic auth";
        foreach ((string name, ImageReference reference) in new[] { ("IMAGE@digest", repository.WithDigest(image.Descriptor.Digest)), ("IMAGE:tag", repository.WithTag("v1")) })
        {
            // Cold: a new client (and connections) per verification.
            (double coldRequests, double coldMs) = await Measure(runs, async () =>
            {
                var counting = new CountingHandler();
                using var client = new OciRegistryClient(Options(registry, counting));
                await new ImageVerifier(client, trust).VerifyAsync(reference, request).ConfigureAwait(false);
                return counting.Count;
            }).ConfigureAwait(false);

            // Warm: one client for all verifications (tokens, connections and digest-addressed manifests reused).
            var shared = new CountingHandler();
            using var client = new OciRegistryClient(Options(registry, shared));
            var verifier = new ImageVerifier(client, trust);
            (double warmRequests, double warmMs) = await Measure(runs, async () =>
            {
                int before = shared.Count;
                await verifier.VerifyAsync(reference, request).ConfigureAwait(false);
                return shared.Count - before;
            }).ConfigureAwait(false);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{auth,-10} {name,-13} cold: {coldRequests:F1} requests, {coldMs:F2} ms   warm: {warmRequests:F1} requests, {warmMs:F2} ms   ({runs} runs)"));
        }
    }

    private static OciRegistryClientOptions Options(DistributionRegistry registry, HttpMessageHandler? handler) => new()
    {
        HttpMessageHandler = handler,
        Credentials = registry.Credentials is { } c ? new Oci.Registry.Auth.StaticCredentialSource(Oci.Registry.Auth.RegistryCredential.FromPassword(c.User, c.Password), registry.Host) : null,
    };

    /// <summary>Runs <paramref name="verify"/> (which returns its request count) <paramref name="runs"/> times after two uncounted warm-ups; returns mean requests and milliseconds.</summary>
    private static async Task<(double Requests, double Ms)> Measure(int runs, Func<Task<int>> verify)
    {
        long requests = 0;
        double ms = 0;
        for (int i = -2; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            int count = await verify().ConfigureAwait(false);
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
