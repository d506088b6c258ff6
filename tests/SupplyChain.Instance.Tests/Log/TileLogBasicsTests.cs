using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Transparency;
using SupplyChain.Core.Trust;
using SupplyChain.Instance.Log;

namespace SupplyChain.Instance.Tests.Log;

public sealed class TileLogBasicsTests : IDisposable
{
    private readonly string _dir = LogTestKit.NewDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Every_size_from_1_to_300_has_the_reference_root_and_checkpoints_verify_with_core()
    {
        var entries = Enumerable.Range(0, 300).Select(i => LogTestKit.Entry(i)).ToList();
        var checkpoints = new List<SignedCheckpoint>();
        await using (TileLog log = TileLog.Open(_dir, LogTestKit.Signer))
        {
            Assert.Equal(0, log.Size);
            int next = 0;
            for (int batch = 1; next < entries.Count; batch++)
            {
                var slice = entries.Skip(next).Take(batch).ToList();
                LogAppendResult[] results = await Task.WhenAll(slice.Select(e => log.AppendAsync(e)));
                next += slice.Count;
                checkpoints.Add(log.LatestCheckpoint);
                Assert.All(results, r => Assert.True(r.TreeSize >= r.Index + 1));
            }

            for (int size = 0; size <= 300; size++)
            {
                Assert.Equal(LogTestKit.ReferenceRoot(entries, 0, size), log.GetRootHash(size));
            }

            Assert.Equal(300, log.Size);
        }

        TransparencyLogInstance trusted = LogTestKit.TrustedLog(LogTestKit.Signer);
        Assert.True(checkpoints.Count > 10);
        foreach (SignedCheckpoint checkpoint in checkpoints)
        {
            Assert.Equal(LogTestKit.ReferenceRoot(entries, 0, (int)checkpoint.Size), checkpoint.RootHash.ToArray());

            // Core's checkpoint check, with the trusted_root.json entry CheckpointSigner documents.
            CheckpointVerifier.Verify(Checkpoint.Parse(checkpoint.Text), trusted);
        }
    }

    [Fact]
    public async Task Append_results_carry_proofs_that_core_verifies()
    {
        await using TileLog log = TileLog.Open(_dir, LogTestKit.Signer, new TileLogOptions { MaxBatchSize = 7 });
        var entries = Enumerable.Range(0, 40).Select(i => LogTestKit.Entry(i)).ToList();
        LogAppendResult[] results = await Task.WhenAll(entries.Select(e => log.AppendAsync(e)));
        foreach (LogAppendResult result in results)
        {
            byte[] entry = log.ReadEntry(result.Index).ToArray();
            Assert.Contains(entries, e => e.AsSpan().SequenceEqual(entry));
            Assert.True(LogTestKit.CoreVerifiesInclusion(entry, result.Index, result.TreeSize, result.InclusionProof, result.RootHash.Span));
        }

        Assert.Equal(40, results.Select(r => r.Index).Distinct().Count());
        Assert.True(results.Select(r => r.TreeSize).Distinct().Count() >= 40 / 7);
    }

    [Theory]
    [InlineData(0, "tile/0/000")]
    [InlineData(1234067, "tile/0/x001/x234/067")]
    [InlineData(999, "tile/0/999")]
    [InlineData(1000, "tile/0/x001/000")]
    public void Tile_paths_use_three_digit_groups(long index, string expected)
    {
        Assert.Equal(expected, new TilePath(0, index, 256).ToString());
        Assert.True(TilePath.TryParse(expected, out TilePath parsed));
        Assert.Equal(new TilePath(0, index, 256), parsed);
    }

    [Theory]
    [InlineData("tile/entries/x001/234.p/5", -1, 1234, 5)]
    [InlineData("tile/3/000.p/255", 3, 0, 255)]
    public void Partial_paths_round_trip(string path, int level, long index, int width)
    {
        Assert.True(TilePath.TryParse(path, out TilePath parsed));
        Assert.Equal(new TilePath(level, index, width), parsed);
        Assert.Equal(path, parsed.ToString());
    }

