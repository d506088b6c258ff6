using System.Reflection;
using SupplyChain.Core.Errors;
using Xunit;

namespace SupplyChain.Testing.Architecture;

/// <summary>
/// Checks shared by every library's test project (DESIGN.md conventions 2 and 8): the public API is declared in
/// PublicAPI.Shipped.txt + PublicAPI.Unshipped.txt for the public API analyzer (which enforces it at build time), and
/// every error code of a library is unique, in its range and listed in docs/errors.md with its category.
/// </summary>
public static class ApiAndErrorChecks
{
    /// <summary>
    /// Asserts the public API of src/<paramref name="project"/> (or admission/<paramref name="project"/>) is declared for
    /// the Roslyn public API analyzer, which checks it on every build (RS0016 for an undeclared public symbol, RS0017 for
    /// a declared one that is gone; warnings are errors): both files exist and record nullability, and the project
    /// resolved the analyzer package. After a deliberate change, scripts/update-public-api.sh rewrites the Unshipped file.
    /// </summary>
    /// <param name="project">Its folder name under src/ or admission/.</param>
    public static void AssertPublicApiDeclared(string project)
    {
        string projectDir = Path.Combine(TestPaths.RepositoryRoot, "src", project);
        if (!Directory.Exists(projectDir))
        {
            projectDir = Path.Combine(TestPaths.RepositoryRoot, "admission", project);
        }

        foreach (string file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
        {
            string path = Path.Combine(projectDir, file);
            Assert.True(File.Exists(path), $"{project} has no {file}");
            Assert.Equal("#nullable enable", File.ReadLines(path).FirstOrDefault());
        }

        Assert.Contains(File.ReadLines(Path.Combine(projectDir, "PublicAPI.Unshipped.txt")).Skip(1), l => l.Length > 0);
        string assets = File.ReadAllText(Path.Combine(projectDir, "obj", "project.assets.json"));
        Assert.Contains("\"Microsoft.CodeAnalysis.PublicApiAnalyzers/", assets, StringComparison.Ordinal);
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
}
