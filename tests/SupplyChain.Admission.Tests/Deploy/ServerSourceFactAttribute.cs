using SupplyChain.Testing;

namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>
/// A fact that reads (or runs) the server's source: by default admission/SupplyChain.Admission/Hosting/CommandLine.cs,
/// else the file named. Skipped while that file is absent (the deploy branch was written beside the hosting and review
/// ones), except under <c>CI=true</c>, where it runs and fails: on main they are merged.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ServerSourceFactAttribute : FactAttribute
{
    /// <summary>A source file of the server, by its path under admission/SupplyChain.Admission.</summary>
    public static string Source(string relative) => Path.Combine(TestPaths.RepositoryRoot, "admission", "SupplyChain.Admission", relative);

    /// <summary>Sets the skip reason when the server source is missing outside CI.</summary>
    /// <param name="relative">The file the test needs, under admission/SupplyChain.Admission.</param>
    public ServerSourceFactAttribute(string relative = "Hosting/CommandLine.cs")
    {
        if (!File.Exists(Source(relative)) && !TestPaths.IsCi)
        {
            Skip = $"admission/SupplyChain.Admission/{relative} is not there yet (another helper's branch); under CI=true this is a failure";
        }
    }
}
