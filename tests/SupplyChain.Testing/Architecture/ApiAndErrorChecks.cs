using System.Reflection;
using System.Text;
using SupplyChain.Core.Errors;
using Xunit;

namespace SupplyChain.Testing.Architecture;

/// <summary>
/// Checks shared by every library's test project (DESIGN.md conventions 2 and 8): the public API matches
/// src/PROJECT/PublicAPI.Shipped.txt + PublicAPI.Unshipped.txt (rewrite Unshipped after a deliberate change with
/// SUPPLYCHAIN_UPDATE_PUBLIC_API=1), and every error code of a library is unique, in its range and listed in
/// docs/errors.md with its category.
/// </summary>
public static class ApiAndErrorChecks
{
    /// <summary>Asserts the public API of <paramref name="assembly"/> equals the tracked files of src/<paramref name="project"/>.</summary>
    /// <param name="assembly">The library.</param>
    /// <param name="project">Its folder name under src/.</param>
    public static void AssertPublicApiTracked(Assembly assembly, string project)
    {
        // Libraries live in src/, the admission webhook in admission/.
        string projectDir = Path.Combine(TestPaths.RepositoryRoot, "src", project);
        if (!Directory.Exists(projectDir))
        {
            projectDir = Path.Combine(TestPaths.RepositoryRoot, "admission", project);
        }

        string unshippedPath = Path.Combine(projectDir, "PublicAPI.Unshipped.txt");
        HashSet<string> shipped = ReadLines(Path.Combine(projectDir, "PublicAPI.Shipped.txt"));
        List<string> actual = PublicApi.Describe(assembly);
        if (Environment.GetEnvironmentVariable("SUPPLYCHAIN_UPDATE_PUBLIC_API") == "1")
        {
            File.WriteAllLines(unshippedPath, actual.Where(l => !shipped.Contains(l)));
        }

        var tracked = shipped.Concat(ReadLines(unshippedPath)).ToHashSet(StringComparer.Ordinal);
        var added = actual.Where(l => !tracked.Contains(l)).ToList();
        var removed = tracked.Where(l => !actual.Contains(l)).Order(StringComparer.Ordinal).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0, new StringBuilder()
            .AppendLine($"The public API of {project} changed. Added (not in PublicAPI.*.txt):").AppendJoin('\n', added).AppendLine()
            .AppendLine("Removed (still in PublicAPI.*.txt):").AppendJoin('\n', removed).AppendLine()
            .AppendLine("If deliberate: SUPPLYCHAIN_UPDATE_PUBLIC_API=1 dotnet test, then review the diff of PublicAPI.Unshipped.txt").ToString());
    }

    /// <summary>Asserts every <see cref="ErrorCode"/> field of <paramref name="errors"/> is unique, matches <paramref name="codePattern"/> and is catalogued.</summary>
    /// <param name="errors">The static class declaring the codes.</param>
    /// <param name="codePattern">An anchored pattern such as <c>^SC1[0-9]{3}$</c>.</param>
    /// <returns>How many codes were checked.</returns>
    public static int AssertErrorCodesCatalogued(Type errors, string codePattern)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var codes = errors.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorCode))
            .Select(f => (ErrorCode)f.GetValue(null)!)
            .ToList();
        string doc = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "errors.md"));
        Assert.Equal(codes.Count, codes.Select(c => c.Code).Distinct().Count());
        foreach (ErrorCode code in codes)
        {
            Assert.Matches(codePattern, code.Code);
            Assert.Contains($"| `{code.Code}` | {CategoryText(code.Category)} |", doc, StringComparison.Ordinal);
        }

        return codes.Count;
    }

    private static string CategoryText(ErrorCategory category) => category switch
    {
        ErrorCategory.VerificationFailed => "verification failed",
        ErrorCategory.MalformedInput => "malformed input",
        ErrorCategory.TrustRootOrConfiguration => "trust root / configuration",
        _ => "service failure",
    };

    private static HashSet<string> ReadLines(string path) =>
        File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal) : [];
}
