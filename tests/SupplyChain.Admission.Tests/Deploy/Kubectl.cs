using System.Diagnostics;

namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>Runs kubectl's built-in kustomize (kubectl 1.14 and later): it renders a folder offline, with no cluster.</summary>
internal static class Kubectl
{
    /// <summary>The kubectl on the PATH, or <see langword="null"/>.</summary>
    public static string? Executable { get; } = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, "kubectl"))
        .FirstOrDefault(File.Exists);

    /// <summary>Renders a kustomization folder and returns its objects; fails the test when kubectl fails.</summary>
    public static async Task<IReadOnlyList<Yaml>> KustomizeAsync(string folder)
    {
        Assert.True(Executable is not null, "kubectl is not on the PATH (.ci/run installs Debian's kubernetes-client)");
        var start = new ProcessStartInfo(Executable, ["kustomize", folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["KUBECONFIG"] = "/dev/null"; // never a cluster
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        string output = await stdout;
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {folder} exited {process.ExitCode}: {await stderr}");
        return Yaml.LoadAll(output, "kubectl kustomize " + Path.GetFileName(folder));
    }
}
