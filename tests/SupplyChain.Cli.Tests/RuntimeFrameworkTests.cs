using System.Text.Json.Nodes;

namespace SupplyChain.Cli.Tests;

/// <summary>
/// Issue 17.3: signcli references the webhook's library, not its ASP.NET Core host, and the local instance serves with
/// the BCL's HttpListener, so the framework-dependent signcli (the tool package) runs on the bare .NET runtime.
/// </summary>
public class RuntimeFrameworkTests
{
    [Fact]
    public void Signcli_needs_only_the_dotnet_runtime_not_aspnetcore()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "signcli.runtimeconfig.json");
        JsonNode config = JsonNode.Parse(File.ReadAllText(path))!;
        JsonNode options = config["runtimeOptions"]!;
        string[] frameworks = options["frameworks"] is JsonArray several
            ? [.. several.Select(f => (string)f!["name"]!)]
            : [(string)options["framework"]!["name"]!];
        Assert.Equal(["Microsoft.NETCore.App"], frameworks);
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "signcli.deps.json")) && File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "signcli.deps.json")).Contains("\"SupplyChain.Admission/", StringComparison.Ordinal),
            "signcli must not depend on the webhook host (SupplyChain.Admission)");
    }
}
