using System.Security.Cryptography;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Verification;

/// <summary>
/// The thing a bundle signs: its bytes (in memory or in a file, hashed as a stream) or only its digest
/// (<c>sha256:HEX</c>). Digest-only artifacts cannot be checked against Ed25519 message signatures.
/// </summary>
public sealed class Artifact
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
    private readonly ReadOnlyMemory<byte>? _bytes;
    private readonly string? _path;
    private readonly HashAlgorithmName _digestAlgorithm;
    private readonly byte[]? _digest;
    private readonly Dictionary<HashAlgorithmName, byte[]> _digests = [];
    private readonly Lock _gate = new();

    private Artifact(ReadOnlyMemory<byte>? bytes, string? path, HashAlgorithmName digestAlgorithm, byte[]? digest)
    {
        _bytes = bytes;
        _path = path;
        _digestAlgorithm = digestAlgorithm;
        _digest = digest;
        if (digest is not null)
        {
            _digests[digestAlgorithm] = digest;
        }
    }

    /// <summary><see langword="true"/> when only a digest is known, not the bytes.</summary>
    public bool IsDigestOnly => _digest is not null;

    /// <summary>An artifact held in memory.</summary>
    /// <param name="bytes">The artifact bytes.</param>
    public static Artifact FromBytes(ReadOnlyMemory<byte> bytes) => new(bytes, null, default, null);

    /// <summary>An artifact in a file; it is read as a stream, never whole, when hashed.</summary>
    /// <param name="path">The file path.</param>
    public static Artifact FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new(null, path, default, null);
    }

    /// <summary>An artifact known only by its digest.</summary>
    /// <param name="algorithm">SHA-256, SHA-384 or SHA-512.</param>
    /// <param name="digest">The digest bytes.</param>
    public static Artifact FromDigest(HashAlgorithmName algorithm, ReadOnlySpan<byte> digest)
    {
        int expected = algorithm == HashAlgorithmName.SHA256 ? 32 : algorithm == HashAlgorithmName.SHA384 ? 48 : algorithm == HashAlgorithmName.SHA512 ? 64 : -1;
        if (expected < 0 || digest.Length != expected)
        {
            throw CoreErrors.ArtifactUnreadable.ToException($"a {algorithm.Name} digest of {digest.Length} bytes is not valid");
        }

        return new(null, null, algorithm, digest.ToArray());
    }

    /// <summary>Parses <c>sha256:HEX</c> (also <c>sha384:</c>, <c>sha512:</c>), as cosign and the conformance suite write digests.</summary>
    /// <param name="text">The digest text.</param>
    /// <param name="artifact">The artifact, on success.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a well-formed digest.</returns>
    public static bool TryParseDigest(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Artifact? artifact)
    {
        artifact = null;
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        HashAlgorithmName? algorithm = text[..colon] switch
        {
            "sha256" => HashAlgorithmName.SHA256,
            "sha384" => HashAlgorithmName.SHA384,
            "sha512" => HashAlgorithmName.SHA512,
            _ => null,
        };
        string hex = text[(colon + 1)..];
        if (algorithm is null || hex.Length == 0 || hex.Length % 2 != 0 || hex.AsSpan().ContainsAnyExcept(HexDigits))
        {
            return false;
        }

        byte[] digest = Convert.FromHexString(hex);
        int expected = algorithm == HashAlgorithmName.SHA256 ? 32 : algorithm == HashAlgorithmName.SHA384 ? 48 : 64;
        if (digest.Length != expected)
        {
            return false;
        }

        artifact = new Artifact(null, null, algorithm.Value, digest);
        return true;
    }

    /// <summary>The artifact's digest under <paramref name="algorithm"/>, or <see langword="null"/> when only another digest is known.</summary>
    internal byte[]? GetDigest(HashAlgorithmName algorithm)
    {
        lock (_gate)
        {
            if (_digests.TryGetValue(algorithm, out byte[]? known))
            {
                return known;
            }

            if (_digest is not null)
            {
                return null;
            }

            byte[] computed;
            if (_bytes is { } bytes)
            {
                computed = algorithm == HashAlgorithmName.SHA256 ? SHA256.HashData(bytes.Span)
                    : algorithm == HashAlgorithmName.SHA384 ? SHA384.HashData(bytes.Span)
                    : SHA512.HashData(bytes.Span);
            }
            else
            {
                try
                {
                    using var stream = new FileStream(_path!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                    using var hash = IncrementalHash.CreateHash(algorithm);
                    byte[] buffer = new byte[1 << 16];
                    int read;
                    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                    }

                    computed = hash.GetHashAndReset();
                }
                catch (IOException ex)
                {
                    throw CoreErrors.ArtifactUnreadable.ToException(_path, ex);
                }
                catch (UnauthorizedAccessException ex)
                {
                    throw CoreErrors.ArtifactUnreadable.ToException(_path, ex);
                }
            }

            _digests[algorithm] = computed;
            return computed;
        }
    }

    /// <summary>The artifact bytes, for algorithms that sign the whole message (Ed25519); <see langword="null"/> for digest-only artifacts.</summary>
    internal ReadOnlyMemory<byte>? GetBytes(long maxBytes)
    {
        if (_bytes is { } bytes)
        {
            return bytes;
        }

        if (_path is null)
        {
            return null;
        }

        try
        {
            var info = new FileInfo(_path);
            if (info.Length > maxBytes)
            {
                throw CoreErrors.ArtifactUnreadable.ToException($"{info.Length} bytes is over the {maxBytes}-byte limit for whole-message signatures");
            }

            return File.ReadAllBytes(_path);
        }
        catch (IOException ex)
        {
            throw CoreErrors.ArtifactUnreadable.ToException(_path, ex);
        }
    }
}
