using System.Text.RegularExpressions;
using SupplyChain.Testing;

namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>docs/admission.md names the flags, metrics and files that exist, and says what is out of scope.</summary>
public partial class DocsTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "admission.md"));

    [Fact]
    public void The_flag_table_lists_exactly_the_servers_flags()
    {
        var documented = FlagRow().Matches(Doc).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ServerFlags.Names.Order(StringComparer.Ordinal), documented);
    }

    [Fact]
    public void Every_metric_documented_is_exported_and_every_exported_one_documented()
    {
        // What /metrics serves: every instrument of a fresh AdmissionMetrics, by its Prometheus name.
        var cache = new SupplyChain.Admission.Caching.VerdictCache(new SupplyChain.Admission.Caching.VerdictCacheOptions());
        using var metrics = new SupplyChain.Admission.Hosting.Metrics.AdmissionMetrics(cache, () => true);
        var exported = TypeLine().Matches(metrics.Render()).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var documented = Metric().Matches(Doc).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(exported);
        Assert.Equal(exported.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_deploy_file_in_the_layout_table_exists_and_every_file_is_in_it()
    {
        var rows = LayoutRow().Matches(Doc).Select(m => m.Groups[1].Value).ToList();
        Assert.All(rows, f => Assert.True(
            File.Exists(Path.Combine(DeployManifests.Root, f)) || Directory.Exists(Path.Combine(DeployManifests.Root, f)), $"admission/deploy/{f} does not exist"));
        var files = Directory.GetFiles(DeployManifests.Root, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(DeployManifests.Root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("overlays/", StringComparison.Ordinal));
        Assert.All(files, f => Assert.Contains(f, rows));
    }

    [Fact]
    public void It_says_the_mutating_tag_rewrite_is_out_of_scope_and_how_to_close_the_gap()
    {
        Assert.Contains("**A mutating tag-to-digest rewrite is out of scope.**", Doc, StringComparison.Ordinal);
        Assert.Contains("`denyTags: true`", Doc, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\| `(--[a-z-]+)` \|", RegexOptions.Multiline, 1000)]
    private static partial Regex FlagRow();

    [GeneratedRegex(@"^# TYPE ([a-z_]+) ", RegexOptions.Multiline, 1000)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"\b(?:supplychain_admission_[a-z_]+|process_resident_memory_bytes|dotnet_gc_heap_bytes)\b", RegexOptions.None, 1000)]
    private static partial Regex Metric();

    [GeneratedRegex(@"^\| `((?:base/|overlays/)?[a-z-]+(?:\.yaml|/))` \|", RegexOptions.Multiline, 1000)]
    private static partial Regex LayoutRow();
}
