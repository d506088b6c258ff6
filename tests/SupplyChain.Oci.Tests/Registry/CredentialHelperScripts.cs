namespace SupplyChain.Oci.Tests.Registry;

/// <summary>A temp folder of <c>docker-credential-NAME</c> shell scripts (the search path given to the source) and config files.</summary>
internal sealed class CredentialHelperScripts : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sc-credhelpers-").FullName;

    /// <summary>Writes an executable <c>docker-credential-NAME</c> running <paramref name="body"/> under /bin/sh.</summary>
    public void Write(string name, string body)
    {
        string path = Path.Combine(Directory, "docker-credential-" + name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("credential helper scripts are shell scripts");
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Writes a config.json and returns its path.</summary>
    public string Config(string json)
    {
        string path = Path.Combine(Directory, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
