namespace SupplyChain.Fuzz;

/// <summary>Runs saved inputs (corpus, crashes, regressions) through a target and reports each violation with its stack.</summary>
internal static class Replay
{
    public static int Run(FuzzTarget target, IEnumerable<string> paths)
    {
        int failures = 0;
        int count = 0;
        foreach (string file in Inputs(paths))
        {
            count++;
            byte[] input = File.ReadAllBytes(file);
            try
            {
                string? code = FuzzContract.Check(target, input);
                Console.WriteLine($"ok   {code ?? "accepted",-8} {file}");
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"FAIL {e.GetType().Name,-8} {file}");
                Console.WriteLine(e.ToString());
            }
        }

        Console.WriteLine($"{count - failures} passed, {failures} failed");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Every file named, and every file under every folder named, in ordinal order.</summary>
    public static IEnumerable<string> Inputs(IEnumerable<string> paths) =>
        paths.SelectMany(p => Directory.Exists(p)
                ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != "README.md")
                : [p])
            .Order(StringComparer.Ordinal);
}
