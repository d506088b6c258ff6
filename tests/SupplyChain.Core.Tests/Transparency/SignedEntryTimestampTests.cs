using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Transparency;

namespace SupplyChain.Core.Tests.Transparency;

public sealed class SignedEntryTimestampTests : IDisposable
{
    private readonly TestLog _log = TestLog.Ecdsa();

    public void Dispose() => _log.Dispose();

    [Fact]
    public void The_payload_is_the_canonical_JSON_Rekor_signs()
    {
        var entry = new TransparencyLogEntry(7, new byte[] { 0xAB, 0x01 }, "hashedrekord", "0.0.1", 1_689_177_396, null, null, "{\"a\":1}"u8.ToArray());
        Assert.Equal("{\"body\":\"eyJhIjoxfQ==\",\"integratedTime\":1689177396,\"logID\":\"ab01\",\"logIndex\":7}", System.Text.Encoding.UTF8.GetString(SignedEntryTimestamp.Payload(entry)));
    }

    [Fact]
    public void A_valid_SET_yields_the_integrated_time()
    {
        TransparencyLogEntry entry = _log.Entry("{}"u8.ToArray(), "hashedrekord", "0.0.1", withProof: false, integratedTime: 1_700_000_123);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_123), SignedEntryTimestamp.Verify(entry, _log.Instance));
    }

    [Fact]
    public void A_SET_over_other_values_is_rejected()
    {
        TransparencyLogEntry entry = _log.Entry("{}"u8.ToArray(), "hashedrekord", "0.0.1", withProof: false);
        var moved = new TransparencyLogEntry(entry.LogIndex + 1, entry.LogId, entry.Kind, entry.KindVersion, entry.IntegratedTime, entry.SignedEntryTimestamp, null, entry.CanonicalizedBody);
        var retimed = new TransparencyLogEntry(entry.LogIndex, entry.LogId, entry.Kind, entry.KindVersion, entry.IntegratedTime - 1, entry.SignedEntryTimestamp, null, entry.CanonicalizedBody);
        var rebodied = new TransparencyLogEntry(entry.LogIndex, entry.LogId, entry.Kind, entry.KindVersion, entry.IntegratedTime, entry.SignedEntryTimestamp, null, "{ }"u8.ToArray());
        foreach (TransparencyLogEntry bad in new[] { moved, retimed, rebodied })
        {
            Assert.Equal("SC1211", Assert.Throws<VerificationFailedException>(() => SignedEntryTimestamp.Verify(bad, _log.Instance)).Code);
        }
    }

    [Fact]
    public void A_SET_signed_by_another_key_is_rejected()
    {
        using TestLog other = TestLog.Ecdsa();
        TransparencyLogEntry entry = other.Entry("{}"u8.ToArray(), "hashedrekord", "0.0.1", withProof: false);
        Assert.Equal("SC1211", Assert.Throws<VerificationFailedException>(() => SignedEntryTimestamp.Verify(entry, _log.Instance)).Code);
    }
}