    [Theory]
    [InlineData("tile/0/../checkpoint")]
    [InlineData("tile/0/x000/001")]
    [InlineData("tile/0/1")]
    [InlineData("tile/00/000")]
    [InlineData("tile/8/000")]
    [InlineData("tile/0/000.p/0")]
    [InlineData("tile/0/000.p/256")]
    [InlineData("tile/0/000.p/07")]
    [InlineData("tile/0/001/002")]
    [InlineData("tile/0//000")]
    [InlineData("tile/0/000/")]
    [InlineData("/tile/0/000")]
    [InlineData("tile/entries/000.p/")]
    [InlineData("log.lock")]
    public void Non_canonical_paths_are_refused(string path) => Assert.False(TilePath.TryParse(path, out _));

    [Fact]
    public async Task Tile_files_are_byte_exact_and_partials_are_named_by_width()
    {
        var entries = Enumerable.Range(0, 300).Select(i => LogTestKit.Entry(i)).ToList();
        await using TileLog log = TileLog.Open(_dir, LogTestKit.Signer, new TileLogOptions { MaxBatchSize = 300 });
        await LogTestKit.AppendAllAsync(log, entries.Take(3));
        Assert.True(File.Exists(Path.Combine(_dir, "tile", "0", "000.p", "3")));
        Assert.True(File.Exists(Path.Combine(_dir, "tile", "entries", "000.p", "3")));
        Assert.True(log.TryReadTile("tile/0/000.p/3", out ReadOnlyMemory<byte> partial));
        Assert.Equal(entries.Take(3).SelectMany(LogTestKit.LeafHash).ToArray(), partial.ToArray());

        await LogTestKit.AppendAllAsync(log, entries.Skip(3));
        Assert.Equal(300, log.Size);

        // Level 0: 256 leaf hashes, then a partial of 44; level 1: one hash (the first tile's root), a partial of width 1.
        byte[] tile0 = File.ReadAllBytes(Path.Combine(_dir, "tile", "0", "000"));
        Assert.Equal(entries.Take(256).SelectMany(LogTestKit.LeafHash).ToArray(), tile0);
        byte[] partial0 = File.ReadAllBytes(Path.Combine(_dir, "tile", "0", "001.p", "44"));
        Assert.Equal(entries.Skip(256).SelectMany(LogTestKit.LeafHash).ToArray(), partial0);
        byte[] level1 = File.ReadAllBytes(Path.Combine(_dir, "tile", "1", "000.p", "1"));
        Assert.Equal(LogTestKit.ReferenceRoot(entries, 0, 256), level1);

        // Entry bundles: big-endian uint16 length and the bytes, per entry.
        byte[] bundle = File.ReadAllBytes(Path.Combine(_dir, "tile", "entries", "001.p", "44"));
        byte[] expected = [.. entries.Skip(256).SelectMany(e => (byte[])[(byte)(e.Length >> 8), (byte)e.Length, .. e])];
        Assert.Equal(expected, bundle);

        // The partial of the now full first tile is gone; the served resources match the files.
        Assert.False(Directory.Exists(Path.Combine(_dir, "tile", "0", "000.p")));
        Assert.True(log.TryReadTile("tile/0/000", out ReadOnlyMemory<byte> served));
        Assert.Equal(tile0, served.ToArray());
        Assert.True(log.TryReadTile("tile/entries/001.p/44", out ReadOnlyMemory<byte> servedBundle));
        Assert.Equal(bundle, servedBundle.ToArray());
        Assert.True(log.TryReadTile("checkpoint", out ReadOnlyMemory<byte> checkpoint));
        Assert.Equal(log.LatestCheckpoint.Text, Encoding.UTF8.GetString(checkpoint.Span));

        // Beyond the tree, or a partial replaced by a full tile: not served.
        Assert.False(log.TryReadTile("tile/0/001", out _));
        Assert.False(log.TryReadTile("tile/0/001.p/45", out _));
        Assert.False(log.TryReadTile("tile/0/000.p/3", out _));
        Assert.False(log.TryReadTile("tile/2/000.p/1", out _));
        Assert.False(log.TryReadTile("log.lock", out _));
    }

