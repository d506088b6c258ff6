using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Transparency;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Tests.Transparency;

/// <summary>An in-test transparency log: a key (ECDSA P-256 or Ed25519), its trusted-root record, and signing helpers.</summary>
internal sealed class TestLog : IDisposable
{
    private static readonly byte[] Ed25519SpkiPrefix = Convert.FromHexString("302a300506032b6570032100");
    private readonly ECDsa? _ecdsa;
    private readonly Ed25519PrivateKeyParameters? _ed25519;

    private TestLog(string baseUrl, ECDsa? ecdsa, Ed25519PrivateKeyParameters? ed25519, TimeRange? validFor, byte[]? checkpointKeyId)
    {
        _ecdsa = ecdsa;
        _ed25519 = ed25519;
        byte[] spki = ecdsa is not null
            ? ecdsa.ExportSubjectPublicKeyInfo()
            : [.. Ed25519SpkiPrefix, .. ed25519!.GeneratePublicKey().GetEncoded()];
        LogId = SHA256.HashData(spki);
        Instance = new TransparencyLogInstance(
            baseUrl,
            "SHA2_256",
            PublicKeyVerifier.FromSubjectPublicKeyInfo(spki),
            ecdsa is not null ? "PKIX_ECDSA_P256_SHA_256" : "PKIX_ED25519",
            validFor ?? new TimeRange(DateTimeOffset.UnixEpoch, null),
            LogId,
            checkpointKeyId is null ? null : new ReadOnlyMemory<byte>(checkpointKeyId),
            null);
    }

    public TransparencyLogInstance Instance { get; }

    public byte[] LogId { get; }

    public string Name => Instance.OriginHostname;

    public static TestLog Ecdsa(string baseUrl = "https://rekor.test", TimeRange? validFor = null, byte[]? checkpointKeyId = null)
        => new(baseUrl, System.Security.Cryptography.ECDsa.Create(ECCurve.NamedCurves.nistP256), null, validFor, checkpointKeyId);

    public static TestLog Ed25519(string baseUrl = "https://log2025-1.rekor.test", TimeRange? validFor = null, byte[]? checkpointKeyId = null)
        => new(baseUrl, null, new Ed25519PrivateKeyParameters(new SecureRandom()), validFor, checkpointKeyId);

    /// <summary>The key hint this log's checkpoint signatures carry (as Rekor v1 / C2SP compute it).</summary>
    public byte[] KeyHint()
    {
        if (Instance.CheckpointKeyId is { Length: >= 4 } id)
        {
            return id[..4].ToArray();
        }

        if (_ed25519 is not null)
        {
            byte[] name = System.Text.Encoding.UTF8.GetBytes(Name);
            return SHA256.HashData([.. name, 0x0A, 0x01, .. _ed25519.GeneratePublicKey().GetEncoded()])[..4];
        }

        return LogId[..4];
    }

    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        if (_ecdsa is not null)
        {
            return _ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }

        var signer = new Ed25519Signer();
        signer.Init(true, _ed25519);
        byte[] message = data.ToArray();
        signer.BlockUpdate(message, 0, message.Length);
        return signer.GenerateSignature();
    }

    /// <summary>A signature line "— name base64(hint || signature)\n" over <paramref name="body"/>.</summary>
    public string SignatureLine(string body, string? name = null, byte[]? hint = null)
    {
        byte[] signature = Sign(System.Text.Encoding.UTF8.GetBytes(body));
        return $"\u2014 {name ?? Name} {Convert.ToBase64String([.. hint ?? KeyHint(), .. signature])}\n";
    }

    public static string Body(string origin, long size, ReadOnlySpan<byte> root, params string[] extensions)
        => $"{origin}\n{size}\n{Convert.ToBase64String(root)}\n" + string.Concat(extensions.Select(e => e + "\n"));

    public string SignedCheckpoint(long size, ReadOnlySpan<byte> root, string? origin = null)
    {
        string body = Body(origin ?? Name, size, root);
        return body + "\n" + SignatureLine(body);
    }

    /// <summary>Builds an entry whose body is <paramref name="body"/>, logged in a one-leaf-among-many tree with a signed checkpoint, and optionally a SET.</summary>
    public TransparencyLogEntry Entry(byte[] body, string kind, string version, bool withSet = true, bool withProof = true, long integratedTime = 1_700_000_000)
    {
        InclusionProof? proof = null;
        if (withProof)
        {
            var leaves = new List<byte[]> { Encoding("a"), Encoding("b"), body, Encoding("d"), Encoding("e") };
            const int index = 2;
            byte[] root = ReferenceMerkleTree.Root(leaves);
            List<ReadOnlyMemory<byte>> path = ReferenceMerkleTree.InclusionPath(index, leaves).Select(h => (ReadOnlyMemory<byte>)h).ToList();
            proof = new InclusionProof(index, root, leaves.Count, path, SignedCheckpoint(leaves.Count, root));
        }

        // A sharded Rekor v1 entry has a global index the SET signs; without a SET (Rekor v2) it is the proven index.
        long logIndex = withSet ? 42 : 2;
        var unsigned = new TransparencyLogEntry(logIndex, LogId, kind, version, withSet ? integratedTime : 0, null, proof, body);
        if (!withSet)
        {
            return unsigned;
        }

        byte[] set = Sign(SignedEntryTimestamp.Payload(unsigned));
        return new TransparencyLogEntry(logIndex, LogId, kind, version, integratedTime, set, proof, body);
    }

    public void Dispose()
    {
        _ecdsa?.Dispose();
        Instance.PublicKey.Dispose();
    }

    private static byte[] Encoding(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}

/// <summary>A trusted-material double listing only transparency logs.</summary>
internal sealed class TestTrust(params TransparencyLogInstance[] logs) : ITrustedMaterial
{
    public IReadOnlyList<TransparencyLogInstance> TransparencyLogs { get; } = logs;

    public IReadOnlyList<CertificateAuthority> CertificateAuthorities { get; } = [];

    public IReadOnlyList<TransparencyLogInstance> CertificateTransparencyLogs { get; } = [];

    public IReadOnlyList<CertificateAuthority> TimestampAuthorities { get; } = [];
}
