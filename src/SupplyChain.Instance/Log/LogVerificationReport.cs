namespace SupplyChain.Instance.Log;

/// <summary>What <see cref="LogVerifier.Verify"/> checked.</summary>
public sealed class LogVerificationReport
{
    internal LogVerificationReport(SignedCheckpoint checkpoint, long entriesChecked, int tilesChecked)
    {
        Checkpoint = checkpoint;
        EntriesChecked = entriesChecked;
        TilesChecked = tilesChecked;
    }

    /// <summary>The verified checkpoint.</summary>
    public SignedCheckpoint Checkpoint { get; }

    /// <summary>Entries read and hashed (the tree size).</summary>
    public long EntriesChecked { get; }

    /// <summary>Hash tiles compared with their recomputation.</summary>
    public int TilesChecked { get; }
}
