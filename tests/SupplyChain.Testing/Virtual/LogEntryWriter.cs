using SupplyChain.Core.Bundles;

namespace SupplyChain.Testing.Virtual;

/// <summary>Appends a body to a virtual log and returns the bundle's TransparencyLogEntry (sigstore_rekor.proto) for it.</summary>
internal static class LogEntryWriter
{
    private static readonly Lock Gate = new();

    public static TransparencyLogEntry Write(VirtualTransparencyLog log, string kind, string version, byte[] body, SigningOptions options, DateTimeOffset now)
    {
        long index;
        long treeSize;
        byte[] rootHash;
        IReadOnlyList<byte[]> path;
        lock (Gate)
        {
            index = log.Append(body);
            treeSize = log.Tree.Size;
            rootHash = log.Tree.RootHash(treeSize);
            path = log.Tree.InclusionProof(index, treeSize);
        }

        // Rekor v2 gives neither an integrated time nor an inclusion promise (SET).
        long integratedTime = 0;
        ReadOnlyMemory<byte>? set = null;
        if (log.Flavour == LogFlavour.RekorV1)
        {
            integratedTime = (options.IntegratedTime ?? now).ToUnixTimeSeconds();
            if (options.IncludeInclusionPromise)
            {
                set = log.SignEntryTimestamp(body, integratedTime, index);
            }
        }

        InclusionProof? proof = options.IncludeInclusionProof
            ? new InclusionProof(index, rootHash, treeSize, path.Select(h => (ReadOnlyMemory<byte>)h), log.SignCheckpoint(treeSize, rootHash))
            : null;
        return new TransparencyLogEntry(index, log.LogId, kind, version, integratedTime, set, proof, body);
    }
}
