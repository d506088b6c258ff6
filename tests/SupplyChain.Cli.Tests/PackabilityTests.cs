using System.Diagnostics;
using System.Text.Json.Nodes;
using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests;

/// <summary>
/// Issue 21.2: which projects pack as libraries is decided from their path inside the repository, not from the absolute
/// path: a checkout under <c>~/src/</c> must not make the CLI, the webhook or the test kit library packages (with a
/// README they lack, so <c>dotnet pack</c> failed). The repository's build files and four project files are copied under
/// a path containing <c>/src/</c> and evaluated by <c>dotnet msbuild -getProperty</c> (no build, no restore).
/// </summary>
public sealed class PackabilityTests : IDisposable
{
    private static readonly string[] Copied =
    [
        "Directory.Build.props",
        "Directory.Packages.props",
        "global.json",
        "src/SupplyChain.Core/SupplyChain.Core.csproj",
        "cli/SupplyChain.Cli/SupplyChain.Cli.csproj",
        "admission/SupplyChain.Admission/SupplyChain.Admission.csproj",
        "tests/SupplyChain.Testing/SupplyChain.Testing.csproj",
    ];

    private readonly string _home = Directory.CreateTempSubdirectory("sc-pack-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Theory]
    [InlineData("src/SupplyChain.Core/SupplyChain.Core.csproj", "true", "README.md")]
    [InlineData("cli/SupplyChain.Cli/SupplyChain.Cli.csproj", "true", "")]
    [InlineData("admission/SupplyChain.Admission/SupplyChain.Admission.csproj", "false", "")]
    [InlineData("tests/SupplyChain.Testing/SupplyChain.Testing.csproj", "false", "")]
    public async Task Only_the_libraries_under_the_repositorys_src_pack_as_libraries_wherever_the_checkout_lives(string project, string packable, string readme)
    {
        string checkout = Path.Combine(_home, "src", "supplychain");
        foreach (string file in Copied)
        {
            string target = Path.Combine(checkout, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(TestPaths.RepositoryRoot, file), target);
        }

        JsonNode properties = await EvaluateAsync(checkout, project);

        Assert.Equal(packable, (string?)properties["IsPackable"]);
        Assert.Equal(readme, (string?)properties["PackageReadmeFile"]);
        Assert.Equal(project[..project.LastIndexOf('/')], (string?)properties["SupplyChainProjectPath"]);
    }

    private static async Task<JsonNode> EvaluateAsync(string checkout, string project)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = checkout, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["msbuild", project, "-getProperty:IsPackable", "-getProperty:PackageReadmeFile", "-getProperty:SupplyChainProjectPath"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await stdout + await stderr);
        return JsonNode.Parse(await stdout)!["Properties"]!;
    }
}
