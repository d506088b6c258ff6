using System.Security.Cryptography;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Tuf.Tests;

/// <summary>Updates against the real Sigstore repositories in ../shared/tuf, served over HTTP on 127.0.0.1.</summary>
public sealed class RealRepositoryTests
{
    private const string ProductionTrustedRootSha256 = "6494e21ea73fa7ee769f85f57d5a3e6a08725eae1e38c755fc3517c9e6bc0b66";
    private const string StagingTrustedRootSha256 = "44deb991d4bbf2150751ccee235d9810bce4434383c26d8898c1bcadbace6ed8";

    private static TufClientOptions Options(TestServer server, byte[] initialRoot, string cache, DateTimeOffset at) => new()
    {
        RepositoryUrl = server.Url,
        InitialRoot = initialRoot,
        CacheDirectory = cache,
        TimeProvider = new FrozenClock(at),
        EmbeddedTrustedRoot = EmbeddedRoots.ProductionTrustedRoot,
        EmbeddedTrustedRootDate = EmbeddedRoots.ProductionTrustedRootDate,
    };

    [SharedFixtureFact]
    public async Task Production_from_root_1_walks_all_15_rotations_and_gets_the_trusted_root_byte_for_byte()
    {
        await using TestServer server = await TestServer.StartAsync(Tuf.Repo("sigstore-production"));
        string cache = Tuf.TempDir();
        using var client = new TufClient(Options(server, File.ReadAllBytes(Path.Combine(Tuf.Repo("sigstore-production"), "1.root.json")), cache, Tuf.NewestValidAt));

        TufResult<Core.Trust.TrustedRoot> result = await client.GetTrustedRootAsync();

        Assert.Equal(ProductionTrustedRootSha256, Convert.ToHexStringLower(SHA256.HashData(result.Bytes.Span)));
        Assert.Equal(TufSource.Online, result.Provenance.Source);
        Assert.Equal(15, result.Provenance.RootVersion);
        Assert.Equal(14, result.Provenance.TargetsVersion);
        Assert.Equal(Tuf.NewestValidAt, result.Provenance.FetchedAt);
        Assert.Contains("16.root.json", server.Requests);
        for (int v = 2; v <= 15; v++)
        {
            Assert.Contains($"{v}.root.json", server.Requests);
        }

        Assert.Equal(File.ReadAllBytes(Path.Combine(Tuf.Repo("sigstore-production"), "15.root.json")), File.ReadAllBytes(Path.Combine(cache, "root.json")));
        Assert.NotEmpty(result.Value.CertificateAuthorities);

        // The signing config and a target of the terminating delegated role registry.npmjs.org.
        TufResult<Core.Trust.SigningConfig> signing = await client.GetSigningConfigAsync();
        Assert.NotEmpty(signing.Value.CertificateAuthorities);
        TufResult<ReadOnlyMemory<byte>> npm = await client.GetTargetAsync("registry.npmjs.org/keys.json");
        Assert.Equal(8, npm.Provenance.TargetsVersion);
        Assert.Equal("160677eb6e1c7083c89b166b20f8fe4e837fb71181506aff1991b80b89184f7d", Convert.ToHexStringLower(SHA256.HashData(npm.Bytes.Span)));

        // A second call serves the verified cached target without downloading it again.
        int before = server.Requests.Count(r => r.StartsWith("targets/", StringComparison.Ordinal));
        TufResult<Core.Trust.TrustedRoot> again = await client.GetTrustedRootAsync();
        Assert.Equal(before, server.Requests.Count(r => r.StartsWith("targets/", StringComparison.Ordinal)));
        Assert.Equal(TufSource.Online, again.Provenance.Source);
        Assert.Equal(ProductionTrustedRootSha256, Convert.ToHexStringLower(SHA256.HashData(again.Bytes.Span)));

        var missing = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.GetTargetAsync("no-such-target.json"));
        Assert.Equal(TufErrors.TargetNotFound, missing.Error);
    }

    [SharedFixtureFact]
    public async Task Production_from_the_embedded_root_15()
    {
        await using TestServer server = await TestServer.StartAsync(Tuf.Repo("sigstore-production"));
        using var client = new TufClient(Options(server, EmbeddedRoots.ProductionRoot.ToArray(), Tuf.TempDir(), Tuf.NewestValidAt));

        TufResult<Core.Trust.TrustedRoot> result = await client.GetTrustedRootAsync();

        Assert.Equal(ProductionTrustedRootSha256, Convert.ToHexStringLower(SHA256.HashData(result.Bytes.Span)));
        Assert.Equal(15, result.Provenance.RootVersion);
        Assert.DoesNotContain("2.root.json", server.Requests);
        Assert.Equal(EmbeddedRoots.ProductionRoot.ToArray(), File.ReadAllBytes(Path.Combine(Tuf.Repo("sigstore-production"), "15.root.json")));
    }

    [SharedFixtureFact]
    public async Task Production_from_the_old_state_with_root_7_and_old_cached_metadata_to_the_newest()
    {
        string old = Tuf.Repo("sigstore-production-old");
        string cache = Tuf.TempDir();
        File.Copy(Path.Combine(old, "7.root.json"), Path.Combine(cache, "root.json"));
        File.Copy(Path.Combine(old, "timestamp.json"), Path.Combine(cache, "timestamp.json"));
        File.Copy(Path.Combine(old, "105.snapshot.json"), Path.Combine(cache, "snapshot.json"));
        File.Copy(Path.Combine(old, "7.targets.json"), Path.Combine(cache, "targets.json"));
        File.Copy(Path.Combine(old, "1.registry.npmjs.org.json"), Path.Combine(cache, "registry.npmjs.org.json"));

        await using TestServer server = await TestServer.StartAsync(Tuf.Repo("sigstore-production"));
        using var client = new TufClient(Options(server, File.ReadAllBytes(Path.Combine(old, "1.root.json")), cache, Tuf.NewestValidAt));

        TufResult<Core.Trust.TrustedRoot> result = await client.GetTrustedRootAsync();
        await client.GetTargetAsync("registry.npmjs.org/keys.json");

        Assert.Equal(ProductionTrustedRootSha256, Convert.ToHexStringLower(SHA256.HashData(result.Bytes.Span)));
        Assert.Equal(15, result.Provenance.RootVersion);
        Assert.DoesNotContain("7.root.json", server.Requests);
        Assert.Contains("8.root.json", server.Requests);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Tuf.Repo("sigstore-production"), "timestamp.json")), File.ReadAllBytes(Path.Combine(cache, "timestamp.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Tuf.Repo("sigstore-production"), "8.registry.npmjs.org.json")), File.ReadAllBytes(Path.Combine(cache, "registry.npmjs.org.json")));
    }

    [SharedFixtureFact]
    public async Task Production_old_state_at_its_own_time_with_sha512_prefixed_targets()
    {
        string old = Tuf.Repo("sigstore-production-old");
        await using TestServer server = await TestServer.StartAsync(old);
        using var client = new TufClient(Options(server, File.ReadAllBytes(Path.Combine(old, "1.root.json")), Tuf.TempDir(), Tuf.OldValidAt));

        TufResult<Core.Trust.TrustedRoot> result = await client.GetTrustedRootAsync();

        Assert.Equal(7, result.Provenance.RootVersion);
        Assert.Equal(7014, result.Bytes.Length);
    }

    [SharedFixtureFact]
    public async Task Staging_from_root_1_through_its_rotations_with_a_2_of_4_threshold_and_mixed_keytypes()
    {
        string staging = Tuf.Repo("sigstore-staging");
        await using TestServer server = await TestServer.StartAsync(staging);
        using var client = new TufClient(Options(server, File.ReadAllBytes(Path.Combine(staging, "1.root.json")), Tuf.TempDir(), Tuf.NewestValidAt));

        TufResult<Core.Trust.TrustedRoot> result = await client.GetTrustedRootAsync();

        Assert.Equal(StagingTrustedRootSha256, Convert.ToHexStringLower(SHA256.HashData(result.Bytes.Span)));
        Assert.Equal(14, result.Provenance.RootVersion);
        TufResult<Core.Trust.SigningConfig> signing = await client.GetSigningConfigAsync();
        Assert.Equal(TufSource.Online, signing.Provenance.Source);
    }

    [SharedFixtureFact]
    public async Task Production_at_todays_time_fails_because_root_15_expired()
    {
        await using TestServer server = await TestServer.StartAsync(Tuf.Repo("sigstore-production"));
        string cache = Tuf.TempDir();
        using var client = new TufClient(Options(server, EmbeddedRoots.ProductionRoot.ToArray(), cache, new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero)));

        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.GetTrustedRootAsync());

        Assert.Equal(TufErrors.RootExpired, ex.Error);
    }
}