    [Fact]
    public async Task Checkpoint_is_a_c2sp_signed_note_with_the_ed25519_key_id()
    {
        await using TileLog log = TileLog.Open(_dir, LogTestKit.Signer);
        await log.AppendAsync(LogTestKit.Entry(0));
        string[] lines = log.LatestCheckpoint.Text.Split('\n');
        Assert.Equal(LogTestKit.Origin, lines[0]);
        Assert.Equal("1", lines[1]);
        Assert.Equal(Convert.ToBase64String(LogTestKit.LeafHash(LogTestKit.Entry(0))), lines[2]);
        Assert.Equal("", lines[3]);
        Assert.StartsWith("\u2014 " + LogTestKit.Origin + " ", lines[4], StringComparison.Ordinal);
        byte[] signature = Convert.FromBase64String(lines[4].Split(' ')[2]);
        Assert.Equal(SignedNoteKeyId(LogTestKit.Origin, LogTestKit.Signer.PublicKey), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(signature));
        Assert.Equal(68, signature.Length);

        // Core's verifier derives the same key hint for the log as it appears in the trusted root, or it would not match the line.
        CheckpointVerifier.Verify(Checkpoint.Parse(log.LatestCheckpoint.Text), LogTestKit.TrustedLog(LogTestKit.Signer));

        SignedCheckpoint parsed = SignedCheckpoint.Parse(log.LatestCheckpoint.Text, LogTestKit.Signer.VerifierKey);
        Assert.Equal(1, parsed.Size);
    }

    [Fact]
    public async Task Consistency_proofs_between_every_pair_of_small_sizes_verify_with_core()
    {
        var entries = Enumerable.Range(0, 70).Select(i => LogTestKit.Entry(i)).ToList();
        await using TileLog log = TileLog.Open(_dir, LogTestKit.Signer, new TileLogOptions { MaxBatchSize = 1000 });
        await LogTestKit.AppendAllAsync(log, entries);
        for (int m = 0; m <= 70; m++)
        {
            for (int n = m; n <= 70; n++)
            {
                IReadOnlyList<byte[]> proof = log.GetConsistencyProof(m, n);
                Assert.True(LogTestKit.CoreVerifiesConsistency(m, n, LogTestKit.ReferenceRoot(entries, 0, m), LogTestKit.ReferenceRoot(entries, 0, n), proof), $"{m} -> {n}");
            }
        }

        Assert.Equal("SC8107", Assert.Throws<MalformedInputException>(() => log.GetConsistencyProof(5, 71)).Code);
        Assert.Equal("SC8107", Assert.Throws<MalformedInputException>(() => log.GetConsistencyProof(6, 5)).Code);
        Assert.Equal("SC8107", Assert.Throws<MalformedInputException>(() => log.GetInclusionProof(5, 5)).Code);
        Assert.Equal("SC8107", Assert.Throws<MalformedInputException>(() => log.GetInclusionProof(-1, 5)).Code);
        Assert.Equal("SC8107", Assert.Throws<MalformedInputException>(() => log.ReadEntry(70)).Code);
    }

    [Fact]
    public async Task Entries_outside_1_to_65535_bytes_are_refused()
    {
        await using TileLog log = TileLog.Open(_dir, LogTestKit.Signer);
        Assert.Equal("SC8102", (await Assert.ThrowsAsync<MalformedInputException>(() => log.AppendAsync(Array.Empty<byte>()))).Code);
        Assert.Equal("SC8102", (await Assert.ThrowsAsync<MalformedInputException>(() => log.AppendAsync(new byte[65536]))).Code);
        LogAppendResult largest = await log.AppendAsync(new byte[65535]);
        Assert.Equal(65535, log.ReadEntry(largest.Index).Length);
    }

    // C2SP signed-note: the key ID is "the first four bytes of SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)".
    private static uint SignedNoteKeyId(string name, ReadOnlySpan<byte> publicKey)
    {
        byte[] input = [.. System.Text.Encoding.UTF8.GetBytes(name), 0x0A, 0x01, .. publicKey];
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(System.Security.Cryptography.SHA256.HashData(input));
    }
}
