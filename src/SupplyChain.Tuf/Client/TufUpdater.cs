using System.Security.Cryptography;
using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Tuf.Metadata;

namespace SupplyChain.Tuf.Client;

/// <summary>
/// The TUF 1.0 client workflow (theupdateframework spec section 5, "Detailed client workflow"): root rotation,
/// timestamp, snapshot, targets, delegated targets, target download. Each metadata file is persisted as soon as it
/// becomes trusted (5.3.7, 5.4.5, 5.5.7, 5.6.6: "The client MUST write the file to non-volatile storage"), so a
/// failed update keeps what was verified before the failure, and a rejected file never reaches the cache. A target
/// file is staged and written by <see cref="Commit"/> once the caller accepted it. Not thread-safe (the client serializes).
/// </summary>
internal sealed partial class TufUpdater
{
    private readonly TufFetcher _fetcher;
    private readonly TufFetcher _targetFetcher;
    private readonly TufCache _cache;
    private readonly TargetStore _targetStore;
    private readonly TufClientOptions _options;
    private readonly DateTimeOffset _now;
    private readonly Dictionary<string, TargetsMetadata> _delegated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _stagedTargets = new(StringComparer.Ordinal);
    private RootMetadata _root;
    private TimestampMetadata? _timestamp;
    private SnapshotMetadata? _snapshot;
    private TargetsMetadata? _targets;

    /// <param name="fetcher">Downloads metadata files.</param>
    /// <param name="targetFetcher">Downloads target files.</param>
    /// <param name="cache">The local metadata cache.</param>
    /// <param name="targetStore">Where verified target files are kept.</param>
    /// <param name="options">The client options.</param>
    /// <param name="now">5.1: "Record the time at which the update began as the fixed update start time."</param>
    public TufUpdater(TufFetcher fetcher, TufFetcher targetFetcher, TufCache cache, TargetStore targetStore, TufClientOptions options, DateTimeOffset now)
    {
        _fetcher = fetcher;
        _targetFetcher = targetFetcher;
        _cache = cache;
        _targetStore = targetStore;
        _options = options;
        _now = now;
        _root = LoadTrustedRoot();
    }

    public long RootVersion => _root.Version;

    /// <summary>Writes the staged target files (each write atomic); metadata is already persisted.</summary>
    public void Commit()
    {
        foreach ((string path, byte[] data) in _stagedTargets)
        {
            _targetStore.Write(path, data);
        }

        _stagedTargets.Clear();
    }

