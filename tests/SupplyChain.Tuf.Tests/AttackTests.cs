using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Tuf.Tests;

/// <summary>
/// TUF attack scenarios against repositories generated in C# (<see cref="RepoBuilder"/>), served on 127.0.0.1.
/// Each fails with its own code. The cache keeps what the workflow verified before the failure (each file is persisted as it
/// becomes trusted: TUF spec 5.3.7, 5.4.5, 5.5.7, 5.6.6) and never the rejected file.
/// </summary>
public sealed class AttackTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 8, 22, 0, 0, 0, TimeSpan.Zero);
    private readonly RepoBuilder _repo = new(Now);
    private readonly string _cache = Tuf.TempDir();
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _repo.PublishRoot();
        _repo.PublishTopLevel();
        _server = await TestServer.StartAsync(_repo.Dir);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _repo.Dispose();
        try
        {
            Directory.Delete(_cache, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private TufClient Client(TimeSpan? timeout = null, DateTimeOffset? at = null, Http.HttpRetryPolicy? retry = null) => new(new TufClientOptions
    {
        RepositoryUrl = _server.Url,
        InitialRoot = _repo.Root(1),
        CacheDirectory = _cache,
        TimeProvider = new FrozenClock(at ?? Now),
        Retry = (retry ?? Http.HttpRetryPolicy.None) with { AttemptTimeout = timeout ?? TimeSpan.FromSeconds(30) },
    });

    /// <summary>
    /// A first good update, then the attack; the attacked update must fail with <paramref name="code"/> and leave every cache
    /// file as it was except <paramref name="persisted"/>: the files verified (and so persisted) before the rejected one.
    /// </summary>
    private async Task<SupplyChainException> AssertAttackFailsAsync(ErrorCode code, Action attack, TimeSpan? timeout = null, string[]? persisted = null)
    {
        using (TufClient good = Client())
        {
            await good.GetTrustedRootAsync();
        }

        attack();
        Dictionary<string, string> before = Tuf.Snapshot(_cache);
        using TufClient client = Client(timeout);
        SupplyChainException ex = await ErrorAssert.AssertCodeAsync(code, () => client.GetTrustedRootAsync());
        Dictionary<string, string> after = Tuf.Snapshot(_cache);
        foreach (string file in persisted ?? [])
        {
            Assert.True(after.TryGetValue(file, out string? hash) && (!before.TryGetValue(file, out string? old) || old != hash), $"{file} was verified before the failure and must be persisted");
            before.Remove(file);
            after.Remove(file);
        }

        Assert.Equal(before, after);
        return ex;
    }

    [Fact]
    public async Task A_good_repository_updates_and_a_second_update_uses_the_cache()
    {
        using TufClient client = Client();
        TufResult<Core.Trust.TrustedRoot> result = await client.GetTrustedRootAsync();
        Assert.Equal(TufSource.Online, result.Provenance.Source);
        Assert.Equal(1, result.Provenance.RootVersion);
        Assert.True(File.Exists(Path.Combine(_cache, "timestamp.json")));
        Assert.Empty(Directory.GetFiles(_cache, "*.tmp"));
    }

    [Fact]
    public Task Expired_timestamp() => AssertAttackFailsAsync(TufErrors.TimestampExpired, () =>
    {
        _repo.TimestampVersion++;
        _repo.TimestampLifetime = TimeSpan.FromSeconds(-1);
        _repo.PublishTopLevel();
    });

    [Fact]
    public Task Expired_snapshot() => AssertAttackFailsAsync(TufErrors.SnapshotExpired, () =>
    {
        _repo.TimestampVersion++;
        _repo.SnapshotVersion++;
        _repo.SnapshotLifetime = TimeSpan.Zero;
        _repo.PublishTopLevel();
    }, persisted: ["timestamp.json"]);

    [Fact]
    public Task Expired_targets() => AssertAttackFailsAsync(TufErrors.TargetsExpired, () =>
    {
        _repo.TimestampVersion++;
        _repo.SnapshotVersion++;
        _repo.TargetsVersion++;
        _repo.TargetsLifetime = TimeSpan.FromDays(-1);
        _repo.PublishTopLevel();
    }, persisted: ["timestamp.json", "snapshot.json"]);

    [Fact]
    public Task Expired_final_root() => AssertAttackFailsAsync(TufErrors.RootExpired, () => _repo.PublishRoot(lifetime: TimeSpan.FromDays(-1)), persisted: ["root.json"]);

    [Fact]
    public async Task An_expired_intermediate_root_is_fine_when_the_final_one_is_valid()
    {
        _repo.PublishRoot(lifetime: TimeSpan.FromDays(-30));
        _repo.PublishRoot();
        using TufClient client = Client();
        TufResult<Core.Trust.TrustedRoot> result = await client.GetTrustedRootAsync();
        Assert.Equal(3, result.Provenance.RootVersion);
    }

    [Fact]
    public Task A_rotated_root_is_kept_when_the_timestamp_then_fails() => AssertAttackFailsAsync(TufErrors.TimestampExpired, () =>
    {
        // 5.3.7 persists root version 2 before the timestamp is even fetched; the expired timestamp is not persisted.
        _repo.PublishRoot();
        _repo.TimestampVersion++;
        _repo.TimestampLifetime = TimeSpan.FromSeconds(-1);
        _repo.PublishTopLevel();
    }, persisted: ["root.json"]);

    [Fact]
    public async Task A_timestamp_replaced_under_the_same_version_is_ignored()
    {
        using (TufClient good = Client())
        {
            await good.GetTrustedRootAsync();
        }

        byte[] trustedTimestamp = File.ReadAllBytes(Path.Combine(_cache, "timestamp.json"));

        // Still version 1, but now naming snapshot 2 (published): the client keeps its timestamp 1 and never asks for snapshot 2.
        _repo.SnapshotVersion = 2;
        _repo.PublishTopLevel();
        Assert.NotEqual(trustedTimestamp, File.ReadAllBytes(Path.Combine(_repo.Dir, "timestamp.json")));
        using TufClient client = Client();
        await client.GetTrustedRootAsync();

        Assert.Equal(trustedTimestamp, File.ReadAllBytes(Path.Combine(_cache, "timestamp.json")));
        Assert.DoesNotContain("2.snapshot.json", _server.Requests);
    }

    [Fact]
    public async Task Targets_fast_forward_recovery_after_a_snapshot_key_rotation()
    {
        _repo.TimestampVersion = _repo.SnapshotVersion = 2;
        _repo.TargetsVersion = 50;
        _repo.PublishTopLevel();
        using (TufClient good = Client())
        {
            Assert.Equal(50, (await good.GetTrustedRootAsync()).Provenance.TargetsVersion);
        }

        // 5.3.11: a new snapshot key discards the trusted snapshot, so targets may start again from version 1.
        _repo.SnapshotKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _repo.PublishRoot();
        _repo.TimestampVersion = 3;
        _repo.SnapshotVersion = 1;
        _repo.TargetsVersion = 1;
        _repo.PublishTopLevel();
        using TufClient client = Client();
        TufResult<Core.Trust.TrustedRoot> result = await client.GetTrustedRootAsync();

        Assert.Equal(1, result.Provenance.TargetsVersion);
        Assert.Equal(2, result.Provenance.RootVersion);
    }

    [Fact]
    public Task Timestamp_version_rollback() => AssertAttackFailsAsync(TufErrors.TimestampRollback, () => RollBackTheTimestamp(publishRoot: false));

    [Fact]
    public Task Timestamp_version_rollback_across_a_root_update_that_keeps_the_timestamp_key() =>
        AssertAttackFailsAsync(TufErrors.TimestampRollback, () => RollBackTheTimestamp(publishRoot: true), persisted: ["root.json"]);

    /// <summary>
    /// The client trusts timestamp 2; the server then answers with the (validly signed) timestamp 1, after a new root that
    /// keeps every key when <paramref name="publishRoot"/> (5.3.11 deletes the trusted timestamp only when a timestamp or
    /// snapshot key is rotated, so the rollback reference survives).
    /// </summary>
    private void RollBackTheTimestamp(bool publishRoot)
    {
        byte[] v1 = File.ReadAllBytes(Path.Combine(_repo.Dir, "timestamp.json"));
        _repo.TimestampVersion = 2;
        _repo.PublishTopLevel();
        using (TufClient c = Client())
        {
            c.GetTrustedRootAsync().GetAwaiter().GetResult();
        }

        if (publishRoot)
        {
            _repo.PublishRoot();
        }

        File.WriteAllBytes(Path.Combine(_repo.Dir, "timestamp.json"), v1);
    }

    [Fact]
    public async Task Snapshot_rollback_of_the_targets_version()
    {
        _repo.TimestampVersion = _repo.SnapshotVersion = _repo.TargetsVersion = 2;
        _repo.PublishTopLevel();
        await AssertAttackFailsAsync(TufErrors.SnapshotRollback, () =>
        {
            _repo.TimestampVersion = _repo.SnapshotVersion = 3;
            _repo.TargetsVersion = 1;
            _repo.PublishTopLevel();
        }, persisted: ["timestamp.json"]);
    }

    [Fact]
    public Task Mix_and_match_snapshot() => AssertAttackFailsAsync(TufErrors.SnapshotVersionMismatch, () =>
    {
        // The timestamp names snapshot 2, but the server answers with the (validly signed) snapshot 1.
        _repo.TimestampVersion = 2;
        _repo.SnapshotVersion = 2;
        _repo.PublishTopLevel();
        File.Copy(Path.Combine(_repo.Dir, "1.snapshot.json"), Path.Combine(_repo.Dir, "2.snapshot.json"), overwrite: true);
    }, persisted: ["timestamp.json"]);

    [Fact]
    public Task Mix_and_match_targets() => AssertAttackFailsAsync(TufErrors.TargetsVersionMismatch, () =>
    {
        _repo.TimestampVersion = _repo.SnapshotVersion = _repo.TargetsVersion = 2;
        _repo.PublishTopLevel();
        File.Copy(Path.Combine(_repo.Dir, "1.targets.json"), Path.Combine(_repo.Dir, "2.targets.json"), overwrite: true);
    }, persisted: ["timestamp.json", "snapshot.json"]);

    [Fact]
    public Task Snapshot_not_matching_the_hash_the_timestamp_lists() => AssertAttackFailsAsync(TufErrors.MetadataHashMismatch, () =>
    {
        _repo.TimestampVersion = _repo.SnapshotVersion = 2;
        _repo.PublishTopLevel(tweakTimestamp: ts => ts["meta"]!["snapshot.json"]!["hashes"] = new JsonObject { ["sha256"] = new string('0', 64) });
    }, persisted: ["timestamp.json"]);

    [Fact]
    public Task Timestamp_signed_by_a_key_that_is_not_the_timestamp_key() => AssertAttackFailsAsync(TufErrors.ThresholdNotMet, () =>
    {
        _repo.TimestampVersion = 2;
        _repo.PublishTopLevel(timestampSigner: ECDsa.Create(ECCurve.NamedCurves.nistP256));
    });

    [Fact]
    public Task Two_signatures_with_one_keyid_are_rejected() => AssertAttackFailsAsync(TufErrors.MetadataMalformed, () =>
    {
        // Root threshold 2 met only by repeating one key's signature (tuf-conformance test_duplicate_sig_keyids).
        ECDsa k = _repo.RootKeys[0];
        _repo.PublishRoot(signers: [(RepoBuilder.KeyId(k), k), (RepoBuilder.KeyId(k), k)]);
    });

    [Fact]
    public Task Root_rotation_that_drops_the_threshold_is_not_trusted() => AssertAttackFailsAsync(TufErrors.RootRotationUntrusted, () =>
    {
        // Version 2 lowers the threshold to 1 and is signed by one old key only: version 1's threshold (2) is not met.
        _repo.RootThreshold = 1;
        ECDsa k = _repo.RootKeys[0];
        _repo.PublishRoot(signers: [(RepoBuilder.KeyId(k), k)]);
    });

    [Fact]
    public Task New_root_not_signed_by_its_own_threshold() => AssertAttackFailsAsync(TufErrors.ThresholdNotMet, () =>
    {
        // Version 2 replaces every root key; the old keys sign it but the new keys do not.
        ECDsa[] old = _repo.RootKeys;
        _repo.RootKeys = [ECDsa.Create(ECCurve.NamedCurves.nistP256), ECDsa.Create(ECCurve.NamedCurves.nistP256)];
        _repo.PublishRoot(signers: old.Select(k => (RepoBuilder.KeyId(k), k)));
    });

    [Fact]
    public Task Root_with_the_wrong_version() => AssertAttackFailsAsync(TufErrors.RootVersionMismatch, () => _repo.PublishRoot(versionOverride: 3));

    [Fact]
    public Task Timestamp_of_the_wrong_role_type() => AssertAttackFailsAsync(TufErrors.WrongRoleType, () =>
    {
        _repo.TimestampVersion = 2;
        _repo.PublishTopLevel(tweakTimestamp: ts => ts["_type"] = "snapshot");
    });

    [Fact]
    public Task Unsupported_spec_version() => AssertAttackFailsAsync(TufErrors.UnsupportedSpecVersion, () =>
    {
        _repo.TimestampVersion = 2;
        _repo.PublishTopLevel(tweakTimestamp: ts => ts["spec_version"] = "2.0");
    });

    [Fact]
    public Task Wrong_target_hash() => AssertAttackFailsAsync(TufErrors.TargetHashMismatch, () =>
    {
        _repo.TimestampVersion = _repo.SnapshotVersion = _repo.TargetsVersion = 2;
        byte[] other = EmbeddedRoots.StagingTrustedRoot.ToArray();
        _repo.Targets["trusted_root.json"] = other;
        _repo.PublishTopLevel();
        string served = Path.Combine(_repo.Dir, "targets", Convert.ToHexStringLower(SHA256.HashData(other)) + ".trusted_root.json");
        byte[] tampered = (byte[])other.Clone();
        tampered[100] ^= 1;
        File.WriteAllBytes(served, tampered);
    }, persisted: ["timestamp.json", "snapshot.json", "targets.json"]);

    [Fact]
    public Task Wrong_target_length() => AssertAttackFailsAsync(TufErrors.TargetHashMismatch, () =>
    {
        _repo.TimestampVersion = _repo.SnapshotVersion = _repo.TargetsVersion = 2;
        byte[] data = EmbeddedRoots.StagingTrustedRoot.ToArray();
        _repo.Targets["trusted_root.json"] = data;
        _repo.PublishTopLevel(tweakTargets: t => t["targets"]!["trusted_root.json"]!["length"] = data.Length + 10);
    }, persisted: ["timestamp.json", "snapshot.json", "targets.json"]);

    [Fact]
    public Task Endless_data_hits_the_size_limit() => AssertAttackFailsAsync(TufErrors.DownloadTooLarge, () =>
        _server.Overrides["timestamp.json"] = async context =>
        {
            byte[] chunk = new byte[8192];
            Array.Fill(chunk, (byte)' ');
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });

    [Fact]
    public Task Slow_retrieval_hits_the_timeout() => AssertAttackFailsAsync(TufErrors.DownloadTimedOut, () =>
        _server.Overrides["timestamp.json"] = async context =>
        {
            await context.Response.Body.WriteAsync("{"u8.ToArray(), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }, timeout: TimeSpan.FromSeconds(1));

    [Fact]
    public async Task A_transient_503_is_retried_from_the_same_url_and_the_update_succeeds()
    {
        int served = 0;
        _server.Overrides["timestamp.json"] = async context =>
        {
            if (Interlocked.Increment(ref served) == 1)
            {
                context.Response.StatusCode = 503;
                return;
            }

            await context.Response.Body.WriteAsync(await File.ReadAllBytesAsync(Path.Combine(_server.Root, "timestamp.json")));
        };
        using TufClient client = Client(retry: Http.HttpRetryPolicy.Default with { MaxAttempts = 3, InitialDelay = TimeSpan.Zero });

        TufResult<Core.Trust.TrustedRoot> result = await client.GetTrustedRootAsync();

        Assert.Equal(TufSource.Online, result.Provenance.Source);
        Assert.Equal(2, _server.Requests.Count(p => p == "timestamp.json"));
    }

    [Fact]
    public async Task A_retry_never_bypasses_the_size_limit_endless_data_is_not_asked_again()
    {
        Endless("timestamp.json");
        using TufClient client = Client(retry: Http.HttpRetryPolicy.Default with { MaxAttempts = 3, InitialDelay = TimeSpan.Zero });

        Assert.Equal(TufErrors.DownloadTooLarge, (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.GetTrustedRootAsync())).Error);
        Assert.Single(_server.Requests, p => p == "timestamp.json");
    }

    [Fact]
    public async Task Slow_retrieval_is_bounded_by_the_attempts()
    {
        _server.Overrides["timestamp.json"] = async context =>
        {
            await context.Response.Body.WriteAsync("{"u8.ToArray(), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        };
        using TufClient client = Client(timeout: TimeSpan.FromSeconds(1), retry: Http.HttpRetryPolicy.Default with { MaxAttempts = 2, InitialDelay = TimeSpan.Zero });

        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.GetTrustedRootAsync());

        Assert.Equal(TufErrors.DownloadTimedOut, ex.Error);
        Assert.Contains("(2 attempts)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, _server.Requests.Count(p => p == "timestamp.json"));
    }

    private void Endless(string path) => _server.Overrides[path] = async context =>
    {
        byte[] chunk = new byte[8192];
        Array.Fill(chunk, (byte)' ');
        while (!context.RequestAborted.IsCancellationRequested)
        {
            await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
        }
    };

    [Fact]
    public Task Repository_error_status_is_unreachable() => AssertAttackFailsAsync(TufErrors.RepositoryUnreachable, () =>
        _server.Overrides["timestamp.json"] = context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });

    [Fact]
    public async Task Unreachable_with_fallback_uses_the_cached_copy_and_says_so()
    {
        using (TufClient good = Client())
        {
            await good.GetTrustedRootAsync();
        }

        await _server.DisposeAsync();
        _server = await TestServer.StartAsync(_repo.Dir);
        _server.Overrides["timestamp.json"] = context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        };
        using var client = new TufClient(new TufClientOptions
        {
            RepositoryUrl = _server.Url,
            InitialRoot = _repo.Root(1),
            CacheDirectory = _cache,
            TimeProvider = new FrozenClock(Now.AddDays(2)),
            OnUnreachable = TufFallback.UseCachedOrEmbedded,
        });

        TufResult<Core.Trust.TrustedRoot> result = await client.GetTrustedRootAsync();

        Assert.Equal(TufSource.Cache, result.Provenance.Source);
        Assert.Equal(TimeSpan.FromDays(2), result.Provenance.Age);
        Assert.Contains(result.Provenance.Warnings, w => w.Contains("SC3001", StringComparison.Ordinal));
        Assert.Contains(result.Provenance.Warnings, w => w.Contains("2 days old", StringComparison.Ordinal) && w.Contains(_cache, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_verification_failure_never_falls_back()
    {
        _repo.TimestampVersion = 2;
        _repo.TimestampLifetime = TimeSpan.FromDays(-1);
        _repo.PublishTopLevel();
        using var client = new TufClient(new TufClientOptions
        {
            RepositoryUrl = _server.Url,
            InitialRoot = _repo.Root(1),
            CacheDirectory = _cache,
            TimeProvider = new FrozenClock(Now),
            OnUnreachable = TufFallback.UseCachedOrEmbedded,
            EmbeddedTrustedRoot = EmbeddedRoots.ProductionTrustedRoot,
        });
        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.GetTrustedRootAsync());
        Assert.Equal(TufErrors.TimestampExpired, ex.Error);
    }
}
