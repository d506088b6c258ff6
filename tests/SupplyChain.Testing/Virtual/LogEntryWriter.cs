using SupplyChain.Core.Bundles;

namespace SupplyChain.Testing.Virtual;

/// <summary>Appends a body to a virtual log and returns the bundle's TransparencyLogEntry (sigstore_rekor.proto) for it.</summary>
internal static class LogEntryWriter
{
    public static TransparencyLogEntry Write(VirtualTransparencyLog log, string kind, string version, byte[] body, SigningOptions options, DateTimeOffset now)
    {
        LogAppend appended = log.AppendWithProof(body);
        long index = appended.Index;

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
            ? new InclusionProof(index, appended.RootHash, appended.TreeSize, appended.InclusionProof.Select(h => (ReadOnlyMemory<byte>)h), appended.Checkpoint)
            : null;
        return new TransparencyLogEntry(index, log.LogId, kind, version, integratedTime, set, proof, body);
    }
}
