using SupplyChain.Core.Errors;
using SupplyChain.Instance.Log;

namespace SupplyChain.Instance.Tests.Log;

public sealed class RecoveryTests : IDisposable
{
    private readonly string _dir = LogTestKit.NewDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string TilePath(params string[] parts) => Path.Combine([_dir, "tile", .. parts]);

    private async Task<SignedCheckpoint> FillAsync(int count)
    {
        await using TileLog log = TileLog.Open(_dir, LogTestKit.Signer, new TileLogOptions { MaxBatchSize = 50 });
        await LogTestKit.AppendAllAsync(log, Enumerable.Range(0, count).Select(i => LogTestKit.Entry(i)));
        return log.LatestCheckpoint;
    }

    [Fact]
    public async Task Reopening_keeps_every_entry_and_appends_continue()
    {
        SignedCheckpoint before = await FillAsync(300);
        await using (TileLog log = TileLog.Open(_dir, LogTestKit.Signer))
        {
            Assert.Equal(before.Text, log.LatestCheckpoint.Text);
            for (int i = 0; i < 300; i++)
            {
                Assert.Equal(LogTestKit.Entry(i), log.ReadEntry(i).ToArray());
            }

            LogAppendResult next = await log.AppendAsync(LogTestKit.Entry(300));
            Assert.Equal(300, next.Index);
            Assert.True(LogTestKit.CoreVerifiesConsistency(300, 301, before.RootHash.Span, next.RootHash.Span, log.GetConsistencyProof(300, 301)));
        }

        Assert.Equal(301, LogVerifier.Verify(_dir, LogTestKit.Signer.VerifierKey).EntriesChecked);
    }

    [Fact]
    public async Task A_second_writer_is_refused_until_the_first_closes()
    {
        TileLog first = TileLog.Open(_dir, LogTestKit.Signer);
        Assert.Equal("SC8101", Assert.Throws<TrustRootException>(() => TileLog.Open(_dir, LogTestKit.Signer)).Code);
        await first.DisposeAsync();
        Assert.Equal("SC8110", (await Assert.ThrowsAsync<ServiceRequestException>(() => first.AppendAsync(new byte[] { 1 }))).Code);
        using TileLog second = TileLog.Open(_dir, LogTestKit.Signer);
        Assert.Equal(0, second.Size);
    }

    [Fact]
    public async Task A_failed_write_stops_appends_until_the_log_is_reopened()
    {
        TileLog log = TileLog.Open(_dir, LogTestKit.Signer);

        // A file where the tile directory must go: the commit fails (even for root, unlike permissions).
        await File.WriteAllTextAsync(Path.Combine(_dir, "tile"), "in the way");
        Assert.Equal("SC8110", (await Assert.ThrowsAsync<ServiceRequestException>(() => log.AppendAsync(new byte[] { 1 }))).Code);
        Assert.Equal("SC8110", (await Assert.ThrowsAsync<ServiceRequestException>(() => log.AppendAsync(new byte[] { 2 }))).Code);
        Assert.Equal(0, log.Size);
        await log.DisposeAsync();

        File.Delete(Path.Combine(_dir, "tile"));
        await using TileLog reopened = TileLog.Open(_dir, LogTestKit.Signer);
        Assert.Equal(0, reopened.Size);
        Assert.Equal(0, (await reopened.AppendAsync(new byte[] { 3 })).Index);
    }

