using System.Diagnostics;
using System.Globalization;
using SupplyChain.Instance.Log;

namespace SupplyChain.Benchmarks;

/// <summary>
/// <c>log-appends [seconds]</c>: durable appends per second to the local tlog-tiles log on the real disk, at batch
/// sizes 1, 64 and 1024 with as many concurrent appenders, and as the in-run peer the disk's rate of durable file
/// replacements (write a temp file, fsync, rename, fsync the directory), which bounds any crash-safe log.
/// </summary>
internal static class LogAppendTimings
{
    public static int Run(double seconds)
    {
        string root = Path.Combine(Path.GetTempPath(), "sc-log-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            // The peer is measured right before each configuration, so both see the same disk and machine load.
            foreach ((int batch, int appenders) in new[] { (1, 1), (64, 64), (1024, 1024) })
            {
                double replacements = DurableReplacementsPerSecond(Path.Combine(root, $"raw-{batch}"), seconds);
                double appends = AppendsPerSecond(Path.Combine(root, $"log-{batch}"), batch, appenders, seconds).GetAwaiter().GetResult();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max batch {batch}, {appenders} concurrent appenders: {appends:F0} appends/s; peer: {replacements:F0} durable file replacements/s (write+fsync+rename+dir fsync); ratio {appends / replacements:F2}"));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    private static double DurableReplacementsPerSecond(string directory, double seconds)
    {
        Directory.CreateDirectory(directory);
        byte[] data = new byte[8192];
        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            string path = Path.Combine(directory, "file");
            using (var stream = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None, 1))
            {
                stream.Write(data);
                stream.Flush(flushToDisk: true);
            }

            File.Move(path + ".tmp", path, overwrite: true);
            PeerDirectorySync.Flush(directory);
            count++;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> AppendsPerSecond(string directory, int batch, int appenders, double seconds)
    {
        CheckpointSigner signer = CheckpointSigner.Generate("bench.log.test");
        await using TileLog log = TileLog.Open(directory, signer, new TileLogOptions { MaxBatchSize = batch });
        long count = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, appenders).Select(a => Task.Run(async () =>
        {
            byte[] entry = new byte[300];
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                Random.Shared.NextBytes(entry);
                await log.AppendAsync(entry);
                Interlocked.Increment(ref count);
            }
        })));
        return count / clock.Elapsed.TotalSeconds;
    }
}
