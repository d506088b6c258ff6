using SupplyChain.Core.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Tuf.Tests;

/// <summary>
/// Repositories generated and self-verified by tuf-js (@tufjs/models, tests/interop/tuf-js/make-repo.js): an
/// independent canonical JSON and signer, and the key types real Sigstore data lacks (ed25519, rsassa-pss-sha256,
/// hex ECDSA), plus length-and-hash meta entries and a terminating delegation.
/// </summary>
public sealed class TufJsInteropTests
{
    private static readonly DateTimeOffset Now = new(2026, 8, 22, 0, 0, 0, TimeSpan.Zero);

    private static string Generate(string scenario)
    {
        string dir = Tuf.TempDir();
        string trustedRoot = Path.Combine(TestPaths.RepositoryRoot, "src", "SupplyChain.Core", "TrustRoots", "trusted_root.production.json");
        (int exit, string output) = NodeInterop.RunTufJs("make-repo.js", scenario, dir, trustedRoot, "2026-08-22T00:00:00Z");
        Assert.True(exit == 0, output);
        return dir;
    }

    private static async Task<(TufClient Client, TestServer Server, string Cache, string Repo)> StartAsync(string scenario)
    {
        string repo = Generate(scenario);
        TestServer server = await TestServer.StartAsync(repo);
        string cache = Tuf.TempDir();
        var client = new TufClient(new TufClientOptions
        {
            RepositoryUrl = server.Url,
            InitialRoot = File.ReadAllBytes(Path.Combine(repo, "1.root.json")),
            CacheDirectory = cache,
            TimeProvider = new FrozenClock(Now),
        });
        return (client, server, cache, repo);
    }

    [NodeInteropFact("tuf-js")]
    public async Task A_tuf_js_repository_with_ed25519_rsa_pss_and_hex_ecdsa_keys_updates()
    {
        (TufClient client, TestServer server, _, _) = await StartAsync("good");
        await using (server)
        using (client)
        {
            TufResult<Core.Trust.TrustedRoot> root = await client.GetTrustedRootAsync();
            Assert.Equal(2, root.Provenance.RootVersion);
            Assert.Equal(3, root.Provenance.TargetsVersion);
            Assert.Equal(EmbeddedRoots.ProductionTrustedRoot.ToArray(), root.Bytes.ToArray());

            TufResult<ReadOnlyMemory<byte>> npm = await client.GetTargetAsync("npm/keys.json");
            Assert.Equal(4, npm.Provenance.TargetsVersion);
        }
    }

    [NodeInteropFact("tuf-js")]
    public Task Expired_timestamp_from_tuf_js() => AssertFailsAsync("expired-timestamp", TufErrors.TimestampExpired, "root.json");

    [NodeInteropFact("tuf-js")]
    public Task Root_rotation_below_the_old_threshold_from_tuf_js() => AssertFailsAsync("rotation-below-threshold", TufErrors.RootRotationUntrusted);

    [NodeInteropFact("tuf-js")]
    public Task Wrong_target_hash_from_tuf_js() => AssertFailsAsync("wrong-target-hash", TufErrors.TargetHashMismatch, "root.json", "snapshot.json", "targets.json", "timestamp.json");

    /// <summary>The update fails with <paramref name="code"/>; the cache holds exactly the metadata verified before the failure (persisted as it became trusted, TUF spec 5.3.7 to 5.6.6).</summary>
    private static async Task AssertFailsAsync(string scenario, ErrorCode code, params string[] persisted)
    {
        (TufClient client, TestServer server, string cache, _) = await StartAsync(scenario);
        await using (server)
        using (client)
        {
            await ErrorAssert.AssertCodeAsync(code, () => client.GetTrustedRootAsync());
            Assert.Equal(persisted, Directory.GetFiles(cache).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
    }
}