    [Fact]
    public async Task A_forged_checkpoint_signature_or_another_key_is_refused()
    {
        SignedCheckpoint checkpoint = await FillAsync(10);
        Assert.Equal("SC8103", Assert.Throws<VerificationFailedException>(() => TileLog.Open(_dir, CheckpointSigner.Generate(LogTestKit.Origin))).Code);
        Assert.Equal("SC8103", Assert.Throws<VerificationFailedException>(() => LogVerifier.Verify(_dir, CheckpointSigner.Generate("other.test").VerifierKey)).Code);

        string text = checkpoint.Text;
        int signatureStart = text.LastIndexOf(' ') + 1;
        char[] forged = text.ToCharArray();
        forged[signatureStart + 10] = forged[signatureStart + 10] == 'A' ? 'B' : 'A';
        File.WriteAllText(Path.Combine(_dir, "checkpoint"), new string(forged));
        Assert.Equal("SC8103", Assert.Throws<VerificationFailedException>(() => LogVerifier.Verify(_dir, LogTestKit.Signer.VerifierKey)).Code);
        Assert.Equal("SC8103", Assert.Throws<VerificationFailedException>(() => TileLog.Open(_dir, LogTestKit.Signer)).Code);

        File.WriteAllText(Path.Combine(_dir, "checkpoint"), "garbage");
        Assert.Equal("SC8103", Assert.Throws<VerificationFailedException>(() => TileLog.Open(_dir, LogTestKit.Signer)).Code);

        File.WriteAllBytes(Path.Combine(_dir, "checkpoint"), new byte[20000]);
        Assert.Equal("SC8105", Assert.Throws<MalformedInputException>(() => LogVerifier.Verify(_dir, LogTestKit.Signer.VerifierKey)).Code);

        File.Delete(Path.Combine(_dir, "checkpoint"));
        Assert.Equal("SC8105", Assert.Throws<MalformedInputException>(() => TileLog.Open(_dir, LogTestKit.Signer)).Code);
    }

    [Fact]
    public async Task A_tampered_full_tile_is_reported_by_the_verifier()
    {
        await FillAsync(300);
        byte[] tile = File.ReadAllBytes(TilePath("0", "000"));
        tile[100] ^= 0x01;
        File.WriteAllBytes(TilePath("0", "000"), tile);
        Assert.Equal("SC8104", Assert.Throws<VerificationFailedException>(() => LogVerifier.Verify(_dir, LogTestKit.Signer.VerifierKey)).Code);
    }

    [Fact]
    public async Task A_tampered_edge_tile_is_refused_on_open_and_by_the_verifier()
    {
        await FillAsync(300);
        byte[] tile = File.ReadAllBytes(TilePath("1", "000.p", "1"));
        tile[0] ^= 0x01;
        File.WriteAllBytes(TilePath("1", "000.p", "1"), tile);
        Assert.Equal("SC8106", Assert.Throws<VerificationFailedException>(() => TileLog.Open(_dir, LogTestKit.Signer)).Code);
        Assert.Equal("SC8104", Assert.Throws<VerificationFailedException>(() => LogVerifier.Verify(_dir, LogTestKit.Signer.VerifierKey)).Code);
    }

    [Fact]
    public async Task A_changed_entry_is_reported_against_its_tile()
    {
        await FillAsync(300);
        byte[] bundle = File.ReadAllBytes(TilePath("entries", "001.p", "44"));
        bundle[^1] ^= 0x01;
        File.WriteAllBytes(TilePath("entries", "001.p", "44"), bundle);
        Assert.Equal("SC8104", Assert.Throws<VerificationFailedException>(() => TileLog.Open(_dir, LogTestKit.Signer)).Code);
        Assert.Equal("SC8104", Assert.Throws<VerificationFailedException>(() => LogVerifier.Verify(_dir, LogTestKit.Signer.VerifierKey)).Code);
    }

