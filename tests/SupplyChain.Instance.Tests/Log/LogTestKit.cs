using System.Security.Cryptography;
using System.Text;
using SupplyChain.Core.Transparency;
using SupplyChain.Core.Trust;
using SupplyChain.Instance.Log;

namespace SupplyChain.Instance.Tests.Log;

/// <summary>A temporary log directory, a straightforward RFC 6962 reference, and Core's verifiers.</summary>
internal static class LogTestKit
{
    public const string Origin = "log.instance.test";

    public static readonly CheckpointSigner Signer = CheckpointSigner.Generate(Origin);

    public static string NewDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "sc-tiles-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static byte[] Entry(long index) => Encoding.UTF8.GetBytes($"entry {index} " + new string('x', (int)(index % 97)));

    /// <summary>RFC 6962 section 2.1, written recursively and naively, as the reference.</summary>
    public static byte[] ReferenceRoot(IReadOnlyList<byte[]> entries, int start, int count)
    {
        if (count == 0)
        {
            return SHA256.HashData([]);
        }

        if (count == 1)
        {
            return SHA256.HashData([0x00, .. entries[start]]);
        }

        int k = 1;
        while (k * 2 < count)
        {
            k *= 2;
        }

        return SHA256.HashData([0x01, .. ReferenceRoot(entries, start, k), .. ReferenceRoot(entries, start + k, count - k)]);
    }

    public static byte[] LeafHash(byte[] entry) => SHA256.HashData([0x00, .. entry]);

    public static bool CoreVerifiesInclusion(byte[] entry, long index, long treeSize, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root) =>
        MerkleTree.VerifyInclusion(index, treeSize, LeafHash(entry), [.. proof.Select(p => (ReadOnlyMemory<byte>)p)], root);

    public static bool CoreVerifiesConsistency(long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> proof) =>
        MerkleTree.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, [.. proof.Select(p => (ReadOnlyMemory<byte>)p)]);

    /// <summary>The trusted_root.json tlogs entry the CheckpointSigner documents, parsed by Core.</summary>
    public static TransparencyLogInstance TrustedLog(CheckpointSigner signer)
    {
        string json = $$"""
            {
              "mediaType": "{{TrustedRoot.MediaTypeV0_1}}",
              "tlogs": [{
                "baseUrl": "https://{{signer.Name}}",
                "hashAlgorithm": "SHA2_256",
                "publicKey": { "rawBytes": "{{Convert.ToBase64String(signer.PublicKeySpki)}}", "keyDetails": "PKIX_ED25519", "validFor": { "start": "2020-01-01T00:00:00Z" } },
                "logId": { "keyId": "{{Convert.ToBase64String(signer.LogId)}}" }
              }],
              "certificateAuthorities": [],
              "ctlogs": [],
              "timestampAuthorities": []
            }
            """;
        return TrustedRoot.Parse(Encoding.UTF8.GetBytes(json)).TransparencyLogs.Single();
    }

    public static async Task AppendAllAsync(TileLog log, IEnumerable<byte[]> entries)
    {
        await Task.WhenAll(entries.Select(e => log.AppendAsync(e)));
    }
}
