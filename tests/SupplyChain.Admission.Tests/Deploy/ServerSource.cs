using SupplyChain.Testing;

namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>Paths to the webhook's source files, which the deploy tests read to keep manifests and docs in step with the code.</summary>
internal static class ServerSource
{
    /// <summary>A source file of the host, by its path under admission/SupplyChain.Admission.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(TestPaths.RepositoryRoot, "admission", "SupplyChain.Admission", relative);

    /// <summary>A source file of the library, by its path under admission/SupplyChain.Admission.Core.</summary>
    public static string LibraryPath(string relative) => System.IO.Path.Combine(TestPaths.RepositoryRoot, "admission", "SupplyChain.Admission.Core", relative);
}
