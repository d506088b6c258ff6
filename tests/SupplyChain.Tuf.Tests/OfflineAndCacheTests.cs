using Microsoft.Extensions.Logging;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Tuf.Tests;

/// <summary>Offline mode (zero network calls), fallbacks and the cache on unwritable directories.</summary>
public sealed class OfflineAndCacheTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 8, 22, 0, 0, 0, TimeSpan.Zero);
    private readonly RepoBuilder _repo = new(Now);
    private readonly string _cache = Tuf.TempDir();

    public OfflineAndCacheTests()
    {
        _repo.PublishRoot();
        _repo.PublishTopLevel();
    }

    public void Dispose() => _repo.Dispose();

    private TufClientOptions Offline(NoNetworkHandler handler, DateTimeOffset at, bool embedded = true) => new()
    {
        RepositoryUrl = new Uri("https://tuf.invalid/"),
        InitialRoot = _repo.Root(1),
        CacheDirectory = _cache,
        TimeProvider = new FrozenClock(at),
        Transport = handler,
        Offline = true,
        EmbeddedTrustedRoot = embedded ? EmbeddedRoots.ProductionTrustedRoot : ReadOnlyMemory<byte>.Empty,
        EmbeddedTrustedRootDate = embedded ? EmbeddedRoots.ProductionTrustedRootDate : null,
    };

    [Fact]
    public async Task Offline_without_a_cache_uses_the_embedded_trusted_root_with_zero_network_calls()
    {
        var handler = new NoNetworkHandler();
        using var client = new TufClient(Offline(handler, Now.AddDays(10)));

        TufResult<Core.Trust.TrustedRoot> result = await client.GetTrustedRootAsync();

        Assert.Equal(0, handler.Calls);
        Assert.Equal(TufSource.Embedded, result.Provenance.Source);
        Assert.Equal(EmbeddedRoots.ProductionTrustedRoot.ToArray(), result.Bytes.ToArray());
        Assert.Equal(EmbeddedRoots.ProductionTrustedRootDate, result.Provenance.FetchedAt);
        Assert.Contains(result.Provenance.Warnings, w => w.Contains("embedded", StringComparison.Ordinal) && w.Contains("days old", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(_cache));
    }

    [Fact]
    public async Task Offline_after_an_update_uses_the_cached_copy_and_reports_its_age_with_zero_network_calls()
    {
        await using (TestServer server = await TestServer.StartAsync(_repo.Dir))
        {
            using var online = new TufClient(new TufClientOptions
            {
                RepositoryUrl = server.Url,
                InitialRoot = _repo.Root(1),
                CacheDirectory = _cache,
                TimeProvider = new FrozenClock(Now),
            });
            await online.GetTrustedRootAsync();
        }

        var handler = new NoNetworkHandler();
        using var client = new TufClient(Offline(handler, Now.AddHours(36)));

        TufResult<Core.Trust.TrustedRoot> result = await client.GetTrustedRootAsync();

        Assert.Equal(0, handler.Calls);
        Assert.Equal(TufSource.Cache, result.Provenance.Source);
        Assert.Equal(Now, result.Provenance.FetchedAt);
        Assert.Equal(TimeSpan.FromHours(36), result.Provenance.Age);
        Assert.Equal(1, result.Provenance.RootVersion);
        Assert.Equal(1, result.Provenance.TargetsVersion);
        Assert.Equal(EmbeddedRoots.ProductionTrustedRoot.ToArray(), result.Bytes.ToArray());
        Assert.Contains(result.Provenance.Warnings, w => w.Contains(_cache, StringComparison.Ordinal) && w.Contains("1.5 days old", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Offline_with_nothing_cached_or_embedded_fails_with_SC3022()
    {
        var handler = new NoNetworkHandler();
        using var client = new TufClient(Offline(handler, Now, embedded: false));

        var root = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.GetTrustedRootAsync());
        var signing = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.GetSigningConfigAsync());
        var refresh = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.RefreshAsync());

        Assert.Equal(TufErrors.NoTrustedCopy, root.Error);
        Assert.Equal(TufErrors.NoTrustedCopy, signing.Error);
        Assert.Equal(TufErrors.InvalidOptions, refresh.Error);
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task Unreachable_repository_fails_with_SC3001_or_falls_back_to_the_embedded_copy()
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var url = new Uri($"http://127.0.0.1:{port}/");

        using var failing = new TufClient(new TufClientOptions { RepositoryUrl = url, InitialRoot = _repo.Root(1), CacheDirectory = _cache, TimeProvider = new FrozenClock(Now) });
        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => failing.GetTrustedRootAsync());
        Assert.Equal(TufErrors.RepositoryUnreachable, ex.Error);
        Assert.Equal(ErrorCategory.ServiceFailure, ex.Error.Category);

        using var logs = new CapturingLoggerFactory();
        using var fallback = new TufClient(new TufClientOptions
        {
            RepositoryUrl = url,
            InitialRoot = _repo.Root(1),
            CacheDirectory = _cache,
            TimeProvider = new FrozenClock(Now),
            OnUnreachable = TufFallback.UseCachedOrEmbedded,
            EmbeddedTrustedRoot = EmbeddedRoots.ProductionTrustedRoot,
            EmbeddedTrustedRootDate = EmbeddedRoots.ProductionTrustedRootDate,
            LoggerFactory = logs,
        });
        TufResult<Core.Trust.TrustedRoot> result = await fallback.GetTrustedRootAsync();
        Assert.Equal(TufSource.Embedded, result.Provenance.Source);
        Assert.Contains(result.Provenance.Warnings, w => w.StartsWith("SC3001", StringComparison.Ordinal));

        // The warnings are log events too, under the client's category, beside the layer's request events.
        Assert.All(result.Provenance.Warnings, w => Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message == "tuf: trusted_root.json: " + w));
        Assert.Contains(logs.Entries, e => e.Category == typeof(TufClient).FullName && e.Message.Contains($"GET http://127.0.0.1:{port}/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cache_directory_that_cannot_be_created_continues_in_memory_with_a_warning()
    {
        string file = Path.Combine(_cache, "not-a-directory");
        File.WriteAllText(file, "x");
        await using TestServer server = await TestServer.StartAsync(_repo.Dir);
        using var client = new TufClient(new TufClientOptions
        {
            RepositoryUrl = server.Url,
            InitialRoot = _repo.Root(1),
            CacheDirectory = Path.Combine(file, "cache"),
            TimeProvider = new FrozenClock(Now),
        });

        TufResult<Core.Trust.TrustedRoot> first = await client.GetTrustedRootAsync();
        TufResult<Core.Trust.TrustedRoot> second = await client.GetTrustedRootAsync();

        Assert.True(client.CacheInMemory);
        Assert.Equal(TufSource.Online, first.Provenance.Source);
        Assert.Contains(first.Provenance.Warnings, w => w.Contains("in-memory", StringComparison.Ordinal));
        Assert.StartsWith("memory:", second.Provenance.Location, StringComparison.Ordinal);
        Assert.Single(server.Requests, r => r.StartsWith("targets/", StringComparison.Ordinal));
    }

    [Fact]
    public void Deleted_cache_files_are_gone_on_disk_and_in_memory()
    {
        var disk = new Client.TufCache(_cache, TimeProvider.System);
        disk.Write("timestamp.json", [1, 2, 3]);
        disk.Delete("timestamp.json");
        Assert.Null(disk.Read("timestamp.json", 1024));
        Assert.False(File.Exists(Path.Combine(_cache, "timestamp.json")));
        disk.Delete("snapshot.json");

        var memory = new Client.TufCache(null, TimeProvider.System);
        memory.Write("snapshot.json", [1]);
        memory.Delete("snapshot.json");
        Assert.Null(memory.Read("snapshot.json", 1024));
        memory.Write("snapshot.json", [2]);
        Assert.Equal([2], memory.Read("snapshot.json", 1024));
    }

    [Fact]
    public void The_default_cache_directory_is_under_XDG_CACHE_HOME_or_home()
    {
        string dir = TufClient.DefaultCacheDirectory(new Uri("https://tuf-repo-cdn.sigstore.dev/"));
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string expectedBase = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        Assert.Equal(Path.Combine(expectedBase, "supplychain", "tuf", "tuf-repo-cdn.sigstore.dev"), dir);
        Assert.EndsWith("127.0.0.1-8080-a-b", TufClient.DefaultCacheDirectory(new Uri("http://127.0.0.1:8080/a/b/")), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_fail_with_SC3023()
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => new TufClient(new TufClientOptions { RepositoryUrl = new Uri("ftp://x/"), InitialRoot = _repo.Root(1) }));
        Assert.Equal(TufErrors.InvalidOptions, ex.Error);
        var root = Assert.ThrowsAny<SupplyChainException>(() => new TufClient(new TufClientOptions { RepositoryUrl = new Uri("https://x/"), InitialRoot = ReadOnlyMemory<byte>.Empty }));
        Assert.Equal(TufErrors.InvalidOptions, root.Error);
        var targets = Assert.ThrowsAny<SupplyChainException>(() => new TufClient(new TufClientOptions { RepositoryUrl = new Uri("https://x/"), InitialRoot = _repo.Root(1), TargetBaseUrl = new Uri("file:///targets/") }));
        Assert.Equal(TufErrors.InvalidOptions, targets.Error);
        var memory = Assert.ThrowsAny<SupplyChainException>(() => new TufClient(new TufClientOptions { RepositoryUrl = new Uri("https://x/"), InitialRoot = _repo.Root(1), InMemoryCache = true, TargetDirectory = _cache }));
        Assert.Equal(TufErrors.InvalidOptions, memory.Error);
    }

    [Fact]
    public async Task An_initial_root_that_is_not_self_signed_fails_with_SC3021()
    {
        byte[] bad = RepoBuilder.Sign(System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonDocument.Parse(_repo.Root(1)).RootElement.GetProperty("signed").GetRawText())!.AsObject(), []);
        await using TestServer server = await TestServer.StartAsync(_repo.Dir);
        using var client = new TufClient(new TufClientOptions { RepositoryUrl = server.Url, InitialRoot = bad, InMemoryCache = true, TimeProvider = new FrozenClock(Now) });
        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.GetTrustedRootAsync());
        Assert.Equal(TufErrors.InitialRootInvalid, ex.Error);
    }
}
