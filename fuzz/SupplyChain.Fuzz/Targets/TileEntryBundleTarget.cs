using System.Text;
using SupplyChain.Instance.Log;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// A tlog-tiles entry bundle (C2SP tlog-tiles: big-endian uint16 length-prefixed entries) that must hold a given number
/// of entries (the first byte, 1-256), and the same text as a tile path, which must print back to itself.
/// </summary>
internal sealed class TileEntryBundleTarget : FuzzTarget
{
    public override string Name => "tile-entry-bundle";

    public override string Description => "count byte + tlog-tiles entry bundle -> EntryBundle.Decode; text -> TilePath.TryParse round trip";

    public override string Dictionary => "text.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        string path = Encoding.UTF8.GetString(input);
        if (TilePath.TryParse(path, out TilePath tile) && (!TilePath.TryParse(tile.ToString(), out TilePath again) || again != tile || tile.ToString() != path))
        {
            throw new ContractViolationException($"tile path '{path}' is not canonical: it prints as '{tile}'", null);
        }

        EntryBundle.Decode(input[1..], input[0] + 1, "fuzz");
    }
}
