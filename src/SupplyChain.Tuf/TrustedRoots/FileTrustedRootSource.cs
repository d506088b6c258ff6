using Microsoft.Extensions.Logging;
using SupplyChain.Core.Errors;

namespace SupplyChain.Tuf.TrustedRoots;

/// <summary>
/// A <c>trusted_root.json</c> on disk (an air-gapped cluster's mounted ConfigMap): re-read on every refresh, by path
/// (Kubernetes swaps a mount's <c>..data</c> symlink, so the file is never kept open), and swapped in when its content
/// (SHA-256) changed. A new version that cannot be read (SC3070) or parsed (SC3071, the parser's code inside) is
/// reported once and the previous trusted root stays; the same bad content is not reported again.
/// </summary>
public sealed class FileTrustedRootSource : ITrustedRootSource
{
    private readonly string _path;
    private readonly ILogger? _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _rejected;
    private TrustedRootSnapshot? _current;

    /// <summary>Creates the source. Nothing is read before the first <see cref="RefreshAsync"/>.</summary>
    /// <param name="path">The <c>trusted_root.json</c> file.</param>
    /// <param name="loggerFactory">Where refreshes are logged; <see langword="null"/> for nowhere.</param>
    public FileTrustedRootSource(string path, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        _logger = loggerFactory?.CreateLogger<FileTrustedRootSource>();
    }

    /// <summary>The file.</summary>
    public string Path => _path;

    /// <inheritdoc />
    public TrustedRootSnapshot? Current => Volatile.Read(ref _current);

    /// <inheritdoc />
    public async Task<TrustedRootRefresh> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Refresh();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private TrustedRootRefresh Refresh()
    {
        byte[] content;
        try
        {
            content = Read(_path);
        }
        catch (SupplyChainException ex)
        {
            TrustedRootSourceLog.RefreshFailed(_logger, _path, ex.Code, ex.Message);
            return TrustedRootRefresh.Failed(ex);
        }

        string version = TrustedRootSnapshot.VersionOf(content);
        if (version == Current?.Version || version == _rejected)
        {
            return TrustedRootRefresh.Unchanged;
        }

        try
        {
            Volatile.Write(ref _current, TrustedRootSnapshot.Parse(content));
            _rejected = null;
            TrustedRootSourceLog.Updated(_logger, _path, version);
            return TrustedRootRefresh.Updated;
        }
        catch (SupplyChainException ex)
        {
            _rejected = version;
            SupplyChainException error = TufErrors.TrustedRootFileUnusable.ToException($"{_path}: {ex.Message}", ex);
            TrustedRootSourceLog.RefreshFailed(_logger, _path, error.Code, ex.Message);
            return TrustedRootRefresh.Failed(error);
        }
    }

    private static byte[] Read(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > Limits.MaxTrustedRootFileBytes)
            {
                throw TufErrors.TrustedRootFileUnreadable.ToException($"{path}: larger than {Limits.MaxTrustedRootFileBytes} bytes");
            }

            var buffer = new byte[stream.Length];
            stream.ReadExactly(buffer);
            return buffer;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw TufErrors.TrustedRootFileUnreadable.ToException($"{path}: {ex.Message}", ex);
        }
    }
}
