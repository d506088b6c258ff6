using Org.BouncyCastle.Pkcs;
using SupplyChain.Instance.Log;

namespace SupplyChain.Testing.Virtual;

/// <summary>
/// The shipped instance's Rekor v2 log (<see cref="TileLog"/>) under a <see cref="VirtualTransparencyLog"/>: a
/// <see cref="CheckpointSigner"/> over the virtual log's own Ed25519 key, writing to a fresh temporary directory
/// that <see cref="Dispose"/> deletes (or, for a log a test never disposes, the end of the test process).
/// </summary>
internal sealed class InstanceBackedLog : IDisposable
{
    private readonly DirectoryInfo _directory;

    public InstanceBackedLog(string origin, LogKey key)
    {
        string pem = new string(System.Security.Cryptography.PemEncoding.Write("PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(key.Ed25519PrivateKey).GetDerEncoded())) + "\n";
        Signer = CheckpointSigner.FromPkcs8Pem(origin, pem);
        _directory = Directory.CreateTempSubdirectory("supplychain-virtual-rekor-");
        Log = TileLog.Open(_directory.FullName, Signer);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public CheckpointSigner Signer { get; }

    public TileLog Log { get; }

    /// <summary>Appends one entry and waits until it and a checkpoint over it are durable.</summary>
    public LogAppendResult Append(byte[] entry) => Log.AppendAsync(entry).GetAwaiter().GetResult();

    /// <summary>Appends entries in order, queued together so that one checkpoint covers them.</summary>
    public void AppendAll(IReadOnlyList<byte[]> entries)
    {
        Task<LogAppendResult>[] pending = [.. entries.Select(e => Log.AppendAsync(e))];
        Task.WhenAll(pending).GetAwaiter().GetResult();
        for (int i = 0; i < pending.Length; i++)
        {
            if (pending[i].Result.Index != i)
            {
                throw new InvalidOperationException($"filler {i} landed at index {pending[i].Result.Index}");
            }
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Log.Dispose();
        DeleteDirectory();
    }

    private void OnProcessExit(object? sender, EventArgs e) => DeleteDirectory();

    private void DeleteDirectory()
    {
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary directory is harmless.
        }
    }
}
