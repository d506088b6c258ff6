using SupplyChain.Core.Errors;

namespace SupplyChain.Tuf.Metadata;

/// <summary>Threshold signature checks (TUF spec 5.3.4, 5.4.2, 5.5.3, 5.6.3).</summary>
internal static class Signatures
{
    /// <summary>
    /// Counts valid signatures over the canonical JSON of <c>signed</c> by keys of <paramref name="role"/>. A key counts
    /// once however many entries it has: duplicates by keyid, and different keyids naming the same key material, are
    /// counted once. Empty <c>sig</c> entries are missing signatures, not errors.
    /// </summary>
    public static int CountValid(MetadataFile file, IReadOnlyDictionary<string, TufKey> keys, RoleKeys role)
    {
        var countedKeyIds = new HashSet<string>(StringComparer.Ordinal);
        var countedKeys = new HashSet<string>(StringComparer.Ordinal);
        var roleKeyIds = new HashSet<string>(role.KeyIds, StringComparer.Ordinal);
        foreach (TufSignature signature in file.Signatures)
        {
            if (!roleKeyIds.Contains(signature.KeyId) || countedKeyIds.Contains(signature.KeyId)
                || !keys.TryGetValue(signature.KeyId, out TufKey? key) || key.Identity is not { } identity || countedKeys.Contains(identity))
            {
                continue;
            }

            if (key.Verify(file.CanonicalSigned, signature.Sig))
            {
                countedKeyIds.Add(signature.KeyId);
                countedKeys.Add(identity);
            }
        }

        return countedKeys.Count;
    }

    public static void VerifyThreshold(MetadataFile file, IReadOnlyDictionary<string, TufKey> keys, RoleKeys role, string name, ErrorCode failure)
    {
        int valid = CountValid(file, keys, role);
        if (valid < role.Threshold)
        {
            throw failure.ToException($"{name}: {valid} valid signature(s) by distinct keys, threshold {role.Threshold}");
        }
    }
}
