using System.Net;
using System.Security.Cryptography;
using SupplyChain.Tuf.Client;
using SupplyChain.Testing;

namespace SupplyChain.Tuf.Tests;

/// <summary>
/// Where targets come from and where they go: a target base URL apart from the metadata (python-tuf's
/// <c>target_base_url</c>), a target directory apart from the metadata cache (TUF spec 5.7.2: "the client MUST write the
/// file to non-volatile storage as FILENAME.EXT"), and names and URLs that cannot leave their directory or host.
/// </summary>
public sealed class TargetLayoutTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 8, 22, 0, 0, 0, TimeSpan.Zero);
    private readonly RepoBuilder _repo = new(Now);
    private readonly string _cache = Tuf.TempDir();
    private readonly string _targetDir = Path.Combine(Tuf.TempDir(), "targets-out");
    private readonly string _targetRoot = Tuf.TempDir();
    private TestServer _metadata = null!;
    private TestServer _targets = null!;

    public async Task InitializeAsync()
    {
        _repo.PublishRoot();
        _repo.PublishTopLevel();

        // Target files live on another server: the metadata server has no targets/ folder at all.
        Directory.Move(Path.Combine(_repo.Dir, "targets"), Path.Combine(_targetRoot, "files"));
        _metadata = await TestServer.StartAsync(_repo.Dir);
        _targets = await TestServer.StartAsync(_targetRoot);
    }

    public async Task DisposeAsync()
    {
        await _metadata.DisposeAsync();
        await _targets.DisposeAsync();
    }

    public void Dispose()
    {
        _repo.Dispose();
        foreach (string dir in new[] { _cache, Path.GetDirectoryName(_targetDir)!, _targetRoot })
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private TufClient Client(bool targetBase = true) => new(new TufClientOptions
    {
        RepositoryUrl = _metadata.Url,
        TargetBaseUrl = targetBase ? new Uri(_targets.Url, "files") : null,
        InitialRoot = _repo.Root(1),
        CacheDirectory = _cache,
        TargetDirectory = _targetDir,
        TimeProvider = new FrozenClock(Now),
    });

    [Fact]
    public async Task Targets_come_from_the_target_base_url_and_are_kept_in_the_target_directory_only()
    {
        byte[] expected = EmbeddedRoots.ProductionTrustedRoot.ToArray();
        string served = $"files/{Convert.ToHexStringLower(SHA256.HashData(expected))}.trusted_root.json";
        using (TufClient client = Client())
        {
            TufResult<ReadOnlyMemory<byte>> result = await client.GetTargetAsync("trusted_root.json");
            Assert.Equal(expected, result.Bytes.ToArray());
            Assert.Equal(new Uri(_targets.Url, "files/").AbsoluteUri + "trusted_root.json", result.Provenance.Location);
        }

        Assert.Equal([served], _targets.Requests);
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(_targetDir, "trusted_root.json")));
        Assert.DoesNotContain(Directory.GetFiles(_cache), f => Path.GetFileName(f).StartsWith("target-", StringComparison.Ordinal));

        // A matching copy in the target directory is served without a download.
        using (TufClient again = Client())
        {
            TufResult<ReadOnlyMemory<byte>> cached = await again.GetTargetAsync("trusted_root.json");
            Assert.Equal(Path.Combine(_targetDir, "trusted_root.json"), cached.Provenance.Location);
        }

        Assert.Single(_targets.Requests);

        // A tampered copy is not: it is downloaded again and replaced by the verified bytes.
        File.WriteAllText(Path.Combine(_targetDir, "trusted_root.json"), "tampered");
        using (TufClient third = Client())
        {
            await third.GetTargetAsync("trusted_root.json");
        }

        Assert.Equal(2, _targets.Requests.Count);
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(_targetDir, "trusted_root.json")));
    }

    [Fact]
    public async Task Without_a_target_base_url_targets_are_fetched_below_the_repository_url()
    {
        using TufClient client = Client(targetBase: false);
        var ex = await Assert.ThrowsAnyAsync<Core.Errors.SupplyChainException>(() => client.GetTargetAsync("trusted_root.json"));
        Assert.Equal(TufErrors.RepositoryUnreachable, ex.Error);
        Assert.Contains(_metadata.Requests, r => r.StartsWith("targets/", StringComparison.Ordinal));
        Assert.Empty(_targets.Requests);
        Assert.False(Directory.Exists(_targetDir) && Directory.GetFiles(_targetDir).Length > 0);
    }

    [Theory]
    [InlineData("trusted_root.json", "trusted_root.json")]
    [InlineData("a/b c.txt", "a%2Fb%20c.txt")]
    [InlineData("../../etc/passwd", "..%2F..%2Fetc%2Fpasswd")]
    [InlineData("..", "%2E%2E")]
    [InlineData(".", "%2E")]
    [InlineData("?#", "%3F%23")]
    public void Target_file_names_never_leave_their_directory(string targetPath, string fileName)
    {
        var store = new TargetStore(new TufCache(null, TimeProvider.System), inMetadataCache: false);
        Assert.Equal(fileName, store.FileName(targetPath));
        var metadataCache = new TargetStore(new TufCache(null, TimeProvider.System), inMetadataCache: true);
        Assert.Equal("target-" + Uri.EscapeDataString(targetPath), metadataCache.FileName(targetPath));
    }

    [Fact]
    public async Task A_target_path_that_looks_like_another_host_stays_below_the_base_url()
    {
        var handler = new RecordingHandler();
        using var http = new Http.BoundedHttpClient(new Http.BoundedHttpClientOptions(TufFetcher.Codes) { Transport = handler });
        var fetcher = new TufFetcher(http, new Uri("http://127.0.0.1:9/repo/targets/"));
        await fetcher.FetchAsync("//evil.example/x", 1024, missingIsNull: true, CancellationToken.None);
        Uri requested = Assert.Single(handler.Requests);
        Assert.Equal("127.0.0.1", requested.Host);
        Assert.StartsWith("/repo/targets/", requested.AbsolutePath, StringComparison.Ordinal);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }
}