    [Fact]
    public async Task Truncated_or_missing_files_are_reported_as_malformed()
    {
        await FillAsync(300);
        byte[] bundle = File.ReadAllBytes(TilePath("entries", "000"));
        File.WriteAllBytes(TilePath("entries", "000"), bundle[..^3]);
        Assert.Equal("SC8105", Assert.Throws<MalformedInputException>(() => LogVerifier.Verify(_dir, LogTestKit.Signer.VerifierKey)).Code);
        File.WriteAllBytes(TilePath("entries", "000"), [.. bundle, 0, 1, 7]);
        Assert.Equal("SC8105", Assert.Throws<MalformedInputException>(() => LogVerifier.Verify(_dir, LogTestKit.Signer.VerifierKey)).Code);
        File.WriteAllBytes(TilePath("entries", "000"), bundle);
        Assert.Equal(300, LogVerifier.Verify(_dir, LogTestKit.Signer.VerifierKey).EntriesChecked);

        File.WriteAllBytes(TilePath("0", "001.p", "44"), new byte[43 * 32]);
        Assert.Equal("SC8105", Assert.Throws<MalformedInputException>(() => TileLog.Open(_dir, LogTestKit.Signer)).Code);
        File.Delete(TilePath("0", "001.p", "44"));
        Assert.Equal("SC8105", Assert.Throws<MalformedInputException>(() => TileLog.Open(_dir, LogTestKit.Signer)).Code);
        Assert.Equal("SC8105", Assert.Throws<MalformedInputException>(() => LogVerifier.Verify(_dir, LogTestKit.Signer.VerifierKey)).Code);
    }

    [Fact]
    public async Task Files_an_interrupted_append_left_past_the_checkpoint_are_removed()
    {
        await FillAsync(300);
        string[] leftovers =
        [
            TilePath("0", "001.p", "45"),
            TilePath("0", "001"),
            TilePath("entries", "001.p", "200"),
            TilePath("1", "000.p", "2"),
            TilePath("0", "001.p", "44.tmp"),
            Path.Combine(_dir, "checkpoint.tmp"),
        ];
        foreach (string leftover in leftovers)
        {
            File.WriteAllBytes(leftover, new byte[64]);
        }

        await using (TileLog log = TileLog.Open(_dir, LogTestKit.Signer))
        {
            Assert.Equal(300, log.Size);
            Assert.All(leftovers, l => Assert.False(File.Exists(l), l));
            await LogTestKit.AppendAllAsync(log, Enumerable.Range(300, 260).Select(i => LogTestKit.Entry(i)));
        }

        Assert.Equal(560, LogVerifier.Verify(_dir, LogTestKit.Signer.VerifierKey).EntriesChecked);
    }

    [Fact]
    public void Keys_round_trip_as_pkcs8_pem_and_bad_keys_or_origins_have_codes()
    {
        CheckpointSigner signer = CheckpointSigner.Generate("a.test");
        CheckpointSigner loaded = CheckpointSigner.FromPkcs8Pem("a.test", signer.ToPkcs8Pem());
        Assert.Equal(signer.VerifierKey, loaded.VerifierKey);
        Assert.StartsWith("a.test+" + signer.KeyId.ToString("x8"), signer.VerifierKey, StringComparison.Ordinal);

        using var ecdsa = System.Security.Cryptography.ECDsa.Create();
        Assert.Equal("SC8108", Assert.Throws<MalformedInputException>(() => CheckpointSigner.FromPkcs8Pem("a.test", ecdsa.ExportPkcs8PrivateKeyPem())).Code);
        Assert.Equal("SC8108", Assert.Throws<MalformedInputException>(() => CheckpointSigner.FromPkcs8Pem("a.test", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")).Code);
        Assert.Equal("SC8108", Assert.Throws<MalformedInputException>(() => CheckpointSigner.FromPkcs8Pem("a.test", "not pem")).Code);
        Assert.Equal("SC8108", Assert.Throws<MalformedInputException>(() => SignedCheckpoint.Parse("x", "a.test+00000000+AAAA")).Code);
        Assert.Equal("SC8109", Assert.Throws<TrustRootException>(() => CheckpointSigner.Generate("has space")).Code);
        Assert.Equal("SC8109", Assert.Throws<TrustRootException>(() => CheckpointSigner.Generate("a+b")).Code);
        Assert.Equal("SC8109", Assert.Throws<TrustRootException>(() => CheckpointSigner.Generate("")).Code);
    }
}
