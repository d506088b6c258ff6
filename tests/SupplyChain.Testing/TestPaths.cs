namespace SupplyChain.Testing;

/// <summary>Locates the repository, its testdata, and the shared fixtures beside the checkout.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The repository root (the folder holding SupplyChain.sln).</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The repository's testdata folder.</summary>
    public static string TestData => Path.Combine(RepositoryRoot, "testdata");

    /// <summary>
    /// The shared folder (Sigstore conformance vectors, TUF repositories): <c>$SUPPLYCHAIN_SHARED</c>,
    /// else <c>../shared</c> beside the checkout. <see langword="null"/> when absent (a user's fresh clone).
    /// </summary>
    public static string? Shared
    {
        get
        {
            string? fromEnv = Environment.GetEnvironmentVariable("SUPPLYCHAIN_SHARED");
            string candidate = string.IsNullOrEmpty(fromEnv) ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared")) : fromEnv;
            return Directory.Exists(Path.Combine(candidate, "conformance")) ? candidate : null;
        }
    }

    /// <summary>The conformance bundle-verify folder, or <see langword="null"/> when the shared folder is absent.</summary>
    public static string? ConformanceBundleVerify => Shared is { } s ? Path.Combine(s, "conformance", "assets", "bundle-verify") : null;

    /// <summary><see langword="true"/> under CI (<c>CI=true</c>), where missing fixtures are failures, not skips.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupplyChain.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SupplyChain.sln not found above " + AppContext.BaseDirectory);
    }
}
