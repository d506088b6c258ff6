using System.Diagnostics;
using System.Globalization;
using SupplyChain.Core.Trust;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Benchmarks;

/// <summary>
/// <c>sign &lt;base-url&gt; &lt;trusted_root.json&gt; &lt;identity-token&gt; [runs]</c>: keyless message signing of a small
/// file with <see cref="BundleSigner"/> against a Fulcio, Rekor v1 and TSA stack served under one base URL (the TSA at
/// <c>api/v1/timestamp</c>), as <c>sign-blob</c> does. One untimed warm-up signing, then <c>runs</c> timed ones; for each
/// it measures the wall time and the time at least one HTTP request was in flight (from the send until the response
/// body is buffered), so wall − HTTP is the time spent in our own code (and the runtime) rather than waiting on the
/// services. Prints one line per run and the medians. With <c>runs</c> 0 the process signs once, as a one-shot
/// <c>sign-blob</c> process does.
/// </summary>
internal static class SigningTimings
{
    public static int Run(string[] args)
    {
        if (args.Length < 4)
        {
            Console.Error.WriteLine("usage: sign <base-url> <trusted_root.json> <identity-token> [runs]");
            return 2;
        }

        var baseUrl = new Uri(args[1].TrimEnd('/') + "/");
        TrustedRoot root = TrustedRoot.Parse(File.ReadAllBytes(args[2]));
        IdentityToken token = IdentityToken.Parse(args[3]);
        int runs = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 20;
        byte[] artifact = "a small artifact for the signing benchmark\n"u8.ToArray();

        using var http = new InFlightTimer(new SocketsHttpHandler());
        using var signer = new BundleSigner(new BundleSignerOptions
        {
            TrustedMaterial = root,
            FulcioUrl = baseUrl,
            RekorUrl = baseUrl,
            TimestampAuthorityUrl = new Uri(baseUrl, "api/v1/timestamp"),
            RekorVersion = 1,
            RequireTimestamp = true,
            Transport = http,
        });

        var cold = Stopwatch.StartNew();
        signer.SignMessageAsync(new MemoryStream(artifact), token).GetAwaiter().GetResult();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"supplychain warm-up (first signing in the process): {cold.Elapsed.TotalMilliseconds:F1} ms"));

        var wall = new List<double>();
        var wait = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            http.Reset();
            var clock = Stopwatch.StartNew();
            signer.SignMessageAsync(new MemoryStream(artifact), token).GetAwaiter().GetResult();
            clock.Stop();
            wall.Add(clock.Elapsed.TotalMilliseconds);
            wait.Add(http.InFlight.TotalMilliseconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {i + 1}: wall {wall[i]:F2} ms, http {wait[i]:F2} ms, own {wall[i] - wait[i]:F2} ms"));
        }

        if (runs == 0)
        {
            return 0;
        }

        double medianWall = Median(wall);
        double medianOwn = Median(wall.Zip(wait, (w, h) => w - h).ToList());
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"supplychain sign median of {runs}: wall {medianWall:F2} ms, http {Median(wait):F2} ms, own code {medianOwn:F2} ms ({100 * medianOwn / medianWall:F0}% of wall)"));
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>Sums the time during which at least one request is in flight (overlapping requests count once).</summary>
    private sealed class InFlightTimer(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly Lock _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _active;
        private TimeSpan _since;
        private TimeSpan _total;

        public TimeSpan InFlight
        {
            get
            {
                lock (_gate)
                {
                    return _total;
                }
            }
        }

        public void Reset()
        {
            lock (_gate)
            {
                _total = TimeSpan.Zero;
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Enter();
            try
            {
                HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                return response;
            }
            finally
            {
                Leave();
            }
        }

        private void Enter()
        {
            lock (_gate)
            {
                if (_active++ == 0)
                {
                    _since = _clock.Elapsed;
                }
            }
        }

        private void Leave()
        {
            lock (_gate)
            {
                if (--_active == 0)
                {
                    _total += _clock.Elapsed - _since;
                }
            }
        }
    }
}
