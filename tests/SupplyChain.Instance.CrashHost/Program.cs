using System.Globalization;
using System.Text;
using SupplyChain.Instance.Log;

namespace SupplyChain.Instance.CrashHost;

/// <summary>
/// The process the crash test kills: <c>CrashHost &lt;log-dir&gt; &lt;key.pem&gt; &lt;origin&gt; &lt;round&gt;</c> opens the
/// log and appends from 16 concurrent appenders until killed, printing each acknowledged append as one
/// line <c>index base64(entry)</c>, flushed before the next append of that appender.
/// </summary>
internal static class Program
{
    private const int Appenders = 16;

    private static readonly Lock OutputLock = new();

    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 4)
        {
            await Console.Error.WriteLineAsync("usage: CrashHost <log-dir> <key.pem> <origin> <round>");
            return 2;
        }

        CheckpointSigner signer = CheckpointSigner.FromPkcs8Pem(args[2], await File.ReadAllTextAsync(args[1]));
        await using TileLog log = TileLog.Open(args[0], signer, new TileLogOptions { MaxBatchSize = 64 });
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
        await Task.WhenAll(Enumerable.Range(0, Appenders).Select(appender => Task.Run(async () =>
        {
            for (long sequence = 0; ; sequence++)
            {
                byte[] entry = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"round {args[3]} appender {appender} entry {sequence} {new string('e', (int)(sequence % 50))}"));
                LogAppendResult result = await log.AppendAsync(entry);
                lock (OutputLock)
                {
                    stdout.Write(string.Create(CultureInfo.InvariantCulture, $"{result.Index} {Convert.ToBase64String(entry)}\n"));
                }
            }
        })));
        return 0;
    }
}
