using SupplyChain.Instance.Setup;

namespace SupplyChain.Instance.Tests;

/// <summary>A freshly initialised instance in a temporary directory, opened; deleted on dispose.</summary>
public sealed class TempInstance : IDisposable
{
    public TempInstance(Action<string>? beforeOpen = null, LocalInstanceOptions? options = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("sc-instance-").FullName;
        LocalInstance.Initialize(Directory, options: options);
        beforeOpen?.Invoke(Directory);
        Instance = LocalInstance.Open(Directory, options);
    }

    public string Directory { get; }

    public LocalInstance Instance { get; }

    internal InstancePaths Paths => new(Directory);

    public void Dispose()
    {
        Instance.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
