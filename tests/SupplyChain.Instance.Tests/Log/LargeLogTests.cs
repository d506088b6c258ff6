using SupplyChain.Core.Transparency;
using SupplyChain.Core.Trust;
using SupplyChain.Instance.Log;

namespace SupplyChain.Instance.Tests.Log;

public sealed class LargeLogTests : IDisposable
{
    private const int Total = 100_000;
    private static readonly long[] CheckpointSizes = [1, 255, 256, 257, 65536, 99999, Total];

    private readonly string _dir = LogTestKit.NewDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_hundred_thousand_entries_prove_inclusion_and_consistency_to_core()
    {
        var checkpoints = new List<SignedCheckpoint>();
        await using (TileLog log = TileLog.Open(_dir, LogTestKit.Signer, new TileLogOptions { MaxBatchSize = 4096 }))
        {
            long appended = 0;
            foreach (long size in CheckpointSizes)
            {
                // Appends through the durable path, batched by the writer; each chunk ends at a checkpoint of exactly that size.
                LogAppendResult[] results = await Task.WhenAll(Enumerable.Range((int)appended, (int)(size - appended)).Select(i => log.AppendAsync(LogTestKit.Entry(i))));
                appended = size;
                Assert.Equal(size, log.LatestCheckpoint.Size);
                Assert.Equal(results.Length, results.Select(r => r.Index).Distinct().Count());
                checkpoints.Add(log.LatestCheckpoint);
            }

            SignedCheckpoint last = checkpoints[^1];
            var random = new Random(8);
            for (int i = 0; i < 500; i++)
            {
                long index = random.NextInt64(Total);
                byte[] entry = log.ReadEntry(index).ToArray();
                Assert.Equal(LogTestKit.Entry(index), entry);
                Assert.True(LogTestKit.CoreVerifiesInclusion(entry, index, Total, log.GetInclusionProof(index, Total), last.RootHash.Span), $"index {index}");
            }

            // Inclusion in each earlier checkpoint's tree, and consistency from every earlier checkpoint to every later one.
            foreach (SignedCheckpoint old in checkpoints)
            {
                long index = old.Size - 1;
                Assert.True(LogTestKit.CoreVerifiesInclusion(LogTestKit.Entry(index), index, old.Size, log.GetInclusionProof(index, old.Size), old.RootHash.Span));
                foreach (SignedCheckpoint later in checkpoints.Where(c => c.Size >= old.Size))
                {
                    IReadOnlyList<byte[]> proof = log.GetConsistencyProof(old.Size, later.Size);
                    Assert.True(LogTestKit.CoreVerifiesConsistency(old.Size, later.Size, old.RootHash.Span, later.RootHash.Span, proof), $"{old.Size} -> {later.Size}");
                }
            }

            // A wrong root or a tampered proof does not verify (the checks above can fail).
            IReadOnlyList<byte[]> good = log.GetConsistencyProof(257, Total);
            Assert.False(LogTestKit.CoreVerifiesConsistency(257, Total, checkpoints[2].RootHash.Span, last.RootHash.Span, good));
            byte[][] bad = [.. good.Select(h => (byte[])h.Clone())];
            bad[0][0] ^= 1;
            Assert.False(LogTestKit.CoreVerifiesConsistency(257, Total, checkpoints[3].RootHash.Span, last.RootHash.Span, bad));
        }

        TransparencyLogInstance trusted = LogTestKit.TrustedLog(LogTestKit.Signer);
        foreach (SignedCheckpoint checkpoint in checkpoints)
        {
            CheckpointVerifier.Verify(Checkpoint.Parse(checkpoint.Text), trusted);
        }

        LogVerificationReport report = LogVerifier.Verify(_dir, LogTestKit.Signer.VerifierKey);
        Assert.Equal(Total, report.EntriesChecked);
        Assert.Equal(checkpoints[^1].Text, report.Checkpoint.Text);

        // 390 full + 1 partial level-0 tiles, 1 full + 1 partial at level 1, 1 partial at level 2.
        Assert.Equal(391 + 2 + 1, report.TilesChecked);
    }
}
