using System.Globalization;

namespace SupplyChain.Cli;

/// <summary>
/// A read-only pass-through stream that reports how much of a large artifact has been hashed, as one
/// rewritten line on stderr. The artifact is still read once, as a stream, never whole.
/// </summary>
internal sealed class HashingProgressStream : Stream
{
    /// <summary>Artifacts above this size show progress when stderr is a terminal.</summary>
    public const long Threshold = 100L * 1024 * 1024;

    private readonly Stream _inner;
    private readonly TextWriter _progress;
    private readonly string _name;
    private readonly long _total;
    private long _read;
    private int _lastPercent = -1;

    public HashingProgressStream(Stream inner, TextWriter progress, string name, long total)
    {
        _inner = inner;
        _progress = progress;
        _name = name;
        _total = Math.Max(1, total);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    /// <summary>Wraps <paramref name="artifact"/> when it is large and progress can be shown; otherwise returns it.</summary>
    public static Stream Wrap(FileStream artifact, TextWriter stderr, bool stderrIsTerminal) =>
        stderrIsTerminal && artifact.Length > Threshold
            ? new HashingProgressStream(artifact, stderr, Path.GetFileName(artifact.Name), artifact.Length)
            : artifact;

    public override int Read(byte[] buffer, int offset, int count) => Report(_inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Report(_inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Report(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Report(int read)
    {
        _read += read;
        int percent = (int)Math.Min(100, _read * 100 / _total);
        if (percent != _lastPercent)
        {
            _lastPercent = percent;
            _progress.Write(string.Create(CultureInfo.InvariantCulture, $"\rhashing {_name}: {percent,3}% ({_read / (1024 * 1024)} of {_total / (1024 * 1024)} MiB)"));
            if (read == 0 || percent == 100)
            {
                _progress.WriteLine();
            }
        }

        return read;
    }
}
