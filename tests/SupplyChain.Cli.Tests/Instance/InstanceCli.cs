namespace SupplyChain.Cli.Tests.Instance;

/// <summary>Runs signcli in process with <c>XDG_DATA_HOME</c> pointing into a temporary directory (so <c>--instance local</c> is private to the test).</summary>
public sealed class InstanceCli : IDisposable
{
    public const string Identity = "local-user@supplychain.localhost";
    public const string Issuer = "https://oidc.supplychain.localhost";

    public string Root { get; } = Directory.CreateTempSubdirectory("sc-cli-instance-").FullName;

    public string DataHome => Path.Combine(Root, "data");

    public string DefaultInstance => Path.Combine(DataHome, "supplychain", "instance");

    public string Write(string name, string text)
    {
        string path = Path.Combine(Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    public CliRun Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CliRunner.Exit(() => CliApp.RunWithAsync(args, stdout, stderr, new Environment(DataHome)));
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private sealed class Environment(string dataHome) : IPasswordSource
    {
        public bool IsInteractive => false;

        public string? GetEnvironmentVariable(string name) => name == "XDG_DATA_HOME" ? dataHome : null;

        public string ReadHidden(string prompt, TextWriter promptWriter) => throw new InvalidOperationException("no terminal");
    }
}
