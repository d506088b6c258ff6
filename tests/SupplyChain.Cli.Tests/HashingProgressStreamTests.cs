using System.Security.Cryptography;

namespace SupplyChain.Cli.Tests;

public class HashingProgressStreamTests
{
    [Fact]
    public void Progress_is_reported_while_the_stream_is_hashed_unchanged()
    {
        byte[] data = new byte[3 * 1024 * 1024];
        new Random(3).NextBytes(data);
        var progress = new StringWriter();
        using var stream = new HashingProgressStream(new MemoryStream(data), progress, "big.bin", data.Length);

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(stream));
        string text = progress.ToString();
        Assert.Contains("\rhashing big.bin: 100% (3 of 3 MiB)", text, StringComparison.Ordinal);
        Assert.Contains("  1%", text, StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Small_files_and_redirected_stderr_get_no_wrapper()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[10]);
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read);
            Assert.Same(file, HashingProgressStream.Wrap(file, TextWriter.Null, stderrIsTerminal: true));
            Assert.Same(file, HashingProgressStream.Wrap(file, TextWriter.Null, stderrIsTerminal: false));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
