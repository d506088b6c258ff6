using SupplyChain.Testing;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using SupplyChain.Core.Errors;
using SupplyChain.Testing.Virtual;
using SupplyChain.Tuf.TrustedRoots;

namespace SupplyChain.Tuf.Tests;

/// <summary>
/// The live trusted root sources a long-running program keeps (the webhook, an app through the DI package): the TUF one
/// over a generated repository served on loopback, the file one over a real file, the static one over the embedded roots.
/// </summary>
public sealed class TrustedRootSourceTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly RepoBuilder _repo = new(Now);
    private readonly string _dir = Tuf.TempDir();

    public void Dispose()
    {
        _repo.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static string Version(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private TufTrustedRootSource Source(TestServer server, FrozenClock clock, int refreshHours = 24) => new(new TufTrustedRootSourceOptions
    {
        Client = new TufClientOptions
        {
            RepositoryUrl = server.Url,
            InitialRoot = _repo.Root(1),
            InMemoryCache = true,
            TimeProvider = clock,
            Retry = Http.HttpRetryPolicy.None,
        },
        RefreshInterval = TimeSpan.FromHours(refreshHours),
        RetryInterval = TimeSpan.FromMinutes(1),
    });

    [Fact]
    public async Task Tuf_source_fetches_once_then_only_when_due_and_picks_up_a_new_trusted_root()
    {
        using var first = VirtualSigstore.Create();
        using var second = VirtualSigstore.Create();
        _repo.Targets["trusted_root.json"] = first.TrustedRootBytes;
        _repo.TimestampLifetime = TimeSpan.FromDays(3);
        _repo.PublishRoot();
        _repo.PublishTopLevel();
        await using TestServer server = await TestServer.StartAsync(_repo.Dir);
        var clock = new FrozenClock(Now);
        using TufTrustedRootSource source = Source(server, clock);
        Assert.Null(source.Current);

        Assert.Equal(TrustedRootRefresh.Updated, await source.RefreshAsync());
        Assert.Equal(Version(first.TrustedRootBytes), source.Current!.Version);
        Assert.NotEmpty(source.Current.TrustedRoot.CertificateAuthorities);

        // Not due: no request at all.
        int requests = server.Requests.Count;
        _repo.Targets["trusted_root.json"] = second.TrustedRootBytes;
        _repo.TimestampVersion++;
        _repo.SnapshotVersion++;
        _repo.TargetsVersion++;
        _repo.PublishTopLevel();
        clock.Now = Now.AddHours(23);
        Assert.Equal(TrustedRootRefresh.Unchanged, await source.RefreshAsync());
        Assert.Equal(requests, server.Requests.Count);
        Assert.Equal(Version(first.TrustedRootBytes), source.Current.Version);

        // Due: the repository's new target is the new trusted root.
        clock.Now = Now.AddHours(25);
        Assert.Equal(TrustedRootRefresh.Updated, await source.RefreshAsync());
        Assert.Equal(Version(second.TrustedRootBytes), source.Current!.Version);
        Assert.Equal(Now.AddHours(49), source.NextRefreshDue);
    }

    [Fact]
    public async Task Tuf_source_keeps_the_previous_root_through_a_failing_repository_and_retries_after_the_retry_interval()
    {
        _repo.PublishRoot();
        _repo.PublishTopLevel();
        await using TestServer server = await TestServer.StartAsync(_repo.Dir);
        var clock = new FrozenClock(Now);
        using TufTrustedRootSource source = Source(server, clock, refreshHours: 1);
        Assert.Equal(TrustedRootRefresh.Updated, await source.RefreshAsync());
        string before = source.Current!.Version;

        server.Overrides["timestamp.json"] = context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        };
        clock.Now = Now.AddHours(2);
        TrustedRootRefresh failed = await source.RefreshAsync();
        Assert.Equal(TrustedRootRefreshResult.Failed, failed.Result);
        Assert.Equal(TufErrors.RepositoryUnreachable.Code, failed.Error!.Code);
        Assert.Equal(before, source.Current!.Version);

        // Within the retry interval nothing is asked; after it, the repository is asked again.
        int requests = server.Requests.Count;
        clock.Now = Now.AddHours(2).AddSeconds(30);
        Assert.Equal(TrustedRootRefresh.Unchanged, await source.RefreshAsync());
        Assert.Equal(requests, server.Requests.Count);
        server.Overrides.Clear();
        clock.Now = Now.AddHours(2).AddMinutes(2);
        Assert.Equal(TrustedRootRefresh.Unchanged, await source.RefreshAsync());
        Assert.True(server.Requests.Count > requests);
        Assert.Equal(Now.AddHours(3).AddMinutes(2), source.NextRefreshDue);
    }

    [Fact]
    public async Task Tuf_source_that_never_reached_its_repository_has_no_trusted_root()
    {
        _repo.PublishRoot();
        _repo.PublishTopLevel();
        await using TestServer server = await TestServer.StartAsync(_repo.Dir);
        server.Overrides["timestamp.json"] = context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        };
        using TufTrustedRootSource source = Source(server, new FrozenClock(Now));
        TrustedRootRefresh failed = await source.RefreshAsync();
        Assert.Equal(TrustedRootRefreshResult.Failed, failed.Result);
        Assert.StartsWith("SC30", failed.Error!.Code, StringComparison.Ordinal);
        Assert.Null(source.Current);
    }

    [Fact]
    public void Tuf_source_options_are_checked_SC3072()
    {
        var unknown = new Uri("https://tuf.example/");
        Assert.Equal("SC3072", Assert.ThrowsAny<SupplyChainException>(() => TufTrustedRootSourceOptions.ClientFor(unknown)).Code);
        Assert.Equal("SC3072", Assert.ThrowsAny<SupplyChainException>(() => new TufTrustedRootSource(new TufTrustedRootSourceOptions
        {
            Client = TufClientOptions.ForProduction(),
            RetryInterval = TimeSpan.Zero,
        })).Code);

        // Sigstore's repositories come with their embedded roots; another repository with the root its operator gives.
        Assert.Equal(EmbeddedRoots.StagingRoot.ToArray(), TufTrustedRootSourceOptions.ClientFor(TufClientOptions.StagingUrl).InitialRoot.ToArray());
        Assert.Equal(EmbeddedRoots.ProductionRoot.ToArray(), TufTrustedRootSourceOptions.ClientFor(null).InitialRoot.ToArray());
        byte[] root = _repo.PublishRoot();
        Assert.Equal(root, TufTrustedRootSourceOptions.ClientFor(unknown, root).InitialRoot.ToArray());
    }

    [Fact]
    public async Task File_source_reloads_by_content_and_keeps_the_previous_root_on_bad_content_SC3070_SC3071()
    {
        string path = Path.Combine(_dir, "trusted_root.json");
        using var source = new FileTrustedRootSource(path);
        Assert.Equal("SC3070", (await source.RefreshAsync()).Error!.Code);
        Assert.Null(source.Current);

        byte[] production = EmbeddedRoots.ProductionTrustedRoot.ToArray();
        await File.WriteAllBytesAsync(path, production);
        Assert.Equal(TrustedRootRefresh.Updated, await source.RefreshAsync());
        Assert.Equal(Version(production), source.Current!.Version);
        Assert.Equal(TrustedRootRefresh.Unchanged, await source.RefreshAsync());

        await File.WriteAllTextAsync(path, "{\"mediaType\":\"nope\"}");
        TrustedRootRefresh bad = await source.RefreshAsync();
        Assert.Equal("SC3071", bad.Error!.Code);
        Assert.StartsWith("SC1", ((SupplyChainException)bad.Error.InnerException!).Code, StringComparison.Ordinal);
        Assert.Equal(Version(production), source.Current!.Version);

        // The same bad content is reported once.
        Assert.Equal(TrustedRootRefresh.Unchanged, await source.RefreshAsync());

        await File.WriteAllBytesAsync(path, new byte[(4 * 1024 * 1024) + 1]);
        Assert.Equal("SC3070", (await source.RefreshAsync()).Error!.Code);

        byte[] staging = EmbeddedRoots.StagingTrustedRoot.ToArray();
        await File.WriteAllBytesAsync(path, staging);
        Assert.Equal(TrustedRootRefresh.Updated, await source.RefreshAsync());
        Assert.Equal(Version(staging), source.Current!.Version);
    }

    [Fact]
    public async Task Static_sources_serve_the_embedded_roots_and_never_change()
    {
        using StaticTrustedRootSource production = StaticTrustedRootSource.Production();
        using StaticTrustedRootSource staging = StaticTrustedRootSource.Staging();
        Assert.Equal(Version(EmbeddedRoots.ProductionTrustedRoot.ToArray()), production.Current!.Version);
        Assert.Equal(Version(EmbeddedRoots.StagingTrustedRoot.ToArray()), staging.Current!.Version);
        Assert.Equal(TrustedRootRefresh.Unchanged, await production.RefreshAsync());
        Assert.ThrowsAny<SupplyChainException>(() => new StaticTrustedRootSource("{}"u8));
    }
}
