using System.Security.Cryptography;
using System.Text;
using SupplyChain.Tuf.Metadata;

namespace SupplyChain.Tuf.Client;

/// <summary>Target search through the delegation tree (5.6.7) and target download (5.7).</summary>
internal sealed partial class TufUpdater
{
    /// <summary>5.6.7: preorder depth-first search of the delegation tree for <paramref name="path"/>.</summary>
    /// <returns>The target info and the version of the role that listed it.</returns>
    public async Task<(TargetFileInfo Info, long RoleVersion)> FindTargetAsync(string path, CancellationToken cancellationToken)
    {
        TargetsMetadata top = _targets ?? throw new InvalidOperationException("RefreshAsync first");
        var stack = new Stack<(string Name, IReadOnlyDictionary<string, TufKey> Keys, RoleKeys RoleKeys)>();
        stack.Push(("targets", _root.Keys, _root.Roles["targets"]));
        var visited = new HashSet<string>(StringComparer.Ordinal);
        int visits = 0;
        while (stack.Count > 0)
        {
            (string name, IReadOnlyDictionary<string, TufKey> keys, RoleKeys roleKeys) = stack.Pop();
            if (!visited.Add(name))
            {
                continue;
            }

            if (++visits > Limits.MaxDelegations)
            {
                throw TufErrors.TooManySteps.ToException($"more than {Limits.MaxDelegations} targets roles visited looking for '{path}'");
            }

            TargetsMetadata role = name == "targets" ? top : await LoadTargetsRoleAsync(name, keys, roleKeys, cancellationToken).ConfigureAwait(false);
            if (role.Targets.TryGetValue(path, out TargetFileInfo? info))
            {
                return (info, role.File.Version);
            }

            var children = new List<DelegatedRole>();
            foreach (DelegatedRole delegation in role.Delegations.Where(d => IsDelegated(d, path)))
            {
                children.Add(delegation);

                // 5.6.7.2.1: "If the current delegation is a terminating one, then jump to step 5.6.7.3" (no backtracking).
                if (delegation.Terminating)
                {
                    stack.Clear();
                    break;
                }
            }

            // Preorder: the first matching delegation is searched first.
            for (int i = children.Count - 1; i >= 0; i--)
            {
                stack.Push((children[i].Name, role.DelegationKeys, children[i].Keys));
            }
        }

        throw TufErrors.TargetNotFound.ToException($"'{path}' is not listed by any trusted targets role");
    }

    /// <summary>5.7: the target's bytes, from the cache when they still match, else downloaded and checked.</summary>
    /// <returns>The bytes and whether they were downloaded now.</returns>
    public async Task<(byte[] Data, bool Downloaded)> GetTargetBytesAsync(TargetFileInfo info, CancellationToken cancellationToken)
    {
        if (info.Length > _options.MaxTargetBytes)
        {
            throw TufErrors.DownloadTooLarge.ToException($"target '{info.Path}' is listed with {info.Length} bytes; the limit is {_options.MaxTargetBytes}");
        }

        byte[]? cached = _targetStore.Read(info.Path, info.Length);
        if (cached is not null && MatchesTarget(cached, info))
        {
            return (cached, false);
        }

        string path = info.Path;
        if (_root.ConsistentSnapshot)
        {
            // 5.7.3: consistent snapshots serve targets as <dir>/<hash>.<name>.
            string hash = info.Hashes.TryGetValue("sha256", out string? sha256) ? sha256 : info.Hashes.First().Value;
            int slash = path.LastIndexOf('/');
            path = slash < 0 ? $"{hash}.{path}" : $"{path[..(slash + 1)]}{hash}.{path[(slash + 1)..]}";
        }

        string relative = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        byte[] data = await _targetFetcher.FetchAsync(relative, info.Length, missingIsNull: false, cancellationToken).ConfigureAwait(false)
            ?? throw TufErrors.RepositoryUnreachable.ToException(relative);
        if (!MatchesTarget(data, info))
        {
            throw TufErrors.TargetHashMismatch.ToException($"target '{info.Path}' does not match its length {info.Length} and hashes");
        }

        _stagedTargets[info.Path] = data;
        return (data, true);
    }

    private static bool MatchesTarget(byte[] data, TargetFileInfo info) =>
        data.LongLength == info.Length && HashesMatch(data, info.Hashes, $"target '{info.Path}'");

    /// <summary>Every listed hash must be of a supported algorithm and match (fail closed on unknown algorithms).</summary>
    private static bool HashesMatch(byte[] data, IReadOnlyDictionary<string, string> hashes, string what)
    {
        foreach ((string algorithm, string expected) in hashes)
        {
            byte[] actual = algorithm switch
            {
                "sha256" => SHA256.HashData(data),
                "sha384" => SHA384.HashData(data),
                "sha512" => SHA512.HashData(data),
                _ => throw TufErrors.MetadataMalformed.ToException($"{what}: unsupported hash algorithm '{algorithm}'"),
            };
            if (!string.Equals(Convert.ToHexStringLower(actual), expected, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// 5.6.7.2.1 path patterns: shell-style wildcards where <c>*</c> and <c>?</c> do not cross <c>/</c> (as python-tuf:
    /// the pattern and the path must have the same number of segments); or path hash prefixes of the SHA-256 of the path.
    /// </summary>
    internal static bool IsDelegated(DelegatedRole role, string path)
    {
        if (role.Paths is not null)
        {
            return role.Paths.Any(p => MatchesPattern(p, path));
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)));
        return role.PathHashPrefixes!.Any(p => hash.StartsWith(p, StringComparison.Ordinal));
    }

    internal static bool MatchesPattern(string pattern, string path)
    {
        string[] patternParts = pattern.Split('/');
        string[] pathParts = path.Split('/');
        return patternParts.Length == pathParts.Length && patternParts.Zip(pathParts).All(p => SegmentMatches(p.First, p.Second));
    }

    private static bool SegmentMatches(string pattern, string text)
    {
        // Iterative wildcard match: '*' any run, '?' one character, everything else literal.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