    /// <summary>Runs 5.3 to 5.6 (root, timestamp, snapshot, top-level targets).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await UpdateRootAsync(cancellationToken).ConfigureAwait(false);
        await UpdateTimestampAsync(cancellationToken).ConfigureAwait(false);
        await UpdateSnapshotAsync(cancellationToken).ConfigureAwait(false);
        _targets = await LoadTargetsRoleAsync("targets", _root.Keys, _root.Roles["targets"], cancellationToken).ConfigureAwait(false);
    }

    private RootMetadata LoadTrustedRoot()
    {
        RootMetadata initial;
        try
        {
            initial = RootMetadata.Parse(_options.InitialRoot.ToArray(), "initial root");
            initial.VerifyRole(initial.File, "root", "initial root", TufErrors.InitialRootInvalid);
        }
        catch (SupplyChainException ex) when (ex.Error != TufErrors.InitialRootInvalid)
        {
            throw TufErrors.InitialRootInvalid.ToException(ex.Message, ex);
        }

        // 5.2: the trusted root is the newest of the cached root and the initial one (a corrupt cached root is ignored).
        byte[]? cachedBytes = _cache.Read("root.json", Limits.MaxRootBytes);
        if (cachedBytes is not null)
        {
            try
            {
                RootMetadata cached = RootMetadata.Parse(cachedBytes, "cached root.json");
                cached.VerifyRole(cached.File, "root", "cached root.json", TufErrors.ThresholdNotMet);
                if (cached.Version > initial.Version)
                {
                    return cached;
                }
            }
            catch (SupplyChainException)
            {
                // Ignored: the update walks the chain again from the initial root.
            }
        }

        return initial;
    }

    /// <summary>5.3: root rotation.</summary>
    private async Task UpdateRootAsync(CancellationToken cancellationToken)
    {
        for (int i = 0; i < Limits.MaxRootRotations; i++)
        {
            long next = _root.Version + 1;
            string name = $"{next}.root.json";
            byte[]? raw = await _fetcher.FetchAsync(name, Limits.MaxRootBytes, missingIsNull: true, cancellationToken).ConfigureAwait(false);
            if (raw is null)
            {
                break;
            }

            RootMetadata candidate = RootMetadata.Parse(raw, name);

            // 5.3.4: "Version N+1 of the root metadata file MUST have been signed by: (1) a threshold of keys specified
            // in the trusted root metadata file (version N), and (2) a threshold of keys specified in the new root metadata file being validated (version N+1)."
            _root.VerifyRole(candidate.File, "root", name, TufErrors.RootRotationUntrusted);
            candidate.VerifyRole(candidate.File, "root", name, TufErrors.ThresholdNotMet);

            // 5.3.5: "The version number of the new root metadata (i.e. N+1) MUST be exactly the version in the trusted root metadata file (version N) incremented by one."
            if (candidate.Version != next)
            {
                throw TufErrors.RootVersionMismatch.ToException($"{name} carries version {candidate.Version}");
            }

            // 5.3.11: "If the timestamp and / or snapshot keys have been rotated, then delete the trusted timestamp and snapshot
            // metadata files" (fast-forward attack recovery). A role's key is rotated when the new root drops it. Deleted
            // before the new root is persisted, so an interrupted update cannot keep them beside it.
            if (KeyDropped(_root, candidate, "timestamp") || KeyDropped(_root, candidate, "snapshot"))
            {
                _cache.Delete("timestamp.json");
                _cache.Delete("snapshot.json");
            }

            // 5.3.6-5.3.7: the new root becomes trusted (expiry is not checked on intermediate roots). "Persist root
            // metadata. The client MUST write the file to non-volatile storage as FILENAME.EXT (e.g. root.json)."
            _root = candidate;
            _cache.Write("root.json", raw);
            if (i == Limits.MaxRootRotations - 1)
            {
                throw TufErrors.TooManySteps.ToException($"more than {Limits.MaxRootRotations} root rotations");
            }
        }

        // The trusted root is cached too (also the initial one), so offline use can report its version.
        if (_cache.Read("root.json", Limits.MaxRootBytes) is not { } cachedRoot || !cachedRoot.AsSpan().SequenceEqual(_root.File.Raw))
        {
            _cache.Write("root.json", _root.File.Raw);
        }

        // 5.3.10: "Check for a freeze attack. The expiration timestamp in the trusted root metadata file MUST be higher than the fixed update start time."
        if (_root.File.Expires <= _now)
        {
            throw TufErrors.RootExpired.ToException($"root version {_root.Version} expired at {_root.File.Expires:O} (update time {_now:O})");
        }
    }

    private static bool KeyDropped(RootMetadata trusted, RootMetadata next, string role) =>
        trusted.Roles[role].KeyIds.Except(next.Roles[role].KeyIds, StringComparer.Ordinal).Any();

    /// <summary>5.4: timestamp.</summary>
    private async Task UpdateTimestampAsync(CancellationToken cancellationToken)
    {
        // The cached timestamp is the rollback reference only if the current root's timestamp keys still verify it
        // (after a key rotation, 5.3.11, it is already deleted). It is used even if expired.
        TimestampMetadata? trusted = TryLoadLocal("timestamp.json", Limits.MaxTimestampBytes, TimestampMetadata.Parse, t => _root.VerifyRole(t.File, "timestamp", "cached timestamp.json", TufErrors.ThresholdNotMet));

        byte[] raw = await _fetcher.FetchAsync("timestamp.json", Limits.MaxTimestampBytes, missingIsNull: false, cancellationToken).ConfigureAwait(false)
            ?? throw TufErrors.RepositoryUnreachable.ToException("timestamp.json");
        TimestampMetadata fresh = TimestampMetadata.Parse(raw, "timestamp.json");
        _root.VerifyRole(fresh.File, "timestamp", "timestamp.json", TufErrors.ThresholdNotMet);

        if (trusted is not null)
        {
            // 5.4.3.1: "the version number of the trusted timestamp metadata file ... MUST be less than or equal to the version number of the new timestamp metadata file."
            if (fresh.File.Version < trusted.File.Version)
            {
                throw TufErrors.TimestampRollback.ToException($"timestamp version {fresh.File.Version} is older than the trusted {trusted.File.Version}");
            }

            // Spec 1.0.30 (specification#209), as python-tuf and go-tuf: a new timestamp of the trusted version is discarded and
            // the update continues with the trusted one, so a repository cannot swap the content of a version it already served.
            if (fresh.File.Version == trusted.File.Version)
            {
                fresh = trusted;
            }

            // 5.4.3.2: the snapshot version it names must not decrease either.
            if (fresh.Snapshot.Version < trusted.Snapshot.Version)
            {
                throw TufErrors.TimestampRollback.ToException($"timestamp names snapshot version {fresh.Snapshot.Version}, older than the trusted {trusted.Snapshot.Version}");
            }
        }

        // 5.4.4: freeze attack.
        if (fresh.File.Expires <= _now)
        {
            throw TufErrors.TimestampExpired.ToException($"timestamp version {fresh.File.Version} expired at {fresh.File.Expires:O}");
        }

        // 5.4.5: "Persist timestamp metadata. The client MUST write the file to non-volatile storage as FILENAME.EXT".
        _timestamp = fresh;
        if (!ReferenceEquals(fresh, trusted))
        {
            _cache.Write("timestamp.json", raw);
        }
    }

    /// <summary>5.5: snapshot.</summary>
    private async Task UpdateSnapshotAsync(CancellationToken cancellationToken)
    {
        MetaFileInfo expected = _timestamp!.Snapshot;
        long maxBytes = expected.Length ?? _options.MaxMetadataBytes;
        SnapshotMetadata? trusted = TryLoadLocal("snapshot.json", _options.MaxMetadataBytes, SnapshotMetadata.Parse, s => _root.VerifyRole(s.File, "snapshot", "cached snapshot.json", TufErrors.ThresholdNotMet));

        SnapshotMetadata fresh;
        byte[]? raw = null;
        if (trusted is not null && trusted.File.Version == expected.Version && MatchesMeta(trusted.File.Raw, expected))
        {
            fresh = trusted;
        }
        else
        {
            string name = _root.ConsistentSnapshot ? $"{expected.Version}.snapshot.json" : "snapshot.json";
            raw = await _fetcher.FetchAsync(name, maxBytes, missingIsNull: false, cancellationToken).ConfigureAwait(false)
                ?? throw TufErrors.RepositoryUnreachable.ToException(name);

            // 5.5.2: "The hashes and version number of the new snapshot metadata file MUST match the hashes (if any) and version number listed in the trusted timestamp metadata."
            if (!MatchesMeta(raw, expected))
            {
                throw TufErrors.MetadataHashMismatch.ToException($"{name} does not match the length or hashes the timestamp lists");
            }

            fresh = SnapshotMetadata.Parse(raw, name);
            _root.VerifyRole(fresh.File, "snapshot", name, TufErrors.ThresholdNotMet);
            if (fresh.File.Version != expected.Version)
            {
                throw TufErrors.SnapshotVersionMismatch.ToException($"{name} carries version {fresh.File.Version}; the timestamp names {expected.Version}");
            }

            // 5.5.5: "The version number of the targets metadata file, and all delegated targets metadata files (if any), in the trusted
            // snapshot metadata file, if any, MUST be less than or equal to its version number in the new snapshot metadata file.
            // Furthermore, any targets metadata filename that was listed in the trusted snapshot metadata file, if any, MUST continue to be listed."
            if (trusted is not null)
            {
                foreach ((string file, MetaFileInfo old) in trusted.Meta)
                {
                    if (!fresh.Meta.TryGetValue(file, out MetaFileInfo? now))
                    {
                        throw TufErrors.SnapshotRollback.ToException($"{file} was listed by the trusted snapshot and is missing from {name}");
                    }

                    if (now.Version < old.Version)
                    {
                        throw TufErrors.SnapshotRollback.ToException($"{file} version {now.Version} in {name} is older than the trusted {old.Version}");
                    }
                }
            }
        }

        // 5.5.6: freeze attack.
        if (fresh.File.Expires <= _now)
        {
            throw TufErrors.SnapshotExpired.ToException($"snapshot version {fresh.File.Version} expired at {fresh.File.Expires:O}");
        }

        // 5.5.7: "Persist snapshot metadata. The client MUST write the file to non-volatile storage as FILENAME.EXT".
        _snapshot = fresh;
        if (raw is not null)
        {
            _cache.Write("snapshot.json", raw);
        }
    }

    /// <summary>5.6 (and 5.6.7.2 for delegated roles): a targets role verified with its delegator's keys.</summary>
    private async Task<TargetsMetadata> LoadTargetsRoleAsync(string role, IReadOnlyDictionary<string, TufKey> keys, RoleKeys roleKeys, CancellationToken cancellationToken)
    {
        if (role != "targets" && _delegated.TryGetValue(role, out TargetsMetadata? loaded))
        {
            return loaded;
        }

        string fileName = Uri.EscapeDataString(role) + ".json";
        if (!_snapshot!.Meta.TryGetValue(role + ".json", out MetaFileInfo? expected))
        {
            throw TufErrors.TargetsVersionMismatch.ToException($"the snapshot does not list {role}.json");
        }

        TargetsMetadata? local = TryLoadLocal(fileName, _options.MaxMetadataBytes, TargetsMetadata.Parse, t => Signatures.VerifyThreshold(t.File, keys, roleKeys, $"cached {fileName}", TufErrors.ThresholdNotMet));
        TargetsMetadata fresh;
        byte[]? raw = null;
        if (local is not null && local.File.Version == expected.Version && MatchesMeta(local.File.Raw, expected))
        {
            fresh = local;
        }
        else
        {
            // A local copy of another version is not a rollback reference: the snapshot is (5.5.5). After a snapshot key
            // rotation (5.3.11, fast-forward attack recovery) the new snapshot may name a lower version than the local copy.
            string name = _root.ConsistentSnapshot ? $"{expected.Version}.{fileName}" : fileName;
            raw = await _fetcher.FetchAsync(name, expected.Length ?? _options.MaxMetadataBytes, missingIsNull: false, cancellationToken).ConfigureAwait(false)
                ?? throw TufErrors.RepositoryUnreachable.ToException(name);

            // 5.6.2: "The hashes and version number of the new targets metadata file MUST match the hashes (if any) and version number listed in the trusted snapshot metadata."
            if (!MatchesMeta(raw, expected))
            {
                throw TufErrors.MetadataHashMismatch.ToException($"{name} does not match the length or hashes the snapshot lists");
            }

            fresh = TargetsMetadata.Parse(raw, name);
            Signatures.VerifyThreshold(fresh.File, keys, roleKeys, name, TufErrors.ThresholdNotMet);
            if (fresh.File.Version != expected.Version)
            {
                throw TufErrors.TargetsVersionMismatch.ToException($"{name} carries version {fresh.File.Version}; the snapshot names {expected.Version}");
            }
        }

        // 5.6.5: freeze attack.
        if (fresh.File.Expires <= _now)
        {
            throw TufErrors.TargetsExpired.ToException($"{role} version {fresh.File.Version} expired at {fresh.File.Expires:O}");
        }

        // 5.6.6: "Persist targets metadata. The client MUST write the file to non-volatile storage as FILENAME.EXT".
        if (raw is not null)
        {
            _cache.Write(fileName, raw);
        }

        if (role != "targets")
        {
            _delegated[role] = fresh;
        }

        return fresh;
    }

    private static bool MatchesMeta(byte[] raw, MetaFileInfo expected) =>
        (expected.Length is null || raw.LongLength == expected.Length) && (expected.Hashes is null || HashesMatch(raw, expected.Hashes, "metadata"));

    private T? TryLoadLocal<T>(string name, long maxBytes, Func<byte[], string, T> parse, Action<T> verify)
        where T : class
    {
        byte[]? raw = _cache.Read(name, maxBytes);
        if (raw is null)
        {
            return null;
        }

        try
        {
            T parsed = parse(raw, "cached " + name);
            verify(parsed);
            return parsed;
        }
        catch (SupplyChainException)
        {
            return null;
        }
    }
}
