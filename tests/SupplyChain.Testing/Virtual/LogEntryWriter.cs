using System.Globalization;
using System.Text.Json.Nodes;

namespace SupplyChain.Testing.Virtual;

/// <summary>Appends a body to a virtual log and writes the bundle's TransparencyLogEntry (sigstore_rekor.proto) JSON.</summary>
internal static class LogEntryWriter
{
    private static readonly Lock Gate = new();

    public static JsonObject Write(VirtualTransparencyLog log, string kind, string version, byte[] body, SigningOptions options, DateTimeOffset now)
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

        var entry = new JsonObject
        {
            ["logIndex"] = Int64(index),
            ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(log.LogId) },
            ["kindVersion"] = new JsonObject { ["kind"] = kind, ["version"] = version },
        };

        if (log.Flavour == LogFlavour.RekorV1)
        {
            long integratedTime = (options.IntegratedTime ?? now).ToUnixTimeSeconds();
            entry["integratedTime"] = Int64(integratedTime);
            if (options.IncludeInclusionPromise)
            {
                byte[] set = log.SignEntryTimestamp(body, integratedTime, index);
                entry["inclusionPromise"] = new JsonObject { ["signedEntryTimestamp"] = Convert.ToBase64String(set) };
            }
        }

        if (options.IncludeInclusionProof)
        {
            var hashes = new JsonArray();
            foreach (byte[] hash in path)
            {
                hashes.Add(Convert.ToBase64String(hash));
            }

            entry["inclusionProof"] = new JsonObject
            {
                ["logIndex"] = Int64(index),
                ["rootHash"] = Convert.ToBase64String(rootHash),
                ["treeSize"] = Int64(treeSize),
                ["hashes"] = hashes,
                ["checkpoint"] = new JsonObject { ["envelope"] = log.SignCheckpoint(treeSize, rootHash) },
            };
        }

        entry["canonicalizedBody"] = Convert.ToBase64String(body);
        return entry;
    }

    // proto3 JSON writes int64 as a decimal string.
    private static string Int64(long value) => value.ToString(CultureInfo.InvariantCulture);
}
