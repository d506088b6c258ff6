namespace SupplyChain.AotCheck.Tests;

/// <summary>The parser the NativeAOT check relies on, on lines copied from real publishes (Portable.BouncyCastle 1.8.10, JsonArray.Add&lt;T&gt;).</summary>
public sealed class TrimWarningsTests
{
    [Fact]
    public void It_finds_ilcompiler_analyzer_and_assembly_level_warnings_and_drops_the_project_suffix()
    {
        string output = string.Join('\n',
            "  Generating native code",
            "/root/.nuget/packages/portable.bouncycastle/1.8.10/lib/netstandard2.0/BouncyCastle.Crypto.dll : warning IL3053: Assembly 'BouncyCastle.Crypto' produced AOT analysis warnings. [/w/cli/SupplyChain.Cli/SupplyChain.Cli.csproj]",
            "/w/src/SupplyChain.Instance/Rekor/LogEntryService.cs(42): Trim analysis warning IL2026: SupplyChain.Instance.Rekor.LogEntryService.<CreateAsync>d__3.MoveNext(): Using member 'System.Text.Json.Nodes.JsonArray.Add<String>(String)' which has 'RequiresUnreferencedCodeAttribute' can break functionality when trimming application code. [/w/cli/SupplyChain.Cli/SupplyChain.Cli.csproj]",
            "/w/src/SupplyChain.Instance/Rekor/LogEntryService.cs(42,13): error IL3050: Using member 'System.Text.Json.Nodes.JsonArray.Add<T>(T)' which has 'RequiresDynamicCodeAttribute' can break functionality when AOT compiling. [/w/src/SupplyChain.Instance/SupplyChain.Instance.csproj]",
            "/w/src/SupplyChain.Instance/Rekor/LogEntryService.cs(42): Trim analysis warning IL2026: SupplyChain.Instance.Rekor.LogEntryService.<CreateAsync>d__3.MoveNext(): Using member 'System.Text.Json.Nodes.JsonArray.Add<String>(String)' which has 'RequiresUnreferencedCodeAttribute' can break functionality when trimming application code. [/w/cli/SupplyChain.Cli/SupplyChain.Cli.csproj]",
            "  SupplyChain.Cli -> /tmp/aot/");

        IReadOnlyList<string> warnings = TrimWarnings.Parse(output);

        Assert.Equal(3, warnings.Count);
        Assert.EndsWith("warning IL3053: Assembly 'BouncyCastle.Crypto' produced AOT analysis warnings.", warnings[0], StringComparison.Ordinal);
        Assert.Contains("Trim analysis warning IL2026: SupplyChain.Instance.Rekor.LogEntryService", warnings[1], StringComparison.Ordinal);
        Assert.Contains("error IL3050:", warnings[2], StringComparison.Ordinal);
        Assert.All(warnings, w => Assert.DoesNotContain(".csproj]", w, StringComparison.Ordinal));
    }

    [Fact]
    public void Other_warnings_and_codes_that_merely_mention_il_are_not_trim_warnings()
    {
        string output = string.Join('\n',
            "/w/src/A.cs(1,1): warning CS1591: Missing XML comment for publicly visible type or member 'IL2026' [/w/a.csproj]",
            "/w/src/A.cs(1,1): warning CA1707: IL3050 in a message [/w/a.csproj]",
            "  --nowarn:\";CA1707;IL2121\"",
            "warning NETSDK1179: One of '--self-contained' or '--no-self-contained' options are required");

        Assert.Empty(TrimWarnings.Parse(output));
    }
}
