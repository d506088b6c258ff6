namespace SupplyChain.Oci.Layout;

/// <summary>
/// Confines layout paths to configured roots by their real paths: every symbolic link on the way is resolved (as
/// <c>realpath(3)</c> does, bounded), so neither <c>..</c> nor a link inside a root can name a directory outside it.
/// </summary>
internal static class LayoutRoots
{
    private const int MaxLinks = 40;

    /// <summary>Throws <c>SC4065</c> unless <paramref name="layoutPath"/> is one of <paramref name="roots"/> or below one.</summary>
    public static void Check(string layoutPath, IReadOnlyList<string>? roots)
    {
        if (roots is null)
        {
            return;
        }

        string real = RealPath(layoutPath);
        foreach (string root in roots)
        {
            string realRoot = RealPath(Path.GetFullPath(root)).TrimEnd('/');
            if (real == realRoot || real.StartsWith(realRoot + "/", StringComparison.Ordinal))
            {
                return;
            }
        }

        throw OciErrors.LayoutReferenceRefused.ToException($"oci:{layoutPath} is not inside a configured layout root");
    }

    /// <summary>The path with every link resolved; components that do not exist are kept as they are.</summary>
    public static string RealPath(string path)
    {
        string[] pending = Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var queue = new Queue<string>(pending);
        string current = "/";
        int links = 0;
        while (queue.Count > 0)
        {
            string part = queue.Dequeue();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            string next = Path.Combine(current, part);
            string? target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw OciErrors.LayoutReferenceRefused.ToException($"oci:{path}: more than {MaxLinks} symbolic links");
            }

            // Resolve the link's target in place of this component, then the rest.
            string resolved = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
            var rest = queue.ToArray();
            queue.Clear();
            current = "/";
            foreach (string p in resolved.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest))
            {
                queue.Enqueue(p);
            }
        }

        return current;
    }
}
